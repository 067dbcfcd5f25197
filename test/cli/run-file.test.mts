/**
 * `dskit run <file>`: component files written for these tests (test/fixtures/run-file/projects.mts)
 * in their own temp folders, run by the BUILT cli in child processes, as a user runs them: the
 * files are imported by Node's own loader, which jest's module registry would stand in for.
 * Independent runs go at once. `npm test` builds dist/ first; run `npm run build` before this file alone.
 */
import { afterEach, describe, expect, test } from "@jest/globals";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { REPO_ROOT } from "../support/components.mjs";
import { DSKIT_TIMEOUT_MS, dskit, dskitAsync, runDskit, tempFolders, type DskitResult } from "../support/dskit-cli.mjs";
import { GITHUB_ACTION, GITHUB_TOKEN, GREETING_STEP, NOTES_ACTION, TYPESCRIPT_ACTION, writeFiles } from "../fixtures/run-file/projects.mjs";

const folders = tempFolders();
afterEach(() => folders.cleanup());

/** A folder holding `files`, and nothing else: no node_modules but the test's own. */
function project(files: Record<string, string>): string {
  const cwd = folders.make();
  writeFiles(cwd, files);
  return cwd;
}

function jsonOf(result: DskitResult): unknown {
  expect({ status: result.status, stderr: result.stderr }).toMatchObject({ status: 0 });
  return JSON.parse(result.stdout);
}

const SAVE_NOTE = "notes/actions/save-note/save-note.mjs";

