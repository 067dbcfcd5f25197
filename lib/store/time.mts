import { InvalidArgumentError, quote } from "../errors.mjs";

/** The Date range, in ms either side of the epoch: beyond it a time has no date (and `toISOString` throws). */
const MAX_TIME_MS = 8.64e15;

/** A call's `nowMs`: undefined gives Date.now(); anything but a finite time within ±MAX_TIME_MS is refused. */
export function checkNowMs(nowMs: number | undefined): number {
  if (nowMs === undefined) return Date.now();
  if (typeof nowMs !== "number" || !Number.isFinite(nowMs) || Math.abs(nowMs) > MAX_TIME_MS) {
    throw new InvalidArgumentError("nowMs", `nowMs must be a time in ms since the epoch, within ±${MAX_TIME_MS}; got ${quote(nowMs)}.`);
  }
  return nowMs;
}
