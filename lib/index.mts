/**
 * The library behind the components, for Node.js code steps:
 *
 *   import { increment, rateLimit } from "pd-datastore-kit";
 *   export default defineComponent({
 *     props: { store: { type: "data_store" } },
 *     async run() { return increment(this.store, "signups", { bucket: "day" }); },
 *   });
 *
 * Every function takes the data store prop as its first argument. A call the caller can fix (a
 * bad argument, a record of the wrong kind) throws a UsageError: an InvalidArgumentError naming
 * the argument, or a StoredValueError naming the record.
 */
export { UsageError, InvalidArgumentError, StoredValueError } from "./errors.mjs";
export type { DataStore, JsonValue, SetOptions } from "./store/data-store.mjs";
export { INTERNAL_KEY_PREFIX, isInternalKey } from "./store/reserved-keys.mjs";
export { MAX_TTL_SECONDS } from "./store/ttl.mjs";
export { MAX_JSON_DEPTH, describeNonJson } from "./store/json.mjs";
export { getRecord, putRecord, writeRecord, writeRecords, appendToList, updateTtl } from "./records/records.mjs";
export type { RecordToWrite, GetRecordOptions, GetRecordResult, AppendOptions } from "./records/records.mjs";
export { listRecords, listKeys, listChosenRecords, listChosenKeys } from "./records/list-records.mjs";
export type { ListOptions, ListedRecord, ChosenRecords } from "./records/list-records.mjs";
export { deleteRecords, deleteAllRecords } from "./records/delete-records.mjs";
export type { DeleteResult, DeleteOptions, DeleteAllOptions, DeleteAllResult } from "./records/delete-records.mjs";
export { searchRecords, MATCH_MODES, DEFAULT_SEARCH_LIMIT, MAX_SEARCH_LIMIT } from "./search/search-records.mjs";
export type { MatchMode, SearchOptions, SearchMatch, SearchResult } from "./search/search-records.mjs";
export { increment, readCounter, MAX_COUNTER_AMOUNT } from "./counter/counter.mjs";
export type { CounterOptions, IncrementOptions, CounterResult } from "./counter/counter.mjs";
export { BUCKETS, bucketKey, periodLabel } from "./counter/buckets.mjs";
export type { Bucket } from "./counter/buckets.mjs";
export { rateLimit, RateLimitExceededError, ALGORITHMS, MAX_SLIDING_WINDOW_LIMIT } from "./rate-limit/rate-limit.mjs";
export type { Algorithm, RateLimitOptions, RateLimitResult } from "./rate-limit/rate-limit.mjs";
export { deduplicate } from "./dedupe/dedupe.mjs";
export type { DeduplicateOptions, DeduplicateResult } from "./dedupe/dedupe.mjs";
export { HttpRequestError } from "./http/http-request.mjs";
export { isTransientStatus } from "./http/http-response.mjs";
export type { HttpResponse } from "./http/http-response.mjs";
export { getOrSet, cachedRequest, requestCacheKey, HttpStatusError, STALE_KEEP_SECONDS } from "./cache/cache.mjs";
export type { CacheableMethod, CachedRequestOptions, CachedResponse, HttpRequest } from "./cache/cache.mjs";
export { exportRecords, EXPORT_FORMATS } from "./export/export-records.mjs";
export type { ChunkRequest, ExportFormat, ExportOptions, ExportReport, FailedChunk, SendChunk } from "./export/export-records.mjs";
export type { RetryPolicy } from "./export/retry.mjs";
export { compareDataStores, canonicalDigest, COMPARE_DEFAULT_LIMIT } from "./compare/compare-data-stores.mjs";
export type { ChangedRecord, CompareOptions, CompareReport, CompareResult } from "./compare/compare-data-stores.mjs";
export { copyRecords, EXISTING_MODES } from "./copy/copy-records.mjs";
export type { CopyOptions, CopyReport, CopyResult, ExistingMode } from "./copy/copy-records.mjs";
export { isDataStore, isSameDataStore } from "./copy/store-pair.mjs";
