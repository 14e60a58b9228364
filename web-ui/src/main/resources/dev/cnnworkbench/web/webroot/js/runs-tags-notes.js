// Inline editors for a run's tags and notes in the runs table; each change is saved at once through the API.
import { sendJson } from './api.js';
import { el } from './dom.js';

const runUrl = (id) => '/api/runs/' + encodeURIComponent(id);

/**
 * The tags cell: a chip per tag with a remove button, and "+" which opens an input (Enter adds, comma-separated
 * for several; Escape cancels). `ctx`: {onSaved(run), onError(message), editing(bool)}.
 */
export function tagsCell(run, ctx) {
  const cell = el('span', { class: 'tags', 'data-tags': run.id });
  const chips = (run.tags || []).map((tag) => el('span', { class: 'tag', 'data-tag': tag }, tag,
    el('button', {
      class: 'chip-x', title: 'remove tag ' + tag, 'aria-label': 'remove tag ' + tag,
      onclick: () => save(ctx, () => sendJson('DELETE', runUrl(run.id) + '/tags/' + encodeURIComponent(tag))),
    }, '×')));
  const add = el('button', { class: 'chip-add', title: 'add a tag', 'aria-label': 'add a tag to ' + run.name }, '+');
  add.addEventListener('click', () => {
    const input = el('input', { class: 'inline-edit', size: 12, placeholder: 'tag, tag', 'aria-label': 'new tags' });
    ctx.editing(true);
    const done = () => { ctx.editing(false); input.replaceWith(add); };
    input.addEventListener('keydown', (e) => {
      if (e.key === 'Escape') done();
      if (e.key !== 'Enter') return;
      const tags = input.value.split(',').map((t) => t.trim()).filter(Boolean);
      ctx.editing(false);
      if (!tags.length) { done(); return; }
      save(ctx, () => sendJson('POST', runUrl(run.id) + '/tags', { tags }));
    });
    input.addEventListener('blur', () => { if (input.isConnected) done(); });
    add.replaceWith(input);
    input.focus();
  });
  cell.append(...chips, add);
  return cell;
}

/** The notes cell: the text (or a prompt); a click edits it in place (Enter or leaving saves, Escape cancels). */
export function notesCell(run, ctx) {
  const text = el('span', { class: run.notes ? 'notes' : 'notes muted', 'data-notes': run.id, tabindex: 0,
    title: 'click to edit the notes' }, run.notes || 'add a note');
  const edit = () => {
    const input = el('input', { class: 'inline-edit', size: 28, 'aria-label': 'notes of ' + run.name });
    input.value = run.notes || '';
    ctx.editing(true);
    let finished = false;
    const finish = (saveIt) => {
      if (finished) return;
      finished = true;
      ctx.editing(false);
      if (saveIt && input.value !== (run.notes || '')) {
        save(ctx, () => sendJson('PATCH', runUrl(run.id), { notes: input.value }));
      } else {
        input.replaceWith(text);
      }
    };
    input.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') finish(true);
      if (e.key === 'Escape') finish(false);
    });
    input.addEventListener('blur', () => finish(true));
    text.replaceWith(input);
    input.focus();
  };
  text.addEventListener('click', edit);
  text.addEventListener('keydown', (e) => { if (e.key === 'Enter') edit(); });
  return text;
}

async function save(ctx, request) {
  try {
    ctx.onSaved(await request());
  } catch (e) {
    ctx.onError('Cannot save: ' + e.message + (e.body && e.body.path ? ` (${e.body.path})` : ''));
  }
}
