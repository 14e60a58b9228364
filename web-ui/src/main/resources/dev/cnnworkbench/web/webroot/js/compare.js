// The compare page: the chosen runs' curves overlaid, one panel per chosen metric in a grid (the choice and the
// chart controls kept in the address), and the runs' parameters side by side.
import { getJson, openStream } from './api.js';
import { el, statusBadge, fmtNumber, setText, markReady, PALETTE } from './dom.js';
import { CurveChart, axisFor } from './chart.js';
import { readControls, renderControls, writeControls } from './chart-controls.js';
import { appendAfter, fieldsFor, hasColumnsFor, smooth, spliceDetail, xValues } from './series.js';

/** Points per curve: one per pixel of a panel's width (the store keeps each bucket's min and max), within these. */
const MIN_POINTS = 200;
const MAX_POINTS = 4000;
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
    state.charts.set(metric, new CurveChart(box, { title: metric, yLabel, unitRange, height: 260,
      onZoom: (min, max) => zoomed(metric, min, max) }));
  }
  return state.charts.get(metric);
}

/** Draws the curves of one panel (made on first use); `keepZoom`: the x range shown stays. */
function drawPanel(metric, keepZoom) {
  const byRun = state.series[metric] || {};
  const curves = state.runs.map((run, i) => {
    const s = byRun[run.id];
    if (!s || !hasColumnsFor(s, state.controls.xMode)) return null;
    return { label: label(run), color: color(i), x: xValues(s, state.controls.xMode, run.startedAt),
      y: smooth(s.value, state.controls.smoothing) };
  }).filter(Boolean);
  const chart = panel(metric);
  chart.setOptions({ xMode: state.controls.xMode, log: state.controls.log });
  chart.update(curves, { keepZoom });
}

function draw() {
  for (const [metric, chart] of [...state.charts]) {
    if (!state.metrics.includes(metric)) {
      chart.container.closest('.panel').remove();
      state.charts.delete(metric);
    }
  }
  for (const metric of state.metrics) drawPanel(metric, false);
  const panels = document.getElementById('panels');
  for (const metric of state.metrics) panels.append(state.charts.get(metric).container.closest('.panel'));
  panels.dataset.panels = String(state.metrics.length);
  markReady();
}

/** The width in pixels of one panel of the grid, from the grid's laid-out columns (before any panel is drawn). */
function panelWidth() {
  const panels = document.getElementById('panels');
  const track = parseFloat(getComputedStyle(panels).gridTemplateColumns);
  return Number.isFinite(track) && track > 0 ? track : panels.clientWidth || window.innerWidth;
}

function pointsPerCurve() {
  return Math.max(MIN_POINTS, Math.min(MAX_POINTS, Math.round(panelWidth())));
}

function runsParam(ids) {
  return 'runs=' + ids.map(encodeURIComponent).join(',');
}

/**
 * Every chosen metric of the runs in one request, downsampled on the server to the panels' width, with only the
 * columns the x axis needs: {key, metrics: {metric: {runId: series}}}.
 */
function fetchSeries(ids, metrics) {
  const fields = fieldsFor(state.controls.xMode);
  const key = [ids.join(','), metrics.join(','), fields].join('|');
  return getJson(`/api/metrics?${runsParam(ids)}&names=${metrics.map(encodeURIComponent).join(',')}`
    + `&points=${pointsPerCurve()}&fields=${fields}`).then((body) => ({ key, metrics: body.metrics }));
}

/** Loads the chosen metrics of the runs (one request) and draws them; `early` is a fetch started before the runs were known. */
async function loadSeries(early = null) {
  if (!state.metrics.length || !state.runs.length) {
    draw();
    return;
  }
  const ticket = ++state.loading;
  const ids = state.runs.map((r) => r.id);
  const key = [ids.join(','), state.metrics.join(','), fieldsFor(state.controls.xMode)].join('|');
  const prefetched = early ? await early : null;
  const body = prefetched && prefetched.key === key ? prefetched : await fetchSeries(ids, state.metrics);
  if (ticket !== state.loading) return; // a newer choice is on its way
  performance.mark('data-loaded');
  state.series = body.metrics;
  draw();
  performance.mark('drawn');
}

/** Redraws after a control changed; a new x axis whose column was not loaded loads the series again. */
function controlsChanged() {
  const loaded = Object.values(state.series).flatMap((byRun) => Object.values(byRun));
  if (loaded.every((s) => hasColumnsFor(s, state.controls.xMode))) draw(); else loadSeries();
}

/**
 * A panel was zoomed to x in [min, max] (null: zoomed out): its curves' points in that range are fetched again at
 * one per pixel and spliced into the overview, so a zoom shows the full resolution and zooming out the whole curve.
 */
async function zoomed(metric, min, max) {
  const byRun = state.series[metric];
  if (min == null || !byRun) return;
  let from = Infinity;
  let to = -Infinity;
  for (const run of state.runs) {
    const s = byRun[run.id];
    if (!s || !s.step.length) continue;
    const x = xValues(s, state.controls.xMode, run.startedAt);
    const first = x.findIndex((v) => v >= min);
    let last = x.length - 1;
    while (last > 0 && x[last] > max) last--;
    if (first < 0) continue;
    from = Math.min(from, s.step[Math.max(0, first - 1)]);
    to = Math.max(to, s.step[Math.min(x.length - 1, last + 1)]);
  }
  if (!(to > from)) return;
  const ids = state.runs.map((r) => r.id);
  const body = await getJson(`/api/metrics?${runsParam(ids)}&name=${encodeURIComponent(metric)}`
    + `&points=${pointsPerCurve()}&fields=${fieldsFor(state.controls.xMode)}&from=${from}&to=${to}`);
  if (state.series[metric] !== byRun) return; // reloaded meanwhile
  for (const id of ids) if (byRun[id] && body.runs[id]) byRun[id] = spliceDetail(byRun[id], body.runs[id]);
  drawPanel(metric, true);
  state.charts.get(metric).container.dataset.detail = `${from}-${to}`;
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
      state.series = {};
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
  renderControls(document.getElementById('chart-controls'), state.controls, controlsChanged);
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
  const early = state.ids.length && state.metrics.length ? fetchSeries(state.ids, state.metrics).catch(() => null) : null;
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
