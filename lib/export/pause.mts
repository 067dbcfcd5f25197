/**
 * The one place the package waits (between retries). Tests replace `pause.for` to move their
 * clock instead of sleeping; nothing else should.
 */
export const pause = {
  for(ms: number): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, ms));
  },
};
