/** Java values  null: null or undefined. String: string. Boolean: boolean. Integer/Long: integral number, or bigint beyond 2^53. Double: non-integral number, or JavaDouble when integral (prints "1.0"). Map (LinkedHashMap): Map, whose order is the insertion order even for keys such as "1" (a plain object would list those first). List: array; JsonArray for lists read from JSON (json-smart's JSONArray, whose toString is JSON); JavaArray for a String[] (from split).. Part of the mapping-template renderer: see index.ts. */

/** A java.lang.Double with an integral value (other doubles are plain non-integral numbers). */
export class JavaDouble {
  constructor(readonly value: number) {}
}

/**
 * A java.math.BigDecimal: json-smart reads a decimal number written with more than 18 characters
 * as one (JSONParserBase.extractFloat), exactly as written: unscaled value and scale.
 */
export class JavaBigDecimal {
  constructor(
    readonly unscaled: bigint,
    readonly scale: number,
  ) {}

  static parse(text: string): JavaBigDecimal {
    const [, sign, whole, fraction = "", exponent = "0"] = /^(-?)(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/.exec(text)!;
    const unscaled = BigInt(whole + fraction);
    return new JavaBigDecimal(sign ? -unscaled : unscaled, fraction.length - Number(exponent));
  }

  /** BigDecimal.toString: plain when the scale is not negative and the exponent is -6 or more, else scientific ("1.5E+30"). */
  toString(): string {
    const sign = this.unscaled < 0n ? "-" : "";
    const coefficient = (this.unscaled < 0n ? -this.unscaled : this.unscaled).toString();
    const adjusted = coefficient.length - 1 - this.scale;
    if (this.scale >= 0 && adjusted >= -6) {
      if (this.scale === 0) return sign + coefficient;
      const point = coefficient.length - this.scale;
      return sign + (point > 0 ? `${coefficient.slice(0, point)}.${coefficient.slice(point)}` : `0.${"0".repeat(-point)}${coefficient}`);
    }
    const mantissa = coefficient.length > 1 ? `${coefficient[0]}.${coefficient.slice(1)}` : coefficient;
    return `${sign}${mantissa}${adjusted === 0 ? "" : `E${adjusted > 0 ? "+" : ""}${adjusted}`}`;
  }

  /** The exact value as a fraction. */
  fraction(): [bigint, bigint] {
    return this.scale >= 0 ? [this.unscaled, 10n ** BigInt(this.scale)] : [this.unscaled * 10n ** BigInt(-this.scale), 1n];
  }
}

/** A list read from JSON (net.minidev.json.JSONArray): prints as JSON. */
export class JsonArray<T = unknown> extends Array<T> {}

/** A Java array (String[]): prints as its type and identity, as Java does. */
export class JavaArray<T = unknown> extends Array<T> {}

/** A Map.Entry, from entrySet(). */
export class MapEntry {
  constructor(
    readonly key: string,
    readonly value: unknown,
  ) {}
}

/**
 * The Java overloads of a method, by signature: one letter per parameter, s = String (or null),
 * i = int, o = any object. Implementations get the target object first.
 */
export type Overloads = Readonly<Record<string, (self: never, ...args: never[]) => unknown>>;

/** An object of API Gateway's ($input, $util): its methods; properties through getX()/isX(). */
export class Host {
  constructor(readonly methods: Readonly<Record<string, Overloads>>) {}
}

/** What method dispatch gives when Java has no such method for these arguments (Velocity: null). */
export const NO_METHOD = Symbol("no such method");

export const isNull = (v: unknown): v is null | undefined => v === null || v === undefined;
export type JavaMap = Map<string, unknown>;
export const isMap = (v: unknown): v is JavaMap => v instanceof Map;
/** A plain JavaScript object (request data, $context as given). */
export const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v) && [Object.prototype, null].includes(Object.getPrototypeOf(v));
export const isNumber = (v: unknown): v is number | bigint | JavaDouble | JavaBigDecimal =>
  typeof v === "number" || typeof v === "bigint" || v instanceof JavaDouble || v instanceof JavaBigDecimal;
/** A Double, or a BigDecimal (arithmetic on a BigDecimal is done in doubles here: an approximation). */
export const isDouble = (v: unknown) =>
  v instanceof JavaDouble || v instanceof JavaBigDecimal || (typeof v === "number" && !Number.isInteger(v));
