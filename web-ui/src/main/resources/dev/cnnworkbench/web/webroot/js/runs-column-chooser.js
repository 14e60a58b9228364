// The runs table's column chooser: which fixed columns show and which params/metrics columns were added, remembered
// per browser (localStorage), so the table keeps its shape from visit to visit. An address with cols= wins.
import { el } from './dom.js';
import { FIXED, TRAILING } from './runs-columns.js';

const HIDDEN_KEY = 'workbench.runs.hidden';
const COLS_KEY = 'workbench.runs.cols';
/** Columns that always show: the selection box and the name (it stays in view while scrolling sideways). */
const ALWAYS = new Set(['select', 'name']);

function read(key) {
  try {
    const value = JSON.parse(localStorage.getItem(key));
    return Array.isArray(value) ? value.filter((v) => typeof v === 'string') : null;
  } catch {
    return null;
  }
}

function write(key, value) {
  try {
    localStorage.setItem(key, JSON.stringify(value));
  } catch {
    // storage full or refused (private window): the choice lasts for this page only
  }
}

/** The keys of the fixed columns this browser hides. */
export function hiddenColumns() {
  return new Set(read(HIDDEN_KEY) ?? []);
}

/** The params./metrics. columns this browser chose last, or null when it never chose. */
export function rememberedColumns() {
  return read(COLS_KEY);
}

export function rememberColumns(cols) {
  write(COLS_KEY, cols);
}

/** Renders the chooser (a checkbox per fixed column, data-col=KEY) into `box`; `onChange()` after each toggle. */
export function renderColumnChooser(box, onChange) {
  const hidden = hiddenColumns();
  const boxes = [...FIXED, ...TRAILING].filter((c) => !ALWAYS.has(c.key)).map((c) => {
    const input = el('input', { type: 'checkbox', 'data-col': c.key });
    input.checked = !hidden.has(c.key);
    input.addEventListener('change', () => {
      if (input.checked) hidden.delete(c.key); else hidden.add(c.key);
      write(HIDDEN_KEY, [...hidden]);
      onChange();
    });
    return el('label', {}, input, ' ' + c.label);
  });
  box.replaceChildren(el('summary', {}, 'Columns'), el('div', { class: 'choices' }, boxes),
    el('p', { class: 'muted' }, 'Add params./metrics. columns below the table; this browser remembers the choice.'));
}
