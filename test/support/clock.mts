/**
 * A clock that only the test moves: time never passes by itself, so no test sleeps.
 * `installAsSystemClock` makes `Date` follow it too, for code that reads the time the way a
 * component on Pipedream does (`Date.now()`); timers stay real, so store latency still works.
 */
import { jest } from "@jest/globals";

/** Everything jest can fake except Date: only the wall clock is the test's. */
const REAL_TIMERS = [
  "hrtime",
  "nextTick",
  "performance",
  "queueMicrotask",
  "requestAnimationFrame",
  "cancelAnimationFrame",
  "requestIdleCallback",
  "cancelIdleCallback",
  "setImmediate",
  "clearImmediate",
  "setInterval",
  "clearInterval",
  "setTimeout",
  "clearTimeout",
] as const;

export class TestClock {
  private nowMs: number;
  private followedBySystem = false;

  constructor(start: Date | number = Date.UTC(2026, 10, 24, 18, 31, 0)) {
    this.nowMs = typeof start === "number" ? start : start.getTime();
  }

  /** Milliseconds since the Unix epoch, like `Date.now`. */
  readonly now = (): number => this.nowMs;

  advanceSeconds(seconds: number): void {
    this.set(this.nowMs + seconds * 1000);
  }

  /** Moves the clock to a moment, e.g. `clock.set(Date.UTC(2026, 0, 1))`. */
  set(ms: number): void {
    this.nowMs = ms;
    if (this.followedBySystem) jest.setSystemTime(ms);
  }

  /** Makes `Date.now()` and `new Date()` read this clock until the test ends (see test/support/setup.mts). */
  installAsSystemClock(): this {
    jest.useFakeTimers({ doNotFake: [...REAL_TIMERS], now: this.nowMs });
    this.followedBySystem = true;
    return this;
  }
}
