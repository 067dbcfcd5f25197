/**
 * The runtime's model of Pipedream's `unique` dedupe (runtime/run-source.mts), which the source
 * tests rely on: it compares the first 64 characters of an id and remembers the last 100 ids.
 */
import { expect, test } from "@jest/globals";
import { createSource, DEDUPE_ID_CHARS, DEDUPE_WINDOW_IDS } from "../../runtime/run-source.mjs";
import { ServiceDb } from "../support/source-harness.mjs";

/** A source whose next poll emits one event per id in `ids`. */
function emitter(dedupe?: string) {
  const ids: string[] = [];
  const source = {
    key: "test-emitter",
    type: "source",
    version: "0.0.1",
    dedupe,
    props: { db: { type: "$.service.db" } },
    async run(this: { $emit(event: unknown, meta: unknown): Promise<void> }) {
      for (const id of ids.splice(0)) await this.$emit({ id }, { id, summary: id, ts: 0 });
    },
  };
  const instance = createSource(source, {}, new ServiceDb());
  return async (...next: string[]) => {
    ids.push(...next);
    return (await instance.poll()).map((e) => e.meta.id);
  };
}

const numbered = (count: number, from = 0) => Array.from({ length: count }, (_, i) => `id-${from + i}`);

test("the model's constants are the platform's: 64 characters, 100 ids", () => {
  expect([DEDUPE_ID_CHARS, DEDUPE_WINDOW_IDS]).toEqual([64, 100]);
});

test("two ids that differ only after their 64th character are one id: the second is dropped", async () => {
  const poll = emitter("unique");
  const prefix = "p".repeat(64);
  expect(await poll(`${prefix}-first`, `${prefix}-second`)).toEqual([`${prefix}-first`]);
});

test("an id seen among the last 100 is dropped, also in a later poll", async () => {
  const poll = emitter("unique");
  await poll(...numbered(100));
  expect(await poll("id-0", "id-99", "new")).toEqual(["new"]);
});

test("an id older than the last 100 delivered is delivered again", async () => {
  const poll = emitter("unique");
  await poll(...numbered(101));
  expect(await poll("id-0", "id-100")).toEqual(["id-0"]);
});

test("a dropped duplicate is not remembered anew (undocumented; the stricter choice): 100 new ids later it is delivered", async () => {
  const poll = emitter("unique");
  await poll(...numbered(100));
  expect(await poll("id-0")).toEqual([]);
  await poll("new");
  expect(await poll("id-0")).toEqual(["id-0"]);
});

test("without dedupe: unique, every event is delivered", async () => {
  const poll = emitter();
  expect(await poll("same", "same")).toEqual(["same", "same"]);
});
