/** valueDigest's length parameter: the sources keep 8 characters, the export a whole SHA-256. */
import { expect, test } from "@jest/globals";
import { FULL_DIGEST_LENGTH, valueDigest } from "../../lib/store/digest.mjs";

test("the default digest is 8 base64url characters and the start of the full one", () => {
  const value = { items: [{ qty: 1 }] };
  expect(valueDigest(value)).toMatch(/^[A-Za-z0-9_-]{8}$/);
  expect(valueDigest(value, FULL_DIGEST_LENGTH)).toMatch(/^[A-Za-z0-9_-]{43}$/);
  expect(valueDigest(value, FULL_DIGEST_LENGTH).startsWith(valueDigest(value))).toBe(true);
});

test("a length past the whole SHA-256 gives the whole of it", () => {
  expect(valueDigest("x", 100)).toBe(valueDigest("x", FULL_DIGEST_LENGTH));
});
