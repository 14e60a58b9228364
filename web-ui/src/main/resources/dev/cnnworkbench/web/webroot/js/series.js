// Metric series as the API sends them: columns {step, epoch, time, value} (epoch and time only when asked for).
// Pure functions.

export function emptySeries() {
  return { step: [], epoch: [], time: [], value: [] };
}

/**
 * Appends the points of `more` that come after the last step of `series`; returns how many. A series loaded without
 * its epoch or time column (a chart drawn against steps asks for step and value only) stays without it.
 */
export function appendAfter(series, more) {
  const last = series.step.length ? series.step[series.step.length - 1] : -Infinity;
  const columns = ['step', 'epoch', 'time', 'value'].filter((c) => series[c] && more[c]);
  let added = 0;
  for (let i = 0; i < more.step.length; i++) {
    if (more.step[i] > last) {
      for (const c of columns) series[c].push(more[c][i]);
      added++;
    }
  }
  return added;
}

/** The optional columns (epoch, time) a chart needs for the x axis `mode`, as the API's `fields` parameter. */
export function fieldsFor(mode) {
  return mode === 'epoch' ? 'step,epoch,value' : mode === 'time' ? 'step,time,value' : 'step,value';
}

/** Whether `series` carries what the x axis `mode` needs. */
export function hasColumnsFor(series, mode) {
  return mode === 'step' || Boolean(series[mode]);
}

/**
 * `base` with the points of `detail` in place of its own from detail's first step to its last: a zoomed chart's
 * finer points spliced into the overview, so zooming out again still shows the whole curve. Columns as `base`'s.
 */
export function spliceDetail(base, detail) {
  if (!detail.step.length) return base;
  const lo = detail.step[0];
  const hi = detail.step[detail.step.length - 1];
  const before = base.step.findIndex((s) => s >= lo);
  const start = before < 0 ? base.step.length : before;
  let end = start;
  while (end < base.step.length && base.step[end] <= hi) end++;
  const out = {};
  for (const c of Object.keys(base)) {
    if (!Array.isArray(base[c])) continue;
    out[c] = [...base[c].slice(0, start), ...(detail[c] || []), ...base[c].slice(end)];
  }
  return out;
}

/**
 * The x values of a series. mode: 'step'; 'epoch' (fractional: the points of epoch e are spread
 * over (e, e + 1], so one point per epoch, a validation score, sits at e + 1); 'time' (seconds since
 * `origin`, epoch milliseconds, default the first point).
 */
export function xValues(series, mode, origin) {
  if (mode === 'time') {
    const t0 = origin ?? (series.time.length ? series.time[0] : 0);
    return series.time.map((t) => (t - t0) / 1000);
  }
  if (mode === 'epoch') {
    const first = new Map();
    const last = new Map();
    series.epoch.forEach((e, i) => {
      const s = series.step[i];
      if (!first.has(e) || s < first.get(e)) first.set(e, s);
      if (!last.has(e) || s > last.get(e)) last.set(e, s);
    });
    return series.step.map((s, i) => {
      const e = series.epoch[i];
      return e + (s - first.get(e) + 1) / (last.get(e) - first.get(e) + 1);
    });
  }
  return series.step.slice();
}

/** Exponential moving average with the start-up bias removed (as TensorBoard smooths); gaps stay gaps. */
export function smooth(values, weight) {
  if (!weight) return values.slice();
  const out = new Array(values.length);
  let acc = 0;
  let n = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v == null || !Number.isFinite(v)) { out[i] = null; continue; }
    acc = acc * weight + (1 - weight) * v;
    n++;
    out[i] = acc / (1 - Math.pow(weight, n));
  }
  return out;
}

/**
 * Several curves as one uPlot table [xs, ys1, ys2, ...] on a shared grid of at most `columns` x positions over
 * their whole x range (each point moves to its grid column, less than half a column: below a pixel at chart
 * widths). Curves downsampled separately rarely share x values, and joining them exactly makes a table as long as
 * all their points together; on the grid it stays `columns` long. Where two points of a curve meet in one column,
 * the one farther from the curve's previous value stays, so spikes survive; a gap (null) stays a gap.
 */
export function alignOnGrid(curves, columns) {
  let lo = Infinity;
  let hi = -Infinity;
  for (const c of curves) {
    for (const x of c.x) {
      if (x < lo) lo = x;
      if (x > hi) hi = x;
    }
  }
  if (!(hi > lo)) return null;
  const scale = (columns - 1) / (hi - lo);
  const used = new Uint8Array(columns);
  const ys = curves.map((c) => {
    const out = new Array(columns);
    let previous = null;
    let lastColumn = -1;
    for (let i = 0; i < c.x.length; i++) {
      const col = Math.round((c.x[i] - lo) * scale);
      const y = c.y[i];
      if (col !== lastColumn) {
        if (lastColumn >= 0) previous = out[lastColumn];
        out[col] = y;
        lastColumn = col;
      } else if (out[col] != null && (y == null || (previous != null && Math.abs(y - previous) > Math.abs(out[col] - previous)))) {
        out[col] = y;
      }
      used[col] = 1;
    }
    return out;
  });
  const keep = [];
  for (let col = 0; col < columns; col++) if (used[col]) keep.push(col);
  return [keep.map((col) => lo + col / scale), ...ys.map((y) => keep.map((col) => y[col]))];
}
