// The runs page's "Workers" section: the machines that joined this hub (./workbench worker --join), refreshed every
// few seconds from GET /api/workers. Hidden while no worker has joined.
import { getJson } from './api.js';
import { el } from './dom.js';

const REFRESH_MS = 3000;

function row(w) {
  const runs = w.runs.length === 0 ? el('span', { class: 'muted' }, 'idle')
    : w.runs.map((id, i) => [i > 0 ? ', ' : '', el('a', { href: `/run.html?id=${encodeURIComponent(id)}` }, id)]);
  return el('tr', { 'data-worker': w.id },
    el('td', {}, w.host), el('td', {}, w.id), el('td', { class: 'num' }, String(w.threads)), el('td', {}, runs),
    el('td', { title: w.last_heartbeat }, `${w.seconds_since_heartbeat.toFixed(1)} s ago`));
}

async function refresh() {
  const section = document.getElementById('workers');
  try {
    const answer = await getJson('/api/workers');
    section.hidden = answer.workers.length === 0 && answer.queued === 0;
    document.getElementById('workers-body').replaceChildren(...answer.workers.map(row));
    document.getElementById('workers-queued').textContent =
      answer.queued > 0 ? `${answer.queued} job(s) wait for a free worker` : '';
  } catch (e) {
    section.hidden = true;
  }
}

refresh();
setInterval(refresh, REFRESH_MS);
