/** Runs after each test file's setup: what a test swapped for its own clock goes back to the real one. */
import { afterEach, jest } from "@jest/globals";
import { pause } from "../../lib/export/pause.mjs";

const realPause = pause.for;

afterEach(() => {
  jest.useRealTimers();
  pause.for = realPause;
});
