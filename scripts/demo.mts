/**
 * `npm run demo`: a short tour of dskit for a newcomer, against a fresh store in a temp folder.
 * Every step is a real `dskit` command, printed before it runs, with what it printed after.
 */
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const CLI = fileURLToPath(new URL("../dist/local/cli.mjs", import.meta.url));
const workspace = mkdtempSync(join(tmpdir(), "dskit-demo-"));
const env = { ...process.env, DSKIT_STORE_FILE: join(workspace, "data-stores.db") };

/**
 * Runs `dskit <args>`, printing the command, then what it wrote: results (stdout), then notes and
 * summaries (stderr). Asynchronous, so this process's own receiver can answer meanwhile. A
 * non-zero exit is shown, not fatal: some steps show errors on purpose.
 */
async function dskit(...args: string[]): Promise<void> {
  console.log(`\n$ dskit ${args.map((arg) => (/[\s"'{}]/.test(arg) ? `'${arg}'` : arg)).join(" ")}`);
  try {
    const { stdout, stderr } = await run(process.execPath, [CLI, ...args], { env, encoding: "utf8" });
    process.stdout.write(indent(stdout) + indent(stderr));
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    process.stdout.write(indent(failed.stdout) + indent(failed.stderr));
    console.log(`  (exit ${failed.code})`);
  }
}

const run = promisify(execFile);

function indent(text: string): string {
  return text.replace(/^(?=.)/gm, "  ");
}

function section(title: string): void {
  console.log(`\n## ${title}`);
}

/** A receiver on 127.0.0.1 that acknowledges every chunk and counts the records. */
async function startReceiver(): Promise<{ url: string; received: string[]; close: () => void }> {
  const received: string[] = [];
  const server = createServer((request, response) => {
    let body = "";
    request.on("data", (part: Buffer) => (body += part));
    request.on("end", () => {
      for (const { key } of JSON.parse(body) as { key: string }[]) received.push(key);
      response.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/ingest`, received, close: () => server.close() };
}

try {
  console.log(`A fresh store in ${workspace} (DSKIT_STORE_FILE). Nothing here needs a Pipedream account.`);

  section("Add records, read them back");
  await dskit("run", "add-update-multiple-records", "--props-json", '{"records": {"user:1": {"name": "Ada"}, "user:2": {"name": "Grace"}, "zip": "007"}}');
  await dskit("run", "get-record", "--prop", "key=zip");
  await dskit("store", "ls");

  section("Count: per day, exact for decimals");
  await dskit("run", "increment-counter", "--prop", "key=revenue", "--prop", "amount=19.99", "--prop", "bucket=day");
  await dskit("run", "increment-counter", "--prop", "key=revenue", "--prop", "amount=0.01", "--prop", "bucket=day");

  section("Rate-limit: 2 calls per minute; the third ends the workflow");
  for (let call = 1; call <= 3; call++) {
    await dskit("run", "rate-limit", "--props-json", '{"key": "crm-api", "limit": 2, "windowSeconds": 60}');
  }

  section("Export to a receiver on 127.0.0.1, deleting what it acknowledged");
  const receiver = await startReceiver();
  try {
    await dskit("run", "export-records", "--prop", `url=${receiver.url}`, "--prop", "prefix=user:", "--prop", "deleteAfterExport=true");
  } finally {
    receiver.close();
  }
  console.log(`\n  The receiver got: ${receiver.received.join(", ")}`);
  await dskit("store", "ls");
  await dskit("store", "stats");

  section("Mistakes get clear errors");
  await dskit("run", "add-update-record", "--prop", "key=greeting", "--prop", "value=hi", "--prop", "ttl=-5");
  await dskit("run", "get-recrd");
  console.log("\nThat's the tour. `dskit --help` lists every command; the README has the rest.");
} finally {
  rmSync(workspace, { recursive: true, force: true });
}
