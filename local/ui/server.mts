/**
 * `dskit ui`'s server: hono on Node's http server, on 127.0.0.1 only, over one open store file.
 * Guards first (local/ui/security.mts), then the JSON API, then the page's files.
 */
import type { AddressInfo } from "node:net";
import { createAdaptorServer } from "@hono/node-server";
import { Hono } from "hono";
import type { StoreFile } from "../../stores/sqlite-data-store.mjs";
import { apiRoutes } from "./api.mjs";
import { errorResponse } from "./api-support.mjs";
import { newToken, requestChecks, securityHeaders } from "./security.mjs";
import { pageRoutes } from "./static.mjs";

export interface DashboardOptions {
  storeFile: StoreFile;
  /** Shown on the page and in `GET /api/data-stores`. */
  storeFilePath: string;
  /** 0 picks a free port. */
  port: number;
  /** The address listened on: loopback only; the default is 127.0.0.1. */
  host?: "127.0.0.1" | "localhost";
  /** The clock of `ttlSeconds`, ms since the epoch; give the store file's own. Default Date.now. */
  now?: () => number;
}

export interface Dashboard {
  /** The address to open: `http://127.0.0.1:<port>/?token=<token>`. */
  url: string;
  /** `http://127.0.0.1:<port>`. */
  origin: string;
  port: number;
  token: string;
  /** Stops listening and ends open connections. */
  close(): Promise<void>;
}

/** Thrown when the port is taken: the command turns it into exit 2 and a hint. */
export class PortInUseError extends Error {
  override name = "PortInUseError";
  constructor(readonly port: number) {
    super(`port ${port} is in use`);
  }
}

/** Starts the dashboard and resolves once it listens. */
export async function startDashboard(options: DashboardOptions): Promise<Dashboard> {
  const token = newToken();
  let port = options.port;
  const app = new Hono();
  app.use("*", securityHeaders());
  app.use("*", requestChecks({ token, port: () => port }));
  apiRoutes(app, { storeFile: options.storeFile, storeFilePath: options.storeFilePath, now: options.now ?? Date.now });
  pageRoutes(app);
  app.onError((error, c) => errorResponse(error, c));

  const server = createAdaptorServer({ fetch: app.fetch });
  await new Promise<void>((resolve, reject) => {
    const failed = (error: NodeJS.ErrnoException) => reject(error.code === "EADDRINUSE" ? new PortInUseError(options.port) : error);
    server.once("error", failed);
    server.listen(options.port, options.host ?? "127.0.0.1", () => {
      server.off("error", failed);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;
  const origin = `http://${options.host ?? "127.0.0.1"}:${port}`;
  return {
    url: `${origin}/?token=${token}`,
    origin,
    port,
    token,
    close: () =>
      new Promise<void>((resolve, reject) => {
        // Keep-alive connections (a browser's) would hold close() open: end them.
        if ("closeAllConnections" in server) server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
