/**
 * dskit's commands as a function: `main(argv, io)` parses the arguments, runs one command and
 * returns its exit code, writing only through `io` and never calling process.exit, so tests run
 * it in-process. local/cli.mts is the executable around it.
 *
 * Exit codes: 0 success (also when an action ends the workflow with $.flow.exit), 1 a failed run
 * (a ConfigurationError, a missing key for `store get`, a declined `store clear`), 2 a command that
 * cannot run as typed (unknown component, unknown prop, a value that does not fit its prop).
 */
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { Command, CommanderError } from "commander";
import { ConfigurationError } from "@pipedream/platform";
import { UsageError } from "../lib/errors.mjs";
import { BUILD_ROOT, componentName, listCatalog, UnknownComponentError } from "./catalog.mjs";
import type * as storeCommands from "./commands/store.mjs";
import type { CliIo } from "./output.mjs";
import { PropValueError } from "./prop-values.mjs";
import type { StoreFile } from "../stores/sqlite-data-store.mjs";

const DEFAULT_STORE_FILE = join(".dskit", "data-stores.db");

/** Where a run happens: the process's own by default; tests give their own. */
export interface CliContext {
  /** The folder relative paths (the store file, --props-file, import and export files) start from. */
  cwd?: string;
  /** The environment (DSKIT_STORE_FILE). */
  env?: NodeJS.ProcessEnv;
  /** The build holding actions/ and sources/ (dist/). Default: the one beside this file. */
  buildRoot?: string;
}

