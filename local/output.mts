/** Where dskit writes: results as JSON on stdout (for pipes), everything for people on stderr. */
export interface Output {
  /** A result, as pretty JSON on stdout. */
  json(value: unknown): void;
  /** Plain text on stdout (listings). */
  line(text: string): void;
  /** A note for the person at the terminal, on stderr. */
  note(text: string): void;
}

// Piped into `head` and the like, stdout may close early: that ends the command quietly, not with a stack trace.
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code === "EPIPE") process.exit(process.exitCode ?? 0);
  throw error;
});

export const processOutput: Output = {
  json: (value) => process.stdout.write(`${JSON.stringify(value, null, 2)}\n`),
  line: (text) => process.stdout.write(`${text}\n`),
  note: (text) => process.stderr.write(`${text}\n`),
};
