/**
 * `dskit store import`: a JSON object, a JSON array of { key, value, ttl? }, NDJSON and CSV, by
 * extension or by content; every record checked before the first write, so a bad row writes
 * nothing and the message names it.
 */
import { afterEach, expect, test } from "@jest/globals";
import { readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { DSKIT_TIMEOUT_MS, runDskit, tempFolders, type DskitResult } from "../support/dskit-cli.mjs";

const folders = tempFolders();
afterEach(() => folders.cleanup());

function ok(result: DskitResult): DskitResult {
  expect({ status: result.status, stderr: result.stderr }).toMatchObject({ status: 0 });
  return result;
}

async function exported(cwd: string, dataStore = "default"): Promise<unknown> {
  return JSON.parse(ok(await runDskit(["store", "export", "--data-store", dataStore], { cwd })).stdout);
}

test(
  "each format by extension: JSON object and array, NDJSON (.ndjson, .jsonl), CSV with and without a header",
  async () => {
    const cwd = folders.make();
    const files: Record<string, string> = {
      "object.json": '{"o1": "42", "o2": {"a": 1}}',
      "array.json": '[{"key": "a1", "value": "text"}, {"key": "a2", "value": 2, "ttl": 3600}]',
      "lines.ndjson": '{"key": "n1", "value": "007"}\n\n{"key": "n2", "value": [1, 2], "ttl": 60}\n',
      "lines.jsonl": '{"key": "j1", "value": null}\n',
      "header.csv": 'key,value,ttl\nc1,42,\nc2,"{""a"": 1}",3600\nc3,2024-12-31,\nc4,"two, words",\n',
      "plain.csv": "p1,true\r\np2,007\r\n",
    };
    const expected: Record<string, [string, number, unknown]> = {
      "object.json": ["JSON", 2, { o1: "42", o2: { a: 1 } }],
      "array.json": ["JSON", 2, { a1: "text", a2: 2 }],
      "lines.ndjson": ["NDJSON", 2, { n1: "007", n2: [1, 2] }],
      "lines.jsonl": ["NDJSON", 1, { j1: null }],
      // CSV cells read like Value Type auto: valid JSON as JSON, other text as text.
      "header.csv": ["CSV", 4, { c1: 42, c2: { a: 1 }, c3: "2024-12-31", c4: "two, words" }],
      "plain.csv": ["CSV", 2, { p1: true, p2: "007" }],
    };
    for (const [file, text] of Object.entries(files)) {
      writeFileSync(join(cwd, file), text);
      const store = file.replace(".", "-");
      const imported = ok(await runDskit(["store", "import", file, "--data-store", store], { cwd }));
      const [format, count, records] = expected[file]!;
      expect({ file, note: imported.stderr }).toEqual({ file, note: `Imported ${count} record${count === 1 ? "" : "s"} (${format})\n` });
      expect({ file, records: await exported(cwd, store) }).toEqual({ file, records });
    }
  },
  DSKIT_TIMEOUT_MS,
);

test(
  "by content: stdin takes JSON or NDJSON, a file without a known extension CSV too; --format overrides",
  async () => {
    const cwd = folders.make();
    ok(await runDskit(["store", "import", "-"], { cwd, input: '{"key": "s1", "value": 1}\n{"key": "s2", "value": 2}\n' }));
    ok(await runDskit(["store", "import", "-"], { cwd, input: '[{"key": "s3", "value": 3}]' }));
    writeFileSync(join(cwd, "data.txt"), "t1,x\n");
    expect(ok(await runDskit(["store", "import", "data.txt"], { cwd })).stderr).toMatch(/\(CSV\)/);
    expect(ok(await runDskit(["store", "import", "-", "--format", "csv"], { cwd, input: "s4,4\n" })).stderr).toMatch(/Imported 1 record \(CSV\)/);
    expect(await exported(cwd)).toEqual({ s1: 1, s2: 2, s3: 3, s4: 4, t1: "x" });
    const badFormat = await runDskit(["store", "import", "-", "--format", "xml"], { cwd, input: "{}" });
    expect(badFormat.status).toBe(2);
    expect(badFormat.stderr).toMatch(/--format must be one of json, ndjson, csv/);
  },
  DSKIT_TIMEOUT_MS,
);

test(
  "a bad row anywhere writes nothing; exit 2 with a message naming the row",
  async () => {
    const cwd = folders.make();
    ok(await runDskit(["store", "set", "kept", "1"], { cwd }));
    const cases: { file: string; text: string; message: RegExp }[] = [
      { file: "bad-ttl.csv", text: "key,value,ttl\na,1,\nb,2,-5\n", message: /bad-ttl\.csv row 3 ttl must be a whole number of seconds/ },
      { file: "columns.csv", text: "a,1\nb\n", message: /columns\.csv row 2 has 1 column; write key,value or key,value,ttl/ },
      { file: "reserved.csv", text: "a,1\n__dskit:counter:x,2\n", message: /reserved\.csv row 2 key/ },
      { file: "twice.csv", text: "a,1\na,2\n", message: /twice\.csv has the key "a" more than once/ },
      { file: "quote.csv", text: 'a,"1\n', message: /quote\.csv is not valid CSV/ },
      { file: "bad.ndjson", text: '{"key": "a", "value": 1}\n\n{"key": "b"}\n', message: /bad\.ndjson line 3 has no "value"/ },
      { file: "json.ndjson", text: '{"key": "a", "value": 1}\n{oops\n', message: /json\.ndjson line 2 is not valid JSON/ },
      { file: "field.ndjson", text: '{"key": "a", "value": 1, "tll": 5}\n', message: /field\.ndjson line 1 has an unknown field "tll"/ },
      { file: "item.json", text: '[{"key": "a", "value": 1}, {"key": "", "value": 2}]', message: /item\.json item 2 "key"/ },
      { file: "empty.csv", text: "key,value\n", message: /empty\.csv holds no records/ },
    ];
    for (const { file, text, message } of cases) {
      writeFileSync(join(cwd, file), text);
      const result = await runDskit(["store", "import", file], { cwd });
      expect({ file, status: result.status, stdout: result.stdout }).toEqual({ file, status: 2, stdout: "" });
      expect({ file, stderr: result.stderr }).toEqual({ file, stderr: expect.stringMatching(message) });
      expect(result.stderr).toMatch(/^dskit: store import .+ Nothing was imported\.\n$/);
    }
    expect(await exported(cwd)).toEqual({ kept: 1 });

    const missing = await runDskit(["store", "import", "nope.json"], { cwd });
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/^dskit: store import nope\.json: \S/);
    expect(missing.stderr).not.toMatch(/ENOENT|\n\s+at /);
    // An unreadable input does not create the store file either.
    const fresh = folders.make();
    expect((await runDskit(["store", "import", "nope.csv"], { cwd: fresh })).status).toBe(2);
    expect(readdirSync(fresh)).toEqual([]);
  },
  DSKIT_TIMEOUT_MS,
);
