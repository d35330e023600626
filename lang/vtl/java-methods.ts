/** Java methods: String, Map, List, Number, Map.Entry, Object. Part of the mapping-template renderer: see index.ts. */
import {
  Host,
  type JavaDouble,
  MapEntry,
  NO_METHOD,
  double,
  isInt,
  isMap,
  isNull,
  isNumber,
  javaEquals,
  javaError,
  javaHash,
  javaToString,
  numberValue,
  type JavaMap,
  type Overloads,
} from "./java-values";
import { compileJava, javaPattern, javaReplacer, javaSplit } from "./java-regex";

export const notNull = <T>(value: T): NonNullable<T> => {
  if (isNull(value)) throw javaError("NullPointerException", "null argument");
  return value as NonNullable<T>;
};

export const checkIndex = (i: number, size: number, kind = "IndexOutOfBoundsException") => {
  if (i < 0 || i >= size) throw javaError(kind, `Index: ${i}, Size: ${size}`);
  return i;
};

/** indexOf(int ch) takes a character code. */
const charOrString = (v: string | number) => (typeof v === "number" ? String.fromCodePoint(v) : notNull(v));

function javaSubstring(s: string, begin: number, end: number): string {
  if (begin < 0 || end > s.length || begin > end)
    throw javaError("StringIndexOutOfBoundsException", `begin ${begin}, end ${end}, length ${s.length}`);
  return s.slice(begin, end);
}

function javaCompare(a: string, b: string): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a.charCodeAt(i) - b.charCodeAt(i);
  return a.length - b.length;
}

const STRING_METHODS: Readonly<Record<string, Overloads>> = {
  length: { "": (s: string) => s.length },
  isEmpty: { "": (s: string) => s.length === 0 },
  equals: { o: (s: string, o: unknown) => s === o },
  equalsIgnoreCase: {
    o: (s: string, o: unknown) =>
      typeof o === "string" && o.length === s.length && (o.toUpperCase() === s.toUpperCase() || o.toLowerCase() === s.toLowerCase()),
  },
  contains: { s: (s: string, t: string) => s.includes(notNull(t)) },
  startsWith: {
    s: (s: string, t: string) => s.startsWith(notNull(t)),
    si: (s: string, t: string, from: number) => from >= 0 && s.startsWith(notNull(t), from),
  },
  endsWith: { s: (s: string, t: string) => s.endsWith(notNull(t)) },
  indexOf: {
    s: (s: string, t: string) => s.indexOf(notNull(t)),
    i: (s: string, c: number) => s.indexOf(charOrString(c)),
    si: (s: string, t: string, from: number) => s.indexOf(notNull(t), Math.max(0, from)),
    ii: (s: string, c: number, from: number) => s.indexOf(charOrString(c), Math.max(0, from)),
  },
  lastIndexOf: {
    s: (s: string, t: string) => s.lastIndexOf(notNull(t)),
    i: (s: string, c: number) => s.lastIndexOf(charOrString(c)),
    si: (s: string, t: string, from: number) => (from < 0 ? -1 : s.lastIndexOf(notNull(t), from)),
    ii: (s: string, c: number, from: number) => (from < 0 ? -1 : s.lastIndexOf(charOrString(c), from)),
  },
  substring: { i: (s: string, begin: number) => javaSubstring(s, begin, s.length), ii: javaSubstring },
  charAt: { i: (s: string, i: number) => s[checkIndex(i, s.length, "StringIndexOutOfBoundsException")] },
  toLowerCase: { "": (s: string) => s.toLowerCase() },
  toUpperCase: { "": (s: string) => s.toUpperCase() },
  trim: { "": (s: string) => s.replace(/^[\x00-\x20]+|[\x00-\x20]+$/g, "") },
  concat: { s: (s: string, t: string) => s + notNull(t) },
  replace: { ss: (s: string, target: string, replacement: string) => s.replaceAll(notNull(target), () => notNull(replacement)) },
  replaceAll: {
    ss: (s: string, regex: string, replacement: string) =>
      s.replace(compileJava(notNull(regex), "g"), javaReplacer(notNull(replacement), regex)),
  },
  replaceFirst: {
    ss: (s: string, regex: string, replacement: string) =>
      s.replace(compileJava(notNull(regex)), javaReplacer(notNull(replacement), regex)),
  },
  matches: {
    s: (s: string, regex: string) => {
      const { source, flags } = javaPattern(notNull(regex));
      return new RegExp(`(?:${source})(?![\\s\\S])`, `${flags}y`).test(s);
    },
  },
  split: {
    s: (s: string, regex: string) => javaSplit(s, notNull(regex), 0),
    si: (s: string, regex: string, limit: number) => javaSplit(s, notNull(regex), limit),
  },
  compareTo: { s: (s: string, t: string) => javaCompare(s, notNull(t)) },
  hashCode: { "": javaHash },
};

