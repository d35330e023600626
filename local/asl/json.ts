/**
 * JSON values as Step Functions passes them between states, and the helpers every part of the
 * interpreter shares.
 */

export type JsonValue = null | boolean | number | string | JsonValue[] | JsonObject;
export interface JsonObject {
  [key: string]: JsonValue;
}

export function isJsonObject(value: unknown): value is JsonObject {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** A deep copy through JSON (what a state hands on is always a copy). */
export function cloneJson<T>(value: T): T {
  return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T);
}

/**
 * The payload limit: "The maximum input or output size for a task, state, or execution is 256 KiB
 * of data as a UTF-8 encoded string" (Step Functions Developer Guide, "Step Functions service
 * quotas", Quotas related to state throttling / payload size). Exceeding it fails the state with
 * States.DataLimitExceeded (Developer Guide, "Error names").
 */
export const MAX_PAYLOAD_BYTES = 262_144;

export function payloadBytes(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value) ?? "null", "utf8");
}

/** The JSON type name AWS uses in its messages ("Expected 'array', but was 'string'"). */
export function jsonTypeName(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  return typeof value;
}

/** Structural equality of JSON values (Choice, ArrayContains, ArrayUnique). */
export function jsonEquals(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== "object") return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((item, i) => jsonEquals(item, b[i]));
  const ka = Object.keys(a as object);
  const kb = Object.keys(b as object);
  return (
    ka.length === kb.length &&
    ka.every((key) => Object.hasOwn(b as object, key) && jsonEquals((a as JsonObject)[key], (b as JsonObject)[key]))
  );
}
