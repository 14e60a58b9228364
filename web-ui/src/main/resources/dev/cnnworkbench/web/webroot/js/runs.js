// The runs page: every run in a sortable, filterable table; select some to compare.
import { getJson, openStream } from './api.js';
import { el, statusBadge, fmtNumber, fmtTime, fmtDuration, setText } from './dom.js';

const KEY_METRICS = ['train_loss', 'val_loss', 'train_accuracy', 'val_accuracy', 'test_accuracy'];

const state = { runs: [], selected: new Set(), sort: { key: 'startedAt', dir: -1 }, filter: '', metrics: [] };

const COLUMNS = () => [
  { key: 'select', label: '', sortable: false },
  { key: 'status', label: 'Status' },
  { key: 'name', label: 'Name' },
  { key: 'experiment', label: 'Experiment' },
  { key: 'user', label: 'User' },
  { key: 'startedAt', label: 'Started' },
  { key: 'duration', label: 'Duration', num: true },
  ...state.metrics.map((m) => ({ key: 'm:' + m, label: m, num: true })),
];

function value(run, key) {
  if (key === 'duration') return run.startedAt == null ? null : (run.endedAt ?? Date.now()) - run.startedAt;
  if (key.startsWith('m:')) return run.metrics[key.slice(2)];
  return run[key];
}

function compare(a, b) {
  const { key, dir } = state.sort;
  const va = value(a, key);
  const vb = value(b, key);
  if (va == null && vb == null) return 0;
  if (va == null) return 1;
  if (vb == null) return -1;
  return (typeof va === 'number' && typeof vb === 'number' ? va - vb : String(va).localeCompare(String(vb))) * dir;
}

function matches(run) {
  if (!state.filter) return true;
  const text = [run.name, run.experiment, run.status, run.user, run.id].join(' ').toLowerCase();
  return state.filter.split(/\s+/).every((word) => text.includes(word));
}

function renderHead() {
  const head = document.getElementById('runs-head');
  head.replaceChildren(...COLUMNS().map((c) => {
    const sorted = state.sort.key === c.key ? (state.sort.dir > 0 ? 'ascending' : 'descending') : null;
    return el('th', {
      class: c.num ? 'num' : null,
      'aria-sort': sorted,
      'data-key': c.key,
      onclick: c.sortable === false ? null : () => {
        state.sort = { key: c.key, dir: state.sort.key === c.key ? -state.sort.dir : (c.num ? -1 : 1) };
        render();
      },
    }, c.label);
  }));
}

function renderBody() {
  const rows = state.runs.filter(matches).sort(compare).map((run) => {
    const box = el('input', {
      type: 'checkbox', 'aria-label': 'select ' + run.name, 'data-run': run.id,
      onchange: (e) => { if (e.target.checked) state.selected.add(run.id); else state.selected.delete(run.id); renderSelection(); },
    });
    box.checked = state.selected.has(run.id);
    return el('tr', { 'data-run': run.id },
      el('td', {}, box),
      el('td', {}, statusBadge(run.status)),
      el('td', {}, el('a', { href: '/run.html?id=' + encodeURIComponent(run.id) }, run.name)),
      el('td', {}, run.experiment),
      el('td', {}, run.user ?? ''),
      el('td', { title: run.id }, fmtTime(run.startedAt)),
      el('td', { class: 'num' }, fmtDuration(run.startedAt, run.endedAt)),
      ...state.metrics.map((m) => el('td', { class: 'num' }, fmtNumber(run.metrics[m]))));
  });
  document.getElementById('runs-body').replaceChildren(...rows);
  document.getElementById('empty').hidden = state.runs.length > 0;
  setText('run-count', rows.length === state.runs.length ? `(${state.runs.length})` : `(${rows.length} of ${state.runs.length})`);
}

function renderSelection() {
  const n = state.selected.size;
  document.getElementById('compare').disabled = n < 1;
  setText('selection', n ? `${n} selected` : '');
}

function render() {
  renderHead();
  renderBody();
  renderSelection();
}

async function load() {
  try {
    const body = await getJson('/api/runs');
    state.runs = body.runs;
    const present = new Set(state.runs.flatMap((r) => Object.keys(r.metrics)));
    state.metrics = KEY_METRICS.filter((m) => present.has(m));
    const ids = new Set(state.runs.map((r) => r.id));
    for (const id of [...state.selected]) if (!ids.has(id)) state.selected.delete(id);
    document.getElementById('error').hidden = true;
    render();
    document.body.dataset.ready = 'true';
  } catch (e) {
    const box = document.getElementById('error');
    box.textContent = 'Cannot load runs: ' + e.message;
    box.hidden = false;
  }
}

let pending = null;
function reloadSoon() {
  if (!pending) pending = setTimeout(() => { pending = null; load(); }, 300);
}

document.getElementById('filter').addEventListener('input', (e) => {
  state.filter = e.target.value.trim().toLowerCase();
  renderBody();
});
document.getElementById('compare').addEventListener('click', () => {
  location.href = '/compare.html?runs=' + [...state.selected].map(encodeURIComponent).join(',');
});

openStream({ metrics: 'false' }, {
  'run-started': reloadSoon,
  'run-ended': reloadSoon,
  reconnected: reloadSoon,
  connection: (up) => document.getElementById('live').classList.toggle('off', !up),
});
// Latest metrics of running runs move without start or end events: refresh while any runs.
setInterval(() => { if (state.runs.some((r) => r.status === 'RUNNING')) load(); }, 5000);
load();
