/** Java regular expressions (java.util.regex) translated to RegExp. Part of the mapping-template renderer: see index.ts. */
import { JavaArray, javaError } from "./java-values";

const LINE_TERMINATORS = "\\n\\r\\u0085\\u2028\\u2029";
/** Java's `$` without MULTILINE: at the end, or before a line terminator that ends the input. */
const JAVA_END = `(?=(?:\\r\\n|[${LINE_TERMINATORS}])?(?![\\s\\S]))`;
const JAVA_SPACE = " \\t\\n\\x0B\\f\\r";
const HORIZONTAL_SPACE = " \\t\\xA0\\u1680\\u180E\\u2000-\\u200A\\u202F\\u205F\\u3000";
const VERTICAL_SPACE = "\\n\\x0B\\f\\r\\x85\\u2028\\u2029";
const POSIX_CLASSES: Readonly<Record<string, string>> = {
  Lower: "a-z",
  Upper: "A-Z",
  ASCII: "\\x00-\\x7F",
  Alpha: "a-zA-Z",
  Digit: "0-9",
  Alnum: "a-zA-Z0-9",
  Punct: "!-\\/:-@\\[-`{-~",
  Graph: "!-~",
  Print: " -~",
  Blank: " \\t",
  Cntrl: "\\x00-\\x1F\\x7F",
  XDigit: "0-9a-fA-F",
  Space: JAVA_SPACE,
};

/** A literal character in RegExp's unicode mode (where escaping a non-syntax character is an error). */
const regexLiteral = (ch: string, inClass: boolean) => ("^$\\.*+?()[]{}|/".includes(ch) || (inClass && ch === "-") ? `\\${ch}` : ch);

/** Translates a Java regular expression; throws, as Java's PatternSyntaxException, on what it cannot translate. */
export function javaPattern(regex: string): { source: string; flags: string } {
  const fail = (why: string) => new Error(`Java regex "${regex}": ${why}`);
  let src = regex;
  let flags = "u";
  const leading = /^\(\?([a-zA-Z]+)\)/.exec(src);
  if (leading) {
    for (const flag of leading[1]) {
      if ("ims".includes(flag)) flags += flags.includes(flag) ? "" : flag;
      else if (flag !== "u") throw fail(`unsupported flag (?${flag})`);
    }
    src = src.slice(leading[0].length);
  }
  let out = "";
  let inClass = false;
  for (let i = 0; i < src.length; ) {
    const ch = src[i];
    if (ch === "\\") {
      const [js, length] = translateEscape(src, i, inClass, fail);
      out += js;
      i += length;
    } else if (inClass) {
      if (ch === "[") throw fail("nested character classes are not supported");
      if (ch === "&" && src[i + 1] === "&") throw fail("character class intersections are not supported");
      inClass = ch !== "]";
      out += ch;
      i++;
    } else if (ch === "[") {
      inClass = true;
      const negated = src[i + 1] === "^";
      out += negated ? "[^" : "[";
      i += negated ? 2 : 1;
    } else if (ch === "(" && src[i + 1] === "?") {
      const group = /^\(\?(?::|=|!|<=|<!|<[a-zA-Z][a-zA-Z0-9]*>)/.exec(src.slice(i));
      if (!group) throw fail(`unsupported group construct at index ${i}`);
      out += group[0];
      i += group[0].length;
    } else {
      const repeat = ch === "{" ? /^\{\d+(?:,\d*)?\}/.exec(src.slice(i)) : null;
      if (ch === "{" && !repeat) throw fail(`illegal repetition at index ${i}`);
      const translated: Record<string, string> = {
        ".": flags.includes("s") ? "[\\s\\S]" : `[^${LINE_TERMINATORS}]`,
        $: flags.includes("m") ? "$" : JAVA_END,
        "]": "\\]",
        "}": "\\}",
      };
      out += repeat ? repeat[0] : Object.hasOwn(translated, ch) ? translated[ch] : ch;
      i += repeat ? repeat[0].length : 1;
      if ((repeat || "*+?".includes(ch)) && src[i] === "+") throw fail("possessive quantifiers are not supported");
    }
  }
  try {
    new RegExp(out, flags);
  } catch (error) {
    throw fail((error as Error).message);
  }
  return { source: out, flags };
}

function translateEscape(src: string, i: number, inClass: boolean, fail: (why: string) => Error): [string, number] {
  const ch = src[i + 1];
  if (ch === undefined) throw fail("unexpected trailing backslash");
  const set = (content: string, negated: boolean): string => {
    if (!inClass) return `[${negated ? "^" : ""}${content}]`;
    if (negated) throw fail(`\\${ch} inside a character class is not supported`);
    return content;
  };
  const simple: Record<string, string> = {
    a: "\\x07",
    e: "\\x1B",
    s: set(JAVA_SPACE, false),
    h: set(HORIZONTAL_SPACE, false),
    v: set(VERTICAL_SPACE, false),
  };
  if (!inClass)
    Object.assign(simple, {
      S: `[^${JAVA_SPACE}]`,
      H: `[^${HORIZONTAL_SPACE}]`,
      V: `[^${VERTICAL_SPACE}]`,
      R: `(?:\\r\\n|[${VERTICAL_SPACE}])`,
      A: "(?<![\\s\\S])",
      z: "(?![\\s\\S])",
      Z: JAVA_END,
    });
  if (Object.hasOwn(simple, ch)) return [simple[ch], 2];
  if ("dDwWbBtnrfS".includes(ch)) return [`\\${ch}`, 2];
  const rest = src.slice(i);
  let m: RegExpExecArray | null;
  if (ch === "Q") {
    const end = src.indexOf("\\E", i + 2);
    const quoted = src.slice(i + 2, end < 0 ? undefined : end);
    return [[...quoted].map((c) => regexLiteral(c, inClass)).join(""), (end < 0 ? src.length : end + 2) - i];
  }
  // biome-ignore-start lint/suspicious/noAssignInExpressions: one escape form per line, matched and read in one step
  if ((m = /^\\0([0-3]?[0-7]{1,2})/.exec(rest))) return [`\\u{${parseInt(m[1], 8).toString(16)}}`, m[0].length];
  if ((m = /^\\x\{([0-9a-fA-F]+)\}/.exec(rest))) return [`\\u{${m[1]}}`, m[0].length];
  if ((m = /^\\(?:x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|c[A-Za-z]|k<[a-zA-Z][a-zA-Z0-9]*>)/.exec(rest))) return [m[0], m[0].length];
  if (!inClass && (m = /^\\[1-9]\d*/.exec(rest))) return [m[0], m[0].length];
  // biome-ignore-end lint/suspicious/noAssignInExpressions: end of the escape forms
  // biome-ignore lint/suspicious/noAssignInExpressions: matched and read in one step, as above
  if ((m = /^\\([pP])(?:\{(\^?)([^}]*)\}|([A-Za-z]))/.exec(rest))) {
    const negated = (m[1] === "P") !== (m[2] === "^");
    const name = (m[3] ?? m[4]).replace(/^Is(?=[A-Z])/, "");
    if (Object.hasOwn(POSIX_CLASSES, name)) return [set(POSIX_CLASSES[name], negated), m[0].length];
    if (/^(?:[A-Z][a-z]?|Alphabetic|White_Space|Letter|Uppercase|Lowercase)$/.test(name))
      return [`\\${negated ? "P" : "p"}{${name}}`, m[0].length];
    throw fail(`unsupported property ${m[0]}`);
  }
  if (/[a-zA-Z0-9]/.test(ch)) throw fail(`illegal or unsupported escape sequence \\${ch}`);
  return [regexLiteral(ch, inClass), 2];
}

