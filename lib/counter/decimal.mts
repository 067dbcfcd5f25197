/**
 * Sums of the decimal numbers people type (0.1 + 0.2 is 0.3, not 0.30000000000000004): both
 * operands are scaled to integers by their count of decimal places, added, and scaled back.
 * Exact while the scaled values stay below 2^53; beyond that it is ordinary float addition.
 */
export function addDecimals(a: number, b: number): number {
  const places = Math.max(decimalPlaces(a), decimalPlaces(b));
  if (places === 0) return a + b;
  const scale = 10 ** places;
  const scaledA = Math.round(a * scale);
  const scaledB = Math.round(b * scale);
  if (!Number.isSafeInteger(scaledA) || !Number.isSafeInteger(scaledB)) return a + b;
  return (scaledA + scaledB) / scale;
}

/** Decimal places in the shortest text of `n` (`1.25` → 2, `1e-7` → 7, `3` → 0). */
function decimalPlaces(n: number): number {
  const [mantissa = "", exponent = "0"] = String(n).toLowerCase().split("e");
  const fraction = mantissa.split(".")[1] ?? "";
  return Math.max(0, fraction.length - Number(exponent));
}

/** Sum of many decimals, each step exact as `addDecimals`. */
export function sumDecimals(values: Iterable<number>, start = 0): number {
  let total = start;
  for (const value of values) total = addDecimals(total, value);
  return total;
}
