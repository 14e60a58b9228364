// The chart controls the run and compare pages share: x axis (step / epoch / relative time), smoothing and log
// scale, read from and kept in the page's address (x=, smooth=, log=1) so a view can be linked.
import { el } from './dom.js';
import { X_LABELS } from './chart.js';

/** The controls in the address `query` (URLSearchParams): {xMode, smoothing, log}. */
export function readControls(query) {
  const xMode = query.get('x');
  const smoothing = Number(query.get('smooth') || 0);
  return {
    xMode: xMode in X_LABELS ? xMode : 'step',
    smoothing: smoothing >= 0 && smoothing < 1 ? smoothing : 0,
    log: query.get('log') === '1',
  };
}

/** Writes `controls` into `query`, leaving out the defaults. */
export function writeControls(query, controls) {
  query.set('x', controls.xMode);
  if (controls.smoothing) query.set('smooth', String(controls.smoothing)); else query.delete('smooth');
  if (controls.log) query.set('log', '1'); else query.delete('log');
}

/** Replaces the address's controls with `controls`, keeping its other parameters. */
export function saveControls(controls) {
  const query = new URLSearchParams(location.search);
  writeControls(query, controls);
  history.replaceState(null, '', '?' + query.toString());
}

/**
 * Renders the controls into `toolbar` (appended) with ids x-mode, smoothing, smoothing-value and log; each change
 * updates `controls` in place, saves the address and calls `onChange()`.
 */
export function renderControls(toolbar, controls, onChange) {
  const xMode = el('select', { id: 'x-mode' }, Object.entries(X_LABELS).map(([v, label]) => el('option', { value: v }, label)));
  xMode.value = controls.xMode;
  const smoothing = el('input', { type: 'range', id: 'smoothing', min: 0, max: 0.99, step: 0.01, value: controls.smoothing });
  const shown = el('output', { id: 'smoothing-value' }, String(controls.smoothing));
  const log = el('input', { type: 'checkbox', id: 'log' });
  log.checked = controls.log;
  const changed = () => { saveControls(controls); onChange(); };
  xMode.addEventListener('change', () => { controls.xMode = xMode.value; changed(); });
  smoothing.addEventListener('input', () => {
    controls.smoothing = Number(smoothing.value);
    shown.textContent = smoothing.value;
    changed();
  });
  log.addEventListener('change', () => { controls.log = log.checked; changed(); });
  toolbar.append(el('label', {}, 'X axis ', xMode), el('label', {}, 'Smoothing ', smoothing, shown),
    el('label', {}, log, ' log scale'));
}
