/**
 * Which store file a command uses, and why; and the folder that relative paths on the command
 * line start from. Kept apart from the commands so `dskit info` reports exactly what they use.
 */
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import type { StoreFile } from "../stores/sqlite-data-store.mjs";

export const DEFAULT_STORE_FILE = join(".dskit", "data-stores.db");

/** Where the store file's path came from, in the order that wins. */
export type StoreFileSource = "flag" | "environment" | "default";

export interface StoreFileChoice {
  /** Absolute path. */
  path: string;
  source: StoreFileSource;
  /** The choice in words, e.g. `the --store-file flag (x.db)` or `the default (.dskit/data-stores.db in /home/me)`. */
  why: string;
}

/**
 * The folder the user typed the command in. `npm run dskit` runs scripts in the package root and
 * keeps the user's folder in INIT_CWD; INIT_CWD counts only when this process runs in the folder
 * of the package.json npm ran (npm_package_json), so a dskit started by some other npm script
 * (say, `npm test` spawning it in a temp folder) keeps its own folder.
 */
export function userFolder(cwd: string, env: NodeJS.ProcessEnv): string {
  const initCwd = env.INIT_CWD;
  if (initCwd === undefined || initCwd === "") return cwd;
  const npmPackage = env.npm_package_json;
  if (npmPackage !== undefined && resolve(dirname(npmPackage)) !== resolve(cwd)) return cwd;
  return resolve(cwd, initCwd);
}

/** The flag wins over DSKIT_STORE_FILE, which wins over the default; relative paths start at `folder`. */
export function chooseStoreFile(flag: string | undefined, env: NodeJS.ProcessEnv, folder: string): StoreFileChoice {
  if (flag !== undefined && flag !== "") return { path: resolve(folder, flag), source: "flag", why: `the --store-file flag (${flag})` };
  const fromEnv = env.DSKIT_STORE_FILE;
  if (fromEnv !== undefined && fromEnv !== "") return { path: resolve(folder, fromEnv), source: "environment", why: `the environment (DSKIT_STORE_FILE=${fromEnv})` };
  return { path: resolve(folder, DEFAULT_STORE_FILE), source: "default", why: `the default (${DEFAULT_STORE_FILE} in ${folder})` };
}

/** Why a read cannot run on this choice: the file is missing. Undefined when it exists. */
export function missingStoreFileMessage(choice: StoreFileChoice): string | undefined {
  if (existsSync(choice.path)) return undefined;
  return (
    `dskit: store file ${choice.path}: it does not exist (chosen by ${choice.why}). ` +
    "Nothing is stored there yet: `dskit store set`, `store import` or `run` creates it; --store-file or DSKIT_STORE_FILE picks another."
  );
}

/**
 * Why a read of data store `name` cannot run: an empty name, or a name the file does not hold
 * while it holds others (most likely a typo), listing the names that exist. A data store stays in
 * the file from its first write until `dskit ui` deletes it, so a cleared store reads as 0 records;
 * a file with no data store at all is simply empty.
 */
export function unknownDataStoreMessage(storeFile: StoreFile, name: string, path: string): string | undefined {
  if (name === "") return "dskit: --data-store: the name is empty; give a data store's name (default: default).";
  const names = storeFile.dataStoreNames();
  if (names.length === 0 || names.includes(name)) return undefined;
  return `dskit: data store "${name}": not in ${path}; its data stores: ${names.join(", ")}.`;
}
