/** Where dskit writes: results as JSON on stdout (for pipes), everything for people on stderr. */
import { readFileSync } from "node:fs";

export interface Output {
  /** A result, as pretty JSON on stdout. */
  json(value: unknown): void;
  /** Plain text on stdout (listings). */
  line(text: string): void;
  /** A note for the person at the terminal, on stderr. */
  note(text: string): void;
}

/** Everything a command touches outside its store: output, stdin, and the terminal when there is one. */
export interface CliIo extends Output {
  /** Text written as it is to stdout (help), without a newline added. */
  writeOut(text: string): void;
  /** Text written as it is to stderr (usage errors). */
  writeErr(text: string): void;
  /** All of stdin, read to its end (`store import -`). */
  readStdin(): string;
  /** Asks the person at the terminal and returns the answer; undefined when stdin is not a terminal. */
  ask: ((question: string) => Promise<string>) | undefined;
  /** Whether stderr is a terminal: only then is progress shown (a pipe or a log gets none). Absent: not one. */
  stderrIsTTY?: boolean;
}

/** The process's own streams: what `dskit` uses; tests pass their own CliIo to `main`. */
export function processIo(): CliIo {
  return {
    json: (value) => process.stdout.write(`${JSON.stringify(value, null, 2)}\n`),
    line: (text) => process.stdout.write(`${text}\n`),
    note: (text) => process.stderr.write(`${text}\n`),
    writeOut: (text) => process.stdout.write(text),
    writeErr: (text) => process.stderr.write(text),
    readStdin: () => readFileSync(0, "utf8"),
    stderrIsTTY: process.stderr.isTTY === true,
    ask: process.stdin.isTTY
      ? async (question) => {
          // Loaded only to ask: most commands never do.
          const { createInterface } = await import("node:readline/promises");
          const prompt = createInterface({ input: process.stdin, output: process.stderr });
          try {
            return await prompt.question(question);
          } finally {
            prompt.close();
          }
        }
      : undefined,
  };
}
