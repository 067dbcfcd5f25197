import { describe, expect, test } from "@jest/globals";
import action from "../../actions/delete-all-records/delete-all-records.mjs";
import { runAction } from "../support/harness.mjs";
import { expectRefusedUnchanged, setupStore } from "../support/fixtures.mjs";

describe("delete-all-records", () => {
  test('with confirm "DELETE" deletes every record and returns the count', async () => {
    const fake = await setupStore({ a: 1, b: { n: 2 }, c: "three" });
    const { returnValue, summary } = await runAction(action, { dataStore: fake.store, confirm: "DELETE" });
    expect(returnValue).toEqual({ deleted: 3 });
    expect(summary).toBe("Successfully deleted 3 records");
    expect(fake.controls.records()).toEqual([]);
  });

  test("without a prefix the store is emptied with one clear()", async () => {
    const fake = await setupStore({ a: 1, b: 2, c: 3 });
    await runAction(action, { dataStore: fake.store, confirm: "DELETE" });
    expect(fake.controls.stats.calls.clear).toBe(1);
    expect(fake.controls.stats.calls.delete).toBe(0);
  });

  test("with a prefix deletes only the matching records and returns their count", async () => {
    const fake = await setupStore({ "session:1": 1, "user:1": "al", "session:2": 2, sessions: "keep" });
    const { returnValue, summary } = await runAction(action, { dataStore: fake.store, prefix: "session:", confirm: "DELETE" });
    expect(returnValue).toEqual({ deleted: 2 });
    expect(summary).toBe('Successfully deleted 2 records with keys starting "session:"');
    expect(fake.controls.records().map((record) => record.key)).toEqual(["sessions", "user:1"]);
    expect(fake.controls.stats.calls.clear).toBe(0);
  });

  test("a prefix of spaces is a prefix, never a reason to delete everything", async () => {
    const fake = await setupStore({ " padded": 1, plain: 2 });
    const { returnValue } = await runAction(action, { dataStore: fake.store, prefix: " ", confirm: "DELETE" });
    expect(returnValue).toEqual({ deleted: 1 });
    expect(fake.controls.records().map((record) => record.key)).toEqual(["plain"]);
  });

  test("a prefix that is not text is refused and nothing is deleted", async () => {
    const fake = await setupStore({ a: 1 });
    await expectRefusedUnchanged(
      fake,
      () => runAction(action, { dataStore: fake.store, prefix: { starts: "a" }, confirm: "DELETE" }),
      /Key Prefix must be text/,
    );
  });

  test("the summary of one record is singular", async () => {
    const fake = await setupStore({ a: 1 });
    const { summary } = await runAction(action, { dataStore: fake.store, confirm: "DELETE" });
    expect(summary).toBe("Successfully deleted 1 record");
  });

  test.each([
    ["without a prefix", {}],
    ["with a prefix", { prefix: "f:" }],
  ])("falsy-valued records are counted and deleted, %s", async (_name, props) => {
    const fake = await setupStore({ "f:zero": 0, "f:false": false, "f:empty": "", "f:null": null });
    const { returnValue } = await runAction(action, { dataStore: fake.store, confirm: "DELETE", ...props });
    expect(returnValue).toEqual({ deleted: 4 });
    expect(fake.controls.records()).toEqual([]);
  });

  describe("without exact confirmation nothing is deleted", () => {
    test.each(["delete", "yes", "", undefined, " DELETE", "DELETE "])("confirm %j is refused", async (confirm) => {
      const fake = await setupStore({ a: 1, "session:1": 2 });
      await expectRefusedUnchanged(
        fake,
        () => runAction(action, { dataStore: fake.store, confirm }),
        /Nothing was deleted: set Confirm to exactly DELETE/,
      );
    });

    test("a prefix does not lift the need to confirm", async () => {
      const fake = await setupStore({ a: 1, "session:1": 2 });
      await expectRefusedUnchanged(
        fake,
        () => runAction(action, { dataStore: fake.store, prefix: "session:", confirm: "yes" }),
        /set Confirm to exactly DELETE/,
      );
    });
  });
});
