// The sweep page: without ?id, every sweep; with ?id, its trials as parallel coordinates, objective-versus-parameter
// scatters and a ranked table, the best trial highlighted. The objective can be changed.
import { getJson } from './api.js';
import { el, statusBadge, fmtNumber, fmtTime, setText, showError, markReady } from './dom.js';
import { drawChart, ACCENT } from './echarts.js';
import { parallelOption, scatterOption, drawable } from './sweep-charts.js';

const query = new URLSearchParams(location.search);
const id = query.get('id');
const compareIds = (query.get('compare') ?? '').split(',').filter((x) => x);

async function showList() {
  document.getElementById('sweep-list').hidden = false;
  const { sweeps } = await getJson('/api/sweeps');
  setText('subtitle', `(${sweeps.length})`);
  document.getElementById('no-sweeps').hidden = sweeps.length > 0;
  const head = el('tr', {}, ...['', 'Sweep', 'Trials', 'Statuses', 'Objective', 'Best', 'Swept', 'Refines', 'Owner', 'Started']
    .map((h) => el('th', {}, h)));
  const rows = sweeps.map((s) => el('tr', { 'data-sweep': s.id },
    el('td', {}, el('input', { type: 'checkbox', class: 'pick', value: s.id })),
    el('td', {}, el('a', { href: '/sweep.html?id=' + encodeURIComponent(s.id) }, s.id)),
    el('td', { class: 'num' }, s.trials),
    el('td', {}, ...Object.entries(s.statuses).map(([status, n]) => el('span', {}, statusBadge(status), ' ', n, ' '))),
    el('td', {}, `${s.objective.metric} (${s.objective.direction})`),
    el('td', { class: 'num' }, s.best ? fmtNumber(s.best.value) : ''),
    el('td', {}, s.params.join(', ')),
    el('td', {}, s.parent ? el('a', { href: '/sweep.html?id=' + encodeURIComponent(s.parent) }, s.parent) : ''),
    el('td', {}, s.user ?? ''),
    el('td', {}, fmtTime(s.startedAt))));
  document.getElementById('sweeps').replaceChildren(el('thead', {}, head), el('tbody', {}, rows));
  document.getElementById('compare-sweeps').onclick = () => {
    const ids = [...document.querySelectorAll('#sweeps input.pick:checked')].map((c) => c.value);
    if (ids.length >= 2) location.href = '/sweep.html?compare=' + ids.map(encodeURIComponent).join(',');
  };
}

/** A parameter's range as its domain states it: loguniform [1e-6, 1e-3]. */
const range = (p) => (p.kind ? `${p.kind} [${p.kind === 'choice' ? p.values.join(', ') : fmtNumber(p.min) + ', ' + fmtNumber(p.max)}]`
  : 'not recorded');

/** The stages this sweep refines, each with its ranges. */
function renderLineage(sweep) {
  const stages = [...sweep.lineage].reverse();
  const items = stages.map((s) => el('li', { 'data-stage': s.id },
    el('a', { href: '/sweep.html?id=' + encodeURIComponent(s.id) }, s.id), ': ',
    s.recorded ? s.params.map((p) => `${p.name} ${range(p)}`).join('; ') : 'not recorded'));
  items.push(el('li', { 'data-stage': sweep.id }, el('b', {}, sweep.id), ': ', sweep.params.map((p) => `${p.name} ${range(p)}`).join('; ')));
  sweep.children.forEach((c) => items.push(el('li', { 'data-stage': c }, 'refined by ',
    el('a', { href: '/sweep.html?id=' + encodeURIComponent(c) }, c))));
  document.getElementById('lineage').replaceChildren(...items);
}