interface StoreOptions {
  storeFile?: string;
  dataStore: string;
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
async function openStoreFile(path: string): Promise<StoreFile> {
  try {
    const { StoreFile } = await import("../stores/sqlite-data-store.mjs");
    return StoreFile.open(path);
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
function buildProgram(io: CliIo, context: Required<CliContext>, setExitCode: (code: number) => void): Command {
  const { cwd, env, buildRoot } = context;

  /** --store-file and --data-store, on every command that touches a store. */
  const withStoreOptions = (command: Command): Command =>
    command
      .option("--store-file <path>", `the SQLite file holding the data stores (default: ${DEFAULT_STORE_FILE} in this folder; env: DSKIT_STORE_FILE)`)
      .option("--data-store <name>", "which data store in the file, as a workspace has several", "default");

  /** Opens the store file for one command and closes it after, whatever happens. */
  const withStore = async (options: StoreOptions, action: (storeFile: StoreFile) => Promise<number | void>): Promise<void> => {
    // The flag wins over the variable; a relative path is relative to the current folder.
    const storeFile = await openStoreFile(resolve(cwd, options.storeFile ?? env.DSKIT_STORE_FILE ?? DEFAULT_STORE_FILE));
    try {
      setExitCode((await action(storeFile)) ?? 0);
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

  const readInput = (file: string): string => (file === "-" ? io.readStdin() : readFileSync(resolve(cwd, file), "utf8"));

  const program = new Command("dskit")
    .description("Run pd-datastore-kit's Pipedream components locally, against an embedded data store.")
    .showHelpAfterError("(run with --help for usage)")
    .configureOutput({ writeOut: (text) => io.writeOut(text), writeErr: (text) => io.writeErr(text) })
    .exitOverride();

  program
    .command("list")
    .description("every action and source, with its key and name")
    .action(async () => {
      for (const entry of listCatalog(buildRoot)) {
        const name = await componentName(entry, buildRoot);
        io.line(`${entry.kind.padEnd(6)}  ${entry.name.padEnd(28)}  ${entry.key.padEnd(40)}  ${name ?? ""}`);
      }
    });

  withStoreOptions(
    program
      .command("run <component>")
      .description("run an action once (or poll a source once; its first run deploys it) against the embedded store")
      .option("-p, --prop <name=value>", "a prop value; repeat for more props, or for the items of a list prop", collect, [])
      .option("--props-json <json>", "prop values as a JSON object")
      .option("--props-file <file>", "prop values from a file holding a JSON object")
      .addHelpText(
        "after",
        `
The data store prop is the embedded store (--data-store picks which). A component with a second
data store prop takes the name of another data store in the same file as that prop's value. The
return value is printed as JSON on stdout, the $summary on stderr. Examples:
  dskit run add-update-record --prop key=greeting --prop value=hello --prop ttl=3600
  dskit run rate-limit --props-json '{"key": "api", "limit": 5, "windowSeconds": 60}'
  dskit run compare-data-stores --data-store staging --prop otherDataStore=production
  dskit run new-record            # the first run deploys the source; later runs poll it`,
      ),
  ).action(async (component: string, options: StoreOptions & { prop: string[]; propsJson?: string; propsFile?: string }) => {
    const sources = { pairs: options.prop, json: options.propsJson, file: options.propsFile, cwd };
    const { runComponent } = await import("./commands/run.mjs");
    await withStore(options, (storeFile) => runComponent(component, sources, storeFile, options.dataStore, io, buildRoot));
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
    await withStore(options, (storeFile) => commands.listCommand(storeFile.dataStore(options.dataStore), options, io));
  });

  withStoreOptions(
    store
      .command("get <key>")
      .description("print a record's value as JSON; exit 1 when the key is missing")
      .option("--internal", INTERNAL_HELP),
  ).action(async (key: string, options: StoreOptions & storeCommands.InternalOption) => {
    const commands = await loadStoreCommands();
    await withStore(options, (storeFile) => commands.getCommand(storeFile.dataStore(options.dataStore), key, options, io));
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
    store.command("import <file>").description('add the records of a JSON object {"key": value, …} (a file, or - for stdin)'),
  ).action(async (file: string, options: StoreOptions) => {
    const commands = await loadStoreCommands();
    await withStore(options, (storeFile) => commands.importCommand(storeFile.dataStore(options.dataStore), file, readInput, io));
  });

  withStoreOptions(
    store
      .command("export [file]")
      .description("write every record as one JSON object to a file (or stdout)")
      .option("--include-internal", "also export the package's own __dskit: records"),
  ).action(async (file: string | undefined, options: StoreOptions & { includeInternal?: boolean }) => {
    const commands = await loadStoreCommands();
    await withStore(options, (storeFile) => commands.exportCommand(storeFile.dataStore(options.dataStore), file, { ...options, cwd }, io));
  });

  withStoreOptions(
    store.command("stats").description("records, bytes as JSON, and bytes after Brotli compression (as Pipedream stores them)"),
  ).action(async (options: StoreOptions) => {
    const commands = await loadStoreCommands();
    await withStore(options, (storeFile) => commands.statsCommand(storeFile.dataStore(options.dataStore), options.dataStore, io));
  });

  return program;
}

/** Runs one dskit command (`argv` without node and the script) and returns its exit code. */
export async function main(argv: readonly string[], io: CliIo, context: CliContext = {}): Promise<number> {
  let exitCode = 0;
  const program = buildProgram(
    io,
    { cwd: context.cwd ?? process.cwd(), env: context.env ?? process.env, buildRoot: context.buildRoot ?? BUILD_ROOT },
    (code) => (exitCode = code),
  );
  try {
    await program.parseAsync([...argv], { from: "user" });
    return exitCode;
  } catch (error) {
    // --help ends here too, with its own exit code (0); a usage error is 2.
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    if (error instanceof UnknownComponentError || error instanceof PropValueError || error instanceof MissingStoreDriverError) {
      io.note(error.message);
      return 2;
    }
    if (error instanceof ConfigurationError || error instanceof UsageError) {
      io.note(error.message);
      return 1;
    }
    io.note(`${(error as Error).name ?? "Error"}: ${(error as Error).message ?? String(error)}`);
    return 1;
  }
}