const MAP_METHODS: Readonly<Record<string, Overloads>> = {
  get: { o: (m: JavaMap, k: unknown) => (typeof k === "string" && m.has(k) ? m.get(k) : null) },
  getOrDefault: { oo: (m: JavaMap, k: unknown, d: unknown) => (typeof k === "string" && m.has(k) ? m.get(k) : d) },
  containsKey: { o: (m: JavaMap, k: unknown) => typeof k === "string" && m.has(k) },
  containsValue: { o: (m: JavaMap, v: unknown) => [...m.values()].some((x) => javaEquals(x, v)) },
  size: { "": (m: JavaMap) => m.size },
  isEmpty: { "": (m: JavaMap) => m.size === 0 },
  keySet: { "": (m: JavaMap) => [...m.keys()] },
  values: { "": (m: JavaMap) => [...m.values()] },
  entrySet: { "": (m: JavaMap) => [...m].map(([k, v]) => new MapEntry(k, v)) },
  put: {
    oo: (m: JavaMap, k: unknown, v: unknown) => {
      const key = javaToString(k);
      const previous = m.has(key) ? m.get(key) : null;
      m.set(key, v);
      return previous;
    },
  },
  putAll: {
    o: (m: JavaMap, other: unknown) => {
      if (isMap(other)) for (const [k, v] of other) m.set(k, v);
    },
  },
  remove: {
    o: (m: JavaMap, k: unknown) => {
      if (typeof k !== "string" || !m.has(k)) return null;
      const previous = m.get(k);
      m.delete(k);
      return previous;
    },
  },
};

const LIST_METHODS: Readonly<Record<string, Overloads>> = {
  size: { "": (l: unknown[]) => l.length },
  isEmpty: { "": (l: unknown[]) => l.length === 0 },
  get: { i: (l: unknown[], i: number) => l[checkIndex(i, l.length)] },
  contains: { o: (l: unknown[], o: unknown) => l.some((x) => javaEquals(x, o)) },
  indexOf: { o: (l: unknown[], o: unknown) => l.findIndex((x) => javaEquals(x, o)) },
  add: {
    o: (l: unknown[], o: unknown) => {
      l.push(o);
      return true;
    },
    io: (l: unknown[], i: number, o: unknown) => void l.splice(i === l.length ? i : checkIndex(i, l.length), 0, o),
  },
  set: { io: (l: unknown[], i: number, o: unknown) => l.splice(checkIndex(i, l.length), 1, o)[0] },
  remove: {
    i: (l: unknown[], i: number) => l.splice(checkIndex(i, l.length), 1)[0],
    o: (l: unknown[], o: unknown) => {
      const i = l.findIndex((x) => javaEquals(x, o));
      return i >= 0 && l.splice(i, 1).length === 1;
    },
  },
  subList: {
    ii: (l: unknown[], from: number, to: number) => {
      if (from < 0 || to > l.length || from > to)
        throw javaError("IndexOutOfBoundsException", `fromIndex ${from}, toIndex ${to}, size ${l.length}`);
      return [...l.slice(from, to)];
    },
  },
};

type JavaNumber = number | bigint | JavaDouble;
const NUMBER_METHODS: Readonly<Record<string, Overloads>> = {
  intValue: { "": (n: JavaNumber) => Math.trunc(numberValue(n)) | 0 },
  longValue: { "": (n: JavaNumber) => (typeof n === "bigint" ? n : Math.trunc(numberValue(n))) },
  doubleValue: { "": (n: JavaNumber) => double(numberValue(n)) },
};

const ENTRY_METHODS: Readonly<Record<string, Overloads>> = {
  getKey: { "": (e: MapEntry) => e.key },
  getValue: { "": (e: MapEntry) => e.value },
};

const OBJECT_METHODS: Readonly<Record<string, Overloads>> = {
  toString: { "": (o: unknown) => javaToString(o) },
  equals: { o: (a: unknown, b: unknown) => javaEquals(a, b) },
  booleanValue: { "": (b: unknown) => (typeof b === "boolean" ? b : NO_METHOD) },
};

function accepts(signature: string, args: unknown[]): boolean {
  if (signature.length !== args.length) return false;
  return [...signature].every(
    (kind, i) => kind === "o" || (kind === "i" ? isInt(args[i]) : typeof args[i] === "string" || isNull(args[i])),
  );
}

/** Calls a Java method as Velocity's introspection would; NO_METHOD when there is none for these arguments. */
export function invoke(target: unknown, name: string, args: unknown[]): unknown {
  const own =
    target instanceof Host
      ? target.methods
      : typeof target === "string"
        ? STRING_METHODS
        : isMap(target)
          ? MAP_METHODS
          : Array.isArray(target)
            ? LIST_METHODS
            : isNumber(target)
              ? NUMBER_METHODS
              : target instanceof MapEntry
                ? ENTRY_METHODS
                : {};
  for (const table of [own, OBJECT_METHODS]) {
    const overloads = Object.hasOwn(table, name) ? table[name] : {};
    for (const [signature, fn] of Object.entries(overloads)) {
      if (accepts(signature, args)) return (fn as (...a: unknown[]) => unknown)(target, ...args);
    }
  }
  return NO_METHOD;
}

/** `$x.name`: a map's entry, else the getter getName() or isName(), as Velocity 1.7 looks it up. */
export function property(target: unknown, name: string): unknown {
  if (isMap(target)) return target.has(name) ? target.get(name) : undefined;
  const capitalized = name.charAt(0).toUpperCase() + name.slice(1);
  for (const getter of [`get${capitalized}`, `is${capitalized}`]) {
    const value = invoke(target, getter, []);
    if (value !== NO_METHOD) return value;
  }
  return undefined;
}

/** `$x[key]`: a list's element (a negative index counts from the end) or a map's entry. */
export function index(target: unknown, key: unknown): unknown {
  if (Array.isArray(target) && isInt(key)) return target[checkIndex(key < 0 ? target.length + key : key, target.length)];
  if (isMap(target) && typeof key === "string") return target.has(key) ? target.get(key) : undefined;
  return undefined;
}