/** Best value so far, trial after trial (in start order), against the trial count and the compute time spent. */
function bestSoFar(sweep) {
  const metric = sweep.objective.metric;
  const better = sweep.objective.direction === 'min' ? (a, b) => a < b : (a, b) => a > b;
  const trials = [...sweep.trials].sort((a, b) => (a.run.startedAt ?? 0) - (b.run.startedAt ?? 0));
  let best = null;
  let seconds = 0;
  const byCount = [];
  const byTime = [];
  trials.forEach((t, i) => {
    seconds += t.run.endedAt && t.run.startedAt ? (t.run.endedAt - t.run.startedAt) / 1000 : 0;
    const v = t.rank == null ? null : t.run.metrics[metric];
    if (v != null && (best == null || better(v, best))) best = v;
    if (best != null) {
      byCount.push([i + 1, best]);
      byTime.push([seconds, best]);
    }
  });
  return { byCount, byTime };
}

/** Two or more sweeps side by side: objective distributions, best-so-far curves, ranges and lineage. */
async function showCompare() {
  document.getElementById('sweep-compare').hidden = false;
  const sweeps = await Promise.all(compareIds.map((s) => getJson('/api/sweeps/' + encodeURIComponent(s))));
  setText('title', 'Sweeps compared');
  setText('subtitle', `(${sweeps.length})`);
  const head = el('tr', {}, ...['Sweep', 'Objective', 'Trials', 'Usable', 'Best', 'Ranges', 'Refines'].map((h) => el('th', {}, h)));
  const rows = sweeps.map((s) => {
    const usable = s.trials.filter((t) => t.rank != null);
    const best = s.trials.find((t) => t.run.id === s.best);
    return el('tr', { 'data-sweep': s.id },
      el('td', {}, el('a', { href: '/sweep.html?id=' + encodeURIComponent(s.id) }, s.id)),
      el('td', {}, `${s.objective.metric} (${s.objective.direction})`), el('td', { class: 'num' }, s.trials.length + s.pending),
      el('td', { class: 'num' }, usable.length), el('td', { class: 'num best' }, best ? fmtNumber(best.run.metrics[s.objective.metric]) : ''),
      el('td', {}, s.params.map((p) => `${p.name} ${range(p)}`).join('; ')), el('td', {}, s.parent ?? ''));
  });
  document.getElementById('compare-table').replaceChildren(el('thead', {}, head), el('tbody', {}, rows));
  const metric = sweeps[0].objective.metric;
  drawChart(document.getElementById('compare-distribution'), {
    grid: { left: 60, right: 20, top: 20, bottom: 40 }, tooltip: { trigger: 'item' },
    xAxis: { type: 'category', data: sweeps.map((s) => s.id) }, yAxis: { type: 'value', scale: true, name: metric },
    series: [{ type: 'scatter', symbolSize: 9, itemStyle: { color: ACCENT, opacity: 0.7 },
      data: sweeps.flatMap((s, i) => s.trials.filter((t) => t.rank != null).map((t) => [i, t.run.metrics[metric]])) }],
  }, { sweeps: sweeps.length });
  const curves = sweeps.map((s) => ({ id: s.id, ...bestSoFar(s) }));
  const line = (key, name) => ({
    grid: { left: 60, right: 20, top: 40, bottom: 45 }, legend: { top: 0 }, tooltip: { trigger: 'axis' },
    xAxis: { type: 'value', name, nameLocation: 'middle', nameGap: 28 }, yAxis: { type: 'value', scale: true, name: 'best ' + metric },
    series: curves.map((c) => ({ name: c.id, type: 'line', step: 'end', symbolSize: 5, data: c[key] })),
  });
  drawChart(document.getElementById('compare-by-count'), line('byCount', 'trials'), { series: curves.length });
  drawChart(document.getElementById('compare-by-time'), line('byTime', 'compute time (s)'), { series: curves.length });
}

