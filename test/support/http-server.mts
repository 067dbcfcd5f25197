/**
 * A scripted HTTP server on 127.0.0.1 for tests of components that make requests. Each test
 * queues the replies it wants, in order (a status, a JSON or text body, headers, a dropped
 * connection, no answer at all, or a body dripped one byte at a time); when the queue runs out,
 * `fallback` answers. Every request received is recorded
 * (method, url, headers, body as text) so a test can check what reached the server and how often.
 *
 *   const server = await startTestServer();
 *   server.reply({ status: 429, headers: { "Retry-After": "2" } }, { drop: true }, { json: { ok: 1 } });
 *   server.reply({ status: 301, headers: { Location: "/moved" } }, { hang: true }, { drip: { intervalMs: 100, bytes: 30 } });
 *   ...
 *   await server.close();   // in afterEach / afterAll
 */
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";

export interface RecordedRequest {
  method: string;
  /** Path and query string, e.g. `/rates?city=Paris`. */
  url: string;
  /** As node gives them: names in lower case. */
  headers: IncomingHttpHeaders;
  /** The request body as text ("" when there was none). */
  body: string;
}

/**
 * One reply: a response; `{ drop: true }` to destroy the socket without answering; `{ hang: true }`
 * to never answer (until the client gives up or the server closes); or `{ drip }` to send the
 * status and headers at once, then the body one byte every `intervalMs` (a slow but live server).
 */
export type Reply =
  | {
      /** Default 200. */
      status?: number;
      /** Sent as JSON with `Content-Type: application/json`. */
      json?: unknown;
      /** Sent as is, when there is no `json`. */
      text?: string;
      headers?: Record<string, string>;
    }
  | { drop: true }
  | { hang: true }
  | { drip: { intervalMs: number; bytes: number; status?: number } };

/** A reply, or a function of the request that gives one (to echo it, say). */
export type Responder = Reply | ((request: RecordedRequest) => Reply);

export interface TestServer {
  /** The server's origin, e.g. `http://127.0.0.1:53124` (no trailing slash). */
  readonly url: string;
  /** Every request received, in order. */
  readonly requests: RecordedRequest[];
  /** Queues replies for the next requests, in order. */
  reply(...replies: Responder[]): void;
  /** Answers when no queued reply is left. Default: 200 with `{ "ok": true }`. */
  fallback: Responder;
  /** Stops the server, closing open (keep-alive) connections. */
  close(): Promise<void>;
}

/** Starts a server on 127.0.0.1 on a free port. */
export async function startTestServer(fallback: Responder = { json: { ok: true } }): Promise<TestServer> {
  const queue: Responder[] = [];
  const requests: RecordedRequest[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const request = {
        method: req.method ?? "",
        url: req.url ?? "",
        headers: req.headers,
        body: Buffer.concat(chunks).toString("utf8"),
      };
      requests.push(request);
      const responder = queue.shift() ?? testServer.fallback;
      const reply = typeof responder === "function" ? responder(request) : responder;
      if ("drop" in reply) {
        req.socket.destroy();
        return;
      }
      if ("hang" in reply) return;
      if ("drip" in reply) {
        const { intervalMs, bytes, status = 200 } = reply.drip;
        res.writeHead(status, { "Content-Type": "text/plain", "Content-Length": String(bytes) });
        let sent = 0;
        const timer = setInterval(() => {
          res.write("x");
          sent += 1;
          if (sent === bytes) {
            clearInterval(timer);
            res.end();
          }
        }, intervalMs);
        timers.add(timer);
        res.on("close", () => {
          clearInterval(timer);
          timers.delete(timer);
        });
        return;
      }
      const headers: Record<string, string> = { ...reply.headers };
      let body = reply.text ?? "";
      if (reply.json !== undefined) {
        body = JSON.stringify(reply.json);
        headers["Content-Type"] ??= "application/json";
      }
      res.writeHead(reply.status ?? 200, headers).end(body);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const testServer: TestServer = {
    url: `http://127.0.0.1:${port}`,
    requests,
    reply: (...replies) => void queue.push(...replies),
    fallback,
    close: () =>
      new Promise<void>((resolve, reject) => {
        for (const timer of timers) clearInterval(timer);
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
  return testServer;
}
