// A line chart of several curves on one x axis, drawn by uPlot (from its WebJar).
import uPlot from '/webjars/uplot/dist/uPlot.esm.js';
import { alignOnGrid } from './series.js';

/** Several curves with more points than this together share a grid of this many x positions (see alignOnGrid). */
const GRID = 4000;

const X_LABELS = { step: 'step', epoch: 'epoch', time: 'wall time (s)' };

/**
 * chart = new CurveChart(container, {xMode, log, height});
 * chart.update([{label, color, x: [...], y: [...]}, ...]) redraws; cheap when the curves keep their
 * count and labels (data only), otherwise the plot is rebuilt. The container carries
 * data-series (curve count) and data-points (total points) for tests and benchmarks.
 */
export class CurveChart {
  constructor(container, { xMode = 'step', log = false, height = 280 } = {}) {
    this.container = container;
    this.xMode = xMode;
    this.log = log;
    this.height = height;
    this.plot = null;
    this.shape = '';
    this.curves = [];
    this.note = document.createElement('p');
    this.note.className = 'notice';
    this.note.textContent = 'No values yet.';
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

  update(curves) {
    this.curves = curves;
    const ys = curves.map((c) => (this.log ? c.y.map((v) => (v != null && v > 0 ? v : null)) : c.y));
    const total = curves.reduce((n, c) => n + c.x.length, 0);
    const data = curves.length > 1 && total > GRID ? alignOnGrid(curves.map((c, i) => ({ x: c.x, y: ys[i] })), GRID)
      : null;
    const table = data ?? (curves.length ? uPlot.join(curves.map((c, i) => [c.x, ys[i]])) : [[]]);
    const shape = JSON.stringify([this.xMode, this.log, curves.map((c) => [c.label, c.color])]);
    if (this.plot && shape === this.shape) {
      this.plot.setData(table);
    } else {
      if (this.plot) this.plot.destroy();
      this.plot = new uPlot(this.options(curves), table, this.container);
      this.shape = shape;
    }
    this.note.hidden = curves.length > 0;
    this.plot.root.hidden = curves.length === 0;
    this.container.dataset.series = String(curves.length);
    this.container.dataset.points = String(curves.reduce((n, c) => n + c.x.length, 0));
  }

  options(curves) {
    return {
      width: this.width(),
      height: this.height,
      scales: { x: { time: false }, y: this.log ? { distr: 3 } : {} },
      axes: [{ label: X_LABELS[this.xMode] || this.xMode }, { size: 60 }],
      cursor: { drag: { x: true, y: false } },
      series: [
        { label: X_LABELS[this.xMode] || this.xMode },
        ...curves.map((c) => ({
          label: c.label,
          stroke: c.color,
          width: c.width || 1.5,
          dash: c.dash,
          spanGaps: false,
        })),
      ],
    };
  }
}
