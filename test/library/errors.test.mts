/** The library's own errors, and the bound on what its messages quote. */
import { describe, expect, test } from "@jest/globals";
import { InvalidArgumentError, MAX_QUOTED_CHARS, quote, StoredValueError, truncate, UsageError } from "../../lib/errors.mjs";
import { appendToList } from "../../lib/records/records.mjs";
import { increment } from "../../lib/counter/counter.mjs";
import { expectLibraryRefusal, setupStore } from "../support/fixtures.mjs";

describe("quote", () => {
  test.each([
    ["5", '"5"'],
    [{ n: 1 }, '{"n":1}'],
    [null, "null"],
    [Number.NaN, "NaN"],
    [undefined, "undefined"],
    [false, "false"],
  ])("%p is quoted as %s", (value, quoted) => {
    expect(quote(value)).toBe(quoted);
  });

  test(`a long value is cut to ${MAX_QUOTED_CHARS} characters, ending in dots`, () => {
    const quoted = quote("x".repeat(10_000));
    expect(quoted).toHaveLength(MAX_QUOTED_CHARS);
    expect(quoted.endsWith("...")).toBe(true);
  });

  test("a cycle is named, not thrown", () => {
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    expect(quote(cycle)).toBe("an object");
  });

  test("a cut never leaves half of an emoji", () => {
    expect(truncate(`ab${"\ud83d\ude00".repeat(5)}`, 6)).toBe("ab...");
    expect(truncate("short", 40)).toBe("short");
  });
});

describe("stored values in messages are bounded", () => {
  const huge = { blob: "y".repeat(100_000) };

  test("appending to a record that holds a huge object says so in a short message", async () => {
    const fake = await setupStore({ k: "z".repeat(100_000) });
    await expectLibraryRefusal(fake, () => appendToList(fake.store, "k", 1), /^The record "k" holds the text "z+\.\.\., not a list/, StoredValueError);
    const error = (await appendToList(fake.store, "k", 1).catch((thrown: unknown) => thrown)) as StoredValueError;
    expect(error.message.length).toBeLessThan(300);
    expect(error).toMatchObject({ key: "k", expected: "list" });
  });

  test("incrementing a record that holds a huge object quotes at most its start", async () => {
    const fake = await setupStore({ k: huge });
    const error = (await increment(fake.store, "k").catch((thrown: unknown) => thrown)) as StoredValueError;
    expect(error).toBeInstanceOf(StoredValueError);
    expect(error).toMatchObject({ key: "k", expected: "number" });
    expect(error.message.length).toBeLessThan(300);
  });
});

test("InvalidArgumentError and StoredValueError are UsageErrors, with their names", () => {
  const invalid = new InvalidArgumentError("amount", "amount must be a number");
  const stored = new StoredValueError("k", "list", "not a list");
  expect([invalid, stored].every((error) => error instanceof UsageError && error instanceof Error)).toBe(true);
  expect([invalid.name, stored.name]).toEqual(["InvalidArgumentError", "StoredValueError"]);
  expect(invalid.argument).toBe("amount");
});
