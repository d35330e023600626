/**
 * The deployment trigger of a synthesized stack, evaluated from cdk.tf.json as Terraform would at
 * plan time, with every attribute reference read from the configuration: an argument set to a
 * literal gives its value, one set to an expression (a reference, templatefile()) gives that
 * expression's text, an argument not set gives null. So two configurations get different triggers
 * exactly when an argument the trigger reads differs.
 *
 * Understands the expressions the stage writes: sha1(), jsonencode(), join(), lists, objects,
 * strings, numbers, booleans, null, local.<name> and <type>.<name>.<attribute>.
 */
import * as crypto from "node:crypto";

type Value = null | string | number | boolean | Value[] | { [key: string]: Value };

/** The value of the stage deployment's `triggers.redeployment`. */
export function deploymentTrigger(json: Record<string, any>): string {
  const deployments = Object.values(json.resource?.aws_api_gateway_deployment ?? {}) as Record<string, any>[];
  if (deployments.length !== 1) throw new Error(`expected one aws_api_gateway_deployment, found ${deployments.length}`);
  return evaluateInterpolation(json, deployments[0].triggers.redeployment) as string;
}

/** A string that is one `${...}` interpolation, evaluated. */
export function evaluateInterpolation(json: Record<string, any>, text: string): Value {
  const match = /^\$\{([\s\S]*)\}$/.exec(text);
  if (!match) throw new Error(`not a single interpolation: ${text.slice(0, 80)}`);
  const parser = new Parser(json, match[1]);
  const value = parser.expression();
  parser.end();
  return value;
}

class Parser {
  private at = 0;

  constructor(
    private readonly json: Record<string, any>,
    private readonly text: string,
  ) {}

  public end(): void {
    this.space();
    if (this.at !== this.text.length) this.fail("unexpected text");
  }

  public expression(): Value {
    this.space();
    const c = this.text[this.at];
    if (c === '"') return this.string();
    if (c === "[") return this.list("[", "]", () => this.expression());
    if (c === "{") {
      const entries = this.list("{", "}", () => {
        const key = this.identifier();
        this.expect("=");
        return [key, this.expression()] as const;
      });
      return Object.fromEntries(entries);
    }
    const number = /^-?\d+(\.\d+)?/.exec(this.text.slice(this.at));
    if (number) {
      this.at += number[0].length;
      return Number(number[0]);
    }
    const name = this.identifier();
    if (name === "true" || name === "false") return name === "true";
    if (name === "null") return null;
    this.space();
    if (this.text[this.at] === "(")
      return this.call(
        name,
        this.list("(", ")", () => this.expression()),
      );
    const path = [name];
    while (this.text[this.at] === ".") {
      this.at++;
      path.push(this.identifier());
    }
    return this.reference(path);
  }

  private call(name: string, args: Value[]): Value {
    switch (name) {
      case "sha1":
        return crypto.createHash("sha1").update(String(args[0])).digest("hex");
      case "jsonencode":
        return JSON.stringify(args[0]);
      case "join":
        return (args[1] as Value[]).join(String(args[0]));
      default:
        return this.fail(`unknown function ${name}`);
    }
  }

  private reference(path: string[]): Value {
    if (path[0] === "local" && path.length === 2) {
      const local = this.json.locals?.[path[1]];
      if (local === undefined) this.fail(`no local ${path[1]}`);
      return evaluateInterpolation(this.json, local);
    }
    if (path.length === 3) {
      const resource = this.json.resource?.[path[0]]?.[path[1]];
      if (!resource) this.fail(`no resource ${path[0]}.${path[1]}`);
      return (resource[path[2]] ?? null) as Value;
    }
    return this.fail(`cannot evaluate the reference ${path.join(".")}`);
  }

  private list<T>(open: string, close: string, item: () => T): T[] {
    this.expect(open);
    const items: T[] = [];
    this.space();
    while (this.text[this.at] !== close) {
      items.push(item());
      this.space();
      if (this.text[this.at] === ",") this.at++;
      else if (this.text[this.at] !== close) this.fail(`expected "," or "${close}"`);
      this.space();
    }
    this.at++;
    return items;
  }

  private string(): string {
    const match = /^"(?:[^"\\]|\\.)*"/.exec(this.text.slice(this.at));
    if (!match) return this.fail("unterminated string");
    this.at += match[0].length;
    return JSON.parse(match[0].replace(/\$\$\{/g, "${").replace(/%%\{/g, "%{"));
  }

  private identifier(): string {
    this.space();
    const match = /^[A-Za-z_][A-Za-z0-9_-]*/.exec(this.text.slice(this.at));
    if (!match) return this.fail("expected a name");
    this.at += match[0].length;
    return match[0];
  }

  private expect(token: string): void {
    this.space();
    if (!this.text.startsWith(token, this.at)) this.fail(`expected "${token}"`);
    this.at += token.length;
  }

  private space(): void {
    while (/\s/.test(this.text[this.at] ?? "")) this.at++;
  }

  private fail(message: string): never {
    throw new Error(`${message} at ${this.at}: ${this.text.slice(this.at, this.at + 60)}`);
  }
}
