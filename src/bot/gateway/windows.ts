/**
 * Sliding-window accounting of operations for one key (a conversation, a tenant): when the
 * next operation may start without passing any of the windows.
 */
import type { RateWindow } from './limits';

export class SlidingWindows {
  /** Start (then end) times of recent operations, oldest first. */
  private readonly times: number[] = [];
  private readonly longest: number;

  constructor(private readonly windows: readonly RateWindow[]) {
    this.longest = Math.max(0, ...windows.map((w) => w.ms));
  }

  /** The earliest time, not before `now`, at which one more operation keeps within every window. */
  nextFree(now: number): number {
    this.forget(now);
    let at = now;
    for (const w of this.windows) {
      const inWindow = this.times.filter((t) => t > now - w.ms);
      if (inWindow.length < w.max) continue;
      // The operation that must leave the window first: then `max - 1` remain in it.
      const leaving = inWindow[inWindow.length - w.max]!;
      at = Math.max(at, leaving + w.ms);
    }
    return at;
  }

  /**
   * Counts an operation started at `now`. The returned function moves it to when its answer
   * came: the channel counted it somewhere in between, so the later time is the safe one.
   */
  record(now: number): (doneAt: number) => void {
    const entry = { at: now };
    this.times.push(now);
    return (doneAt) => {
      const i = this.times.lastIndexOf(entry.at);
      if (i < 0 || doneAt <= entry.at) return;
      this.times.splice(i, 1);
      let j = this.times.length;
      while (j > 0 && this.times[j - 1]! > doneAt) j -= 1;
      this.times.splice(j, 0, doneAt);
      entry.at = doneAt;
    };
  }

  /** Operations still inside the longest window. */
  size(now: number): number {
    this.forget(now);
    return this.times.length;
  }

  private forget(now: number): void {
    let drop = 0;
    while (drop < this.times.length && this.times[drop]! <= now - this.longest) drop += 1;
    if (drop) this.times.splice(0, drop);
  }
}
