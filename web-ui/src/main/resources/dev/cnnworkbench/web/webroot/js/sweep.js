// The sweep page: without ?id, every sweep; with ?id, its trials as parallel coordinates, objective-versus-parameter
// scatters and a ranked table, the best trial highlighted. The objective can be changed.
import { getJson } from './api.js';
import { el, statusBadge, fmtNumber, fmtTime, setText, showError, markReady } from './dom.js';
import { drawChart } from './echarts.js';
import { parallelOption, scatterOption, drawable } from './sweep-charts.js';

const query = new URLSearchParams(location.search);
const id = query.get('id');

async function showList() {
  document.getElementById('sweep-list').hidden = false;
  const { sweeps } = await getJson('/api/sweeps');
  setText('subtitle', `(${sweeps.length})`);
  document.getElementById('no-sweeps').hidden = sweeps.length > 0;
  const head = el('tr', {}, ...['Sweep', 'Trials', 'Statuses', 'Objective', 'Best', 'Swept', 'Owner', 'Started']
    .map((h) => el('th', {}, h)));
  const rows = sweeps.map((s) => el('tr', { 'data-sweep': s.id },
    el('td', {}, el('a', { href: '/sweep.html?id=' + encodeURIComponent(s.id) }, s.id)),
    el('td', { class: 'num' }, s.trials),
    el('td', {}, ...Object.entries(s.statuses).map(([status, n]) => el('span', {}, statusBadge(status), ' ', n, ' '))),
    el('td', {}, `${s.objective.metric} (${s.objective.direction})`),
    el('td', { class: 'num' }, s.best ? fmtNumber(s.best.value) : ''),
    el('td', {}, s.params.join(', ')),
    el('td', {}, s.user ?? ''),
    el('td', {}, fmtTime(s.startedAt))));
  document.getElementById('sweeps').replaceChildren(el('thead', {}, head), el('tbody', {}, rows));
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
  const logs = sweep.params.filter((p) => p.scale === 'log').map((p) => p.name);
  setText('scale-note', logs.length ? `Log axes for ${logs.join(', ')}: their values are spread evenly in log space,`
    + ' as a log-uniform sample is.' : '');
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
    el('td', { class: 'num' }, t.rank), el('td', { class: 'num' }, t.trial), el('td', {}, statusBadge(t.run.status)),
    el('td', { class: 'num' }, fmtNumber(t.run.metrics[metric])),
    ...sweep.params.map((p) => el('td', { class: p.type === 'number' ? 'num' : null }, fmtNumber(t.run.params[p.name]))),
    el('td', {}, el('a', { href: '/run.html?id=' + encodeURIComponent(t.run.id) }, t.run.name))));
  document.getElementById('trials').replaceChildren(el('thead', {}, head), el('tbody', {}, rows));
}

async function main() {
  try {
    if (!id) {
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