export const isInt = (v: unknown): v is number => typeof v === "number" && Number.isInteger(v);
export const numberValue = (v: number | bigint | JavaDouble | JavaBigDecimal) =>
  v instanceof JavaDouble ? v.value : Number(v instanceof JavaBigDecimal ? v.toString() : v);
export const double = (n: number): number | JavaDouble => (Number.isInteger(n) ? new JavaDouble(n) : n);

/** Plain JavaScript data (request values, $context) as Java values. */
export function toJava(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(toJava);
  if (isPlainObject(value)) return new Map(Object.entries(value).map(([key, item]) => [key, toJava(item)]));
  return value;
}

/** Java's Double.toString (with the shortest digits that identify the double, as JDK 19+ prints). */
function javaDoubleToString(d: number): string {
  if (Number.isNaN(d)) return "NaN";
  if (!Number.isFinite(d)) return d > 0 ? "Infinity" : "-Infinity";
  if (d === 0) return Object.is(d, -0) ? "-0.0" : "0.0";
  const sign = d < 0 ? "-" : "";
  let [mantissa, exponent] = Math.abs(d).toExponential().split("e");
  // Java writes at least two digits: where one would do, the two-digit decimal nearest the exact
  // value that still reads back as d (4.9E-324, not 5.0E-324).
  const twoDigits = Math.abs(d).toExponential(1);
  if (!mantissa.includes(".") && !twoDigits.includes(".0e") && Number(twoDigits) === Math.abs(d))
    [mantissa, exponent] = twoDigits.split("e");
  const digits = mantissa.replace(".", "");
  const exp = Number(exponent);
  if (exp < -3 || exp >= 7) return `${sign}${digits[0]}.${digits.slice(1) || "0"}E${exp}`;
  if (exp < 0) return `${sign}0.${"0".repeat(-exp - 1)}${digits}`;
  return `${sign}${digits.slice(0, exp + 1).padEnd(exp + 1, "0")}.${digits.slice(exp + 1) || "0"}`;
}

export function javaHash(text: string): number {
  let hash = 0;
  for (let i = 0; i < text.length; i++) hash = (Math.imul(31, hash) + text.charCodeAt(i)) | 0;
  return hash;
}

/** Java's toString, which is what Velocity prints. */
export function javaToString(value: unknown): string {
  if (isNull(value)) return "null";
  if (typeof value === "string") return value;
  if (typeof value === "number") {
    if (!Number.isInteger(value)) return javaDoubleToString(value);
    return Math.abs(value) < 1e21 ? String(value) : BigInt(value).toString();
  }
  if (typeof value === "boolean" || typeof value === "bigint") return String(value);
  if (value instanceof JavaDouble) return javaDoubleToString(value.value);
  if (value instanceof JavaBigDecimal) return value.toString();
  if (value instanceof JsonArray) return toJson(value);
  if (value instanceof JavaArray) return `[Ljava.lang.String;@${(javaHash(value.join("\0")) >>> 0).toString(16)}`;
  if (Array.isArray(value)) return `[${value.map(javaToString).join(", ")}]`;
  if (value instanceof MapEntry) return `${value.key}=${javaToString(value.value)}`;
  if (isMap(value)) return `{${[...value].map(([k, v]) => `${k}=${javaToString(v)}`).join(", ")}}`;
  return "{}";
}

const JSON_ESCAPES: Readonly<Record<string, string>> = {
  '"': '\\"',
  "\\": "\\\\",
  "/": "\\/",
  "\b": "\\b",
  "\f": "\\f",
  "\n": "\\n",
  "\r": "\\r",
  "\t": "\\t",
};

/**
 * JSON text as json-smart writes it in its default style (JSONValue.toJSONString, and
 * JSONArray.toString, JSONStyle.NO_COMPRESS): compact; "/" as "\/"; control chars, U+007F-U+009F
 * and U+2000-U+20FF as \uXXXX; a non-finite double as null.
 */
export function toJson(value: unknown): string {
  if (isNull(value)) return "null";
  if (typeof value === "string" || value instanceof MapEntry) {
    const escaped = (ch: string) => JSON_ESCAPES[ch] ?? `\\u${ch.charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")}`;
    return `"${javaToString(value).replace(/["\\/\x00-\x1f\x7f-\x9f\u2000-\u20ff]/g, escaped)}"`;
  }
  if (typeof value === "number" && !Number.isFinite(value)) return "null";
  if (Array.isArray(value)) return `[${value.map(toJson).join(",")}]`;
  if (isMap(value)) return `{${[...value].map(([k, v]) => `${toJson(k)}:${toJson(v)}`).join(",")}}`;
  return javaToString(value);
}

