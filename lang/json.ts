/** Parsing JSON files with errors that say where the problem is and never echo the file's text. */

/** Thrown by {@link parseJsonText}: the message has a line and column when the parser tells a position. */
export class JsonSyntaxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "JsonSyntaxError";
  }
}

/**
 * JSON.parse, with V8's message reduced to what is wrong and where: V8 quotes an excerpt of the
 * text it failed on (`Unexpected token 'r', "root:x:0:0:"... is not valid JSON`), which would print
 * a file's contents into an error.
 */
export function parseJsonText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const message = (error as Error).message;
    const position = /at position (\d+)/.exec(message);
    const what = message
      .replace(/, "(?:[^"\\]|\\.)*"(?:\.\.\.)? is not valid JSON$/s, "")
      .replace(/^(Unexpected token) '.*?'$/s, "$1")
      .replace(/ in JSON at position \d+.*$/s, "")
      .replace(/ \(line \d+ column \d+\)$/, "");
    if (!position) throw new JsonSyntaxError(what);
    const before = text.slice(0, Number(position[1]));
    const line = before.split("\n").length;
    const column = before.length - before.lastIndexOf("\n");
    throw new JsonSyntaxError(`${what} at line ${line}, column ${column}`);
  }
}
