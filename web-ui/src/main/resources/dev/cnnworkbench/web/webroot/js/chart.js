// A titled line chart of several curves on one x axis, drawn by uPlot (from its WebJar): axes titled with their
// units, ticks formatted for their spacing, markers on sparse curves, exact values at the cursor in the legend.
import uPlot from '/webjars/uplot/dist/uPlot.esm.js';
import { el, fmtTick } from './dom.js';
import { alignOnGrid } from './series.js';

/**
 * Several curves with more points than this together share a grid of x positions (see alignOnGrid): this many,
 * or two per pixel of the chart's width when that is fewer (a narrow panel of a grid draws fewer columns).
 */
const GRID = 4000;
/** A curve with at most this many points, or ten times fewer than the densest, gets a marker on each point. */
const SPARSE = 60;

export const X_LABELS = { step: 'step', epoch: 'epoch', time: 'relative time (s)' };

/**
 * The y axis of a metric, from its name: {label: the title with its unit, unitRange: true when the values are a
 * fraction in [0, 1] (accuracies), so the axis ends at 1}.
 */
export function axisFor(name) {
  if (/accuracy/.test(name)) return { label: 'accuracy (fraction)', unitRange: true };
  if (/_frac$|fraction/.test(name)) return { label: 'fraction', unitRange: true };
  if (/loss$/.test(name)) return { label: 'loss' };
  if (name === 'lr' || name.endsWith('_lr') || name === 'learning_rate') return { label: 'learning rate' };
  if (name === 'system/cpu_percent') return { label: '% of one core' };
  if (name.endsWith('_mb')) return { label: 'MiB' };
  if (name.endsWith('_ms')) return { label: 'ms' };
  return { label: name };
}

/** The smallest number of decimals (0 to 10) that writes `step` exactly enough to tell ticks `step` apart. */
function decimalsFor(step) {
  for (let d = Math.max(0, -Math.floor(Math.log10(step))); d < 10; d++) {
    const scaled = step * 10 ** d;
    if (Math.abs(scaled - Math.round(scaled)) < 1e-6 * Math.max(1, scaled)) return d;
  }
  return 10;
}

/**
 * Tick labels for evenly spaced ticks, chosen from their spacing so that no two read the same: fixed decimals
 * (0.0005, 0.0010, 0.0015) while the largest tick is within [1e-3, 1e5), else exponents with as many digits of
 * mantissa as the spacing needs (1.5e-4, 2.0e-4). On a log axis (powers of ten) each tick is written alone.
 */
export function tickLabels(ticks, log = false) {
  const finite = ticks.filter((v) => typeof v === 'number' && Number.isFinite(v));
  if (log || finite.length < 2) return ticks.map(fmtTick);
  const step = Math.abs(finite[1] - finite[0]);
  const biggest = Math.max(...finite.map(Math.abs));
  if (!(step > 0) || !(biggest > 0)) return ticks.map(fmtTick);
  if (biggest >= 1e5 || biggest < 1e-3) {
    const digits = Math.min(6, Math.max(0, Math.floor(Math.log10(biggest)) - Math.floor(Math.log10(step))
      + (decimalsFor(step / 10 ** Math.floor(Math.log10(step))))));
    return ticks.map((v) => (v === 0 ? '0' : v.toExponential(digits)));
  }
  const decimals = decimalsFor(step);
  return ticks.map((v) => (Number.isFinite(v) ? v.toFixed(decimals) : String(v)));
}

/** A value at the cursor, exact to six significant digits. */
export function exact(v) {
  if (v == null || !Number.isFinite(v)) return '—';
  return String(Number(v.toPrecision(6)));
}

/**
 * chart = new CurveChart(container, {title, yLabel, unitRange, xMode, log, height, onZoom});
 * chart.update([{label, color, x: [...], y: [...]}, ...], {keepZoom}) redraws; cheap when the curves keep their
 * count, labels and density (data only), otherwise the plot is rebuilt; keepZoom keeps the x range shown. The
 * container carries data-series (curve count) and data-points (total points) for tests and benchmarks.
 * onZoom(min, max) is called once a person has zoomed the x axis (dragged across the plot) into part of the data's
 * range, and onZoom(null, null) when the whole range shows again.
 */
