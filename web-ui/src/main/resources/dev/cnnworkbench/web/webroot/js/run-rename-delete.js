// Renaming and deleting a run from its page; only its owner or an admin may (the buttons say so, the server decides).
import { sendJson } from './api.js';
import { mayChange } from './session.js';

const error = document.getElementById('edit-error');
let current = null;

function fail(e) {
  error.textContent = e.message;
  error.hidden = false;
}

async function rename(event) {
  event.preventDefault();
  error.hidden = true;
  try {
    const run = await sendJson('PUT', `/api/runs/${encodeURIComponent(current.id)}/name`,
      { name: document.getElementById('rename-input').value });
    current.name = run.name;
    document.getElementById('run-name').textContent = run.name;
    document.title = `${run.name} · CNN Workbench`;
  } catch (e) {
    fail(e);
  }
}

async function remove() {
  error.hidden = true;
  if (!confirm(`Delete run "${current.name}" with its metrics and files? This cannot be undone.`)) return;
  try {
    await sendJson('DELETE', `/api/runs/${encodeURIComponent(current.id)}`);
    location.href = '/';
  } catch (e) {
    fail(e);
  }
}

/** Offers renaming and deleting `run`, enabled when the person may change it. */
export async function offerEdits(run) {
  const first = current === null;
  current = run;
  const allowed = await mayChange(run.user);
  const input = document.getElementById('rename-input');
  if (first) input.value = run.name;
  for (const id of ['rename-input', 'rename', 'delete']) {
    const node = document.getElementById(id);
    node.disabled = !allowed;
    node.title = allowed ? '' : `only ${run.user ?? 'its owner'} or an admin may change this run`;
  }
  document.getElementById('delete').disabled = !allowed || run.status === 'RUNNING';
  document.getElementById('run-edit').hidden = false;
}

/** Shows Rename and Delete disabled, saying why: the page has no run to change (an unknown or missing id). */
export function refuseEdits(reason) {
  for (const id of ['rename-input', 'rename', 'delete']) {
    const node = document.getElementById(id);
    node.disabled = true;
    node.title = reason;
  }
  document.getElementById('run-edit').hidden = false;
}

document.getElementById('run-edit').addEventListener('submit', rename);
document.getElementById('delete').addEventListener('click', remove);
