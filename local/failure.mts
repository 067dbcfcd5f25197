/**
 * How dskit words a failed run, as the platform shows it: a ConfigurationError (or the library's
 * UsageError), the user's to fix, by its message alone; any other error with its name
 * (HttpStatusError, ExportIncompleteError). Never a stack trace.
 */
import { ConfigurationError } from "@pipedream/platform";
import { UsageError } from "../lib/errors.mjs";

export function failureText(error: unknown): string {
  const message = (error as Error | undefined)?.message ?? String(error);
  if (error instanceof ConfigurationError || error instanceof UsageError) return message;
  return `${(error as Error | undefined)?.name ?? "Error"}: ${message}`;
}
