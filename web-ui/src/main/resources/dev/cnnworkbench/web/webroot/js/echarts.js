// ECharts (from its WebJar) for the sweep and ensemble pages: a chart that follows its container's width.
import * as echarts from '/webjars/echarts/echarts.esm.min.js';

/** Draws `option` into `container` (replacing what was there); the container keeps data-* facts for tests. */
export function drawChart(container, option, facts = {}) {
  let chart = echarts.getInstanceByDom(container);
  if (!chart) {
    chart = echarts.init(container, null, { renderer: 'canvas' });
    new ResizeObserver(() => chart.resize()).observe(container);
  }
  chart.setOption({ animation: false, ...option }, true);
  for (const [key, value] of Object.entries(facts)) container.dataset[key] = String(value);
  container.dataset.rendered = 'true';
  return chart;
}

/** ECharts axis type of a swept parameter's scale. */
export function axisType(scale) {
  return scale === 'log' ? 'log' : scale === 'category' ? 'category' : 'value';
}

export const BEST = '#e15759';
export const ACCENT = '#4e79a7';
