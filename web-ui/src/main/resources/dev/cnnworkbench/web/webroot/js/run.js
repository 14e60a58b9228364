// The run page: facts, warnings (stored and live), live curves (history, then points from the stream), artifacts,
// spec and provenance.
import { getJson, openStream } from './api.js';
import { el, statusBadge, fmtNumber, fmtTime, fmtDuration, setText, markReady, PALETTE } from './dom.js';
import { CurveChart, axisFor } from './chart.js';
import { readControls, renderControls } from './chart-controls.js';
import { appendAfter, emptySeries, smooth, xValues } from './series.js';
import { WarningList } from './warnings.js';
import { renderArtifacts } from './artifacts.js';
import { offerRerun } from './rerun.js';
import { offerEdits, refuseEdits } from './run-rename-delete.js';
import { Diagnostics } from './diagnostics.js';
import { ConsoleTail } from './console-log.js';

const runId = new URLSearchParams(location.search).get('id');
const HISTORY_POINTS = 5000;
/** Above this many points in one series, reload the (downsampled) history instead of growing. */
const RELOAD_ABOVE = 4 * HISTORY_POINTS;

/** Which metrics each chart draws, under which title, on which y axis. */
const GROUPS = {
  loss: { wants: (name) => name.endsWith('loss') && !name.startsWith('test_'), title: 'Loss', axis: 'train_loss' },
  accuracy: { wants: (name) => name.endsWith('accuracy') && !name.startsWith('test_'), title: 'Accuracy', axis: 'accuracy' },
  lr: { wants: (name) => name === 'lr' || name.endsWith('_lr') || name === 'learning_rate', title: 'Learning rate', axis: 'lr' },
  // what the training process cost the machine (SystemMetrics), in the System section once a sample arrived
  cpu: { wants: (name) => name === 'system/cpu_percent', title: 'CPU', axis: 'system/cpu_percent' },
  memory: { wants: (name) => name.startsWith('system/') && name.endsWith('_mb'), title: 'Memory', axis: 'system/heap_mb' },
  gc: { wants: (name) => name === 'system/gc_ms', title: 'GC time since start', axis: 'system/gc_ms' },
};
const controls = readControls(new URLSearchParams(location.search));

const state = { run: null, series: new Map(), history: false, buffered: [], charts: {}, drawQueued: false };
const diagnostics = new Diagnostics(document.getElementById('diagnostics'));
const consoleTail = runId ? new ConsoleTail(document.getElementById('console'), runId) : null;
const warnings = new WarningList(document.getElementById('warnings'), document.getElementById('warning-list'),
  document.getElementById('warning-count'));

function showError(message) {
  const box = document.getElementById('error');
  box.textContent = message;
  box.hidden = false;
}

function renderFacts() {
  const run = state.run;
  document.title = `${run.name} · CNN Workbench`;
  setText('run-name', run.name);
  document.getElementById('run-status').replaceChildren(statusBadge(run.status));
  const facts = [
    ['id', run.id], ['experiment', run.experiment], ['user', run.user ?? ''], ['host', run.host ?? ''],
    ['started', fmtTime(run.startedAt)], ['ended', fmtTime(run.endedAt)],
    ['duration', fmtDuration(run.startedAt, run.endedAt)],
    ['tags', (run.tags || []).join(', ')], ['notes', run.notes ?? ''],
  ];
  document.getElementById('run-facts').replaceChildren(...facts.map(([k, v]) => el('tr', {}, el('td', {}, k), el('td', {}, v))));
  const box = document.getElementById('error');
  if (run.status === 'FAILED' || run.status === 'INTERRUPTED' || run.status === 'STOPPED') {
    box.textContent = `${run.status}: ${run.error || 'no reason recorded'}`;
    box.hidden = false;
    box.dataset.runError = 'true';
  } else if (box.dataset.runError) {
    box.hidden = true;
  }
  const latest = Object.entries(run.metrics).sort(([a], [b]) => a.localeCompare(b));
  document.getElementById('latest').replaceChildren(...latest.map(([k, v]) =>
    el('tr', { 'data-metric': k }, el('td', {}, k), el('td', { class: 'num' }, fmtNumber(v)))));
  document.getElementById('compare-link').href = '/compare.html?runs=' + encodeURIComponent(run.id);
  renderLinks(run);
}

/** Links to the sweep a trial belongs to and to the ensemble view of a run that recorded one. */
function renderLinks(run) {
  const links = [];
  const prefix = run.experiment + '-trial-';
  if (run.name.startsWith(prefix) && /^\d+$/.test(run.name.slice(prefix.length))) {
    links.push(el('a', { href: '/sweep.html?id=' + encodeURIComponent(run.experiment), id: 'sweep-link' }, 'sweep ' + run.experiment));
  }
  if ('ensemble_test_accuracy' in run.metrics || 'member_test_accuracy' in run.metrics) {
    links.push(el('a', { href: '/ensemble.html?run=' + encodeURIComponent(run.id), id: 'ensemble-link' }, 'ensemble view'));
  }
  document.getElementById('run-links').replaceChildren(...links.flatMap((a, i) => (i ? [' · ', a] : [a])));
}

