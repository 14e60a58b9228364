// The ensemble page: without ?run, every run that recorded an ensemble; with ?run, its members' accuracies next to
// the ensemble's, accuracy as members are added, and for a snapshot ensemble the learning rate with the snapshots.
import { getJson } from './api.js';
import { el, statusBadge, fmtNumber, fmtTick, fmtTime, setText, showError, markReady, escapeHtml } from './dom.js';
import { drawChart, BEST, ACCENT } from './echarts.js';

const query = new URLSearchParams(location.search);
// an ensemble by its id, or by the run that recorded it (the run page links that way)
const ensembleId = query.get('id') ?? query.get('run');
const compareIds = (query.get('compare') ?? '').split(',').filter((x) => x);
const pct = (v) => (v == null ? '' : (100 * v).toFixed(2) + '%');

async function showList() {
  document.getElementById('ensemble-list').hidden = false;
  const { ensembles } = await getJson('/api/ensembles');
  setText('subtitle', `(${ensembles.length})`);
  document.getElementById('no-ensembles').hidden = ensembles.length > 0;
  const head = el('tr', {}, ...['', 'Ensemble', 'Type', 'Members', 'Ensemble', 'Best member', 'Gain', 'McNemar p', 'Budget', 'Recorded']
    .map((h) => el('th', {}, h)));
  const rows = ensembles.map((e) => el('tr', { 'data-ensemble': e.id, 'data-run': e.runId },
    el('td', {}, el('input', { type: 'checkbox', class: 'pick', value: e.id })),
    el('td', {}, el('a', { href: '/ensemble.html?id=' + encodeURIComponent(e.id) }, e.name)),
    el('td', {}, e.type), el('td', { class: 'num' }, e.members ?? ''), el('td', { class: 'num' }, pct(e.accuracy)),
    el('td', { class: 'num' }, pct(e.bestMemberAccuracy)), el('td', { class: 'num' }, signedPct(e.gain)),
    el('td', { class: 'num' }, fmtNumber(e.mcnemarP)), el('td', {}, budget(e)), el('td', {}, fmtTime(e.createdAt))));
  document.getElementById('ensembles').replaceChildren(el('thead', {}, head), el('tbody', {}, rows));
  document.getElementById('compare-ensembles').onclick = () => {
    const ids = [...document.querySelectorAll('#ensembles input.pick:checked')].map((c) => c.value);
    if (ids.length >= 2) location.href = '/ensemble.html?compare=' + ids.map(encodeURIComponent).join(',');
  };
}

const signedPct = (v) => (v == null ? '' : (v >= 0 ? '+' : '') + pct(v));
/** The training the ensemble cost: the runs it averages (each once), in epochs and time. */
const budget = (e) => [e.budgetEpochs == null ? null : `${fmtNumber(e.budgetEpochs)} epochs`,
  e.budgetSeconds == null ? null : `${fmtNumber(e.budgetSeconds)} s`].filter((x) => x).join(', ');

/** Ensembles side by side: accuracy by number of members, gain over the best member with its p-value, budget. */
async function showCompare() {
  document.getElementById('ensemble-compare').hidden = false;
  const all = await Promise.all(compareIds.map((id) => getJson('/api/ensembles/' + encodeURIComponent(id))));
  setText('title', 'Ensembles compared');
  setText('subtitle', `(${all.length})`);
  const head = el('tr', {}, ...['Ensemble', 'Type', 'Members', 'Accuracy', 'Best member', 'Gain', 'McNemar p', 'Budget']
    .map((h) => el('th', {}, h)));
  const rows = all.map((e) => el('tr', { 'data-ensemble': e.id },
    el('td', {}, el('a', { href: '/ensemble.html?id=' + encodeURIComponent(e.id) }, e.name)), el('td', {}, e.type),
    el('td', { class: 'num' }, e.members), el('td', { class: 'num' }, pct(e.accuracy)),
    el('td', { class: 'num' }, pct(e.bestMemberAccuracy)), el('td', { class: 'num gain' }, signedPct(e.gain)),
    el('td', { class: 'num' }, fmtNumber(e.mcnemarP)), el('td', {}, budget(e))));
  document.getElementById('compare-table').replaceChildren(el('thead', {}, head), el('tbody', {}, rows));
  const values = all.flatMap((e) => e.byMembers.map((b) => b.accuracy)).filter((v) => v != null);
  drawChart(document.getElementById('compare-by-members'), {
    grid: { left: 60, right: 30, top: 40, bottom: 45 }, legend: { top: 0 },
    tooltip: { trigger: 'item', formatter: (p) => escapeHtml(`${p.seriesName}: ${p.value[0]} members ${pct(p.value[1])}`) },
    xAxis: { type: 'value', name: 'members', nameLocation: 'middle', nameGap: 28, minInterval: 1, min: 1 },
    yAxis: { type: 'value', min: Math.floor((Math.min(...values) - 0.005) * 200) / 200, axisLabel: { formatter: pct } },
    series: all.map((e) => ({ name: e.name, type: 'line', symbolSize: 7, data: e.byMembers.map((b) => [b.members, b.accuracy]) })),
  }, { series: all.length });
  drawChart(document.getElementById('compare-gain'), {
    grid: { left: 60, right: 30, top: 20, bottom: 60 },
    tooltip: { trigger: 'axis', formatter: (p) => escapeHtml(`${p[0].name}: ${signedPct(p[0].value)}`) },
    xAxis: { type: 'category', data: all.map((e) => e.name), axisLabel: { fontSize: 10 } },
    yAxis: { type: 'value', axisLabel: { formatter: pct } },
    series: [{ type: 'bar', data: all.map((e) => e.gain), itemStyle: { color: ACCENT },
      label: { show: true, position: 'top', fontSize: 10,
        formatter: (p) => `${signedPct(p.value)} (p ${fmtNumber(all[p.dataIndex].mcnemarP)})` } }],
  }, { bars: all.length });
}

