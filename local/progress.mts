/**
 * Progress of long work on stderr, for a person at a terminal: one line rewritten in place
 * ("\r" then erase-line) at most every 250 ms, erased when the work ends. No library: one counter
 * and one line need none, and dskit's start-up budget pays for every import. When stderr is not a
 * terminal (a pipe, a log, CI) it prints nothing, so output that scripts read stays the same.
 */
import type { DataStore } from "../lib/store/data-store.mjs";
import type { CliIo } from "./output.mjs";

/** How often the line is rewritten: often enough to look alive, rarely enough to cost nothing. */
export const PROGRESS_INTERVAL_MS = 250;
/** Below this many operations the work is short: nothing is shown even on a terminal. */
export const PROGRESS_THRESHOLD = 1000;

export interface Progress {
  /** Counts `n` more units of work; may redraw the line. */
  add(n?: number): void;
  /** Ends the report: erases the line, if one was drawn. */
  done(): void;
}

/** A reporter that does nothing: for stderr that is not a terminal. */
export const NO_PROGRESS: Progress = { add: () => undefined, done: () => undefined };

/**
 * A reporter writing `<label>: <count> <unit>` to stderr when `io.stderrIsTTY`, once the count
 * passes PROGRESS_THRESHOLD, at most every PROGRESS_INTERVAL_MS (or as often as `now` says).
 */
export function progressReporter(io: Pick<CliIo, "writeErr" | "stderrIsTTY">, label: string, unit: string, now: () => number = Date.now): Progress {
  if (io.stderrIsTTY !== true) return NO_PROGRESS;
  let count = 0;
  let lastDrawn = now();
  let drawn = false;
  return {
    add(n = 1) {
      count += n;
      if (count <= PROGRESS_THRESHOLD || now() - lastDrawn < PROGRESS_INTERVAL_MS) return;
      lastDrawn = now();
      drawn = true;
      io.writeErr(`\r\x1b[K${label}: ${count.toLocaleString("en-US")} ${unit}`);
    },
    done() {
      if (drawn) io.writeErr("\r\x1b[K");
      drawn = false;
    },
  };
}

/**
 * `store` with every operation counted into `progress`: one per call, and one per record an
 * iteration yields (a poll lists the whole store; an export reads it in chunks of records).
 */
export function countingDataStore<S extends DataStore>(store: S, progress: Progress): S {
  if (progress === NO_PROGRESS) return store;
  return new Proxy(store, {
    get(target, property, receiver) {
      if (property === Symbol.asyncIterator) {
        return () => countingIterator(target[Symbol.asyncIterator](), progress);
      }
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== "function") return value;
      return (...args: unknown[]) => {
        progress.add();
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}

function countingIterator<T>(iterator: AsyncIterator<T>, progress: Progress): AsyncIterator<T> & AsyncIterable<T> {
  const counted: AsyncIterator<T> & AsyncIterable<T> = {
    async next() {
      const result = await iterator.next();
      if (!result.done) progress.add();
      return result;
    },
    return: iterator.return ? (value?: unknown) => iterator.return!(value as never) : undefined,
    [Symbol.asyncIterator]: () => counted,
  };
  if (!iterator.return) delete counted.return;
  return counted;
}

/**
 * Runs `work` on `store` counted into a progress line labelled `label` (`store export`,
 * `store import`): the line is erased before any note and when the work ends, however it ends.
 */
export async function withStoreProgress<T>(io: CliIo, label: string, store: DataStore, work: (store: DataStore, io: CliIo) => Promise<T>): Promise<T> {
  const progress = progressReporter(io, label, "records");
  const notes: CliIo = { ...io, note: (text) => (progress.done(), io.note(text)) };
  try {
    return await work(countingDataStore(store, progress), notes);
  } finally {
    progress.done();
  }
}
