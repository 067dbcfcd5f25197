/**
 * `dskit run <file>`: a component file written by anyone (an action or a source as written for
 * `pd publish`, a Node.js code step's `defineComponent({ … })`, in JavaScript or TypeScript) run
 * through the same runtime as the package's own components (runLoadedComponent, run.mts): props
 * checked and coerced by declared type, data_store props on the embedded store, `$.service.db` in
 * the store file per component key (per file path when there is none), `$auth` from `--auth-file`,
 * `steps` from `--steps-file`. Everything that can be checked is checked before the store opens.
 */
import { existsSync, statSync } from "node:fs";
import { extname, resolve } from "node:path";
import { ConfigurationError } from "@pipedream/platform";
import { normaliseComponent, type ComponentDefinition } from "../../runtime/component.mjs";
import type { StoreFile } from "../../stores/sqlite-data-store.mjs";
import type { CliIo } from "../output.mjs";
import { collectPropValues, isRequired, PropValueError, readJsonObjectFile, settableProps, type PropSources } from "../prop-values.mjs";
import { appsNeedingAuth, checkAuth, readAuthFile } from "../run-file/auth.mjs";
import { COMPONENT_FILE_EXTENSIONS } from "../run-file/detect.mjs";
import { ComponentFileError, importComponentFile } from "../run-file/load-module.mjs";
import { makeRedact, redactingIo, secretTexts, withConsoleToStderr, type Redact } from "../run-file/secrets.mjs";
import { failureText } from "../failure.mjs";
import { runLoadedComponent } from "./run.mjs";

export interface FileRunSources extends PropSources {
  /** The folder relative paths start from (the file, --props-file, --steps-file, --auth-file). */
  cwd: string;
  stepsFile?: string;
  authFile?: string;
}

/** A component file loaded and checked, ready to run against a store file. */
export interface PreparedFileRun {
  /** Resolves to the exit code: 1 when a promise the component did not await was rejected during the run. */
  run(storeFile: StoreFile, dataStoreName: string, options: { dryRun: boolean }): Promise<0 | 1>;
}

/** Loads the file named on the command line, checks its props, steps and credentials: every exit-2 mistake before the store opens. */
export async function prepareFileRun(argument: string, sources: FileRunSources, io: CliIo): Promise<PreparedFileRun> {
  const path = resolve(sources.cwd, argument);
  if (!existsSync(path)) throw new ComponentFileError("no such file");
  if (statSync(path).isDirectory()) throw new ComponentFileError(`it is a folder; give a component file (${COMPONENT_FILE_EXTENSIONS.join(", ")}).`);
  if (!(COMPONENT_FILE_EXTENSIONS as readonly string[]).includes(extname(path))) {
    throw new ComponentFileError(`dskit runs component files ending in ${COMPONENT_FILE_EXTENSIONS.join(", ")}.`);
  }
  const steps = sources.stepsFile === undefined ? {} : readJsonObjectFile("--steps-file", sources.stepsFile, sources.cwd, '{"trigger": {"event": {…}}}');
  const auth = sources.authFile === undefined ? undefined : readAuthFile(sources.authFile, sources.cwd);
  // The module's own top-level logging is the step's logs too: stderr, never stdout.
  const exported = await withConsoleToStderr(io, () => importComponentFile(path));
  let component: ComponentDefinition;
  try {
    component = normaliseComponent(exported, argument);
  } catch (error) {
    throw new ComponentFileError((error as Error).message);
  }
  const values = collectFileProps(component, sources);
  const apps = appsNeedingAuth(component);
  checkAuth(apps, auth, sources.authFile, path);
  const hasOwnKey = component.key !== argument;
  const loaded = { key: component.key, dbKey: hasOwnKey ? component.key : `file:${path}`, component };
  const redact = makeRedact(secretTexts(component, values, auth ?? {}));
  return {
    async run(storeFile, dataStoreName, { dryRun }) {
      const output = redactingIo(io, redact);
      const unawaited = watchUnawaitedRejections(argument, output, redact);
      try {
        await withConsoleToStderr(output, () => runLoadedComponent(loaded, values, storeFile, dataStoreName, output, { dryRun, steps, auth: auth ?? {} }));
      } catch (error) {
        throw asShown(error, redact);
      }
      return unawaited.seen() ? 1 : 0;
    },
  };
}

/**
 * A promise the component started and never awaited may reject during the run or after it. Node
 * would print its stack and stop; the platform shows it in the step's logs. Here it is one line in
 * dskit's form, secrets redacted, and the run fails: exit 1, also when the rejection comes after
 * the result was printed. Watched for the rest of the process (a file run is the process's only run).
 */
function watchUnawaitedRejections(argument: string, output: CliIo, redact: Redact): { seen(): boolean } {
  let seen = false;
  process.on("unhandledRejection", (reason) => {
    seen = true;
    output.note(`dskit: run ${argument}: a promise the component did not await was rejected: ${failureText(asShown(reason, redact))}`);
    process.exitCode = 1;
  });
  return { seen: () => seen };
}

/**
 * The prop values, as for the package's own components (collectPropValues); a file has no
 * `dskit describe`, so a message about props ends with the file's props instead.
 */
function collectFileProps(component: ComponentDefinition, sources: PropSources): Record<string, unknown> {
  try {
    return collectPropValues(component, sources);
  } catch (error) {
    if (!(error instanceof PropValueError)) throw error;
    const message = error.message.replace(/ See `dskit describe [^`]*`\.$/, "");
    if (message.includes("Its props:")) throw new PropValueError(message);
    throw new PropValueError(`${message} Its props: ${propList(component)}.`);
  }
}

/** Each prop a user sets: name, type, and required or optional. */
function propList(component: ComponentDefinition): string {
  const props = [...settableProps(component)];
  if (props.length === 0) return "none";
  return props.map(([name, spec]) => `${name} (${spec.type ?? "any"}, ${isRequired(spec) ? "required" : "optional"})`).join(", ");
}

/**
 * An error as dskit prints it (main.mts): the platform's `ConfigurationError` by its message alone,
 * whichever copy of @pipedream/platform the file imported (recognised by name); any other error with
 * its name. Secrets are taken out of the message.
 */
function asShown(error: unknown, redact: Redact): unknown {
  if (error instanceof PropValueError) {
    const redacted = redact(error.message);
    return redacted === error.message ? error : new PropValueError(redacted);
  }
  const name = (error as Error | null)?.name;
  const message = redact(typeof (error as Error | null)?.message === "string" ? (error as Error).message : String(error));
  if (name === "ConfigurationError") return new ConfigurationError(message);
  const shown = new Error(message);
  shown.name = typeof name === "string" && name !== "" ? name : "Error";
  return shown;
}