describe("dskit run <file>: an action with an app file, propDefinitions and an npm package", () => {
  test(
    "runs against the local store: props through the app's propDefinitions, coerced by type; console and $summary on stderr",
    async () => {
      const cwd = project(NOTES_ACTION);
      const saved = dskit(["run", `./${SAVE_NOTE}`, "--prop", "key=ab", "--prop", "width=5", "--prop", "tags=x", "--prop", "tags=y"], { cwd });
      expect(jsonOf(saved)).toEqual({ key: "note:ab", padded: "***ab", width: 5, tags: ["x", "y"] });
      expect(saved.stderr).toBe("saving note ab\nSaved note ***ab\n");
      // The default of the app's propDefinition; the record is in the store file of the folder.
      const defaulted = dskit(["run", SAVE_NOTE, "--props-json", '{"key": "c"}'], { cwd });
      expect(jsonOf(defaulted)).toMatchObject({ padded: "*******c", width: 8 });
      expect(jsonOf(dskit(["store", "get", "note:ab"], { cwd }))).toBe("***ab");
    },
    DSKIT_TIMEOUT_MS,
  );

  test(
    "a missing required prop, an unknown prop or a mistyped value is exit 2 with the file's props; a ConfigurationError is exit 1 with its message alone",
    async () => {
      const cwd = project(NOTES_ACTION);
      const [missing, unknown, mistyped, configuration, crash] = await Promise.all([
        dskitAsync(["run", SAVE_NOTE], { cwd }),
        dskitAsync(["run", SAVE_NOTE, "--prop", "key=a", "--prop", "witdh=3"], { cwd }),
        dskitAsync(["run", SAVE_NOTE, "--prop", "key=a", "--prop", "width=wide"], { cwd }),
        dskitAsync(["run", SAVE_NOTE, "--prop", "key= "], { cwd }),
        dskitAsync(["run", SAVE_NOTE, "--prop", "key=crash"], { cwd }),
      ]);
      expect(missing).toMatchObject({ status: 2, stdout: "" });
      expect(missing.stderr).toBe(
        `dskit: run ${SAVE_NOTE}: notes-save-note needs the required prop "key": add --prop key=<value>. ` +
          "Its props: key (string, required), width (integer, optional), tags (string[], optional).\n",
      );
      expect(unknown).toMatchObject({ status: 2, stdout: "" });
      expect(unknown.stderr).toMatch(/has no prop "witdh"\. Did you mean width\? Its props: key, width, tags\./);
      expect(mistyped).toMatchObject({ status: 2, stdout: "" });
      expect(mistyped.stderr).toMatch(/Prop "width" takes a whole number; got "wide"/);
      expect(configuration).toMatchObject({ status: 1, stdout: "", stderr: `dskit: run ${SAVE_NOTE}: Key must not be empty: enter the note's key.\n` });
      expect(crash).toMatchObject({ status: 1, stdout: "" });
      expect(crash.stderr).toMatch(new RegExp(`^dskit: run ${SAVE_NOTE}: TypeError: Cannot read properties of null`));
      expect(crash.stderr).not.toMatch(/\n\s+at /);
    },
    DSKIT_TIMEOUT_MS,
  );

  test(
    "a ConfigurationError from the file's own copy of @pipedream/platform is recognised by its name",
    () => {
      const cwd = project({
        ...NOTES_ACTION,
        // A copy of the platform beside the file wins over dskit's, as Node resolves it; its class is not dskit's.
        "node_modules/@pipedream/platform/package.json": JSON.stringify({ name: "@pipedream/platform", version: "9.9.9", main: "index.js" }),
        "node_modules/@pipedream/platform/index.js":
          'class ConfigurationError extends Error { constructor(message) { super(message); this.name = "ConfigurationError"; } }\nmodule.exports = { ConfigurationError };\n',
      });
      const refused = dskit(["run", SAVE_NOTE, "--prop", "key= "], { cwd });
      expect(refused).toMatchObject({ status: 1, stdout: "", stderr: `dskit: run ${SAVE_NOTE}: Key must not be empty: enter the note's key.\n` });
    },
    DSKIT_TIMEOUT_MS,
  );

  test(
    "a CommonJS component file (module.exports) runs too",
    () => {
      const cwd = project({
        "count.cjs": `module.exports = {
  key: "demo-count-keys", name: "Count Keys", version: "0.0.1", type: "action",
  props: { dataStore: { type: "data_store" } },
  async run() { return { keys: (await this.dataStore.keys()).length }; },
};\n`,
      });
      expect(dskit(["store", "set", "a", "1"], { cwd }).status).toBe(0);
      expect(jsonOf(dskit(["run", "count.cjs"], { cwd }))).toEqual({ keys: 1 });
    },
    DSKIT_TIMEOUT_MS,
  );

  test(
    "a file that cannot be run: missing (exit 2, no store file made), a missing npm package (exit 2, says what to install), no default export (exit 2)",
    async () => {
      const cwd = project({
        "needs-package.mjs": 'import slugify from "slugify-nowhere";\nexport default { key: "x-y", type: "action", version: "0.0.1", run() { return slugify; } };\n',
        "named-only.mjs": "export const component = { run() {} };\n",
      });
      const [missing, unresolved, noDefault] = await Promise.all([
        dskitAsync(["run", "./x.mjs"], { cwd }),
        dskitAsync(["run", "./needs-package.mjs"], { cwd }),
        dskitAsync(["run", "./named-only.mjs"], { cwd }),
      ]);
      expect(missing).toEqual({ status: 2, stdout: "", stderr: "dskit: run ./x.mjs: no such file\n" });
      expect(unresolved).toMatchObject({ status: 2, stdout: "" });
      expect(unresolved.stderr).toMatch(/it imports the package "slugify-nowhere", which is not installed where the file is: run `npm install slugify-nowhere`/);
      expect(noDefault).toMatchObject({ status: 2, stdout: "" });
      expect(noDefault.stderr).toMatch(/it has no default export/);
      expect(existsSync(join(cwd, ".dskit"))).toBe(false);
    },
    DSKIT_TIMEOUT_MS,
  );

  test(
    "one component model: a built component of the package run as a file gives what running it by name gives",
    () => {
      const cwd = folders.make();
      const file = join(REPO_ROOT, "dist", "actions", "add-update-record", "add-update-record.mjs");
      const byFile = jsonOf(dskit(["run", file, "--prop", "key=k", "--prop", "value=42"], { cwd }));
      const byName = jsonOf(dskit(["run", "add-update-record", "--prop", "key=k", "--prop", "value=42"], { cwd }));
      expect(byFile).toEqual({ key: "k", value: 42, ttl: null, created: true });
      expect(byName).toEqual({ ...(byFile as object), created: false });
    },
    DSKIT_TIMEOUT_MS,
  );
});

