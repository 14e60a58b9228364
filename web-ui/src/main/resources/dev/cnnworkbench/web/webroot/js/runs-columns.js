// The runs table's columns: fixed ones, and params.X / metrics.Y chosen by the person or picked from the page.
import { el, statusBadge, fmtNumber, fmtTime, fmtDuration } from './dom.js';

const KEY_METRICS = ['train_loss', 'val_loss', 'train_accuracy', 'val_accuracy', 'test_accuracy'];
const KEY_PARAMS = ['optimizer.type', 'optimizer.lr', 'train.batch', 'train.epochs', 'regularization.l2',
  'schedule.type'];
const MAX_AUTO_PARAMS = 3;

/** {key, label, sort (the store's sort key, null: not sortable), num, cell(run, handlers)}. */
export const FIXED = [
  { key: 'select', label: '', sort: null, cell: (run, h) => h.selectBox(run) },
  { key: 'status', label: 'Status', sort: 'status', cell: (run) => statusBadge(run.status) },
  { key: 'name', label: 'Name', sort: 'name',
    cell: (run) => el('a', { href: '/run.html?id=' + encodeURIComponent(run.id) }, run.name) },
  { key: 'experiment', label: 'Experiment', sort: 'experiment', cell: (run) => run.experiment },
  { key: 'user', label: 'Owner', sort: 'user', cell: (run) => run.user ?? '' },
  { key: 'started', label: 'Started', sort: 'started_at', cell: (run) => fmtTime(run.startedAt) },
  { key: 'duration', label: 'Duration', sort: 'duration', num: true, cell: (run) => fmtDuration(run.startedAt, run.endedAt) },
];

export const TRAILING = [
  { key: 'tags', label: 'Tags', sort: null, cell: (run, h) => h.tags(run) },
  { key: 'notes', label: 'Notes', sort: 'notes', cell: (run, h) => h.notes(run) },
];

/** A column for `params.NAME` or `metrics.NAME`. */
export function dynamicColumn(key) {
  const [kind, ...rest] = key.split('.');
  const name = rest.join('.');
  const source = kind === 'params' ? 'params' : 'metrics';
  return {
    key, label: name, title: key, sort: key, num: source === 'metrics', removable: true,
    cell: (run) => {
      const v = run[source][name];
      return v == null ? '' : typeof v === 'number' ? fmtNumber(v) : String(v);
    },
  };
}

/** Columns worth showing for a page of runs: its key metrics, then up to three parameters that differ. */
export function autoColumns(runs) {
  const metrics = new Set(runs.flatMap((r) => Object.keys(r.metrics)));
  const differing = [...new Set(runs.flatMap((r) => Object.keys(r.params)))].filter((p) =>
    new Set(runs.map((r) => JSON.stringify(r.params[p] ?? null))).size > 1);
  const ranked = [...KEY_PARAMS.filter((p) => differing.includes(p)), ...differing.filter((p) => !KEY_PARAMS.includes(p)).sort()];
  return [...ranked.slice(0, MAX_AUTO_PARAMS).map((p) => 'params.' + p),
    ...KEY_METRICS.filter((m) => metrics.has(m)).map((m) => 'metrics.' + m)];
}

/** Every params.X and metrics.Y of the page, for the "add column" list. */
export function columnNames(runs) {
  const names = new Set();
  for (const r of runs) {
    Object.keys(r.params).forEach((p) => names.add('params.' + p));
    Object.keys(r.metrics).forEach((m) => names.add('metrics.' + m));
  }
  return [...names].sort();
}
