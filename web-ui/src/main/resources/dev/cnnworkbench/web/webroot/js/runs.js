// The runs page: one page of runs at a time, filtered, sorted and paged by the server (the store's filter
// language); select runs on any page to compare; tags and notes edited in place. Grouped by experiment and sweep
// (group=1 in the address, remembered per browser) it lists collapsible groups instead of pages (runs-groups.js).
import { getJson, openStream } from './api.js';
import { el, setText, showError, markReady } from './dom.js';
import { FIXED, TRAILING, dynamicColumn, autoColumns, columnNames } from './runs-columns.js';
import { tagsCell, notesCell } from './runs-tags-notes.js';
import { hiddenColumns, rememberColumns, rememberedColumns, renderColumnChooser } from './runs-column-chooser.js';
import { RunGroups } from './runs-groups.js';

const GROUP_KEY = 'workbench.runs.grouped';

const query = new URLSearchParams(location.search);
const state = {
  filter: query.get('filter') || '',
  sort: query.get('sort') || 'started_at',
  order: query.get('order') || 'desc',
  offset: Number(query.get('offset') || 0),
  limit: Number(query.get('limit') || 50),
  cols: query.has('cols') ? query.get('cols').split(',').filter(Boolean) : rememberedColumns(),
  grouped: query.has('group') ? query.get('group') === '1' : localStorage.getItem(GROUP_KEY) === '1',
  groups: new RunGroups(),
  rows: null, // the grouped view's rows (group headers and runs); null when not grouped
  runs: [],
  total: 0,
  selected: new Set(),
  editing: false,
  ticket: 0,
};

// an address with group= sets the choice this browser remembers, as the checkbox does
localStorage.setItem(GROUP_KEY, state.grouped ? '1' : '0');

function saveUrl() {
  const q = new URLSearchParams();
  if (state.filter) q.set('filter', state.filter);
  if (state.sort !== 'started_at') q.set('sort', state.sort);
  if (state.order !== 'desc') q.set('order', state.order);
  if (state.offset) q.set('offset', String(state.offset));
  if (state.limit !== 50) q.set('limit', String(state.limit));
  if (state.grouped) q.set('group', '1');
  localStorage.setItem(GROUP_KEY, state.grouped ? '1' : '0');
  if (state.cols) {
    q.set('cols', state.cols.join(','));
    rememberColumns(state.cols);
  }
  const text = q.toString();
  history.replaceState(null, '', text ? '?' + text : location.pathname);
}

function columns() {
  const hidden = hiddenColumns();
  return [...FIXED, ...(state.cols || []).map(dynamicColumn), ...TRAILING].filter((c) => !hidden.has(c.key));
}

const handlers = {
  selectBox: (run) => {
    const box = el('input', {
      type: 'checkbox', 'aria-label': 'select ' + run.name, 'data-run': run.id,
      onchange: (e) => {
        if (e.target.checked) state.selected.add(run.id); else state.selected.delete(run.id);
        renderSelection();
      },
    });
    box.checked = state.selected.has(run.id);
    return box;
  },
  tags: (run) => tagsCell(run, editContext),
  notes: (run) => notesCell(run, editContext),
};

const editContext = {
  editing: (on) => { state.editing = on; },
  onSaved: (run) => {
    state.runs = state.runs.map((r) => (r.id === run.id ? run : r));
    if (state.grouped) load(); else renderBody();
  },
  onError: (message) => { showError(message); if (state.grouped) load(); else renderBody(); },
};

function renderHead() {
  document.getElementById('runs-head').replaceChildren(...columns().map((c) => {
    const sorted = c.sort && c.sort === state.sort ? (state.order === 'asc' ? 'ascending' : 'descending') : null;
    const th = el('th', {
      class: [c.num ? 'num' : '', c.sort ? 'sortable' : ''].join(' ').trim() || null,
      'aria-sort': sorted, 'data-key': c.key, title: c.title || (c.sort ? 'sort by ' + c.sort : null),
      onclick: c.sort ? () => sortBy(c) : null,
    }, c.label);
    if (c.removable) {
      th.append(el('button', {
        class: 'chip-x', title: 'remove column', 'aria-label': 'remove column ' + c.key,
        onclick: (e) => { e.stopPropagation(); removeColumn(c.key); },
      }, '×'));
    }
    return th;
  }));
}

function runRow(run, cols = columns()) {
  return el('tr', { 'data-run': run.id },
    ...cols.map((c) => el('td', { class: c.num ? 'num' : null, 'data-col': c.key }, c.cell(run, handlers))));
}

/** Shows the table again after its columns or a run changed (the grouped view's rows are made by loading). */
function refreshTable() {
  if (state.grouped) {
    load();
  } else {
    renderHead();
    renderBody();
  }
}

function renderBody() {
  const cols = columns();
  const rows = state.grouped && state.rows ? state.rows : state.runs.map((run) => runRow(run, cols));
  document.getElementById('runs-body').replaceChildren(...rows);
  document.getElementById('empty').hidden = state.total > 0 || Boolean(state.filter);
  const first = state.runs.length ? state.offset + 1 : 0;
  setText('run-count', state.filter ? `(${state.total} matching)` : `(${state.total})`);
  setText('page-info', `${first}–${state.offset + state.runs.length} of ${state.total}`);
  document.querySelector('.pager').classList.toggle('grouped', state.grouped);
  document.getElementById('prev').disabled = state.offset === 0;
  document.getElementById('next').disabled = state.offset + state.runs.length >= state.total;
  document.getElementById('column-names').replaceChildren(...columnNames(state.runs).map((n) => el('option', { value: n })));
}