async function showSweep(objective, direction) {
  document.getElementById('sweep-view').hidden = false;
  const q = new URLSearchParams();
  if (objective) q.set('objective', objective);
  if (direction) q.set('direction', direction);
  const sweep = await getJson(`/api/sweeps/${encodeURIComponent(id)}${q.toString() ? '?' + q : ''}`);
  document.title = `${sweep.id} · Sweep · CNN Workbench`;
  setText('title', 'Sweep ' + sweep.id);
  setText('subtitle', `(${sweep.trials.length} trials, ${drawable(sweep).length} with ${sweep.objective.metric})`);
  renderControls(sweep);
  if (!sweep.params.length) {
    showError('The trials of this sweep do not differ in any parameter: nothing to plot against.');
  }
  drawChart(document.getElementById('parallel'), parallelOption(sweep),
    { axes: sweep.params.length + 1, trials: drawable(sweep).length, best: sweep.best ?? '' });
  renderScatters(sweep);
  renderTable(sweep);
  renderLineage(sweep);
  const logs = sweep.params.filter((p) => p.scale === 'log').map((p) => p.name);
  setText('scale-note', (logs.length ? `Log axes for ${logs.join(', ')}: their domains are log-uniform. ` : '')
    + (sweep.status === 'MIGRATED' ? 'This sweep was recorded before sweeps were records: its domains are unknown until it runs again.' : ''));
}

function renderControls(sweep) {
  const select = document.getElementById('objective');
  select.replaceChildren(...sweep.metrics.map((m) => el('option', { value: m }, m)));
  select.value = sweep.objective.metric;
  document.getElementById('direction').value = sweep.objective.direction;
  const best = sweep.trials.find((t) => t.run.id === sweep.best);
  setText('best-note', best ? `best: ${best.run.name} (${sweep.objective.metric} = ${fmtNumber(best.run.metrics[sweep.objective.metric])})` : 'no finished trial yet');
}

function renderScatters(sweep) {
  const box = document.getElementById('scatters');
  box.replaceChildren(...sweep.params.map((p, i) => el('div', { class: 'card chart' },
    el('div', { class: 'echart', id: 'scatter-' + i, 'data-param': p.name }))));
  sweep.params.forEach((p, i) => drawChart(document.getElementById('scatter-' + i), scatterOption(sweep, p),
    { scale: p.scale, points: drawable(sweep).length }));
}

function renderTable(sweep) {
  const metric = sweep.objective.metric;
  const head = el('tr', {}, el('th', {}, 'Rank'), el('th', {}, 'Trial'), el('th', {}, 'Status'),
    el('th', { class: 'num' }, metric), ...sweep.params.map((p) => el('th', { class: p.type === 'number' ? 'num' : null }, p.name)),
    el('th', {}, 'Run'));
  const rows = sweep.trials.map((t) => el('tr', { class: t.run.id === sweep.best ? 'best' : null, 'data-run': t.run.id },
    el('td', { class: 'num' }, t.rank ?? '–'), el('td', { class: 'num' }, t.trial),
    el('td', {}, statusBadge(t.run.status), t.stoppedAt ? el('span', { class: 'muted' }, ` at rung ${t.stoppedAt}`) : ''),
    el('td', { class: 'num' }, fmtNumber(t.run.metrics[metric])),
    ...sweep.params.map((p) => el('td', { class: p.type === 'number' ? 'num' : null }, fmtNumber(t.run.params[p.name]))),
    el('td', {}, el('a', { href: '/run.html?id=' + encodeURIComponent(t.run.id) }, t.run.name))));
  document.getElementById('trials').replaceChildren(el('thead', {}, head), el('tbody', {}, rows));
}

async function main() {
  try {
    if (compareIds.length) {
      await showCompare();
    } else if (!id) {
      await showList();
    } else {
      await showSweep(query.get('objective'), query.get('direction'));
      const reload = () => {
        const objective = document.getElementById('objective').value;
        const direction = document.getElementById('direction').value;
        history.replaceState(null, '', `?id=${encodeURIComponent(id)}&objective=${encodeURIComponent(objective)}&direction=${direction}`);
        showSweep(objective, direction).catch((e) => showError('Cannot load the sweep: ' + e.message));
      };
      document.getElementById('objective').addEventListener('change', () => {
        const m = document.getElementById('objective').value;
        document.getElementById('direction').value = /loss|error/.test(m) ? 'min' : 'max';
        reload();
      });
      document.getElementById('direction').addEventListener('change', reload);
    }
  } catch (e) {
    showError((id ? 'Cannot load the sweep: ' : 'Cannot load the sweeps: ') + e.message);
  }
  markReady();
}

main();
