// The compare page: the chosen runs' curves of one metric overlaid, and their parameters side by side.
import { getJson, openStream } from './api.js';
import { el, statusBadge, fmtNumber, setText, markReady, PALETTE } from './dom.js';
import { CurveChart } from './chart.js';
import { appendAfter, smooth, xValues } from './series.js';

const HISTORY_POINTS = 2000;
const PREFERRED = ['train_loss', 'val_loss', 'val_accuracy', 'train_accuracy', 'lr'];

const query = new URLSearchParams(location.search);
const state = {
  ids: (query.get('runs') || '').split(',').map((s) => s.trim()).filter(Boolean),
  runs: [],
  metric: query.get('metric') || '',
  xMode: query.get('x') || 'step',
  smoothing: Number(query.get('smooth') || 0),
  log: query.get('log') === '1',
  onlyDiff: query.get('diff') === '1',
  series: {},
  chart: null,
  loading: 0,
};

function showError(message) {
  const box = document.getElementById('error');
  box.textContent = message;
  box.hidden = !message;
}

function color(i) {
  return PALETTE[i % PALETTE.length];
}

function saveUrl() {
  const q = new URLSearchParams({ runs: state.ids.join(','), metric: state.metric, x: state.xMode });
  if (state.smoothing) q.set('smooth', String(state.smoothing));
  if (state.log) q.set('log', '1');
  if (state.onlyDiff) q.set('diff', '1');
  history.replaceState(null, '', '?' + q.toString());
}

function draw() {
  const curves = state.runs.map((run, i) => {
    const s = state.series[run.id];
    if (!s) return null;
    return {
      label: run.name + (state.runs.filter((r) => r.name === run.name).length > 1 ? ` (${run.id.slice(0, 6)})` : ''),
      color: color(i),
      x: xValues(s, state.xMode, run.startedAt),
      y: smooth(s.value, state.smoothing),
    };
  }).filter(Boolean);
  if (!state.chart) {
    state.chart = new CurveChart(document.getElementById('chart'), { xMode: state.xMode, log: state.log, height: 380 });
  }
  state.chart.setOptions({ xMode: state.xMode, log: state.log });
  state.chart.update(curves);
  markReady();
}

function fetchSeries(ids, metric) {
  return getJson(`/api/metrics?runs=${ids.map(encodeURIComponent).join(',')}&name=${encodeURIComponent(metric)}`
    + `&points=${HISTORY_POINTS}`).then((body) => ({ key: ids.join(',') + '|' + metric, runs: body.runs }));
}

/** Loads the chosen metric of the runs and draws it; `early` is a fetch started before the runs were known. */
async function loadSeries(early) {
  if (!state.metric || !state.runs.length) {
    draw();
    return;
  }
  const ticket = ++state.loading;
  const ids = state.runs.map((r) => r.id);
  const key = ids.join(',') + '|' + state.metric;
  const prefetched = early ? await early : null;
  const body = prefetched && prefetched.key === key ? prefetched : await fetchSeries(ids, state.metric);
  if (ticket !== state.loading) return; // a newer choice is on its way
  performance.mark('data-loaded');
  state.series = body.runs;
  draw();
  performance.mark('drawn');
}

function renderMetricChooser() {
  const names = new Set(state.runs.flatMap((r) => Object.keys(r.metrics)));
  const ordered = [...PREFERRED.filter((m) => names.has(m)), ...[...names].filter((m) => !PREFERRED.includes(m)).sort()];
  if (!ordered.includes(state.metric)) state.metric = ordered[0] || '';
  const select = document.getElementById('metric');
  select.replaceChildren(...ordered.map((m) => el('option', { value: m }, m)));
  select.value = state.metric;
}

function renderLegend() {
  const head = el('tr', {}, el('th', {}, 'Run'), el('th', {}, 'Status'), el('th', { class: 'num' }, 'latest'));
  const rows = state.runs.map((run, i) => el('tr', { 'data-run': run.id },
    el('td', {}, el('span', { class: 'swatch', style: `background:${color(i)}` }),
      el('a', { href: '/run.html?id=' + encodeURIComponent(run.id) }, run.name)),
    el('td', {}, statusBadge(run.status)),
    el('td', { class: 'num' }, fmtNumber(run.metrics[state.metric]))));
  document.getElementById('legend').replaceChildren(el('thead', {}, head), el('tbody', {}, rows));
}