function renderSelection() {
  const n = state.selected.size;
  document.getElementById('compare').disabled = n < 1;
  setText('selection', n ? `${n} selected` : '');
}

/** Shows a malformed filter's message and a caret under the offending position; hides the box when `error` is null. */
function renderFilterError(error) {
  const box = document.getElementById('filter-error');
  const input = document.getElementById('filter');
  box.hidden = !error;
  input.setAttribute('aria-invalid', error ? 'true' : 'false');
  document.getElementById('runs').classList.toggle('stale', Boolean(error));
  if (!error) return;
  const text = error.param === 'sort' ? state.sort : state.filter;
  // the store's message ends with the text itself, which the caret line below shows
  const suffix = ' in: ' + text;
  setText('filter-error-message', error.error.endsWith(suffix) ? error.error.slice(0, -suffix.length) : error.error);
  const caret = typeof error.position === 'number' ? '\n' + ' '.repeat(error.position) + '^' : '';
  box.dataset.position = String(error.position ?? '');
  setText('filter-error-caret', text + caret);
}

async function load() {
  const ticket = ++state.ticket;
  const q = new URLSearchParams({ sort: state.sort, order: state.order, offset: String(state.offset), limit: String(state.limit) });
  if (state.filter) q.set('filter', state.filter);
  try {
    const page = state.grouped ? await loadGroups() : await getJson('/api/runs?' + q.toString());
    if (ticket !== state.ticket) return; // a newer request is on its way
    state.runs = page.runs;
    state.total = page.total;
    state.rows = page.rows || null;
    if (!state.cols) state.cols = autoColumns(page.runs);
    renderFilterError(null);
    showError('');
    renderHead();
    renderBody();
    renderSelection();
  } catch (e) {
    if (ticket !== state.ticket) return;
    if (e.status === 400 && e.body && (e.body.param === 'filter' || e.body.param === 'sort')) {
      renderFilterError(e.body);
    } else {
      showError('Cannot load runs: ' + e.message);
    }
  }
  markReady();
}

/** The grouped view: {rows, runs, total}; on a first visit the columns are picked from its runs, then it is made again. */
async function loadGroups() {
  const grouped = await state.groups.load({
    filter: state.filter, sort: state.sort, order: state.order, width: columns().length,
    row: (run) => runRow(run),
    onToggle: () => load(),
  });
  if (!state.cols) {
    // first visit: columns picked from the loaded runs, then the rows made again with them
    state.cols = autoColumns(grouped.runs);
    return loadGroups();
  }
  return grouped;
}

function sortBy(column) {
  state.order = state.sort === column.sort ? (state.order === 'asc' ? 'desc' : 'asc') : (column.num ? 'desc' : 'asc');
  state.sort = column.sort;
  state.offset = 0;
  state.groups.reset();
  saveUrl();
  load();
}

function removeColumn(key) {
  state.cols = state.cols.filter((c) => c !== key);
  if (state.sort === key) { state.sort = 'started_at'; state.order = 'desc'; }
  saveUrl();
  refreshTable();
}

function wire() {
  renderColumnChooser(document.getElementById('column-chooser'), refreshTable);
  const filter = document.getElementById('filter');
  filter.value = state.filter;
  let typing = null;
  const apply = () => {
    clearTimeout(typing);
    if (filter.value.trim() === state.filter) return;
    state.filter = filter.value.trim();
    state.offset = 0;
    state.groups.reset();
    saveUrl();
    load();
  };
  filter.addEventListener('input', () => { clearTimeout(typing); typing = setTimeout(apply, 400); });
  filter.addEventListener('keydown', (e) => { if (e.key === 'Enter') apply(); });
  filter.addEventListener('search', apply);
  document.getElementById('prev').addEventListener('click', () => {
    state.offset = Math.max(0, state.offset - state.limit); saveUrl(); load();
  });
  document.getElementById('next').addEventListener('click', () => {
    state.offset += state.limit; saveUrl(); load();
  });
  const size = document.getElementById('page-size');
  size.value = String(state.limit);
  size.addEventListener('change', () => { state.limit = Number(size.value); state.offset = 0; saveUrl(); load(); });
  const add = document.getElementById('add-column');
  add.addEventListener('change', () => {
    const key = add.value.trim();
    if (/^(params|metrics)\.\S+$/.test(key) && !state.cols.includes(key)) {
      state.cols = [...state.cols, key];
      saveUrl();
      refreshTable();
    }
    add.value = '';
  });
  const grouped = document.getElementById('group-runs');
  grouped.checked = state.grouped;
  grouped.addEventListener('change', () => { state.grouped = grouped.checked; state.offset = 0; saveUrl(); load(); });
  document.getElementById('compare').addEventListener('click', () => {
    location.href = '/compare.html?runs=' + [...state.selected].map(encodeURIComponent).join(',');
  });
}

let pending = null;
function reloadSoon() {
  if (!pending) pending = setTimeout(() => { pending = null; if (!state.editing) load(); }, 300);
}

wire();
openStream({ metrics: 'false' }, {
  'run-started': reloadSoon,
  'run-ended': reloadSoon,
  reconnected: reloadSoon,
  connection: (up) => document.getElementById('live').classList.toggle('off', !up),
});
// Latest metrics of running runs move without start or end events: refresh while any on the page runs.
setInterval(() => { if (!state.editing && state.runs.some((r) => r.status === 'RUNNING')) load(); }, 5000);
load();
