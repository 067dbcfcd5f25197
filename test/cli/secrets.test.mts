/**
 * dskit never prints a secret: header values and URL query values stay out of stdout and stderr,
 * whether a prop value is refused before anything runs or an HTTP request fails. Runs dskit in
 * this process through `main` (test/support/dskit-cli.mts) against a server on 127.0.0.1.
 */
import { afterAll, afterEach, beforeAll, describe, expect, test } from "@jest/globals";
import { DSKIT_TIMEOUT_MS, runDskit, tempFolders, type DskitResult } from "../support/dskit-cli.mjs";
import { startTestServer, type TestServer } from "../support/http-server.mjs";

const SECRET = "sk_live_51Hq8ZtR2eXv";
const folders = tempFolders();
let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
  // Every way of failing that could carry the secret back: a redirect echoing the query, a body echoing the headers.
  server.fallback = (request) => {
    if (request.url.startsWith("/ingest")) return { status: 301, headers: { Location: `/moved${request.url.slice("/ingest".length)}` } };
    if (request.url.startsWith("/reset")) return { drop: true };
    return { status: 500, json: { error: "upstream failed", authorization: request.headers.authorization, url: request.url } };
  };
});

afterAll(async () => {
  await server.close();
});

afterEach(() => folders.cleanup());

/** Neither stream holds the secret, nor its first six characters (a parse error quotes ten). */
function expectNoSecret(result: DskitResult): void {
  const printed = `${result.stdout}\n${result.stderr}`;
  expect(printed).not.toContain(SECRET.slice(0, 6));
}

describe("dskit run never prints a secret", () => {
  test(
    "a headers prop given as JSON text that is not an object, or as invalid JSON, is refused without quoting it",
    async () => {
      const cwd = folders.make();
      const [notAnObject, invalid] = await Promise.all([
        runDskit(
          ["run", "export-records", "--props-json", JSON.stringify({ url: `${server.url}/ingest`, headers: JSON.stringify({ Authorization: `Bearer ${SECRET}` }) })],
          { cwd },
        ),
        runDskit(["run", "cached-http-request", "--prop", `url=${server.url}/rates`, "--prop", `headers={"Authorization": "Bearer ${SECRET}`], { cwd }),
      ]);
      expect(notAnObject).toMatchObject({ status: 2, stdout: "" });
      expect(notAnObject.stderr).toMatch(/Prop "headers" takes a JSON object; got text of \d+ characters/);
      expect(invalid).toMatchObject({ status: 2, stdout: "" });
      expect(invalid.stderr).toMatch(/Prop "headers" is not valid JSON/);
      expectNoSecret(notAnObject);
      expectNoSecret(invalid);
      expect(server.requests).toHaveLength(0);
    },
    DSKIT_TIMEOUT_MS,
  );

  test(
    "HTTP failures (a 500 echoing the request, a dropped connection, a redirect echoing the query) are reported without it",
    async () => {
      const cwd = folders.make();
      const secretProps = ["--prop", `headers={"Authorization": "Bearer ${SECRET}"}`];
      expect((await runDskit(["store", "set", "rec-1", "one"], { cwd })).status).toBe(0);
      const [echoed, dropped, redirected] = await Promise.all([
        runDskit(["run", "cached-http-request", "--prop", `url=${server.url}/rates?token=${SECRET}&flag`, ...secretProps], { cwd }),
        runDskit(["run", "cached-http-request", "--prop", `url=${server.url}/reset?token=${SECRET}`, ...secretProps], { cwd }),
        runDskit(
          ["run", "export-records", "--prop", `url=${server.url}/ingest?token=${SECRET}&flag`, "--prop", "deleteAfterExport=true", ...secretProps],
          { cwd },
        ),
      ]);
      expect(echoed.status).toBe(1);
      expect(echoed.stderr).toMatch(/HttpStatusError: The request failed with HTTP 500: .*"authorization":"\[redacted\]"/);
      expect(dropped.status).toBe(1);
      expect(dropped.stderr).toMatch(/HttpRequestError: GET 127\.0\.0\.1:\d+\/reset failed: connection failed \(ECONNRESET\)/);
      expect(redirected.status).toBe(1);
      expect(redirected.stderr).toContain("HTTP 301 redirecting to /moved?token=[redacted]&[redacted]: redirects are not followed");
      for (const result of [echoed, dropped, redirected]) expectNoSecret(result);
      // The redirect deleted nothing.
      const stored = await runDskit(["store", "export"], { cwd });
      expect(JSON.parse(stored.stdout)).toEqual({ "rec-1": "one" });
    },
    DSKIT_TIMEOUT_MS,
  );
});