describe("dskit run <file>: a code step", () => {
  test(
    "defineComponent is a global, steps come from --steps-file ({} without it), $.service.db is kept per file path",
    async () => {
      const cwd = project({ ...GREETING_STEP, "steps.json": JSON.stringify({ trigger: { event: { name: "Ada" } } }), "copy/greet.mjs": GREETING_STEP["greet.mjs"]! });
      const first = dskit(["run", "./greet.mjs", "--steps-file", "steps.json"], { cwd });
      expect(jsonOf(first)).toEqual({ text: "Hello, Ada!", runs: 1 });
      // What the workflow would do with the step's requests is shown on stderr, not done.
      expect(first.stderr).toBe(
        '$.send.http (shown, not sent): {"method":"POST","url":"https://example.com/hook","data":{"text":"Hello, Ada!"}}\n' +
          '$.respond (shown, no HTTP trigger here): {"status":200,"body":"Hello, Ada!"}\n' +
          "Greeted Ada\n",
      );
      const second = dskit(["run", "greet.mjs", "--prop", "greeting=Hi"], { cwd });
      expect(jsonOf(second)).toEqual({ text: "Hi, nobody!", runs: 2 });
      // The same code in another file has a $.service.db of its own.
      expect(jsonOf(dskit(["run", "copy/greet.mjs"], { cwd }))).toEqual({ text: "Hello, nobody!", runs: 1 });
      expect(jsonOf(dskit(["store", "get", "greeting:Ada"], { cwd }))).toBe("Hello, Ada!");
    },
    DSKIT_TIMEOUT_MS,
  );

  test(
    "$.flow.exit ends the run with exit 0 and the reason; $.flow.delay is refused with exit 1; a bad steps file is exit 2",
    async () => {
      const cwd = project({
        ...GREETING_STEP,
        "exit.json": JSON.stringify({ trigger: { event: { name: "exit" } } }),
        "later.json": JSON.stringify({ trigger: { event: { name: "later" } } }),
        "list.json": "[]",
      });
      const [exited, delayed, badSteps, catalogSteps] = await Promise.all([
        dskitAsync(["run", "./greet.mjs", "--steps-file", "exit.json"], { cwd }),
        dskitAsync(["run", "./greet.mjs", "--steps-file", "later.json"], { cwd }),
        dskitAsync(["run", "./greet.mjs", "--steps-file", "list.json"], { cwd }),
        dskitAsync(["run", "get-record", "--prop", "key=k", "--steps-file", "list.json"], { cwd }),
      ]);
      expect(exited).toMatchObject({ status: 0, stdout: "" });
      expect(exited.stderr).toMatch(/The workflow would end here \(\$\.flow\.exit\): No one to greet/);
      expect(delayed).toMatchObject({ status: 1, stdout: "" });
      expect(delayed.stderr).toMatch(/^dskit: run \.\/greet\.mjs: UnsupportedStepFeatureError: \$\.flow\.delay pauses the workflow/);
      expect(badSteps).toMatchObject({ status: 2, stdout: "", stderr: 'dskit: run ./greet.mjs: --steps-file list.json must be a JSON object, e.g. {"trigger": {"event": {…}}}.\n' });
      expect(catalogSteps).toMatchObject({ status: 2, stdout: "" });
      expect(catalogSteps.stderr).toMatch(/--steps-file is for component files/);
    },
    DSKIT_TIMEOUT_MS,
  );
});

describe("dskit run <file>: TypeScript", () => {
  test(
    "a .ts action importing a .ts app by relative path, @pipedream/types and an npm package is compiled and run; the compiled file is removed",
    () => {
      const cwd = project(TYPESCRIPT_ACTION);
      const shouted = dskit(["run", "ts/shout.ts", "--prop", "word=hey"], { cwd });
      expect(jsonOf(shouted)).toEqual({ shouted: "....HEY!", length: 8 });
      expect(shouted.stderr).toBe("Shouted ....HEY!\n");
      expect(readdirSync(join(cwd, "ts")).sort()).toEqual(["shout.app.ts", "shout.ts"]);
    },
    DSKIT_TIMEOUT_MS,
  );

  test(
    "a TypeScript syntax error is a failed run (exit 1) that names the line",
    () => {
      const cwd = project({ "broken.mts": "export default {\n  key: 'a-b', run() { return 1 +; },\n};\n" });
      const broken = dskit(["run", "broken.mts"], { cwd });
      expect(broken).toMatchObject({ status: 1, stdout: "" });
      expect(broken.stderr).toMatch(/^dskit: run broken\.mts: TypeScriptCompileError: it does not compile: .*\(line 2, column \d+\)\n$/);
      expect(readdirSync(cwd)).toEqual(["broken.mts"]);
    },
    DSKIT_TIMEOUT_MS,
  );
});

