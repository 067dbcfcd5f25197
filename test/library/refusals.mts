/**
 * The library's twin of test/support's expectRefusedUnchanged, which expects the components'
 * ConfigurationError: a library call refused with one of the library's own errors, having written
 * nothing. (To fold into expectRefusedUnchanged as an error-class parameter.)
 */
import { expect } from "@jest/globals";
import { UsageError } from "../../lib/errors.mjs";
import type { setupStore } from "../support/fixtures.mjs";

type Fake = Awaited<ReturnType<typeof setupStore>>;

/** Expects `call` to fail with `errorClass` (default: any UsageError) whose message matches `message`, with no write sent. */
export async function expectLibraryRefusal(
  fake: Fake,
  call: () => Promise<unknown>,
  message: RegExp,
  errorClass: abstract new (...args: never[]) => Error = UsageError,
): Promise<void> {
  const before = fake.controls.records();
  const error = await call().then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(errorClass);
  expect((error as Error).message).toMatch(message);
  expect(fake.controls.records()).toEqual(before);
  const { set, setTtl, delete: deletes, clear } = fake.controls.stats.calls;
  expect({ set, setTtl, delete: deletes, clear }).toEqual({ set: 0, setTtl: 0, delete: 0, clear: 0 });
}
