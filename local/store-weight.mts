/**
 * What a data store weighs: its records, the package's own apart, its size as JSON and after Brotli
 * (Pipedream stores data Brotli-compressed: its weight there). One function for `dskit store stats`
 * and the dashboard, so both say the same.
 */
import { promisify } from "node:util";
import { brotliCompress, constants } from "node:zlib";
import type { DataStore, JsonValue } from "../lib/store/data-store.mjs";
import { listRecords } from "../lib/records/list-records.mjs";
import { isInternalKey } from "../lib/store/reserved-keys.mjs";

/**
 * Brotli quality 5, not the default 11. Measured on a 100,000-record store (16.0 MB of JSON, orders
 * of ~160 bytes), Node 20: q11 22,655 ms → 976,520 bytes; q9 1,140 ms → 1,448,679; q6 275 ms →
 * 1,424,686; q5 194 ms → 1,396,876; q4 128 ms → 1,661,241. Even 1,000 records take q11 173 ms
 * (q5: 4 ms). Pipedream's own quality is not documented, so this is an estimate either way: q5 reads
 * ~1.4× q11 on that data, in a hundredth of the time, and keeps a dashboard request short.
 */
const BROTLI_QUALITY = 5;
const compress = promisify(brotliCompress);

/** A data store's weight, as `dskit store stats` prints it and the dashboard shows it. */
export interface DataStoreWeight {
  dataStore: string;
  /** The user's live records. */
  records: number;
  /** The package's own `__dskit:` records (counter parts, limiters, dedupe markers, caches). */
  internalRecords: number;
  /** UTF-8 bytes of every record, internal ones too, as one JSON object `{ key: value }`. */
  jsonBytes: number;
  /** Those bytes after Brotli (quality 5, see above). */
  brotliBytes: number;
}

/** Reads every live record of `store` (named `name`) and weighs it; compression runs off the main thread. */
export async function measureDataStore(store: DataStore, name: string): Promise<DataStoreWeight> {
  const records = await listRecords(store, { includeInternal: true });
  const object: Record<string, JsonValue> = Object.create(null);
  for (const { key, value } of records) object[key] = value;
  const json = Buffer.from(JSON.stringify(object));
  const internalRecords = records.filter(({ key }) => isInternalKey(key)).length;
  const compressed = await compress(json, {
    params: { [constants.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY, [constants.BROTLI_PARAM_SIZE_HINT]: json.length },
  });
  return { dataStore: name, records: records.length - internalRecords, internalRecords, jsonBytes: json.length, brotliBytes: compressed.length };
}