export const compileJava = (regex: string, extraFlags = "") => {
  const { source, flags } = javaPattern(regex);
  return new RegExp(source, flags + extraFlags);
};

/** Java's Matcher.appendReplacement syntax: $n, ${name}, and \x for a literal x. */
export function javaReplacer(replacement: string, regex: string): (...match: unknown[]) => string {
  return (...match: unknown[]) => {
    const named = typeof match[match.length - 1] === "object" ? (match[match.length - 1] as Record<string, string | undefined>) : undefined;
    const groups = match.slice(0, named ? -3 : -2) as (string | undefined)[];
    let out = "";
    for (let i = 0; i < replacement.length; i++) {
      const ch = replacement[i];
      if (ch === "\\") {
        if (++i === replacement.length)
          throw javaError("IllegalArgumentException", `character to be escaped is missing in "${replacement}"`);
        out += replacement[i];
      } else if (ch === "$") {
        const name = /^\{([a-zA-Z][a-zA-Z0-9]*)\}/.exec(replacement.slice(i + 1));
        if (name) {
          if (!named || !Object.hasOwn(named, name[1]))
            throw javaError("IllegalArgumentException", `no group with name {${name[1]}} in "${regex}"`);
          out += named[name[1]] ?? "";
          i += name[0].length;
          continue;
        }
        if (!/[0-9]/.test(replacement[i + 1] ?? ""))
          throw javaError("IllegalArgumentException", `illegal group reference in "${replacement}"`);
        let ref = Number(replacement[++i]);
        // Java takes more digits only while they still name an existing group.
        while (/[0-9]/.test(replacement[i + 1] ?? "") && ref * 10 + Number(replacement[i + 1]) < groups.length)
          ref = ref * 10 + Number(replacement[++i]);
        if (ref >= groups.length) throw javaError("IndexOutOfBoundsException", `no group ${ref} in "${regex}"`);
        out += groups[ref] ?? "";
      } else {
        out += ch;
      }
    }
    return out;
  };
}

/** Java's String.split(regex, limit): no empty first part for a zero-width match; limit 0 drops trailing empty parts. */
export function javaSplit(text: string, regex: string, limit: number): JavaArray<string> {
  const parts: string[] = [];
  let index = 0;
  for (const m of text.matchAll(compileJava(regex, "g"))) {
    const start = m.index ?? 0;
    const end = start + m[0].length;
    if (limit > 0 && parts.length >= limit - 1) break;
    if (index === 0 && start === 0 && end === 0) continue;
    parts.push(text.slice(index, start));
    index = end;
  }
  if (parts.length === 0) return JavaArray.from([text]) as JavaArray<string>;
  parts.push(text.slice(index));
  if (limit === 0) while (parts.length > 0 && parts[parts.length - 1] === "") parts.pop();
  return JavaArray.from(parts) as JavaArray<string>;
}
