// The sweep page's charts, as ECharts options: parallel coordinates (one axis per swept parameter plus the
// objective) and objective-versus-parameter scatters, the best trial drawn over the rest. Pure functions.
import { axisType, BEST, ACCENT } from './echarts.js';
import { fmtNumber, fmtTick, escapeHtml } from './dom.js';

/** The trials that can be drawn: finished or stopped with a finite objective. */
export function drawable(sweep) {
  return sweep.trials.filter((t) => Number.isFinite(t.run.metrics[sweep.objective.metric]));
}

function value(param, run) {
  const v = run.params[param.name];
  return param.type === 'number' ? v : String(v);
}

export function parallelOption(sweep) {
  const trials = drawable(sweep);
  const metric = sweep.objective.metric;
  const axes = sweep.params.map((p, i) => ({
    dim: i, name: p.name, type: axisType(p.scale), data: p.scale === 'category' ? p.values : undefined,
    nameLocation: 'end', nameTextStyle: { fontSize: 11 }, axisLabel: { formatter: p.type === 'number' ? fmtTick : undefined },
  }));
  const objectiveDim = sweep.params.length;
  axes.push({ dim: objectiveDim, name: metric + ' (' + sweep.objective.direction + ')', type: 'value', scale: true,
    inverse: sweep.objective.direction === 'min', nameTextStyle: { fontWeight: 'bold', fontSize: 11 } });
  const row = (t) => [...sweep.params.map((p) => value(p, t.run)), t.run.metrics[metric]];
  const values = trials.map((t) => t.run.metrics[metric]);
  const best = trials.filter((t) => t.run.id === sweep.best);
  return {
    parallelAxis: axes,
    parallel: { left: 60, right: 110, top: 50, bottom: 30 },
    tooltip: { trigger: 'item', formatter: (p) => escapeHtml(p.seriesName === 'best' ? 'best: ' + best[0].run.name : trials[p.dataIndex]?.run.name ?? '') },
    visualMap: values.length ? {
      show: true, type: 'continuous', dimension: objectiveDim, min: Math.min(...values), max: Math.max(...values),
      right: 10, top: 'middle', text: ['better', 'worse'], calculable: false, seriesIndex: 0,
      inRange: { color: sweep.objective.direction === 'min' ? ['#2f6fde', '#9ab6e8', '#ddd'] : ['#ddd', '#9ab6e8', '#2f6fde'] },
    } : undefined,
    series: [
      { name: 'trials', type: 'parallel', lineStyle: { width: 1.5, opacity: 0.7 }, data: trials.map(row) },
      { name: 'best', type: 'parallel', lineStyle: { width: 4, color: BEST, opacity: 1 }, z: 10, data: best.map(row) },
    ],
  };
}

/** One scatter of the objective against `param`, on a log x axis where the parameter was sampled log-uniformly. */
export function scatterOption(sweep, param) {
  const metric = sweep.objective.metric;
  const points = drawable(sweep).map((t) => ({ value: [value(param, t.run), t.run.metrics[metric]], name: t.run.name, id: t.run.id }));
  return {
    grid: { left: 60, right: 20, top: 30, bottom: 45 },
    title: { text: param.name + (param.scale === 'log' ? ' (log)' : ''), left: 'center', textStyle: { fontSize: 12 } },
    tooltip: { trigger: 'item', formatter: (p) => [p.data.name, `${param.name} = ${fmtNumber(p.data.value[0])}`,
      `${metric} = ${fmtNumber(p.data.value[1])}`].map(escapeHtml).join('<br>') },
    xAxis: { type: axisType(param.scale), data: param.scale === 'category' ? param.values : undefined, scale: true,
      axisLabel: { formatter: param.type === 'number' ? fmtTick : undefined } },
    yAxis: { type: 'value', scale: true, name: metric, nameTextStyle: { fontSize: 11 } },
    series: [
      { name: 'trials', type: 'scatter', symbolSize: 9, itemStyle: { color: ACCENT }, data: points.filter((p) => p.id !== sweep.best) },
      { name: 'best', type: 'scatter', symbolSize: 16, symbol: 'diamond', itemStyle: { color: BEST }, z: 10,
        data: points.filter((p) => p.id === sweep.best) },
    ],
  };
}
