import { expect, test } from "@jest/globals";
import { isTransientStatus } from "../../lib/http/http-response.mjs";

test("only 408, 429 and 5xx count as transient (worth a retry or a stale copy)", () => {
  expect([408, 429, 500, 503, 599].every(isTransientStatus)).toBe(true);
  expect([200, 301, 400, 401, 403, 404, 410, 422].some(isTransientStatus)).toBe(false);
});
