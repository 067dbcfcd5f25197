/**
 * `dskit ui`: the dashboard for the store file in use, on 127.0.0.1 until Ctrl+C (or the context's
 * signal, in tests). Loaded only by this command: hono and the page stay out of every other
 * command's start-up.
 */
import { spawn } from "node:child_process";
import type { StoreFile } from "../../stores/sqlite-data-store.mjs";
import type { Output } from "../output.mjs";
import { PortInUseError, startDashboard } from "../ui/server.mjs";
import type { ExitCode } from "./store.mjs";

export interface UiOptions {
  port: number;
  /** Open the default browser (not with --no-open, under CI, or without a display). */
  open: boolean;
  /** The data store to show first (when --data-store was typed); the list of data stores otherwise. */
  dataStore?: string;
}

export interface UiContext {
  env: NodeJS.ProcessEnv;
  /** Stops the server when aborted; without one, SIGINT or SIGTERM does. */
  signal?: AbortSignal;
}

/** Serves the dashboard until stopped; a taken port is exit 2 with what to pass instead. */
export async function uiCommand(storeFile: StoreFile, storeFilePath: string, options: UiOptions, output: Output, context: UiContext): Promise<ExitCode> {
  let dashboard: Awaited<ReturnType<typeof startDashboard>>;
  try {
    dashboard = await startDashboard({ storeFile, storeFilePath, port: options.port });
  } catch (error) {
    if (!(error instanceof PortInUseError)) throw error;
    output.note(`dskit: ui: port ${options.port} is in use; pass --port <another> or --port 0`);
    return 2;
  }
  const address = options.dataStore === undefined ? dashboard.url : `${dashboard.url}#/stores/${encodeURIComponent(options.dataStore)}`;
  output.line(address);
  const opened = options.open && openBrowser(address, context.env);
  output.note(`dskit ui: ${storeFilePath} at ${dashboard.origin}${opened ? "" : "; open the address above in a browser"}. Ctrl+C stops it.`);
  await stopped(context.signal);
  await dashboard.close();
  output.note("dskit ui: stopped.");
  return 0;
}

/** Resolves when `signal` aborts, or without one at SIGINT or SIGTERM. */
async function stopped(signal: AbortSignal | undefined): Promise<void> {
  if (signal !== undefined) {
    if (!signal.aborted) await new Promise((resolve) => signal.addEventListener("abort", resolve, { once: true }));
    return;
  }
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      resolve();
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  });
}

/**
 * Asks the system to open `url` in the default browser, detached and errors ignored (a missing
 * xdg-open is no failure: the address is printed). Not under CI, nor on a Linux without a display.
 * Returns whether it tried.
 */
function openBrowser(url: string, env: NodeJS.ProcessEnv): boolean {
  if (env.CI !== undefined && env.CI !== "" && env.CI !== "false") return false;
  const [command, args] =
    process.platform === "darwin"
      ? ["open", [url]]
      : process.platform === "win32"
        ? // start's first quoted argument is a window title; the URL holds no & or ^ (token and names are URL-encoded).
          ["cmd", ["/c", "start", '""', url]]
        : ["xdg-open", [url]];
  if (process.platform !== "darwin" && process.platform !== "win32" && !env.DISPLAY && !env.WAYLAND_DISPLAY) return false;
  try {
    const child = spawn(command, args as string[], { detached: true, stdio: "ignore", env });
    child.on("error", () => undefined);
    child.unref();
    return true;
  } catch {
    return false;
  }
}
