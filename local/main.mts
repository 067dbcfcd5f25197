/**
 * dskit's commands as a function: `main(argv, io)` parses the arguments, runs one command and
 * returns its exit code, writing only through `io` and never calling process.exit, so tests run
 * it in-process. local/cli.mts is the executable around it.
 *
 * Exit codes, one rule: 2 for every mistake in how the command was typed (an unknown command,
 * component, prop or option; a value of the wrong type, outside its options or range; a missing
 * required prop; a file that cannot be read; an empty or unknown data store name for a read),
 * 1 for a run that fails (a ConfigurationError, a missing key for `store get`, a declined
 * `store clear`), 0 for success and for $.flow.exit. Messages have one form, `dskit: <what>: <why>`,
 * and never a stack trace.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { Command, CommanderError, InvalidArgumentError } from "commander";
import { failureText } from "./failure.mjs";
import { BUILD_ROOT, componentTitle, findComponent, firstSentence, listCatalog, UnknownComponentError } from "./catalog.mjs";
import type * as storeCommands from "./commands/store.mjs";
import type { CliIo } from "./output.mjs";
import { withStoreProgress } from "./progress.mjs";
import { fileProblem, PropValueError } from "./prop-values.mjs";
import { looksLikeComponentFile } from "./run-file/detect.mjs";
import type { StoreFile } from "../stores/sqlite-data-store.mjs";
import { chooseStoreFile, DEFAULT_STORE_FILE, missingStoreFileMessage, unknownDataStoreMessage, userFolder, type StoreFileChoice } from "./store-file.mjs";

/** Where a run happens: the process's own by default; tests give their own. */
export interface CliContext {
  /**
   * The folder dskit runs in. Relative paths (the store file, --props-file, import and export files)
   * start from the folder the user typed in: INIT_CWD under `npm run dskit` (see local/store-file.mts).
   */
  cwd?: string;
  /** The environment (DSKIT_STORE_FILE). */
  env?: NodeJS.ProcessEnv;
  /** The build holding actions/ and sources/ (dist/). Default: the one beside this file. */
  buildRoot?: string;
  /** Stops a long-running command (`dskit ui`) when aborted; without one, SIGINT or SIGTERM does. */
  signal?: AbortSignal;
}

interface StoreOptions {
  storeFile?: string;
  dataStore: string;
}

/** `dskit run <file>` only: what a code step's run and an app's credentials come from. */
interface RunFileFlags {
  stepsFile?: string;
  authFile?: string;
}

/** A file named on the command line that cannot be read (`store import nope.json`): a typing mistake, exit 2. */
class InputFileError extends Error {
  override name = "InputFileError";
}

/** `dskit ui --port`: a whole number from 0 (any free port) to 65535. */
function uiPort(value: string): number {
  const port = /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!(port >= 0 && port <= 65535)) throw new InvalidArgumentError("a port is a whole number from 0 (any free port) to 65535.");
  return port;
}

/** A --data-store name that names nothing: empty, or only spaces. */
function dataStoreName(value: string): string {
  if (value.trim() === "") throw new InvalidArgumentError("a data store name cannot be empty.");
  return value;
}

/**
 * package.json's version: two folders up from dist/local/main.mjs, one up from local/main.mts
 * (tests import the source). Read at start-up: a small file, and `.version()` needs it before parsing.
 */
function packageVersion(): string {
  for (const path of ["../../package.json", "../package.json"]) {
    try {
      const found = JSON.parse(readFileSync(new URL(path, import.meta.url), "utf8")) as { name?: string; version?: string };
      if (found.name === "pd-datastore-kit" && typeof found.version === "string") return found.version;
    } catch {
      // Not at this level: try the next.
    }
  }
  return "unknown";
}

/** A store command on a machine without better-sqlite3; says how to get it. */
class MissingStoreDriverError extends Error {
  override name = "MissingStoreDriverError";
}

/**
 * The SQLite store, loaded when a command needs it: better-sqlite3 is an optional dependency
 * (a native module, compiled at install), so the library installs light in a code step, and
 * `dskit list` and `--help` work without it.
 */
