#!/usr/bin/env node
/**
 * dskit: run the package's components on your own machine, against an embedded SQLite data store.
 *
 *   dskit list
 *   dskit run get-record --prop key=greeting
 *   dskit store set greeting '"hello"' --ttl 3600
 *
 * Exit codes: 0 success (also when an action ends the workflow with $.flow.exit), 1 a failed run
 * (a ConfigurationError, a missing key for `store get`, a declined `store clear`), 2 a command that
 * cannot run as typed (unknown component, unknown prop, a value that does not fit its prop).
 */
import { createInterface } from "node:readline/promises";
import { join, resolve } from "node:path";
import { Command, CommanderError, Option } from "commander";
import { ConfigurationError } from "@pipedream/platform";
import { UsageError } from "../lib/errors.mjs";
import { listCatalog, loadComponent, UnknownComponentError } from "./catalog.mjs";
import { runComponent } from "./commands/run.mjs";
import * as storeCommands from "./commands/store.mjs";
import { processOutput as output } from "./output.mjs";
import { PropValueError } from "./prop-values.mjs";
import type { StoreFile } from "../stores/sqlite-data-store.mjs";

const DEFAULT_STORE_FILE = join(".dskit", "data-stores.db");

interface StoreOptions {
  storeFile?: string;
  dataStore: string;
}