/** Java's Object.equals. */
export function javaEquals(a: unknown, b: unknown): boolean {
  if (isNull(a) || isNull(b)) return isNull(a) && isNull(b);
  if (a instanceof JavaBigDecimal || b instanceof JavaBigDecimal) {
    // BigDecimal.equals: same value and same scale.
    return a instanceof JavaBigDecimal && b instanceof JavaBigDecimal && a.unscaled === b.unscaled && a.scale === b.scale;
  }
  if (isNumber(a)) {
    // Integer.equals(Double) is false; Double.equals tells 0.0 from -0.0 and finds NaN equal to NaN.
    if (!isNumber(b) || isDouble(a) !== isDouble(b)) return false;
    return isDouble(a) ? Object.is(numberValue(a), numberValue(b)) : numberValue(a) === numberValue(b);
  }
  if (a instanceof JavaArray || b instanceof JavaArray) return a === b;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((item, i) => javaEquals(item, b[i]));
  if (isMap(a)) {
    if (!isMap(b)) return false;
    return a.size === b.size && [...a].every(([k, v]) => b.has(k) && javaEquals(v, b.get(k)));
  }
  if (a instanceof MapEntry) return b instanceof MapEntry && a.key === b.key && javaEquals(a.value, b.value);
  return a === b;
}

/** Velocity 1.7's `==` (numbers by value, same kinds by equals, others by toString), plus API Gateway's `null == ""`. */
export function velocityEquals(a: unknown, b: unknown): boolean {
  if (isNull(a) || isNull(b)) return (a ?? "") === (b ?? "");
  if (isNumber(a) && isNumber(b)) return compareNumbers(a, b) === 0;
  const kind = (v: unknown) => (Array.isArray(v) && !(v instanceof JavaArray) ? "list" : isMap(v) ? "map" : typeof v);
  if (kind(a) === kind(b) && kind(a) !== "object") return javaEquals(a, b);
  return javaToString(a) === javaToString(b);
}

/** The exact value of a finite double, as a fraction (what `new BigDecimal(double)` holds). */
function exactDouble(d: number): [bigint, bigint] {
  if (!Number.isFinite(d)) throw javaError("NumberFormatException", "Infinite or NaN");
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, d);
  const bits = view.getBigUint64(0);
  const biased = Number((bits >> 52n) & 0x7ffn);
  let mantissa = bits & ((1n << 52n) - 1n);
  if (biased !== 0) mantissa |= 1n << 52n;
  const exponent = (biased === 0 ? 1 : biased) - 1075;
  const signed = bits >> 63n ? -mantissa : mantissa;
  return exponent >= 0 ? [signed << BigInt(exponent), 1n] : [signed, 1n << BigInt(-exponent)];
}

/**
 * Velocity 1.7's comparison of two numbers (MathUtils.compare): integers exactly (Long or
 * BigInteger); a BigDecimal, or a BigInteger with a Double, exactly as BigDecimals (a Double by its
 * exact binary value); other mixes as doubles.
 */
export function compareNumbers(a: number | bigint | JavaDouble | JavaBigDecimal, b: number | bigint | JavaDouble | JavaBigDecimal): number {
  const integral = (v: unknown) => typeof v === "bigint" || isInt(v);
  const sign = (n: bigint) => (n > 0n ? 1 : n < 0n ? -1 : 0);
  if (integral(a) && integral(b)) return sign(BigInt(a as number | bigint) - BigInt(b as number | bigint));
  if (a instanceof JavaBigDecimal || b instanceof JavaBigDecimal || typeof a === "bigint" || typeof b === "bigint") {
    const fraction = (v: typeof a): [bigint, bigint] =>
      v instanceof JavaBigDecimal ? v.fraction() : integral(v) ? [BigInt(v as number | bigint), 1n] : exactDouble(numberValue(v));
    const [[p, q], [r, t]] = [fraction(a), fraction(b)];
    return sign(p * t - r * q);
  }
  const [x, y] = [numberValue(a), numberValue(b)];
  return x < y ? -1 : x > y ? 1 : x === y ? 0 : NaN;
}

/** Velocity 1.7's truth of a value in #if: null is false, a Boolean is itself, anything else is true. */
export const truthy = (value: unknown) => (typeof value === "boolean" ? value : !isNull(value));

export function javaError(kind: string, message: string): Error {
  return new Error(`java.lang.${kind}: ${message}`);
}
