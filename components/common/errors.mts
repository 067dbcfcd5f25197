/**
 * The errors actions throw. A ConfigurationError (the platform's) is one the user fixes in the
 * builder; the others are failures an action has by design, named so a workflow can tell them apart.
 */
import { ConfigurationError } from "@pipedream/platform";
import { UsageError } from "../../lib/errors.mjs";

export { ConfigurationError };

/** Deduplicate Events in `error` mode: the step fails, so the run shows red. */
export class DuplicateEventError extends Error {
  override name = "DuplicateEventError";
}

/** Export Records when chunks failed for good after the whole export ran, with counts the user can act on. */
export class ExportIncompleteError extends Error {
  override name = "ExportIncompleteError";
}

/**
 * Awaits a library call, turning the library's UsageError (a bad argument, a record of the wrong
 * kind) into a ConfigurationError with the same message, so the builder shows it as the user's to
 * fix. Every other error passes through unchanged.
 */
export async function withConfigurationErrors<T>(call: Promise<T>): Promise<T> {
  try {
    return await call;
  } catch (error) {
    throw error instanceof UsageError ? new ConfigurationError(error.message) : error;
  }
}
