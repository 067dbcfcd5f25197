// @ts-check
/** How numbers, sizes and times read on the page: with units, in the user's words. */

const numberFormat = new Intl.NumberFormat("en-US");

/** @param {number} n  e.g. 100000 → "100,000" */
export function formatNumber(n) {
  return numberFormat.format(n);
}

/**
 * A count with its noun: "1 record", "12 records", "100,000 records".
 * @param {number} n
 * @param {string} singular
 * @param {string} [plural]
 */
export function formatCount(n, singular, plural = `${singular}s`) {
  return `${formatNumber(n)} ${n === 1 ? singular : plural}`;
}

/**
 * A size in bytes, in binary units: "512 B", "3.4 KB", "12 MB".
 * @param {number} bytes
 */
export function formatBytes(bytes) {
  if (bytes < 1024) return `${formatNumber(bytes)} B`;
  const units = ["KB", "MB", "GB", "TB"];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value < 10 ? value.toFixed(1) : Math.round(value)} ${units[unit]}`;
}

/**
 * Time until a record expires, from whole seconds left: "never", "in 45 s", "in 4 min",
 * "in 2 h 5 min", "in 3 days". Rounds up, as the server does, so it never reads as expired early.
 * @param {number | null} ttlSeconds
 */
export function formatTimeLeft(ttlSeconds) {
  if (ttlSeconds === null) return "never";
  if (ttlSeconds <= 0) return "now";
  if (ttlSeconds < 60) return `in ${ttlSeconds} s`;
  const minutes = Math.ceil(ttlSeconds / 60);
  if (minutes < 60) return `in ${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return minutes % 60 === 0 ? `in ${hours} h` : `in ${hours} h ${minutes % 60} min`;
  const days = Math.round(hours / 24);
  return `in ${days} days`;
}

/**
 * The expiry as a local date and time, for a tooltip: "7 Dec 2026, 10:42:00".
 * @param {string | null} expiresAt ISO time
 */
export function formatExpiry(expiresAt) {
  if (expiresAt === null) return "This record never expires";
  return `Expires ${new Date(expiresAt).toLocaleString("en-GB", { dateStyle: "medium", timeStyle: "medium" })}`;
}

/**
 * A value as the page shows it in full: JSON, indented two spaces.
 * @param {unknown} value
 */
export function prettyJson(value) {
  return JSON.stringify(value, null, 2);
}
