/**
 * Issue 9, "Prove it in general": every action, run with props from the hostile generator
 * (test/support/hostile-props.mts) against a store seeded with a random small set of records and
 * the package's own state, ends in one of:
 * - success (for a read-only action, with the store unchanged);
 * - a ConfigurationError, with every record and TTL as before and no write sent;
 * - a failure the action has by design, identified by its error's `name` (store changes allowed):
 *   export-records' ExportIncompleteError, only when the test server answered a non-2xx or dropped
 *   the connection during the run; cached-http-request's HttpStatusError, only after a non-2xx;
 *   deduplicate's `$.flow.exit` and DuplicateEventError; rate-limit's `$.flow.exit` and
 *   RateLimitExceededError.
 * Any other error (TypeError, RangeError, SyntaxError, a plain Error, a `$.flow.exit` elsewhere)
 * fails the action's test with fast-check's shrunk counterexample and its seed. Object.prototype
 * must not gain members either.
 *
 * Runs per action: HOSTILE_RUNS (default 300); seed: HOSTILE_SEED (default below), plus the
 * action's index, so each action's runs are reproducible on their own.
 */
import { afterAll, beforeAll, expect, test } from "@jest/globals";
import { ConfigurationError } from "@pipedream/platform";
import fc from "fast-check";
import { isDeepStrictEqual } from "node:util";
import type { JsonValue } from "../../lib/store/data-store.mjs";
import { listComponents } from "../support/components.mjs";
import { recordPauses, setupStore } from "../support/fixtures.mjs";
import { asComponent, runAction, type ComponentDefinition } from "../support/harness.mjs";
import { generatedPropNames, hostilePropsArbitrary, materialize, type HostileProps, type HostileWorld } from "../support/hostile-props.mjs";
import { startTestServer, type RecordedRequest, type Reply, type TestServer } from "../support/http-server.mjs";

const RUNS_PER_ACTION = Number(process.env.HOSTILE_RUNS ?? 300);
const BASE_SEED = Number(process.env.HOSTILE_SEED ?? 20_260_924);
const TEST_TIMEOUT_MS = 180_000;

const actionNames = listComponents()
  .filter(({ kind }) => kind === "actions")
  .map(({ name }) => name);
const actions = new Map<string, ComponentDefinition>();
for (const name of actionNames) {
  const loaded = (await import(`../../actions/${name}/${name}.mjs`)) as { default: object };
  actions.set(name, asComponent(loaded.default));
}

/** Failures an action has by design: the error names it may throw, and whether it may `$.flow.exit`. */
const DESIGNED: Record<string, { errors: readonly string[]; exits: boolean; needsServerFailure: boolean }> = {
  "export-records": { errors: ["ExportIncompleteError"], exits: false, needsServerFailure: true },
  "cached-http-request": { errors: ["HttpStatusError", "HttpRequestError"], exits: false, needsServerFailure: true },
  deduplicate: { errors: ["DuplicateEventError"], exits: true, needsServerFailure: false },
  "rate-limit": { errors: ["RateLimitExceededError"], exits: true, needsServerFailure: false },
};

// ---------------------------------------------------------------------------------------------
// The test server: one per file, answering by path.

let server: TestServer;
/** Non-2xx answers and dropped connections sent since the current run began. */
let serverFailures = 0;
/** How the last accepted run ended, for the statistics. */
let lastOutcome = "";