function renderFacts(e) {
  const facts = [['run', el('a', { href: '/run.html?id=' + encodeURIComponent(e.run.id) }, e.run.name)], ['type', e.type],
    ['members', e.members ?? e.memberResults.length], ['combination', e.combination],
    ['scored on', `${e.examples} ${e.split} images`], ['ensemble accuracy', pct(e.accuracy)],
    ['best single member', pct(e.bestMemberAccuracy)],
    ['gain over the best member', e.gain == null ? '' : (e.gain >= 0 ? '+' : '') + pct(e.gain)],
    ['training budget', budget(e)],
    ['McNemar p (ensemble vs best member)', e.mcnemarP == null ? '' : fmtNumber(e.mcnemarP) + (e.mcnemarP < 0.05 ? ' (significant at 0.05)' : ' (not significant at 0.05)')]];
  document.getElementById('facts').replaceChildren(...facts.map(([k, v]) => el('tr', {}, el('td', {}, k), el('td', {}, v))));
}

/** Each member alone, then the ensemble, as bars; the y axis starts near the lowest so differences show. */
function membersOption(e) {
  const labels = [...e.memberResults.map((m) => m.label), 'ensemble'];
  const values = [...e.memberResults.map((m) => m.accuracy), e.accuracy];
  const low = Math.min(...values.filter((v) => v != null));
  return {
    grid: { left: 60, right: 20, top: 20, bottom: 90 },
    tooltip: { trigger: 'axis', formatter: (p) => escapeHtml(`${p[0].name}: ${pct(p[0].value)}`) },
    xAxis: { type: 'category', data: labels, axisLabel: { rotate: 30, fontSize: 10 } },
    yAxis: { type: 'value', min: Math.max(0, Math.floor((low - 0.02) * 100) / 100), max: 1, axisLabel: { formatter: pct } },
    series: [{ type: 'bar', data: values.map((v, i) => ({ value: v, itemStyle: { color: i === values.length - 1 ? BEST : ACCENT } })),
      label: { show: true, position: 'top', formatter: (p) => pct(p.value), fontSize: 10 } }],
  };
}

/**
 * Accuracy as members join, with the best member's accuracy as a dashed line: drawn as a series of its own, so it
 * sits at the exact value (a markLine rounds to 2 decimals: 74.90% showed at 75.00%).
 */
function byMembersOption(e) {
  const values = [...e.byMembers.map((b) => b.accuracy), e.bestMemberAccuracy].filter((v) => v != null);
  const last = Math.max(1, ...e.byMembers.map((b) => b.members));
  return {
    grid: { left: 60, right: 30, top: 20, bottom: 45 },
    tooltip: { trigger: 'axis', formatter: (p) => escapeHtml(`${p[0].value[0]} members: ${pct(p[0].value[1])}`) },
    xAxis: { type: 'value', name: e.type === 'snapshot' ? 'members (the newest m snapshots)' : 'members', nameLocation: 'middle',
      nameGap: 28, minInterval: 1, min: 1 },
    yAxis: { type: 'value', min: Math.floor((Math.min(...values) - 0.005) * 200) / 200,
      max: Math.ceil((Math.max(...values) + 0.005) * 200) / 200, axisLabel: { formatter: pct } },
    series: [{ name: 'ensemble', type: 'line', symbolSize: 8, itemStyle: { color: BEST }, data: e.byMembers.map((b) => [b.members, b.accuracy]) },
      ...(e.bestMemberAccuracy == null ? [] : [{ name: 'best member', type: 'line', symbol: 'none', silent: true,
        lineStyle: { type: 'dashed', color: ACCENT }, data: [[1, e.bestMemberAccuracy], [last, e.bestMemberAccuracy]],
        endLabel: { show: true, formatter: 'best member ' + pct(e.bestMemberAccuracy), fontSize: 10 } }])],
  };
}