describe("dskit run <file>: an app that needs an account", () => {
  test(
    "without --auth-file: exit 2 naming the app and the $auth fields the code reads, before any store file is made",
    async () => {
      const cwd = project({ ...GITHUB_ACTION, "other.json": JSON.stringify({ slack: { token: "x" } }) });
      const [none, wrongApp] = await Promise.all([
        dskitAsync(["run", "github/remember-login.mjs"], { cwd }),
        dskitAsync(["run", "github/remember-login.mjs", "--auth-file", "other.json"], { cwd }),
      ]);
      expect(none).toEqual({
        status: 2,
        stdout: "",
        stderr:
          'dskit: run github/remember-login.mjs: the app prop "github" needs credentials: pass --auth-file <json> with ' +
          '{"github": {"login": "…", "oauth_access_token": "…"}}\n',
      });
      expect(wrongApp).toMatchObject({ status: 2, stdout: "" });
      expect(wrongApp.stderr).toMatch(/--auth-file other\.json has no entry for "github": add \{"github": \{/);
      expect(existsSync(join(cwd, ".dskit"))).toBe(false);
    },
    DSKIT_TIMEOUT_MS,
  );

  test(
    "with --auth-file: this.github.$auth holds the fields, and no value of the file appears in stdout, stderr or an error",
    async () => {
      const cwd = project({ ...GITHUB_ACTION, "auth.json": JSON.stringify({ github: { oauth_access_token: GITHUB_TOKEN, login: "octocat" } }) });
      const [ran, failed] = await Promise.all([
        dskitAsync(["run", "github/remember-login.mjs", "--auth-file", "auth.json"], { cwd }),
        dskitAsync(["run", "github/remember-login.mjs", "--auth-file", "auth.json", "--prop", "fail=true"], { cwd }),
      ]);
      expect(jsonOf(ran)).toEqual({ login: "[redacted]", header: "Bearer [redacted]" });
      expect(ran.stderr).toBe("using Bearer [redacted]\nSaved login with Bearer [redacted]\n");
      expect(failed).toMatchObject({ status: 1, stdout: "", stderr: "using Bearer [redacted]\ndskit: run github/remember-login.mjs: Error: GitHub refused Bearer [redacted]\n" });
      for (const result of [ran, failed]) expect(`${result.stdout}${result.stderr}`).not.toMatch(/s3cret|octocat/);
      // The code got the real values: the store holds the login.
      expect(jsonOf(dskit(["store", "get", "login"], { cwd }))).toBe("octocat");
    },
    DSKIT_TIMEOUT_MS,
  );
});

describe("dskit run <file>: secret props", () => {
  test(
    "a secret prop's value is redacted from the result, console output and errors",
    async () => {
      const secret = "sk_live_9f8e7d6c5b";
      const cwd = project({
        "keyed.mjs": `export default defineComponent({
    props: { apiKey: { type: "string", secret: true, label: "API Key" }, fail: { type: "boolean", optional: true } },
    async run() {
      console.log("key", this.apiKey);
      if (this.fail) throw new Error("refused " + this.apiKey);
      return { echoed: this.apiKey, length: this.apiKey.length };
    },
  });\n`,
      });
      const [ran, failed] = await Promise.all([
        dskitAsync(["run", "keyed.mjs", "--prop", `apiKey=${secret}`], { cwd }),
        dskitAsync(["run", "keyed.mjs", "--prop", `apiKey=${secret}`, "--prop", "fail=true"], { cwd }),
      ]);
      expect(jsonOf(ran)).toEqual({ echoed: "[redacted]", length: secret.length });
      expect(ran.stderr).toBe("key [redacted]\n");
      expect(failed).toMatchObject({ status: 1, stdout: "", stderr: "key [redacted]\ndskit: run keyed.mjs: Error: refused [redacted]\n" });
    },
    DSKIT_TIMEOUT_MS,
  );
});

describe("dskit run <file>: a promise the component does not await", () => {
  test(
    "rejecting during the run or after its result is one redacted line in dskit's form and exit 1, never Node's stack trace",
    async () => {
      const secret = "sk_live_1a2b3c4d5e";
      const cwd = project({
        "unawaited.mjs": `export default {
  key: "demo-unawaited", name: "Unawaited", version: "0.0.1", type: "action",
  props: { apiKey: { type: "string", secret: true }, when: { type: "string", options: ["during", "after"] } },
  async run() {
    const refuse = () => Promise.reject(new Error("refused " + this.apiKey));
    if (this.when === "during") {
      refuse();
      await new Promise((resolve) => setTimeout(resolve, 20));
    } else {
      setTimeout(refuse, 20);
    }
    return { started: this.when };
  },
};\n`,
      });
      const [during, after] = await Promise.all(
        ["during", "after"].map((when) => dskitAsync(["run", "unawaited.mjs", "--prop", `apiKey=${secret}`, "--prop", `when=${when}`], { cwd })),
      );
      for (const [result, when] of [[during, "during"], [after, "after"]] as const) {
        expect(result).toMatchObject({
          status: 1,
          stderr: "dskit: run unawaited.mjs: a promise the component did not await was rejected: Error: refused [redacted]\n",
        });
        expect(JSON.parse(result.stdout)).toEqual({ started: when });
      }
    },
    DSKIT_TIMEOUT_MS,
  );
});

describe("dskit run <file>: telling files from names, in process", () => {
  test("a path or a module extension is a file; a missing file is exit 2 and creates nothing", async () => {
    const cwd = folders.make();
    for (const argument of ["./x.mjs", "x.js", "x.ts", "x.mts", "x.cjs", "dir/x"]) {
      const result = await runDskit(["run", argument], { cwd });
      expect(result).toEqual({ status: 2, stdout: "", stderr: `dskit: run ${argument}: no such file\n` });
    }
    // A name stays a catalog name.
    expect((await runDskit(["run", "get-recrd"], { cwd })).stderr).toMatch(/no component "get-recrd"\. Did you mean get-record\?/);
    expect(existsSync(join(cwd, ".dskit"))).toBe(false);
  });
});