export class CurveChart {
  constructor(container, { title = '', yLabel = '', unitRange = false, xMode = 'step', log = false, height = 280,
    onZoom = null } = {}) {
    this.onZoom = onZoom;
    this.zoomTimer = null;
    this.container = container;
    container.chart = this; // for tests: the plot's scales and axes
    this.yLabel = yLabel;
    this.unitRange = unitRange;
    this.xMode = xMode;
    this.log = log;
    this.height = height;
    this.plot = null;
    this.shape = '';
    this.curves = [];
    if (title) container.before(el('h3', { class: 'chart-title' }, title));
    this.note = el('p', { class: 'notice' }, 'No values yet.');
    container.append(this.note);
    this.resizeObserver = new ResizeObserver(() => {
      // it also fires once when observing starts: redraw only when the width really changed
      if (this.plot && this.width() !== this.plot.width) this.plot.setSize({ width: this.width(), height: this.height });
    });
    this.resizeObserver.observe(container);
  }

  width() {
    return Math.max(300, this.container.clientWidth - 4);
  }

  /** Changes the x axis or the y scale; takes effect at the next update(). */
  setOptions({ xMode, log }) {
    if (xMode !== undefined) this.xMode = xMode;
    if (log !== undefined) this.log = log;
  }

  update(curves, { keepZoom = false } = {}) {
    this.curves = curves;
    const ys = curves.map((c) => (this.log ? c.y.map((v) => (v != null && v > 0 ? v : null)) : c.y));
    const total = curves.reduce((n, c) => n + c.x.length, 0);
    const densest = curves.reduce((n, c) => Math.max(n, c.x.length), 0);
    const sparse = curves.map((c) => c.x.length <= SPARSE || c.x.length * 10 <= densest);
    const columns = Math.min(GRID, 2 * this.width());
    const data = curves.length > 1 && total > columns
      ? alignOnGrid(curves.map((c, i) => ({ x: c.x, y: ys[i] })), columns) : null;
    const table = data ?? (curves.length ? uPlot.join(curves.map((c, i) => [c.x, ys[i]])) : [[]]);
    const shape = JSON.stringify([this.xMode, this.log, curves.map((c, i) => [c.label, c.color, sparse[i]])]);
    if (this.plot && shape === this.shape) {
      if (keepZoom) {
        const { min, max } = this.plot.scales.x;
        this.quiet = true; // the person's zoom, kept: not a new zoom
        this.plot.setData(table, false);
        this.plot.setScale('x', { min, max });
        this.quiet = false;
      } else {
        this.plot.setData(table);
      }
    } else {
      if (this.plot) this.plot.destroy();
      this.plot = new uPlot(this.options(curves, sparse), table, this.container);
      this.shape = shape;
    }
    this.note.hidden = curves.length > 0;
    this.plot.root.hidden = curves.length === 0;
    this.container.dataset.series = String(curves.length);
    this.container.dataset.points = String(total);
    this.container.dataset.sparse = String(sparse.filter(Boolean).length);
  }

  /** After the x scale changed: tells onZoom (once the person stops) whether part or all of the data shows. */
  scaled(u) {
    if (!this.onZoom || this.quiet) return;
    const xs = u.data[0];
    if (!xs || xs.length < 2) return;
    const { min, max } = u.scales.x;
    const span = xs[xs.length - 1] - xs[0];
    const part = min > xs[0] + span * 1e-6 || max < xs[xs.length - 1] - span * 1e-6;
    clearTimeout(this.zoomTimer);
    this.zoomTimer = setTimeout(() => (part ? this.onZoom(min, max) : this.onZoom(null, null)), 150);
  }

  options(curves, sparse) {
    const xLabel = X_LABELS[this.xMode] || this.xMode;
    const log = this.log;
    const unitRange = this.unitRange && !log;
    return {
      width: this.width(),
      height: this.height,
      scales: {
        x: { time: false },
        // a fraction's axis ends at 1 (and starts at a tenth below the lowest value), never at 1.5
        y: log ? { distr: 3 } : unitRange
          ? { range: (u, min, max) => (max <= 1 && min >= 0 ? [Math.floor(min * 10) / 10, 1] : [min, max]) } : {},
      },
      axes: [
        { label: xLabel, values: (u, ticks) => tickLabels(ticks) },
        { label: this.yLabel, size: 64, values: (u, ticks) => tickLabels(ticks, log) },
      ],
      cursor: { drag: { x: true, y: false } },
      hooks: { setScale: [(u, key) => { if (key === 'x') this.scaled(u); }] },
      legend: { live: true },
      series: [
        { label: xLabel, value: (u, v) => (v == null ? '—' : this.xMode === 'step' ? String(Math.round(v)) : exact(v)) },
        ...curves.map((c, i) => ({
          label: c.label,
          stroke: c.color,
          width: c.width || 1.5,
          dash: c.dash,
          // a sparse curve (one value per epoch among per-step ones) is joined across the others' steps, and marked
          spanGaps: sparse[i],
          points: sparse[i] ? { show: true, size: 7, fill: c.color } : { show: false },
          value: (u, v) => exact(v),
        })),
      ],
    };
  }
}