/** The learning rate by iteration, a marked point where each snapshot was taken (after k * ceil(T/M) iterations). */
function lrOption(snapshot) {
  const points = snapshot.lr.step.map((s, i) => [s, snapshot.lr.value[i]]);
  const at = (iteration) => {
    let best = points[0];
    for (const p of points) if (Math.abs(p[0] - (iteration - 1)) < Math.abs(best[0] - (iteration - 1))) best = p;
    return best;
  };
  const marks = snapshot.points.map((iteration, k) => ({ value: [iteration - 1, at(iteration)[1]], name: `snapshot ${k + 1}` }));
  return {
    grid: { left: 70, right: 30, top: 30, bottom: 45 },
    tooltip: { trigger: 'item', formatter: (p) => escapeHtml(p.seriesName === 'snapshots'
      ? `${p.data.name} after ${p.data.value[0] + 1} iterations` : `iteration ${p.value[0]}: lr ${fmtNumber(p.value[1])}`) },
    xAxis: { type: 'value', name: 'iteration', nameLocation: 'middle', nameGap: 28, max: snapshot.iterations },
    yAxis: { type: 'value', name: 'lr', axisLabel: { formatter: fmtTick } },
    series: [
      { name: 'lr', type: 'line', showSymbol: false, data: points, lineStyle: { color: ACCENT, width: 1.5 },
        markLine: { symbol: 'none', silent: true, lineStyle: { type: 'dashed', color: '#bbb' }, label: { show: false },
          data: marks.map((m) => ({ xAxis: m.value[0] })) } },
      { name: 'snapshots', type: 'scatter', symbol: 'pin', symbolSize: 26, itemStyle: { color: BEST }, z: 10,
        label: { show: true, formatter: (p) => 'S' + (p.dataIndex + 1), color: '#fff', fontSize: 9 }, data: marks },
    ],
  };
}

function renderMembers(e) {
  const head = el('tr', {}, el('th', { class: 'num' }, '#'), el('th', {}, 'Member'), el('th', { class: 'num' }, 'Accuracy alone'),
    el('th', { class: 'num' }, 'Ensemble of the first m'));
  const rows = e.memberResults.map((m, i) => el('tr', { 'data-member': m.position },
    el('td', { class: 'num' }, m.position), el('td', { title: m.sha256 ? 'SHA-256 ' + m.sha256 : '' },
      m.artifact ?? el('a', { href: '/run.html?id=' + encodeURIComponent(m.runId) }, m.label || m.runId)), el('td', { class: 'num' }, pct(m.accuracy)),
    el('td', { class: 'num' }, pct(e.byMembers[i]?.accuracy))));
  document.getElementById('members').replaceChildren(el('thead', {}, head), el('tbody', {}, rows));
}

async function showEnsemble() {
  document.getElementById('ensemble-view').hidden = false;
  const e = await getJson('/api/ensembles/' + encodeURIComponent(ensembleId));
  document.title = `${e.name} · Ensemble · CNN Workbench`;
  setText('title', 'Ensemble ' + e.name);
  setText('subtitle', `(${e.type}, ${e.memberResults.length} members)`);
  renderFacts(e);
  drawChart(document.getElementById('members-chart'), membersOption(e), { members: e.memberResults.length });
  drawChart(document.getElementById('by-members-chart'), byMembersOption(e),
    { points: e.byMembers.length, bestMemberLine: e.bestMemberAccuracy ?? '' });
  const card = document.getElementById('lr-card');
  card.hidden = !e.snapshot;
  if (e.snapshot) {
    setText('lr-note', `(run ${e.snapshot.runId}: ${e.snapshot.points.length} snapshots over ${e.snapshot.iterations} iterations)`);
    drawChart(document.getElementById('lr-chart'), lrOption(e.snapshot),
      { snapshots: e.snapshot.points.length, points: e.snapshot.lr.step.length });
  }
  renderMembers(e);
}

async function main() {
  try {
    if (compareIds.length) await showCompare(); else if (ensembleId) await showEnsemble(); else await showList();
  } catch (err) {
    showError((ensembleId ? 'Cannot load the ensemble: ' : 'Cannot load the ensembles: ') + err.message);
  }
  markReady();
}

main();
