/**
 * The library behind the components, for Node.js code steps:
 *
 *   import { increment, rateLimit } from "pd-datastore-kit";
 *   export default defineComponent({
 *     props: { store: { type: "data_store" } },
 *     async run() { return increment(this.store, "signups", { bucket: "day" }); },
 *   });
 *
 * Every function takes the data store prop as its first argument.
 */
export type { DataStore, JsonValue, SetOptions } from "./store/data-store.mjs";
export { INTERNAL_KEY_PREFIX, isInternalKey } from "./store/reserved-keys.mjs";
export { MAX_TTL_SECONDS } from "./store/ttl.mjs";
export { getRecord, putRecord, writeRecord, writeRecords, appendToList, updateTtl } from "./records/records.mjs";
export type { RecordToWrite, GetRecordOptions, GetRecordResult, AppendOptions } from "./records/records.mjs";
export { listRecords, listKeys } from "./records/list-records.mjs";
export type { ListOptions, ListedRecord } from "./records/list-records.mjs";
export { deleteRecords, deleteAllRecords } from "./records/delete-records.mjs";
export type { DeleteResult } from "./records/delete-records.mjs";
export { increment, readCounter } from "./counter/counter.mjs";
export type { CounterOptions, IncrementOptions, CounterResult } from "./counter/counter.mjs";
export { BUCKETS, bucketKey, periodLabel } from "./counter/buckets.mjs";
export type { Bucket } from "./counter/buckets.mjs";
export { rateLimit, RateLimitExceededError, ALGORITHMS } from "./rate-limit/rate-limit.mjs";
export type { Algorithm, RateLimitOptions, RateLimitResult } from "./rate-limit/rate-limit.mjs";
export { deduplicate } from "./dedupe/dedupe.mjs";
export type { DeduplicateOptions, DeduplicateResult } from "./dedupe/dedupe.mjs";
export { getOrSet, cachedRequest, requestCacheKey, HttpStatusError, STALE_KEEP_SECONDS } from "./cache/cache.mjs";
export type { CachedRequestOptions, CachedResponse, HttpRequest, HttpResponse } from "./cache/cache.mjs";
