// "Run again with edited values": the run's resolved spec in an editable text box; submitting it starts a new run
// (POST /api/runs) and opens its page. A spec the server refuses shows each problem with its JSON path.
import { sendJson } from './api.js';
import { el } from './dom.js';

const form = document.getElementById('rerun');
const text = document.getElementById('rerun-spec');
const box = document.getElementById('rerun-error');
let original = null;

function specText(spec) {
  return typeof spec === 'string' ? spec : JSON.stringify(spec, null, 2);
}

function showErrors(message, errors) {
  document.getElementById('rerun-message').textContent = message;
  document.getElementById('rerun-errors').replaceChildren(...(errors ?? []).map((e) =>
    el('li', { 'data-path': e.path ?? '' },
      el('span', { class: 'path' }, e.path ?? '(the whole spec)'), ': ', el('span', { class: 'message' }, e.message))));
  box.hidden = false;
}

async function submit(event) {
  event.preventDefault();
  const button = document.getElementById('rerun-submit');
  button.disabled = true;
  box.hidden = true;
  try {
    const started = await sendJson('POST', '/api/runs', text.value);
    location.href = started.url;
  } catch (e) {
    const errors = e.body && e.body.errors;
    showErrors(errors ? 'The spec was not started: fix these and submit again.' : 'Cannot start the run: ' + e.message,
      errors);
  } finally {
    button.disabled = false;
  }
}

/** Shows `run`'s spec in the box the first time only: a reload of the run keeps what the person has typed. */
export function offerRerun(run) {
  if (original !== null || run.spec == null) return;
  original = specText(run.spec);
  text.value = original;
  document.getElementById('rerun-section').hidden = false;
}

form.addEventListener('submit', submit);
document.getElementById('rerun-reset').addEventListener('click', () => {
  text.value = original ?? '';
  box.hidden = true;
});