/** --store-file and --data-store, on every command that touches a store. */
function withStoreOptions(command: Command): Command {
  return command
    .addOption(
      new Option("--store-file <path>", `the SQLite file holding the data stores (default: ${DEFAULT_STORE_FILE} in this folder)`).env(
        "DSKIT_STORE_FILE",
      ),
    )
    .option("--data-store <name>", "which data store in the file, as a workspace has several", "default");
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

/** Opens the store file for one command and closes it after, whatever happens. */
async function withStore(options: StoreOptions, action: (storeFile: StoreFile) => Promise<number | void>): Promise<void> {
  const storeFile = await openStoreFile(resolve(options.storeFile ?? DEFAULT_STORE_FILE));
  try {
    process.exitCode = (await action(storeFile)) ?? 0;
  } finally {
    storeFile.close();
  }
}

const program = new Command("dskit")
  .description("Run pd-datastore-kit's Pipedream components locally, against an embedded data store.")
  .showHelpAfterError("(run with --help for usage)")
  .exitOverride();

program
  .command("list")
  .description("every action and source, with its key and name")
  .action(async () => {
    for (const entry of listCatalog()) {
      const { component } = await loadComponent(entry.name);
      output.line(`${entry.kind.padEnd(6)}  ${entry.name.padEnd(28)}  ${entry.key.padEnd(40)}  ${component.name ?? ""}`);
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
  await withStore(options, (storeFile) =>
    runComponent(component, { pairs: options.prop, json: options.propsJson, file: options.propsFile }, storeFile, options.dataStore, output),
  );
});

const store = program.command("store").description("the dashboard's record operations, on the embedded store");

/** Keys under the reserved prefix are the package's state: get, set and rm refuse them without this. */
const INTERNAL_HELP = "allow a key under the reserved __dskit: prefix (the package's own state: counter parts, limiters, dedupe, caches)";

withStoreOptions(
  store
    .command("ls")
    .description("list records sorted by key, one per line: key, tab, value as JSON")
    .option("--prefix <text>", "only keys starting with this")
    .option("--keys-only", "print only the keys")
    .option("--include-internal", "also list the package's own __dskit: records"),
).action(async (options: StoreOptions & storeCommands.ListOptions) => {
  await withStore(options, (storeFile) => storeCommands.listCommand(storeFile.dataStore(options.dataStore), options, output));
});

withStoreOptions(
  store
    .command("get <key>")
    .description("print a record's value as JSON; exit 1 when the key is missing")
    .option("--internal", INTERNAL_HELP),
).action(async (key: string, options: StoreOptions & storeCommands.InternalOption) => {
  await withStore(options, (storeFile) => storeCommands.getCommand(storeFile.dataStore(options.dataStore), key, options, output));
});

withStoreOptions(
  store
    .command("set <key> <value>")
    .description("add or replace a record; the value is read like Value Type auto: valid JSON as JSON, other text as text")
    .option("--ttl <seconds>", "delete the record this many seconds from now (0 or none: never)")
    .option("--value-type <type>", "auto, string or json", "auto")
    .option("--internal", INTERNAL_HELP),
).action(async (key: string, value: string, options: StoreOptions & { ttl?: string; valueType?: string } & storeCommands.InternalOption) => {
  await withStore(options, (storeFile) => storeCommands.setCommand(storeFile.dataStore(options.dataStore), key, value, options, output));
});

withStoreOptions(store.command("rm <keys...>").description("delete records by key").option("--internal", INTERNAL_HELP)).action(
  async (keys: string[], options: StoreOptions & storeCommands.InternalOption) => {
    await withStore(options, (storeFile) => storeCommands.removeCommand(storeFile.dataStore(options.dataStore), keys, options, output));
  },
);

withStoreOptions(
  store
    .command("clear")
    .description("delete every record of the data store (asks first)")
    .option("-y, --yes", "do not ask")
    .option("--internal", "also delete the package's own __dskit: records, resetting its counters' parts, limits, dedupe and caches"),
).action(async (options: StoreOptions & { yes?: boolean } & storeCommands.InternalOption) => {
  await withStore(options, (storeFile) =>
    storeCommands.clearCommand(
      storeFile.dataStore(options.dataStore),
      () => confirmClear(options.dataStore, options.yes),
      options,
      output,
    ),
  );
});

withStoreOptions(
  store.command("import <file>").description('add the records of a JSON object {"key": value, …} (a file, or - for stdin)'),
).action(async (file: string, options: StoreOptions) => {
  await withStore(options, (storeFile) => storeCommands.importCommand(storeFile.dataStore(options.dataStore), file, output));
});

withStoreOptions(
  store
    .command("export [file]")
    .description("write every record as one JSON object to a file (or stdout)")
    .option("--include-internal", "also export the package's own __dskit: records"),
).action(async (file: string | undefined, options: StoreOptions & { includeInternal?: boolean }) => {
  await withStore(options, (storeFile) => storeCommands.exportCommand(storeFile.dataStore(options.dataStore), file, options, output));
});

withStoreOptions(
  store.command("stats").description("records, bytes as JSON, and bytes after Brotli compression (as Pipedream stores them)"),
).action(async (options: StoreOptions) => {
  await withStore(options, (storeFile) => storeCommands.statsCommand(storeFile.dataStore(options.dataStore), options.dataStore, output));
});

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** Asks on the terminal; without one (a script, CI) only --yes clears. */
async function confirmClear(dataStore: string, yes: boolean | undefined): Promise<boolean> {
  if (yes) return true;
  if (!process.stdin.isTTY) {
    output.note(`Refusing to clear "${dataStore}" without confirmation: stdin is not a terminal. Add --yes.`);
    return false;
  }
  const prompt = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await prompt.question(`Delete every record of data store "${dataStore}"? This cannot be undone. Type yes: `);
    return answer.trim().toLowerCase() === "yes";
  } finally {
    prompt.close();
  }
}

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    // --help and --version end here too, with their own exit code (0).
    process.exitCode = error.exitCode === 0 ? 0 : 2;
  } else if (error instanceof UnknownComponentError || error instanceof PropValueError || error instanceof MissingStoreDriverError) {
    output.note(error.message);
    process.exitCode = 2;
  } else if (error instanceof ConfigurationError || error instanceof UsageError) {
    output.note(error.message);
    process.exitCode = 1;
  } else {
    output.note(`${(error as Error).name ?? "Error"}: ${(error as Error).message ?? String(error)}`);
    process.exitCode = 1;
  }
}
