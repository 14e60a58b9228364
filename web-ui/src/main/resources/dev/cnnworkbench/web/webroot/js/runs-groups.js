// The runs page grouped by experiment and sweep, as MLflow lists experiments: one collapsible row per experiment,
// inside it one collapsible row per sweep (a 300-trial sweep is one line until opened) and the experiment's other
// runs. The groups and their counts come from the server (/api/run-groups, under the page's filter); an open group
// loads its runs a page at a time, in the page's sort order. Which groups are open is remembered per browser.
import { getJson } from './api.js';
import { el } from './dom.js';

const OPEN_KEY = 'workbench.runs.open-groups';
/** Runs shown when a group opens, and added by each "show more". */
export const GROUP_PAGE = 50;

/** The open state the person chose for each group key ('e:EXPERIMENT', 's:SWEEP'); the rest keep the default. */
function remembered() {
  try {
    return JSON.parse(localStorage.getItem(OPEN_KEY) || '{}') || {};
  } catch (e) {
    return {};
  }
}

/** Whether a group is open: as last left in this browser, else experiments open and sweeps closed. */
export function isOpen(key) {
  const chosen = remembered();
  return key in chosen ? chosen[key] : key.startsWith('e:');
}

function setOpen(key, open) {
  const chosen = remembered();
  chosen[key] = open;
  localStorage.setItem(OPEN_KEY, JSON.stringify(chosen));
}

/** A string literal of the filter language for `text` (quoted with whichever quote it does not contain). */
function literal(text) {
  return text.includes("'") ? `"${text}"` : `'${text}'`;
}

/** `filter` narrowed by `condition`. */
function narrowed(filter, condition) {
  return filter ? `(${filter}) and ${condition}` : condition;
}

/**
 * The groups of /api/run-groups by experiment: [{experiment, runs, running, latestStart, sweeps: [group...],
 * loose: the group of its runs of no sweep, or null}], in the server's order (most recently active first).
 */
export function byExperiment(groups) {
  const out = new Map();
  for (const g of groups) {
    if (!out.has(g.experiment)) {
      out.set(g.experiment, { experiment: g.experiment, runs: 0, running: 0, sweeps: [], loose: null });
    }
    const e = out.get(g.experiment);
    e.runs += g.runs;
    e.running += g.running;
    if (g.sweep == null) e.loose = g; else e.sweeps.push(g);
  }
  return [...out.values()];
}

function count(n, one, many, running) {
  return `${n} ${n === 1 ? one : many}` + (running ? `, ${running} running` : '');
}

/**
 * The grouped view. ctx: {filter, sort, order, width (the table's column count), row(run) -> <tr>, onToggle()}.
 * Keeps the runs it loaded per group (and how many to show) until the filter, the sort or the data changes.
 */
export class RunGroups {
  constructor() {
    this.shown = new Map(); // group key -> how many runs to load
  }

  /** Loads the groups and the open groups' runs; resolves to {rows (the <tr>s), total, runs (every loaded run)}. */
  async load(ctx) {
    const q = new URLSearchParams();
    if (ctx.filter) q.set('filter', ctx.filter);
    const body = await getJson('/api/run-groups?' + q.toString());
    const experiments = byExperiment(body.groups);
    const wanted = [];
    for (const e of experiments) {
      if (!isOpen('e:' + e.experiment)) continue;
      for (const s of e.sweeps) {
        if (isOpen('s:' + s.sweep)) wanted.push(['s:' + s.sweep, narrowed(ctx.filter, 'sweep = ' + literal(s.sweep))]);
      }
      if (e.loose) {
        wanted.push(['l:' + e.experiment,
          narrowed(ctx.filter, `experiment = ${literal(e.experiment)} and sweep is null`)]);
      }
    }
    const pages = new Map(await Promise.all(wanted.map(async ([key, filter]) => {
      const p = new URLSearchParams({ filter, sort: ctx.sort, order: ctx.order, offset: '0',
        limit: String(this.shown.get(key) || GROUP_PAGE) });
      return [key, await getJson('/api/runs?' + p.toString())];
    })));
    const rows = [];
    const runs = [];
    const addRuns = (key, level) => {
      const page = pages.get(key);
      if (!page) return;
      for (const run of page.runs) {
        const tr = ctx.row(run);
        tr.dataset.level = String(level);
        rows.push(tr);
        runs.push(run);
      }
      if (page.total > page.runs.length) rows.push(this.more(key, page, ctx, level));
    };
    for (const e of experiments) {
      const key = 'e:' + e.experiment;
      rows.push(this.header(key, 0, e.experiment, count(e.runs, 'run', 'runs', e.running), e.runs, ctx));
      if (!isOpen(key)) continue;
      for (const s of e.sweeps) {
        const sKey = 's:' + s.sweep;
        rows.push(this.header(sKey, 1, 'sweep ' + s.sweep,
          count(s.runs, 'trial', 'trials', s.running), s.runs, ctx));
        if (isOpen(sKey)) addRuns(sKey, 2);
      }
      addRuns('l:' + e.experiment, 1);
    }
    return { rows, total: body.total, runs };
  }

  header(key, level, title, counted, runs, ctx) {
    const open = isOpen(key);
    const toggle = el('button', {
      class: 'group-toggle', 'aria-expanded': String(open), 'aria-label': (open ? 'collapse ' : 'expand ') + title,
      onclick: () => { setOpen(key, !open); ctx.onToggle(); },
    }, open ? '▾' : '▸');
    return el('tr', { class: 'group-row', 'data-group': key, 'data-level': String(level), 'data-count': String(runs) },
      el('td', { colspan: String(ctx.width) }, toggle, ' ', el('span', { class: 'group-name' }, title), ' ',
        el('span', { class: 'muted group-count' }, `(${counted})`)));
  }

  more(key, page, ctx, level) {
    const left = page.total - page.runs.length;
    const button = el('button', {
      class: 'group-more', onclick: () => { this.shown.set(key, page.runs.length + GROUP_PAGE); ctx.onToggle(); },
    }, `show ${Math.min(left, GROUP_PAGE)} more (${left} not shown)`);
    return el('tr', { class: 'group-more-row', 'data-group-more': key, 'data-level': String(level) },
      el('td', { colspan: String(ctx.width) }, button));
  }

  /** Forgets how far each group was opened (a new filter or sort). */
  reset() {
    this.shown.clear();
  }
}
