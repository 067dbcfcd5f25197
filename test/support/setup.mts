/** Runs after each test file's setup: a test that made Date follow a TestClock gives the real one back. */
import { afterEach, jest } from "@jest/globals";

afterEach(() => {
  jest.useRealTimers();
});
