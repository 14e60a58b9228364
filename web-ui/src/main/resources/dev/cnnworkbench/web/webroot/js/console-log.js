// The run page's console log panel: tails GET /api/runs/ID/console (what the run printed: progress, warnings, errors),
// every two seconds while the run trains and once more after it ended; hidden when the run kept no log.
import { getJson } from './api.js';

const EVERY_MS = 2000;
/** The panel keeps the last this many characters (the whole log stays downloadable as the artifact console.log). */
const KEEP_CHARS = 200_000;

export class ConsoleTail {
  constructor(section, runId) {
    this.section = section;
    this.text = section.querySelector('pre');
    this.runId = runId;
    this.next = 0;
    this.timer = null;
    this.busy = false;
  }

  /** Reads what was added since the last read; keeps polling while `running`. */
  async follow(running) {
    clearTimeout(this.timer);
    await this.read();
    if (running) this.timer = setTimeout(() => this.follow(true), EVERY_MS);
  }

  async read() {
    if (this.busy) return;
    this.busy = true;
    try {
      for (;;) {
        const chunk = await getJson(`/api/runs/${encodeURIComponent(this.runId)}/console?from=${this.next}`);
        this.section.hidden = false;
        if (chunk.text) this.append(chunk.text);
        this.next = chunk.next;
        if (chunk.next >= chunk.size || !chunk.text) break;
      }
    } catch (e) {
      if (e.status === 404) this.section.hidden = true;
    } finally {
      this.busy = false;
    }
  }

  append(text) {
    const pre = this.text;
    const atBottom = pre.scrollTop + pre.clientHeight >= pre.scrollHeight - 4;
    let all = pre.textContent + text;
    if (all.length > KEEP_CHARS) all = all.slice(all.indexOf('\n', all.length - KEEP_CHARS) + 1);
    pre.textContent = all;
    this.section.dataset.lines = String(all.split('\n').length - 1);
    if (atBottom) pre.scrollTop = pre.scrollHeight;
  }
}
