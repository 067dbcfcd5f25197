/** A clock that only the test moves: time never passes by itself, so no test sleeps. */
export class TestClock {
  private nowMs: number;

  constructor(start: Date | number = Date.UTC(2026, 10, 24, 18, 31, 0)) {
    this.nowMs = typeof start === "number" ? start : start.getTime();
  }

  /** Milliseconds since the Unix epoch, like `Date.now`. */
  readonly now = (): number => this.nowMs;

  advanceSeconds(seconds: number): void {
    this.nowMs += seconds * 1000;
  }
}