function same(values) {
  return values.every((v) => JSON.stringify(v) === JSON.stringify(values[0]));
}

function renderParams() {
  const names = [...new Set(state.runs.flatMap((r) => Object.keys(r.params)))].sort();
  const head = el('tr', {}, el('th', {}, 'parameter'),
    ...state.runs.map((run, i) => el('th', {}, el('span', { class: 'swatch', style: `background:${color(i)}` }), run.name)));
  const rows = [];
  let differing = 0;
  for (const name of names) {
    const values = state.runs.map((r) => r.params[name]);
    const differs = !same(values);
    if (differs) differing++;
    if (state.onlyDiff && !differs) continue;
    rows.push(el('tr', { class: differs ? 'diff' : null, 'data-param': name },
      el('td', {}, name), ...values.map((v) => el('td', {}, v == null ? '—' : fmtNumber(v)))));
  }
  document.getElementById('params').replaceChildren(el('thead', {}, head), el('tbody', {}, rows));
  document.getElementById('params').dataset.differing = String(differing);
}

function renderAll() {
  setText('run-count', `(${state.runs.length} run${state.runs.length === 1 ? '' : 's'})`);
  renderMetricChooser();
  renderLegend();
  renderParams();
}

async function loadRuns() {
  const ids = state.ids.filter((id) => /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(id)).slice(0, 100);
  const filter = `id in (${ids.map((id) => `'${id}'`).join(', ')})`;
  const body = ids.length ? await getJson('/api/runs?limit=100&filter=' + encodeURIComponent(filter)) : { runs: [] };
  const byId = new Map(body.runs.map((r) => [r.id, r]));
  const missing = state.ids.filter((id) => !byId.has(id));
  state.runs = state.ids.filter((id) => byId.has(id)).map((id) => byId.get(id));
  showError(missing.length ? `No such run: ${missing.join(', ')}` : '');
  if (!state.ids.length) {
    showError('No runs chosen: select runs on the runs page and press "Compare selected".');
  }
}

function wireControls() {
  const metric = document.getElementById('metric');
  metric.addEventListener('change', () => { state.metric = metric.value; saveUrl(); renderLegend(); loadSeries(); });
  const xMode = document.getElementById('x-mode');
  xMode.value = state.xMode;
  xMode.addEventListener('change', () => { state.xMode = xMode.value; saveUrl(); draw(); });
  const smoothing = document.getElementById('smoothing');
  smoothing.value = String(state.smoothing);
  setText('smoothing-value', String(state.smoothing));
  smoothing.addEventListener('input', () => {
    state.smoothing = Number(smoothing.value);
    setText('smoothing-value', smoothing.value);
    saveUrl();
    draw();
  });
  const log = document.getElementById('log');
  log.checked = state.log;
  log.addEventListener('change', () => { state.log = log.checked; saveUrl(); draw(); });
  const onlyDiff = document.getElementById('only-diff');
  onlyDiff.checked = state.onlyDiff;
  onlyDiff.addEventListener('change', () => { state.onlyDiff = onlyDiff.checked; saveUrl(); renderParams(); });
}

function follow() {
  const running = state.runs.filter((r) => r.status === 'RUNNING').map((r) => r.id);
  if (!running.length) return;
  let queued = false;
  openStream({ runs: running.join(',') }, {
    metrics: (e) => {
      const more = e.metrics[state.metric];
      const s = state.series[e.runId];
      if (!more || !s) return;
      appendAfter(s, more);
      if (!queued) { queued = true; requestAnimationFrame(() => { queued = false; draw(); }); }
    },
    'run-ended': async () => { await loadRuns(); renderAll(); },
    reconnected: () => loadSeries(),
    connection: (up) => document.getElementById('live').classList.toggle('off', !up),
  });
}

async function main() {
  wireControls();
  // the metric is in the address: fetch its curves while the runs load (a miss is fetched again after)
  const early = state.metric && state.ids.length ? fetchSeries(state.ids, state.metric).catch(() => null) : null;
  try {
    await loadRuns();
    renderAll();
    saveUrl();
    await loadSeries(early);
    follow();
  } catch (e) {
    showError('Cannot load the comparison: ' + e.message);
  }
}

main();
