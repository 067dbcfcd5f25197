/**
 * What the three sources add to the library's change detection (test/library/watch-records.test.mts):
 * their props, the deploy hook, each event's shape, summary and meta, ids that Pipedream's `unique`
 * dedupe can rely on, and the library's errors reaching the user.
 */
import { describe, expect, jest, test } from "@jest/globals";
import { DEFAULT_POLLING_SOURCE_TIMER_INTERVAL } from "@pipedream/platform";
import { asComponent } from "../support/harness.mjs";
import { SOURCE_CASES, SOURCES } from "../support/source-cases.mjs";
import { deployOn, key32, manyRecords, nextInterval } from "../support/source-fixtures.mjs";

describe.each(SOURCES)("%s", (_name, source) => {
  test("declares the data store, its $.service.db and a timer of 15 minutes by default, with unique dedupe", () => {
    const component = asComponent(source) as ReturnType<typeof asComponent> & { dedupe?: string };
    const props = component.props as Record<string, { type?: string; propDefinition?: unknown[]; default?: unknown }>;
    expect(props.dataStore!.propDefinition![1]).toBe("dataStore");
    expect(props.db!.type).toBe("$.service.db");
    expect(props.timer).toMatchObject({ type: "$.interface.timer", default: { intervalSeconds: DEFAULT_POLLING_SOURCE_TIMER_INTERVAL } });
    expect(DEFAULT_POLLING_SOURCE_TIMER_INTERVAL).toBe(15 * 60);
    expect(component.dedupe).toBe("unique");
  });

  test("deployed on 3,000 records (past the 60 KB $.service.db): the db keeps a header of under 1 KB, and a change is delivered", async () => {
    const { fake, deployment } = await deployOn(source, manyRecords(3000));
    expect(deployment.db.sizeBytes).toBeLessThan(1024);
    await fake.store.delete(key32(0));
    await fake.store.set(key32(1, "new-"), 1);
    const delivered = await deployment.poll();
    expect(delivered).toHaveLength(1);
    expect(deployment.db.sizeBytes).toBeLessThan(1024);
  });
});

describe.each(SOURCE_CASES)("$name", ({ source, atDeploy, keys: [first, second], change, expected }) => {
  test(`the first poll after deploy delivers only the change made since: ${JSON.stringify(expected(first).event)}, summary "${expected(first).summary}"`, async () => {
    const { fake, deployment } = await deployOn(source, atDeploy);
    await change(fake.store, first);
    const delivered = await deployment.poll();
    expect(delivered.map(({ event, meta }) => ({ event, summary: meta.summary }))).toStrictEqual([expected(first)]);
  });

  test("every event's meta is { id, summary, ts: the poll's time in ms }", async () => {
    const { fake, deployment } = await deployOn(source, atDeploy);
    await change(fake.store, first);
    fake.clock.advanceSeconds(1234);
    const [delivered] = await deployment.poll();
    expect(delivered!.meta).toStrictEqual({ id: expect.any(String), summary: expected(first).summary, ts: fake.clock.now() });
    expect(delivered!.meta.id).not.toBe("");
  });

  test("two changes in one poll get distinct ids, so dedupe delivers both", async () => {
    const { fake, deployment } = await deployOn(source, atDeploy);
    await change(fake.store, first);
    await change(fake.store, second);
    const delivered = await deployment.poll();
    expect(delivered.map((e) => e.event)).toStrictEqual([expected(first).event, expected(second).event]);
    expect(new Set(delivered.map((e) => e.meta.id)).size).toBe(2);
  });

  test("a poll retried after its state save failed emits the same ids again, and dedupe drops them", async () => {
    const { fake, deployment } = await deployOn(source, atDeploy);
    await change(fake.store, first);
    await change(fake.store, second);
    jest.spyOn(deployment.db, "set").mockImplementationOnce(() => {
      throw new Error("$.service.db write failed");
    });
    await expect(deployment.poll()).rejects.toThrow("$.service.db write failed");
    const firstIds = deployment.emitted.map((e) => e.meta.id);
    expect(firstIds).toHaveLength(2);
    nextInterval(fake);
    expect(await deployment.poll()).toEqual([]);
    expect(deployment.emitted.map((e) => e.meta.id)).toEqual([...firstIds, ...firstIds]);
  });
});
