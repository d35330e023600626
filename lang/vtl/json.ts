/** JSON (json-smart's permissive mode, as API Gateway reads bodies) and a JSONPath subset. Part of the mapping-template renderer: see index.ts. */
import { JavaBigDecimal, JsonArray, double, isMap, type JavaMap } from "./java-values";

/**
 * Strict JSON as json-smart reads it into Java values: integers stay exact (bigint beyond 2^53);
 * decimals are Doubles, or BigDecimals when written with more than 18 characters.
 */
function parseJson(text: string): unknown {
  let pos = 0;
  const fail = (what: string): never => {
    throw new SyntaxError(`${what} at position ${pos}`);
  };
  const skipSpace = () => {
    while (pos < text.length && " \t\n\r".includes(text[pos])) pos++;
  };
  const expect = (ch: string) => {
    skipSpace();
    if (text[pos] !== ch) fail(`Expected '${ch}'`);
    pos++;
  };
  /**
   * A string literal. json-smart (permissive mode) drops the raw control characters (U+0000-U+001F,
   * U+007F) of a string that has an escape sequence, and keeps them in one that has none.
   */
  const string = (): string => {
    const special = /["\\]/g;
    const raw: string[] = [];
    let out = "";
    pos++;
    for (;;) {
      special.lastIndex = pos;
      const found = special.exec(text);
      if (!found) return fail("Unterminated string");
      const segment = text.slice(pos, found.index);
      pos = found.index + 1;
      if (found[0] === '"') {
        if (raw.length === 0) return segment;
        return out + segment.replace(/[\x00-\x1f\x7f]/g, "");
      }
      raw.push(segment);
      out += segment.replace(/[\x00-\x1f\x7f]/g, "");
      const escaped = text[pos++];
      const simple: Record<string, string> = { '"': '"', "\\": "\\", "/": "/", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t" };
      if (Object.hasOwn(simple, escaped)) out += simple[escaped];
      else if (escaped === "u" && /^[0-9a-fA-F]{4}$/.test(text.slice(pos, pos + 4))) {
        out += String.fromCharCode(parseInt(text.slice(pos, pos + 4), 16));
        pos += 4;
      } else fail("Invalid escape");
    }
  };
  const value = (): unknown => {
    skipSpace();
    if (text[pos] === "{") {
      pos++;
      const map: JavaMap = new Map();
      skipSpace();
      if (text[pos] === "}") {
        pos++;
        return map;
      }
      do {
        skipSpace();
        if (text[pos] !== '"') fail("Expected a string key");
        const key = string();
        expect(":");
        map.set(key, value());
        skipSpace();
      } while (text[pos] === "," && pos++);
      expect("}");
      return map;
    }
    if (text[pos] === "[") {
      pos++;
      const list = new JsonArray();
      skipSpace();
      if (text[pos] === "]") {
        pos++;
        return list;
      }
      do {
        list.push(value());
        skipSpace();
      } while (text[pos] === "," && pos++);
      expect("]");
      return list;
    }
    if (text[pos] === '"') return string();
    const literal = /true|false|null|-?(?:0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/y;
    literal.lastIndex = pos;
    const found = literal.exec(text);
    if (!found) return fail(pos < text.length ? `Unexpected character '${text[pos]}'` : "Unexpected end of input");
    pos += found[0].length;
    if (found[0] === "true" || found[0] === "false") return found[0] === "true";
    if (found[0] === "null") return null;
    if (found[1] !== undefined || found[2] !== undefined)
      return found[0].length > 18 ? JavaBigDecimal.parse(found[0]) : double(Number(found[0]));
    const n = Number(found[0]);
    return Number.isSafeInteger(n) ? n : BigInt(found[0]);
  };
  const result = value();
  skipSpace();
  if (pos < text.length) fail(`Unexpected character '${text[pos]}'`);
  return result;
}

/**
 * A body (or $util.parseJson argument) as API Gateway reads it: json-smart's permissive mode reads
 * text that does not start like JSON as one string, which form-encoded templates rely on.
 */
export function parsePayload(text: string, what = "the body"): unknown {
  const trimmed = text.trim();
  try {
    return parseJson(trimmed);
  } catch (error) {
    if (/^[{["]/.test(trimmed)) throw new Error(`Could not process payload: ${what} is not valid JSON (${(error as Error).message})`);
    return trimmed; // "" for a blank payload, as json-smart reads it
  }
}

/** Evaluates `$`, `$.a.b`, `$['a']`, `$.a[0]` (and `[-1]`); undefined when the path leads nowhere. */
export function selectJsonPath(root: unknown, jsonPath: string): unknown {
  const trimmed = jsonPath.trim();
  let rest = (trimmed.startsWith("$") ? trimmed : `$.${trimmed}`).slice(1);
  let value = root;
  while (rest) {
    const step = /^\.([^.[\]\s'"*]+)|^\[\s*(?:'([^']*)'|"([^"]*)"|(-?\d+))\s*\]/.exec(rest);
    if (!step) throw new Error(`Unsupported JSONPath "${jsonPath}" (supported: $, $.a.b, $['a'], $.a[0])`);
    rest = rest.slice(step[0].length);
    const name = step[1] ?? step[2] ?? step[3];
    if (name !== undefined) {
      value = isMap(value) && value.has(name) ? value.get(name) : undefined;
    } else {
      const i = Number(step[4]);
      value = Array.isArray(value) ? value[i < 0 ? value.length + i : i] : undefined;
    }
    if (value === undefined) return undefined;
  }
  return value;
}