async function openStoreFile(path: string, readonly = false): Promise<StoreFile> {
  try {
    const { StoreFile } = await import("../stores/sqlite-data-store.mjs");
    return StoreFile.open(path, { readonly });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ERR_MODULE_NOT_FOUND" || !String(error).includes("better-sqlite3")) throw error;
    throw new MissingStoreDriverError("dskit keeps its data stores in SQLite through better-sqlite3, which is not installed: run `npm install better-sqlite3@12`.");
  }
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** Keys under the reserved prefix are the package's state: get, set and rm refuse them without this. */
const INTERNAL_HELP = "allow a key under the reserved __dskit: prefix (the package's own state: counter parts, limiters, dedupe, caches)";

/** The command tree for one run; a new one each call, so runs in one process share nothing. */
function buildProgram(io: CliIo, context: Required<Omit<CliContext, "signal">> & Pick<CliContext, "signal">, setExitCode: (code: number) => void): Command {
  const { cwd, env, buildRoot } = context;

  /** --store-file and --data-store, on every command that touches a store. */
  const withStoreOptions = (command: Command): Command =>
    command
      .option("--store-file <path>", `the SQLite file holding the data stores (default: ${DEFAULT_STORE_FILE} in this folder; env: DSKIT_STORE_FILE)`)
      .option("--data-store <name>", "which data store in the file, as a workspace has several", dataStoreName, "default");

  /**
   * Opens the store file for one command and closes it after, whatever happens. `mode`: "write"
   * creates the file if needed; "read" (store ls/get/stats/export) and "file" (info, stores) open
   * it read-only and never create it; "read" also refuses a data store name the file lacks.
   */
  const withStore = async (
    options: Partial<StoreOptions>,
    action: (storeFile: StoreFile, choice: StoreFileChoice) => Promise<number | void> | number,
    mode: "write" | "read" | "file" = "write",
  ): Promise<void> => {
    // The flag wins over the variable; a relative path is relative to the folder the user typed in.
    const choice = chooseStoreFile(options.storeFile, env, cwd);
    const missing = mode === "write" ? undefined : missingStoreFileMessage(choice);
    if (missing !== undefined) {
      io.note(missing);
      setExitCode(2);
      return;
    }
    const storeFile = await openStoreFile(choice.path, mode !== "write");
    try {
      const unknown = mode === "read" && options.dataStore !== undefined ? unknownDataStoreMessage(storeFile, options.dataStore, choice.path) : undefined;
      if (unknown !== undefined) {
        io.note(unknown);
        setExitCode(2);
        return;
      }
      setExitCode((await action(storeFile, choice)) ?? 0);
    } finally {
      storeFile.close();
    }
  };

  /** Asks on the terminal; without one (a script, CI) only --yes clears. */
  const confirmClear = async (dataStore: string, yes: boolean | undefined): Promise<boolean> => {
    if (yes) return true;
    if (!io.ask) {
      io.note(`Refusing to clear "${dataStore}" without confirmation: stdin is not a terminal. Add --yes.`);
      return false;
    }
    const answer = await io.ask(`Delete every record of data store "${dataStore}"? This cannot be undone. Type yes: `);
    return answer.trim().toLowerCase() === "yes";
  };

  // Each command loads only what it runs: start-up is most of a command's time.
  const loadStoreCommands = (): Promise<typeof storeCommands> => import("./commands/store.mjs");

  const readInput = (file: string): string => {
    if (file === "-") return io.readStdin();
    try {
      return readFileSync(resolve(cwd, file), "utf8");
    } catch (error) {
      // The reason in words, not an errno code.
      throw new InputFileError(`${file} cannot be read (${fileProblem(error)}).`);
    }
  };

  const program = new Command("dskit")
    .description("Run pd-datastore-kit's Pipedream components locally, against an embedded data store.")
    .showHelpAfterError("(run with --help for usage)")
    .configureOutput({
      writeOut: (text) => io.writeOut(text),
      writeErr: (text) => io.writeErr(text),
      // Commander's "error: unknown command 'lst'" in dskit's one form.
      outputError: (text, write) => write(`dskit: ${text.replace(/^error: /, "")}`),
    })
    .version(packageVersion(), "-V, --version", "print dskit's version")
    .exitOverride();

  program
    .command("list")
    .description("every action and source: kind, name, key, title and what it does (see `dskit describe <component>`)")
    .action(async () => {
      for (const entry of listCatalog(buildRoot)) {
        const { name, description } = await componentTitle(entry, buildRoot);
        io.line(`${entry.kind.padEnd(6)}  ${entry.name.padEnd(28)}  ${entry.key.padEnd(40)}  ${(name ?? "").padEnd(28)}  ${firstSentence(description)}`.trimEnd());
      }
    });

  program
    .command("describe <component>")
    .description("a component's props (type, required, default, options, range) and an example command line; also `dskit run <component> --help`")
    .action(async (component: string) => {
      const { describeCommand } = await import("./commands/describe.mjs");
      await describeCommand(component, io, buildRoot);
    });

  withStoreOptions(
    program
      .command("run <component>")
      .description("run an action once (or poll a source once; its first run deploys it) against the embedded store; <component> is a name, a key, or a component file (./step.mjs)")
      .option("-p, --prop <name=value>", "a prop value; repeat for more props, or for the items of a list prop", collect, [])
      .option("--props-json <json>", "prop values as a JSON object")
      .option("--props-file <file>", "prop values from a file holding a JSON object")
      .option("--dry-run", "a source: show what a poll would emit now, saving nothing (its state and the data store stay as they are)")
      .option("--steps-file <file>", "a component file: the `steps` its run reads, from a file holding a JSON object (default {})")
      .option("--auth-file <file>", 'a component file: credentials of its app props, from a file holding {"<app slug>": {"<field>": "<value>"}}')
      .addHelpText(
        "after",
        `
The data store prop is the embedded store (--data-store picks which). A component with a second
data store prop takes the name of another data store in the same file as that prop's value. The
return value is printed as JSON on stdout, the $summary on stderr. Examples:
  dskit run add-update-record --prop key=greeting --prop value=hello --prop ttl=3600
  dskit run rate-limit --props-json '{"key": "api", "limit": 5, "windowSeconds": 60}'
  dskit run compare-data-stores --data-store staging --prop otherDataStore=production
  dskit run new-record            # the first run deploys the source; later runs poll it
  dskit run new-record --dry-run  # what a poll would emit now, saving nothing
  dskit source reset new-record   # forget its state: the next run deploys again
  dskit run ./my-step.mjs --prop key=a --steps-file steps.json   # your own component or code step
  dskit run ./github-action.mjs --auth-file auth.json            # its app's $auth`,
      ),
  ).action(async (component: string, options: StoreOptions & RunFileFlags & { prop: string[]; propsJson?: string; propsFile?: string; dryRun?: boolean }) => {
    const sources = { pairs: options.prop, json: options.propsJson, file: options.propsFile, cwd };
    if (looksLikeComponentFile(component)) {
      // Loaded and checked before the store opens: a mistake leaves no store file behind.
      const { prepareFileRun } = await import("./commands/run-file.mjs");
      const prepared = await prepareFileRun(component, { ...sources, stepsFile: options.stepsFile, authFile: options.authFile }, io);
      const dryRun = options.dryRun === true;
      await withStore(options, (storeFile) => prepared.run(storeFile, options.dataStore, { dryRun }), dryRun ? "file" : "write");
      return;
    }
    for (const flag of ["stepsFile", "authFile"] as const) {
      if (options[flag] !== undefined) {
        throw new PropValueError(`--${flag === "stepsFile" ? "steps" : "auth"}-file is for component files (dskit run ./my-step.mjs); the package's own components read neither.`);
      }
    }
    // The name first: a typo is told as a typo, also where the store cannot open.
    findComponent(component, buildRoot);
    const { runComponent } = await import("./commands/run.mjs");
    const dryRun = options.dryRun === true;
    // A dry run opens the file read-only: SQLite itself guarantees that nothing is saved.
    await withStore(options, (storeFile) => runComponent(component, sources, storeFile, options.dataStore, io, buildRoot, { dryRun }), dryRun ? "file" : "write");
  });

  const sourceCommand = program.command("source").description("a source's state, kept between runs");
  withStoreOptions(
    sourceCommand
      .command("reset <source>")
      .description("forget a source's state ($.service.db, and its __dskit:source: records in the data store): the next run deploys it again"),
  ).action(async (component: string, options: StoreOptions) => {
    findComponent(component, buildRoot);
    const { resetSourceCommand } = await import("./commands/source.mjs");
    await withStore(options, (storeFile) => resetSourceCommand(component, storeFile, options.dataStore, io, buildRoot));
  });

  const store = program.command("store").description("the dashboard's record operations, on the embedded store");

  withStoreOptions(
    store
      .command("ls")
      .description("list records sorted by key, one per line: key, tab, value as JSON")
      .option("--prefix <text>", "only keys starting with this")
      .option("--keys-only", "print only the keys")
      .option("--include-internal", "also list the package's own __dskit: records"),
  ).action(async (options: StoreOptions & storeCommands.ListOptions) => {
    const commands = await loadStoreCommands();
    await withStore(options, (storeFile) => commands.listCommand(storeFile.dataStore(options.dataStore), options, io), "read");
  });

  withStoreOptions(
    store
      .command("get <key>")
      .description("print a record's value as JSON; exit 1 when the key is missing")
      .option("--internal", INTERNAL_HELP),
  ).action(async (key: string, options: StoreOptions & storeCommands.InternalOption) => {
    const commands = await loadStoreCommands();
    await withStore(options, (storeFile) => commands.getCommand(storeFile.dataStore(options.dataStore), key, options, io), "read");
  });

  withStoreOptions(
    store
      .command("set <key> <value>")
      .description("add or replace a record; the value is read like Value Type auto: valid JSON as JSON, other text as text")
      .option("--ttl <seconds>", "delete the record this many seconds from now (0 or none: never)")
      .option("--value-type <type>", "auto, string or json", "auto")
      .option("--internal", INTERNAL_HELP),
  ).action(async (key: string, value: string, options: StoreOptions & { ttl?: string; valueType?: string } & storeCommands.InternalOption) => {
    const commands = await loadStoreCommands();
    await withStore(options, (storeFile) => commands.setCommand(storeFile.dataStore(options.dataStore), key, value, options, io));
  });

  withStoreOptions(store.command("rm <keys...>").description("delete records by key").option("--internal", INTERNAL_HELP)).action(
    async (keys: string[], options: StoreOptions & storeCommands.InternalOption) => {
      const commands = await loadStoreCommands();
    await withStore(options, (storeFile) => commands.removeCommand(storeFile.dataStore(options.dataStore), keys, options, io));
    },
  );

  withStoreOptions(
    store
      .command("clear")
      .description("delete every record of the data store (asks first)")
      .option("-y, --yes", "do not ask")
      .option("--internal", "also delete the package's own __dskit: records, resetting its counters' parts, limits, dedupe and caches"),
  ).action(async (options: StoreOptions & { yes?: boolean } & storeCommands.InternalOption) => {
    const commands = await loadStoreCommands();
    await withStore(options, (storeFile) =>
      commands.clearCommand(storeFile.dataStore(options.dataStore), () => confirmClear(options.dataStore, options.yes), options, io),
    );
  });

  withStoreOptions(
    store
      .command("import <file>")
      .description("add records from a JSON object, a JSON array of {key, value, ttl}, NDJSON, or CSV key,value[,ttl] (a file, or - for stdin); all checked before any is written")
      .option("--format <format>", "json, ndjson or csv (default: by the file's extension, else by its content; stdin: JSON or NDJSON)"),
  ).action(async (file: string, options: StoreOptions & { format?: string }) => {
    const commands = await loadStoreCommands();
    // Read before the store opens: an unreadable input must not create the store file.
    let text: string;
    try {
      text = readInput(file);
    } catch (error) {
      io.note(`dskit: store import ${file}: ${(error as Error).message}`);
      setExitCode(2);
      return;
    }
    await withStore(options, (storeFile) =>
      withStoreProgress(io, "store import", storeFile.dataStore(options.dataStore), (counted, notes) => commands.importCommand(counted, file, options, () => text, notes)),
    );
  });

  withStoreOptions(
    store
      .command("export [file]")
      .description("write every record as one JSON object to a file (or stdout)")
      .option("--include-internal", "also export the package's own __dskit: records"),
  ).action(async (file: string | undefined, options: StoreOptions & { includeInternal?: boolean }) => {
    const commands = await loadStoreCommands();
    await withStore(
      options,
      (storeFile) => withStoreProgress(io, "store export", storeFile.dataStore(options.dataStore), (counted, notes) => commands.exportCommand(counted, file, { ...options, cwd }, notes)),
      "read",
    );
  });

  withStoreOptions(
    store.command("stats").description("records, bytes as JSON, and bytes after Brotli compression (as Pipedream stores them)"),
  ).action(async (options: StoreOptions) => {
    const commands = await loadStoreCommands();
    await withStore(options, (storeFile) => commands.statsCommand(storeFile.dataStore(options.dataStore), options.dataStore, io), "read");
  });

  // Where the data is: both only read, and never create the store file.
  const storeFileOption = (command: Command): Command =>
    command.option("--store-file <path>", `the SQLite file holding the data stores (default: ${DEFAULT_STORE_FILE} in this folder; env: DSKIT_STORE_FILE)`);
  storeFileOption(program.command("info").description("the store file in use and why (flag, environment, default), its size, and its data stores with record counts")).action(
    async (options: { storeFile?: string }) => {
      const { infoCommand } = await import("./commands/info.mjs");
      await withStore(options, (storeFile, choice) => infoCommand(storeFile, choice, io), "file");
    },
  );
  storeFileOption(program.command("stores").description("the data stores in the store file, one name a line")).action(async (options: { storeFile?: string }) => {
    const { storesCommand } = await import("./commands/info.mjs");
    await withStore(options, (storeFile, choice) => storesCommand(storeFile, choice, io), "file");
  });

  withStoreOptions(
    program
      .command("ui")
      .description("a dashboard for the store file in your browser: data stores, records, import and export (127.0.0.1 only, until Ctrl+C)")
      .option("--port <n>", "the port on 127.0.0.1 (0: any free port)", uiPort, 4280)
      .option("--no-open", "print the address only; do not open a browser"),
  ).action(async (options: StoreOptions & { port: number; open: boolean }, command: Command) => {
    // Loaded here only: hono stays out of every other command's start-up.
    const { uiCommand } = await import("./commands/ui.mjs");
    const typed = command.getOptionValueSource("dataStore") === "cli" ? options.dataStore : undefined;
    await withStore(options, (storeFile, choice) => {
      const unknown = typed === undefined ? undefined : unknownDataStoreMessage(storeFile, typed, choice.path);
      if (unknown !== undefined) {
        io.note(unknown);
        return 2;
      }
      return uiCommand(storeFile, choice.path, { port: options.port, open: options.open, dataStore: typed }, io, { env, signal: context.signal });
    });
  });

  return program;
}

/** Runs one dskit command (`argv` without node and the script) and returns its exit code. */
export async function main(argv: readonly string[], io: CliIo, context: CliContext = {}): Promise<number> {
  let exitCode = 0;
  const program = buildProgram(
    io,
    { cwd: userFolder(context.cwd ?? process.cwd(), context.env ?? process.env), env: context.env ?? process.env, buildRoot: context.buildRoot ?? BUILD_ROOT, signal: context.signal },
    (code) => (exitCode = code),
  );
  // The <what> of a message: the command as typed, and the component for run and describe.
  let what = "dskit";
  program.hook("preAction", (_program, action) => {
    const names: string[] = [];
    for (let command: Command | null = action; command && command !== program; command = command.parent) names.unshift(command.name());
    if (["run", "describe"].includes(action.name()) && action.args[0] !== undefined) names.push(action.args[0]);
    what = names.join(" ");
  });
  try {
    await program.parseAsync([...runHelpAsDescribe(argv)], { from: "user" });
    return exitCode;
  } catch (error) {
    // --help and --version end here too, with their own exit code (0); a usage error is 2 (commander has printed it).
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    const message = (error as Error | undefined)?.message ?? String(error);
    if (
      error instanceof UnknownComponentError ||
      error instanceof PropValueError ||
      error instanceof InputFileError ||
      error instanceof MissingStoreDriverError
    ) {
      io.note(`dskit: ${what}: ${message}`);
      return 2;
    }
    // A failed run: its message in the one form (local/failure.mts).
    io.note(`dskit: ${what}: ${failureText(error)}`);
    return 1;
  }
}

/** `dskit run <component> --help` is `dskit describe <component>`: the generic options are in `dskit run --help`. */
function runHelpAsDescribe(argv: readonly string[]): readonly string[] {
  const [command, component, ...rest] = argv;
  // A component file has no describe: its --help is run's own.
  if (command !== "run" || component === undefined || component.startsWith("-") || looksLikeComponentFile(component)) return argv;
  return rest.includes("--help") || rest.includes("-h") ? ["describe", component] : argv;
}
