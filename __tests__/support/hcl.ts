/**
 * Reads the HCL object expressions cdktf writes for jsonencode() arguments, e.g.
 * `${jsonencode({"Action" = ["ec2:StartInstances"], "Resource" = [aws_instance.demo_instance.arn]})}`,
 * into plain data. A bare reference or function call becomes the string "${...}" Terraform would
 * interpolate; strings keep their text.
 */
export function hclToData(expression: string): unknown {
  let text = expression.trim();
  const wrapped = /^\$\{jsonencode\((.*)\)\}$/s.exec(text);
  if (wrapped) text = wrapped[1];
  let i = 0;
  const skip = () => {
    while (/\s/.test(text[i] ?? "")) i++;
  };
  const fail = (what: string): never => {
    throw new Error(`cannot read HCL at ${i} (${what}): ${text.slice(Math.max(0, i - 30), i + 30)}`);
  };
  const value = (): unknown => {
    skip();
    const c = text[i];
    if (c === "{") {
      i++;
      const object: Record<string, unknown> = {};
      for (skip(); text[i] !== "}"; skip()) {
        const key = value();
        if (typeof key !== "string") fail("object key");
        skip();
        if (text[i] !== "=") fail("expected =");
        i++;
        object[key as string] = value();
        skip();
        if (text[i] === ",") i++;
      }
      i++;
      return object;
    }
    if (c === "[") {
      i++;
      const list: unknown[] = [];
      for (skip(); text[i] !== "]"; skip()) {
        list.push(value());
        skip();
        if (text[i] === ",") i++;
      }
      i++;
      return list;
    }
    if (c === '"') {
      let out = "";
      i++;
      let depth = 0;
      while (i < text.length && !(text[i] === '"' && depth === 0)) {
        if (text[i] === "\\") {
          out += JSON.parse(`"${text.slice(i, i + 2)}"`);
          i += 2;
          continue;
        }
        if (text.startsWith("${", i)) depth++;
        else if (text[i] === "}" && depth > 0) depth--;
        out += text[i++];
      }
      i++;
      return out;
    }
    if (/^(true|false)\b/.test(text.slice(i))) {
      const word = /^(true|false)/.exec(text.slice(i))![1];
      i += word.length;
      return word === "true";
    }
    if (/[-0-9]/.test(c ?? "")) {
      const number = /^-?\d+(\.\d+)?/.exec(text.slice(i))![0];
      i += number.length;
      return Number(number);
    }
    // A reference or a function call, up to the next separator outside parentheses and strings.
    const start = i;
    let depth = 0;
    let inString = false;
    for (; i < text.length; i++) {
      const ch = text[i];
      if (inString) {
        if (ch === "\\") i++;
        else if (ch === '"') inString = false;
      } else if (ch === '"') inString = true;
      else if (ch === "(") depth++;
      else if (ch === ")") depth--;
      else if (depth === 0 && /[,\]}\s]/.test(ch)) break;
    }
    if (i === start) fail("empty value");
    return `\${${text.slice(start, i)}}`;
  };
  const result = value();
  skip();
  if (i !== text.length) fail("trailing text");
  return result;
}