function renderSpec(run) {
  document.getElementById('spec').textContent =
    typeof run.spec === 'string' ? run.spec : JSON.stringify(run.spec, null, 2);
  const prov = run.provenance && typeof run.provenance === 'object' ? Object.entries(run.provenance) : [];
  prov.sort(([a], [b]) => a.localeCompare(b));
  document.getElementById('provenance').replaceChildren(...prov.map(([k, v]) =>
    el('tr', {}, el('td', {}, k), el('td', {}, typeof v === 'string' ? v : JSON.stringify(v)))));
}

function draw() {
  state.drawQueued = false;
  for (const [group, { wants, title, axis }] of Object.entries(GROUPS)) {
    const names = [...state.series.keys()].filter(wants).sort();
    const curves = names.map((name, i) => {
      const s = state.series.get(name);
      return { label: name, color: PALETTE[i % PALETTE.length], x: xValues(s, controls.xMode, state.run?.startedAt),
        y: smooth(s.value, controls.smoothing) };
    });
    if (!state.charts[group]) {
      const { label, unitRange } = axisFor(axis);
      state.charts[group] = new CurveChart(document.getElementById('chart-' + group), { title, yLabel: label, unitRange });
    }
    state.charts[group].setOptions({ xMode: controls.xMode, log: controls.log });
    state.charts[group].update(curves);
  }
  document.getElementById('system').hidden = ![...state.series.keys()].some((name) => name.startsWith('system/'));
  diagnostics.update(state.series, controls, state.run?.startedAt);
  markReady();
}

function drawSoon() {
  if (!state.drawQueued) {
    state.drawQueued = true;
    requestAnimationFrame(draw);
  }
}

function addPoints(metrics) {
  let longest = 0;
  for (const [name, more] of Object.entries(metrics)) {
    if (!state.series.has(name)) state.series.set(name, emptySeries());
    appendAfter(state.series.get(name), more);
    longest = Math.max(longest, state.series.get(name).step.length);
    // the latest value moves with the stream, not only on reload
    const v = more.value[more.value.length - 1];
    if (state.run && more.value.length) state.run.metrics[name] = v;
  }
  if (longest > RELOAD_ABOVE && state.history) loadHistory();
}

async function loadHistory() {
  state.history = false;
  const body = await getJson(`/api/runs/${encodeURIComponent(runId)}/metrics?points=${HISTORY_POINTS}`);
  state.series = new Map(Object.entries(body.metrics));
  state.history = true;
  for (const metrics of state.buffered.splice(0)) addPoints(metrics);
  drawSoon();
}

async function loadRun() {
  const run = await getJson(`/api/runs/${encodeURIComponent(runId)}`);
  state.run = run;
  renderFacts();
  warnings.add(run.warnings ?? []);
  renderArtifacts(document.getElementById('artifacts-body'), document.getElementById('no-artifacts'), run.artifacts ?? []);
  renderSpec(run);
  consoleTail.follow(run.status === 'RUNNING');
  offerRerun(run);
  offerEdits(run);
}

/**
 * After the stream said the run ended: the stream can be ahead of the database by a moment, so a run still
 * RUNNING there is read again, a few times, until its end (and the artifacts written with it) are stored.
 */
async function loadEndedRun(tries = 20) {
  await loadRun();
  if (state.run.status === 'RUNNING' && tries > 0) setTimeout(() => loadEndedRun(tries - 1), 250);
}

async function main() {
  if (!runId) {
    showError('No run given: open this page from the runs table.');
    refuseEdits('no run to change');
    markReady();
    return;
  }
  renderControls(document.getElementById('chart-controls'), controls, drawSoon);
  // Stream first, history second: points published in between are buffered, then de-duplicated by step.
  openStream({ runs: runId }, {
    metrics: (e) => {
      if (!state.history) { state.buffered.push(e.metrics); return; }
      addPoints(e.metrics);
      if (state.run) renderFacts();
      drawSoon();
    },
    'run-warning': (w) => warnings.add([w]),
    'run-started': () => loadRun(),
    'run-ended': () => loadEndedRun(),
    reconnected: () => { loadRun(); loadHistory(); },
    connection: (up) => document.getElementById('live').classList.toggle('off', !up),
  });
  try {
    await loadRun();
    await loadHistory();
  } catch (e) {
    showError('Cannot load this run: ' + e.message);
    if (!state.run) {
      refuseEdits('no run to change');
      markReady();
    }
  }
  // the duration of a running run keeps counting
  setInterval(() => { if (state.run && state.run.status === 'RUNNING') renderFacts(); }, 1000);
}

main();
