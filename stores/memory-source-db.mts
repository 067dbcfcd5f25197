/** A source's `$.service.db` in memory, for one deployment in a test or a script. */
import type { SourceDb } from "../lib/store/source-db.mjs";
import { checkSourceDbSize, sourceDbEntryBytes, sourceDbJson } from "./checks.mjs";

/** JSON values by key, refusing a write that takes the whole over its budget (60 KB), as the platform would. */
export class MemorySourceDb implements SourceDb {
  private readonly entries = new Map<string, string>();

  /** `limitBytes` defaults to the package's 60 KB budget; a test may set less. */
  constructor(private readonly limitBytes?: number) {}

  get(key: string): unknown {
    const json = this.entries.get(key);
    return json === undefined ? undefined : JSON.parse(json);
  }

  set(key: string, value: unknown): void {
    const json = sourceDbJson(key, value);
    const previous = this.entries.get(key);
    const others = this.sizeBytes - (previous === undefined ? 0 : sourceDbEntryBytes(key, previous));
    checkSourceDbSize(others, key, json, this.limitBytes);
    this.entries.set(key, json);
  }

  /** Bytes in use: keys plus their JSON values. */
  get sizeBytes(): number {
    let bytes = 0;
    for (const [key, json] of this.entries) bytes += sourceDbEntryBytes(key, json);
    return bytes;
  }
}
