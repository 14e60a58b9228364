// The run page's per-layer diagnostics: metrics named KIND/LAYER (update_ratio/conv1, grad_norm/conv1, ...), one
// chart per kind with a curve per layer, update ratios on a log axis with the notes' 1e-3 target marked, and a
// table of the latest value of each kind for each layer.
import { el, fmtNumber, PALETTE } from './dom.js';
import { CurveChart } from './chart.js';
import { smooth, xValues } from './series.js';

export const KINDS = [
  { kind: 'update_ratio', title: 'Update / weight ratio', unit: '|update| / |weights|', log: true, target: 1e-3 },
  { kind: 'grad_norm', title: 'Gradient norm', unit: 'L2 norm', log: true },
  { kind: 'weight_norm', title: 'Weight norm', unit: 'L2 norm' },
  { kind: 'act_mean', title: 'Activation mean', unit: 'mean activation' },
  { kind: 'act_std', title: 'Activation std', unit: 'std of activations' },
  { kind: 'act_zero_frac', title: 'Activations at zero', unit: 'fraction at zero', unitRange: true },
];
/** An update ratio outside this band is flagged (the notes: about 1e-3 is healthy). */
const HEALTHY = [1e-4, 1e-2];
const PATTERN = new RegExp('^(' + KINDS.map((k) => k.kind).join('|') + ')/(.+)$');

/** {kind: {layer: name}} of the diagnostic metrics among `names`. */
export function diagnosticNames(names) {
  const out = {};
  for (const name of names) {
    const m = PATTERN.exec(name);
    if (m) (out[m[1]] ??= {})[m[2]] = name;
  }
  return out;
}

export class Diagnostics {
  constructor(section) {
    this.section = section;
    this.charts = {};
  }

  /**
   * Redraws from the run's series (a Map of metric name to columns) with the page's x axis and smoothing
   * (`controls`: {xMode, smoothing}, `origin`: the run's start for relative time); hidden while none is diagnostic.
   */
  update(series, controls = { xMode: 'step', smoothing: 0 }, origin = undefined) {
    const found = diagnosticNames(series.keys());
    const kinds = KINDS.filter((k) => found[k.kind]);
    this.section.hidden = kinds.length === 0;
    if (!kinds.length) return;
    const layers = [...new Set(kinds.flatMap((k) => Object.keys(found[k.kind])))].sort();
    for (const k of kinds) {
      const curves = layers.filter((layer) => found[k.kind][layer]).map((layer) => {
        const s = series.get(found[k.kind][layer]);
        return { label: layer, color: PALETTE[layers.indexOf(layer) % PALETTE.length], x: xValues(s, controls.xMode, origin),
          y: smooth(s.value, controls.smoothing) };
      });
      if (k.target && curves.length) {
        const x = [...new Set(curves.flatMap((c) => [c.x[0], c.x[c.x.length - 1]]))].filter((v) => v != null).sort((a, b) => a - b);
        curves.push({ label: 'target ' + k.target.toExponential(0), color: '#1d2330', dash: [6, 4], width: 1, x, y: x.map(() => k.target) });
      }
      const chart = this.chart(k);
      chart.setOptions({ xMode: controls.xMode });
      chart.update(curves);
    }
    this.renderTable(kinds, layers, found, series);
  }

  chart(k) {
    if (!this.charts[k.kind]) {
      const box = el('div', { id: 'diag-' + k.kind, 'data-kind': k.kind, 'data-log': k.log ? 'true' : 'false' });
      const title = k.title + (k.log ? ' (log scale' + (k.target ? `; target ${k.target.toExponential(0)})` : ')') : '');
      this.section.querySelector('.charts').append(el('div', { class: 'card chart' }, box));
      this.charts[k.kind] = new CurveChart(box, { title, yLabel: k.unit, unitRange: k.unitRange, log: Boolean(k.log), height: 240 });
    }
    return this.charts[k.kind];
  }

  renderTable(kinds, layers, found, series) {
    const latest = (name) => {
      const s = name && series.get(name);
      return s && s.value.length ? s.value[s.value.length - 1] : null;
    };
    const head = el('tr', {}, el('th', {}, 'layer'), ...kinds.map((k) => el('th', { class: 'num' }, k.kind)));
    const rows = layers.map((layer) => el('tr', { 'data-layer': layer }, el('td', {}, layer), ...kinds.map((k) => {
      const v = latest(found[k.kind][layer]);
      const off = k.kind === 'update_ratio' && v != null && (v < HEALTHY[0] || v > HEALTHY[1]);
      return el('td', { class: off ? 'num off-target' : 'num', title: off ? 'far from the 1e-3 target' : null }, fmtNumber(v));
    })));
    this.section.querySelector('#diag-table').replaceChildren(el('thead', {}, head), el('tbody', {}, rows));
  }
}