function answer({ url }: RecordedRequest): Reply {
  const path = url.split(/[?#]/)[0] ?? "";
  const status = /^\/status\/(\d{3})$/.exec(path)?.[1];
  if (status !== undefined) {
    serverFailures += 1;
    return { status: Number(status), json: { error: `status ${status}` }, headers: status === "429" ? { "Retry-After": "2" } : {} };
  }
  switch (path) {
    case "/drop":
      serverFailures += 1;
      return { drop: true };
    case "/text":
      return { text: "plain text, not JSON" };
    case "/empty":
      return { status: 204 };
    case "/proto":
      return { text: '{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}},"n":12345678901234567890}', headers: { "Content-Type": "application/json" } };
    default:
      return { json: { ok: true, path } };
  }
}

beforeAll(async () => {
  server = await startTestServer(answer);
});

afterAll(async () => {
  await server.close();
});

/** Paths an HTTP action's URL may point at; a dropped connection only where the issue allows it (the export's retries). */
function serverPaths(action: string): string[] {
  const paths = ["/ok", "/text", "/empty", "/proto", "/status/404", "/status/400", "/status/429", "/status/500", "/status/503"];
  return action === "export-records" ? [...paths, "/drop"] : paths;
}

// ---------------------------------------------------------------------------------------------
// The seeded store: user records (falsy values included, some with a TTL), then package state
// written by running actions with valid props.

const KNOWN_KEYS = ["a", "b", "user:1", "user:2", "list", "hits", "evt-1", "api", "0", "false", "__proto__", "constructor", "toString", " x "] as const;

interface SeedRecord {
  key: string;
  value: JsonValue;
  ttlSeconds: number | null;
}

interface PreludeStep {
  action: string;
  props: Record<string, unknown>;
}

interface StoreSeed {
  records: SeedRecord[];
  prelude: PreludeStep[];
}

const seedKey = fc.constantFrom(...KNOWN_KEYS);
const seedValue: fc.Arbitrary<JsonValue> = fc.oneof(
  fc.constantFrom<JsonValue>(0, false, "", null, [], {}, [1, 2], "text", -1.5, "42", { nested: { list: [0] } }),
  fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<JsonValue>,
);

const preludeStep: fc.Arbitrary<PreludeStep> = fc.oneof(
  fc.record({
    action: fc.constant("increment-counter"),
    props: fc.record({ key: seedKey, concurrencySafe: fc.constant(true), bucket: fc.constantFrom("none", "day"), amount: fc.constantFrom("1", "2.5", "-1") }),
  }),
  fc.record({
    action: fc.constant("increment-counter"),
    props: fc.record({ key: seedKey, concurrencySafe: fc.constant(false), amount: fc.constantFrom("1", "0.1") }),
  }),
  fc.record({
    action: fc.constant("deduplicate"),
    props: fc.record({ key: seedKey, whenDuplicate: fc.constant("continue"), ttl: fc.constantFrom(0, 3600) }),
  }),
  fc.record({
    action: fc.constant("rate-limit"),
    props: fc.record({
      key: seedKey,
      limit: fc.integer({ min: 1, max: 3 }),
      windowSeconds: fc.constantFrom(1, 60, 86_400),
      algorithm: fc.constantFrom("fixed-window", "sliding-window", "token-bucket"),
      concurrencySafe: fc.boolean(),
      whenLimited: fc.constant("continue"),
    }),
  }),
  fc.record({ action: fc.constant("append-to-list"), props: fc.record({ key: fc.constantFrom("list", "a"), value: fc.constantFrom("x", "0", "{}") }) }),
  fc.record({ action: fc.constant("cached-http-request"), props: fc.record({ url: fc.constantFrom("/ok", "/text", "/proto") }) }),
);

const storeSeedArbitrary: fc.Arbitrary<StoreSeed> = fc.record({
  records: fc.uniqueArray(
    fc.record({ key: seedKey, value: seedValue, ttlSeconds: fc.option(fc.integer({ min: 1, max: 86_400 }), { nil: null }) }),
    { selector: ({ key }) => key, maxLength: 8 },
  ),
  prelude: fc.array(preludeStep, { maxLength: 4 }),
});

type Fake = Awaited<ReturnType<typeof setupStore>>;

async function seedStore(fake: Fake, seed: StoreSeed): Promise<void> {
  for (const { key, value, ttlSeconds } of seed.records) {
    await fake.store.set(key, value, ttlSeconds === null ? undefined : { ttl: ttlSeconds });
  }
  for (const { action, props } of seed.prelude) {
    const component = actions.get(action);
    if (!component) continue; // an action the prelude knows was removed: seed without it
    const given = action === "cached-http-request" ? { ...props, url: `${server.url}${String(props.url)}` } : props;
    // A step that fails adds what it wrote before failing: appending to a record that is not a list is
    // refused by design, and an action that is broken fails its own test; the others still get a store.
    await runAction(component, { dataStore: fake.store, ...given }).catch(() => undefined);
  }
  fake.controls.resetStats();
}

// ---------------------------------------------------------------------------------------------
// One run and its verdict.

/** Errors from node's own modules (http) come from outside jest's realm: not `instanceof Error`, but error-like. */
function isErrorLike(error: unknown): error is Error {
  return error instanceof Error || (typeof error === "object" && error !== null && typeof (error as Error).message === "string" && typeof (error as Error).name === "string");
}

function describeError(error: unknown): string {
  if (!isErrorLike(error)) return `a thrown ${typeof error}: ${String(error)}`;
  const message = error.message.length > 300 ? `${error.message.slice(0, 297)}...` : error.message;
  const where = (error.stack ?? "")
    .split("\n")
    .filter((line) => line.trim().startsWith("at "))
    .slice(0, 3)
    .map((line) => line.trim())
    .join(" < ");
  return `${error.constructor.name} (name "${error.name}"): ${message}${where ? ` [${where}]` : ""}`;
}

function writesOf(fake: Fake): number {
  const { set, setTtl, delete: deletes, clear } = fake.controls.stats.calls;
  return set + setTtl + deletes + clear;
}

function prototypeMembers(): string[] {
  return [...Object.getOwnPropertyNames(Object.prototype), ...Object.getOwnPropertyNames(Array.prototype)];
}

function isConfigurationError(error: unknown): boolean {
  return error instanceof ConfigurationError || (isErrorLike(error) && error.name === "ConfigurationError");
}

/** Runs `action` once and returns what was wrong with the outcome, or undefined when nothing was. */
async function violationOf(name: string, component: ComponentDefinition, seed: StoreSeed, props: HostileProps): Promise<string | undefined> {
  const fake = await setupStore();
  recordPauses(fake.clock);
  await seedStore(fake, seed);
  const before = fake.controls.records();
  const membersBefore = prototypeMembers();
  serverFailures = 0;

  let error: unknown;
  let exited = false;
  let succeeded = false;
  try {
    const result = await runAction(component, { dataStore: fake.store, ...materialize(props) });
    exited = result.exitReason !== undefined;
    succeeded = !exited;
  } catch (thrown) {
    error = thrown;
  }

  const added = prototypeMembers().filter((member) => !membersBefore.includes(member));
  if (added.length > 0) {
    for (const member of added) {
      delete (Object.prototype as Record<string, unknown>)[member];
      delete (Array.prototype as unknown as Record<string, unknown>)[member];
    }
    return `the run polluted a prototype with ${JSON.stringify(added)}`;
  }
  const unchanged = isDeepStrictEqual(fake.controls.records(), before);
  const designed = DESIGNED[name];

  lastOutcome = succeeded ? "success" : exited ? "exit" : isConfigurationError(error) ? "ConfigurationError" : isErrorLike(error) ? error.name : "other";
  // HOSTILE_STATS=messages: count refusals by the start of their message, to see what the runs hit.
  if (isErrorLike(error) && process.env.HOSTILE_STATS === "messages") lastOutcome += ` (${error.message.slice(0, 40)})`;
  if (succeeded) {
    if (component.annotations && (component.annotations as { readOnlyHint?: boolean }).readOnlyHint === true && (!unchanged || writesOf(fake) > 0)) {
      return "a read-only action changed the store";
    }
    return undefined;
  }
  if (exited) return designed?.exits ? undefined : "the run ended the workflow ($.flow.exit), which this action does not do by design";
  if (isConfigurationError(error)) {
    if ((error as Error).message.trim() === "") return "a ConfigurationError without a message";
    if (!unchanged) return `refused with ConfigurationError (${describeError(error)}) but the store changed`;
    if (writesOf(fake) > 0) return `refused with ConfigurationError (${describeError(error)}) after sending ${writesOf(fake)} write(s)`;
    return undefined;
  }
  if (isErrorLike(error) && designed?.errors.includes(error.name)) {
    // A non-2xx from node's own HTTP parser (431 for huge headers) never reaches the handler: the message shows it.
    if (designed.needsServerFailure && serverFailures === 0 && !/HTTP \d{3}/.test(error.message)) {
      return `${describeError(error)}, though the test server sent no failure (no non-2xx answer, no dropped connection) during the run`;
    }
    return undefined;
  }
  return describeError(error);
}

// ---------------------------------------------------------------------------------------------

test(`the generator knows every declared prop of the ${actionNames.length} actions`, () => {
  expect(actionNames.length).toBeGreaterThanOrEqual(13);
  for (const name of actionNames) {
    const component = actions.get(name)!;
    const world: HostileWorld = { serverUrl: "http://127.0.0.1:9", serverPaths: serverPaths(name), knownKeys: KNOWN_KEYS };
    expect(() => hostilePropsArbitrary(component, world)).not.toThrow();
    expect(generatedPropNames(component).length).toBeGreaterThan(0);
  }
});

/**
 * The kind of a violation, without the values in it: its first words (the error's class, or what
 * went wrong) and where the error was thrown. Two failures with one signature count as one bug in
 * the discovery mode below.
 */
function signatureOf(violation: string): string {
  const where = /\[at ([^<\]]*)/.exec(violation)?.[1]?.trim() ?? "";
  const what = violation.replace(/\[at .*$/, "").replace(/\(.*$/, "").replace(/\d+/g, "N").split(/\s+/).slice(0, 3).join(" ");
  const codes = [...new Set(violation.match(/\b(?:ERR_[A-Z_]+|E[A-Z]{4,})\b/g) ?? [])].join(",");
  return `${what} ${codes} @ ${where}`;
}

/** Outcomes by kind, per action, printed when HOSTILE_STATS is set (to see how deep runs get). */
const outcomes = new Map<string, Map<string, number>>();
function count(name: string, outcome: string): void {
  const counts = outcomes.get(name) ?? new Map<string, number>();
  counts.set(outcome, (counts.get(outcome) ?? 0) + 1);
  outcomes.set(name, counts);
}

afterAll(() => {
  if (!process.env.HOSTILE_STATS) return;
  const lines = [...outcomes].map(([name, counts]) => `${name}: ${[...counts].sort(([, a], [, b]) => b - a).map(([outcome, n]) => `${outcome} ${n}`).join(", ")}`);
  console.log(`hostile runs by outcome (shrinking included)\n${lines.join("\n")}`);
});

actionNames.forEach((name, index) => {
  test(
    `${name}: hostile props end in success, a designed failure, or a ConfigurationError with the store unchanged (${RUNS_PER_ACTION} runs)`,
    async () => {
      const component = actions.get(name)!;
      const world: HostileWorld = { serverUrl: server.url, serverPaths: serverPaths(name), knownKeys: KNOWN_KEYS };
      const propsArbitrary = hostilePropsArbitrary(component, world);
      const parameters = { numRuns: RUNS_PER_ACTION, seed: BASE_SEED + index };
      if (!process.env.HOSTILE_DISCOVER) {
        await fc.assert(
          fc.asyncProperty(storeSeedArbitrary, propsArbitrary, async (seed, props) => {
            const violation = await violationOf(name, component, seed, props);
            count(name, violation === undefined ? lastOutcome : "VIOLATION");
            if (violation !== undefined) throw new Error(`${name}: ${violation}`);
          }),
          parameters,
        );
        return;
      }
      // Discovery mode (HOSTILE_DISCOVER=1): find each distinct failure in turn, each shrunk, ignoring
      // those already found, and list them all instead of stopping at the first.
      const found: string[] = [];
      const known = new Set<string>();
      for (let round = 0; round < 12; round++) {
        const details = await fc.check(
          fc.asyncProperty(storeSeedArbitrary, propsArbitrary, async (seed, props) => {
            const violation = await violationOf(name, component, seed, props);
            if (violation !== undefined && !known.has(signatureOf(violation))) throw new Error(violation);
          }),
          { ...parameters, numRuns: RUNS_PER_ACTION * 5, seed: parameters.seed + round * 1000 },
        );
        if (!details.failed) break;
        const violation = isErrorLike(details.errorInstance) ? details.errorInstance.message : String(details.errorInstance);
        known.add(signatureOf(violation));
        found.push(`${fc.stringify(details.counterexample)}\n    -> ${violation}`);
      }
      if (found.length > 0) console.log(`${name}: ${found.length} distinct failure(s)\n${found.join("\n")}`);
      expect(found).toEqual([]);
    },
    TEST_TIMEOUT_MS,
  );
});
