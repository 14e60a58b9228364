// A run's training-health warnings: those stored (from /api/runs/ID) and those streamed live, each shown once.
import { el, fmtTime } from './dom.js';

/** The same warning, from the API ({created}) or the stream ({time}). */
function key(w) {
  return [w.kind, w.step, w.created ?? w.time, w.message].join('\u0000');
}

export class WarningList {
  /** @param box the section shown once there is a warning; list the <ul> the warnings go in */
  constructor(box, list, count) {
    this.box = box;
    this.list = list;
    this.count = count;
    this.seen = new Set();
  }

  /** Adds the warnings not shown yet, in the order given. */
  add(warnings) {
    for (const w of warnings) {
      const k = key(w);
      if (this.seen.has(k)) continue;
      this.seen.add(k);
      this.list.append(el('li', { class: 'warning', 'data-kind': w.kind, 'data-step': w.step ?? '' },
        el('span', { class: 'kind' }, w.kind),
        el('span', { class: 'step' }, w.step == null ? '' : `step ${w.step}`),
        el('span', { class: 'message' }, w.message),
        el('span', { class: 'when muted' }, fmtTime(w.created ?? w.time))));
    }
    this.count.textContent = String(this.seen.size);
    this.box.hidden = this.seen.size === 0;
  }
}
