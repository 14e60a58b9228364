// Small DOM and formatting helpers. Text always goes in as text, never as HTML.

export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value == null || value === false) continue;
    if (key === 'class') node.className = value;
    else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? '' : value);
  }
  for (const child of children.flat()) {
    if (child == null) continue;
    node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

export function statusBadge(status) {
  return el('span', { class: 'status ' + status, 'data-status': status }, status);
}

export function fmtNumber(v) {
  if (v == null) return '';
  if (typeof v !== 'number') return String(v);
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e5 || a < 1e-3) return v.toExponential(3);
  return Number(v.toPrecision(4)).toString();
}

export function fmtTime(ms) {
  return ms == null ? '' : new Date(ms).toLocaleString();
}

export function fmtDuration(start, end) {
  if (start == null) return '';
  let s = Math.max(0, Math.round(((end ?? Date.now()) - start) / 1000));
  const h = Math.floor(s / 3600); s -= h * 3600;
  const m = Math.floor(s / 60); s -= m * 60;
  return h ? `${h}h ${m}m` : m ? `${m}m ${s}s` : `${s}s`;
}

export function setText(id, text) {
  document.getElementById(id).textContent = text;
}

/** Ten colours that stay apart from each other (Tableau 10). */
export const PALETTE = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f',
  '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac'];

/**
 * Says the page has drawn what it loaded: body[data-ready] for tests, and a 'page-ready' performance mark (the
 * first one only) for the benchmark, in milliseconds since navigation started.
 */
export function markReady() {
  // two frames: the first runs before the browser paints what was just drawn, the second after
  requestAnimationFrame(() => requestAnimationFrame(() => {
    if (!performance.getEntriesByName('page-ready').length) performance.mark('page-ready');
    document.body.dataset.ready = 'true';
  }));
}

/** Shows `message` in the page's #error box, or hides it when empty. */
export function showError(message, id = 'error') {
  const box = document.getElementById(id);
  box.textContent = message || '';
  box.hidden = !message;
}

/** Text made safe for the few places that take HTML (chart tooltips). */
export function escapeHtml(text) {
  return String(text).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
}

/** A short axis label: 0.001, 0.25, 1e-4, 2.5e-5, 1.2e+6. */
export function fmtTick(v) {
  if (typeof v !== 'number' || !Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  if (v === 0 || (a >= 1e-3 && a < 1e5)) return String(Number(v.toPrecision(4)));
  return Number(v.toPrecision(3)).toExponential();
}
