// A run's artifacts as a table: name, kind, step, epoch, size, type, SHA-256, a download link; images inline.
import { el } from './dom.js';

const IMAGES = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp']);

export function fmtBytes(n) {
  if (n == null) return '';
  const units = ['B', 'KiB', 'MiB', 'GiB'];
  let v = n;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) { v /= 1024; u++; }
  return u === 0 ? `${v} B` : `${v.toFixed(v < 10 ? 1 : 0)} ${units[u]}`;
}

function row(a) {
  const preview = IMAGES.has(a.mediaType)
    ? el('a', { href: a.url, target: '_blank', rel: 'noopener' },
      el('img', { class: 'thumb', src: a.url, alt: a.name, loading: 'lazy' }))
    : '';
  return el('tr', { 'data-artifact': a.id, 'data-kind': a.kind },
    el('td', { class: 'preview' }, preview),
    el('td', { class: 'name' }, a.name),
    el('td', {}, a.kind),
    el('td', { class: 'num' }, a.step ?? ''),
    el('td', { class: 'num' }, a.epoch ?? ''),
    el('td', { class: 'num' }, fmtBytes(a.size)),
    el('td', { class: 'muted' }, a.mediaType ?? ''),
    el('td', { class: 'sha', title: a.sha256 }, (a.sha256 ?? '').slice(0, 12)),
    el('td', {}, el('a', { class: 'download', href: a.url, download: '' }, 'download')));
}

/** Shows `artifacts` (from /api/runs/ID) in `body`; `empty` is shown instead when there are none. */
export function renderArtifacts(body, empty, artifacts) {
  body.replaceChildren(...artifacts.map(row));
  empty.hidden = artifacts.length > 0;
}
