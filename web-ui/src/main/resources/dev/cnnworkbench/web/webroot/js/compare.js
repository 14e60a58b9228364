// The compare page: the chosen runs' curves overlaid, one panel per chosen metric in a grid (the choice and the
// chart controls kept in the address), and the runs' parameters side by side.
import { getJson, openStream } from './api.js';
import { el, statusBadge, fmtNumber, setText, markReady, PALETTE } from './dom.js';
import { CurveChart, axisFor } from './chart.js';
import { readControls, renderControls, writeControls } from './chart-controls.js';
import { appendAfter, smooth, xValues } from './series.js';

/** Points per curve: enough for a full-width chart; a grid's narrower panels take fewer. */
const HISTORY_POINTS = 2000;
const PANEL_POINTS = 1000;
const PREFERRED = ['train_loss', 'val_loss', 'val_accuracy', 'train_accuracy', 'lr'];
/** Panels shown when the address names no metrics: the preferred ones the runs have, else the first few. */
const DEFAULT_PANELS = 4;

const query = new URLSearchParams(location.search);
const state = {
  ids: (query.get('runs') || '').split(',').map((s) => s.trim()).filter(Boolean),
  runs: [],
  // metrics=a,b,c (one panel each); metric=a is the older, single-panel form
  metrics: (query.get('metrics') ?? query.get('metric') ?? '').split(',').map((s) => s.trim()).filter(Boolean),
  controls: readControls(query),
  onlyDiff: query.get('diff') === '1',
  series: {},
  charts: new Map(),
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
  const q = new URLSearchParams({ runs: state.ids.join(','), metrics: state.metrics.join(',') });
  writeControls(q, state.controls);
  if (state.onlyDiff) q.set('diff', '1');
  history.replaceState(null, '', '?' + q.toString());
}

function label(run) {
  return run.name + (state.runs.filter((r) => r.name === run.name).length > 1 ? ` (${run.id.slice(0, 6)})` : '');
}

/** The panel of `metric`, made on first use; panels follow the order of state.metrics. */
function panel(metric) {
  if (!state.charts.has(metric)) {
    const box = el('div', { class: 'chart-box' });
    const card = el('div', { class: 'card chart panel', 'data-metric': metric }, box);
    document.getElementById('panels').append(card);
    const { label: yLabel, unitRange } = axisFor(metric);
    state.charts.set(metric, new CurveChart(box, { title: metric, yLabel, unitRange, height: 260 }));
  }
  return state.charts.get(metric);
}

function draw() {
  for (const [metric, chart] of [...state.charts]) {
    if (!state.metrics.includes(metric)) {
      chart.container.closest('.panel').remove();
      state.charts.delete(metric);
    }
  }
  for (const metric of state.metrics) {
    const byRun = state.series[metric] || {};
    const curves = state.runs.map((run, i) => {
      const s = byRun[run.id];
      if (!s) return null;
      return { label: label(run), color: color(i), x: xValues(s, state.controls.xMode, run.startedAt),
        y: smooth(s.value, state.controls.smoothing) };
    }).filter(Boolean);
    const chart = panel(metric);
    chart.setOptions({ xMode: state.controls.xMode, log: state.controls.log });
    chart.update(curves);
  }
  const panels = document.getElementById('panels');
  for (const metric of state.metrics) panels.append(state.charts.get(metric).container.closest('.panel'));
  panels.dataset.panels = String(state.metrics.length);
  markReady();
}

function fetchSeries(ids, metric) {
  const points = state.metrics.length > 1 ? PANEL_POINTS : HISTORY_POINTS;
  return getJson(`/api/metrics?runs=${ids.map(encodeURIComponent).join(',')}&name=${encodeURIComponent(metric)}`
    + `&points=${points}`).then((body) => ({ key: ids.join(',') + '|' + metric, runs: body.runs }));
}

/** Loads the chosen metrics of the runs (all at once) and draws them; `early` are fetches started before the runs were known. */
async function loadSeries(early = new Map()) {
  if (!state.metrics.length || !state.runs.length) {
    draw();
    return;
  }
  const ticket = ++state.loading;
  const ids = state.runs.map((r) => r.id);
  const bodies = await Promise.all(state.metrics.map(async (metric) => {
    const key = ids.join(',') + '|' + metric;
    const prefetched = early.has(metric) ? await early.get(metric) : null;
    return [metric, prefetched && prefetched.key === key ? prefetched : await fetchSeries(ids, metric)];
  }));
  if (ticket !== state.loading) return; // a newer choice is on its way
  performance.mark('data-loaded');
  state.series = Object.fromEntries(bodies.map(([metric, body]) => [metric, body.runs]));
  draw();
  performance.mark('drawn');
}

function renderMetricChooser() {
  const names = new Set(state.runs.flatMap((r) => Object.keys(r.metrics)));
  const ordered = [...PREFERRED.filter((m) => names.has(m)), ...[...names].filter((m) => !PREFERRED.includes(m)).sort()];
  state.metrics = state.metrics.filter((m) => names.has(m));
  if (!state.metrics.length) state.metrics = ordered.slice(0, DEFAULT_PANELS);
  const boxes = ordered.map((m) => {
    const box = el('input', { type: 'checkbox', 'data-metric': m });
    box.checked = state.metrics.includes(m);
    box.addEventListener('change', () => {
      state.metrics = box.checked ? [...state.metrics, m] : state.metrics.filter((x) => x !== m);
      saveUrl();
      renderLegend();
      loadSeries();
    });
    return el('label', { class: 'metric-choice' }, box, ' ' + m);
  });
  document.getElementById('metric-chooser').replaceChildren(...boxes);
}

function renderLegend() {
  const head = el('tr', {}, el('th', {}, 'Run'), el('th', {}, 'Status'),
    ...state.metrics.map((m) => el('th', { class: 'num' }, m)));
  const rows = state.runs.map((run, i) => el('tr', { 'data-run': run.id },
    el('td', {}, el('span', { class: 'swatch', style: `background:${color(i)}` }),
      el('a', { href: '/run.html?id=' + encodeURIComponent(run.id) }, run.name)),
    el('td', {}, statusBadge(run.status)),
    ...state.metrics.map((m) => el('td', { class: 'num' }, fmtNumber(run.metrics[m])))));
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
  renderControls(document.getElementById('chart-controls'), state.controls, draw);
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
      for (const metric of state.metrics) {
        const more = e.metrics[metric];
        const s = state.series[metric]?.[e.runId];
        if (more && s) appendAfter(s, more);
      }
      if (!queued) { queued = true; requestAnimationFrame(() => { queued = false; draw(); }); }
    },
    'run-ended': async () => { await loadRuns(); renderAll(); },
    reconnected: () => loadSeries(),
    connection: (up) => document.getElementById('live').classList.toggle('off', !up),
  });
}

async function main() {
  wireControls();
  // the metrics are in the address: fetch their curves while the runs load (a miss is fetched again after)
  const early = new Map(state.ids.length ? state.metrics.map((m) => [m, fetchSeries(state.ids, m).catch(() => null)]) : []);
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
