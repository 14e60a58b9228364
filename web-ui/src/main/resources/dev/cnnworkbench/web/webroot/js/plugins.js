// The plugins page: every installed plugin by kind, with its parameter schema and the jar it came from.
import { getJson } from './api.js';
import { el, setText, showError, markReady } from './dom.js';

const KINDS = [['layer', 'Layers'], ['optimizer', 'Optimizers'], ['schedule', 'Learning-rate schedules'], ['augmentation', 'Augmentations']];

function range(p) {
  if (p.min == null && p.max == null) return '';
  return `${p.min ?? '−∞'} … ${p.max ?? '∞'}`;
}

function paramsTable(plugin) {
  if (!plugin.params.length) return el('p', {}, 'No parameters.');
  const head = el('tr', {}, ...['parameter', 'type', 'default', 'range', 'choices', 'help'].map((h) => el('th', {}, h)));
  const rows = plugin.params.map((p) => el('tr', { 'data-param': p.name },
    el('td', {}, el('code', {}, p.name)), el('td', {}, p.type),
    el('td', {}, p.required ? el('em', {}, 'required') : el('code', {}, JSON.stringify(p.default))),
    el('td', {}, range(p)), el('td', {}, p.choices.join(', ')), el('td', {}, p.help)));
  return el('table', { class: 'params' }, el('thead', {}, head), el('tbody', {}, rows));
}

function card(plugin) {
  const jar = plugin.source !== 'builtin';
  return el('div', { class: 'card plugin', id: `plugin-${plugin.kind}-${plugin.name}`, 'data-kind': plugin.kind, 'data-name': plugin.name },
    el('h3', {}, el('code', {}, plugin.name), el('span', { class: 'muted' }, 'v' + plugin.version),
      el('span', { class: jar ? 'source jar' : 'source', title: jar ? 'from the plugin jar ' + plugin.source : 'built in' },
        jar ? plugin.source : 'built-in')),
    el('p', {}, plugin.help), paramsTable(plugin));
}

async function main() {
  try {
    const { plugins, problems } = await getJson('/api/plugins');
    setText('plugin-count', `(${plugins.length})`);
    const known = new Set(KINDS.map(([k]) => k));
    const kinds = [...KINDS, ...[...new Set(plugins.map((p) => p.kind))].filter((k) => !known.has(k)).map((k) => [k, k])];
    document.getElementById('kinds').replaceChildren(...kinds.filter(([kind]) => plugins.some((p) => p.kind === kind))
      .map(([kind, title]) => el('section', { 'data-kind': kind, id: 'kind-' + kind },
        el('h2', {}, title, ' ', el('span', { class: 'muted' }, `(${plugins.filter((p) => p.kind === kind).length})`)),
        ...plugins.filter((p) => p.kind === kind).map(card))));
    document.getElementById('problems').hidden = !problems.length;
    document.getElementById('problem-list').replaceChildren(...problems.map((p) =>
      el('li', {}, el('span', { class: 'kind' }, p.source), el('span', {}, p.provider ?? ''), el('span', { class: 'message' }, p.message))));
  } catch (e) {
    showError('Cannot load the plugins: ' + e.message);
  }
  markReady();
}

main();
