/** The renderer: velocityjs's Compile with Velocity 1.7 and Java semantics. Part of the mapping-template renderer: see index.ts. */
import { Compile, Helper } from "velocityjs";
import type { Attribute, ReferencesAST, SetAST, VELOCITY_AST } from "velocityjs/dist/src/type";
import { BREAK, parseVtl } from "./parse";
import {
  NO_METHOD,
  compareNumbers,
  double,
  isDouble,
  isInt,
  isMap,
  isNull,
  isNumber,
  javaToString,
  numberValue,
  truthy,
  velocityEquals,
} from "./java-values";
import { checkIndex, index, invoke, property } from "./java-methods";

/** A value already computed, handed to velocityjs's #set as if it were a literal. */
const CONSTANT = "vtl:constant";

type Node = { readonly type: string; readonly [field: string]: unknown };

export class ApiGatewayCompile extends Compile {
  private loops = 0;

  constructor(asts: VELOCITY_AST[]) {
    super(asts, { escape: false });
  }

  /** Renders the template for these variables. */
  run(variables: Record<string, unknown>): string {
    // velocityjs's #break lets the rest of the loop body render; Velocity's leaves it at once.
    const breakLoop = () => {
      this.runState.break = this.runState.stop = true;
      return "";
    };
    return this.render(variables, { [BREAK]: breakLoop });
  }

  // velocityjs types getReferences, getLiteral and getExpression as returning strings; they return
  // template values, hence `any` on these three overrides.

  /** Printing: a null reference prints nothing (API Gateway), anything else Java's toString. */
  // biome-ignore lint/suspicious/noExplicitAny: overrides velocityjs, whose signature returns any
  protected override getReferences(ast: VELOCITY_AST, isVal?: boolean): any {
    const value = super.getReferences(ast, false) as unknown;
    if (!isVal) return value;
    return isNull(value) ? "" : javaToString(value);
  }

  /** A property, index or method step of a reference ($a.b, $a[0], $a.b()). Overrides velocityjs's. */
  getAttributes(step: Attribute, target: unknown): unknown {
    if (isNull(target)) return undefined;
    if (step.type === "property") return property(target, step.id);
    if (step.type === "index") return index(target, this.getLiteral(step.id as VELOCITY_AST));
    const args = Array.isArray(step.args) ? step.args.map((arg) => this.getLiteral(arg as VELOCITY_AST) as unknown) : []; // `false` when none
    const result = invoke(target, step.id, args);
    return result === NO_METHOD ? undefined : result;
  }

  // biome-ignore lint/suspicious/noExplicitAny: overrides velocityjs, whose signature returns any
  protected override getLiteral(ast: VELOCITY_AST): any {
    const node = ast as Node;
    if (node.type === CONSTANT) return node.value;
    if (node.type === "decimal") return double(Number(node.value));
    if (node.type === "integer") return Number(node.value);
    if (node.type === "map") {
      // A map literal is a LinkedHashMap. (Its keys come in the order the parser's object has them.)
      const entries = Object.entries((node.value ?? {}) as Record<string, VELOCITY_AST>);
      return new Map(entries.map(([key, value]) => [key, this.getLiteral(value) as unknown]));
    }
    return super.getLiteral(ast);
  }

  /** Interpolation in double-quoted strings, parsed with the same rules as the template. */
  protected override evalStr(text: string): string {
    return this.renderAstList(parseVtl(text, "string literal"), this.contextId);
  }

  /** #set; Velocity 1.7 leaves the target unchanged when the value is null. */
  protected override setValue(ast: SetAST): void {
    const [target, expression] = ast.equal;
    const value = this.getExpression(expression) as unknown;
    if (isNull(value)) return;
    const steps = target.path ?? [];
    if (steps.length === 0) {
      super.setValue({ ...ast, equal: [target, { type: CONSTANT, value } as unknown as VELOCITY_AST] });
      return;
    }
    const container = this.getReferences({ ...target, path: steps.slice(0, -1) } as VELOCITY_AST, false) as unknown;
    const last = steps[steps.length - 1];
    const key =
      last.type === "property" ? last.id : last.type === "index" ? (this.getLiteral(last.id as VELOCITY_AST) as unknown) : undefined;
    if (isMap(container) && !isNull(key)) container.set(javaToString(key), value);
    else if (Array.isArray(container) && isInt(key)) container[checkIndex(key, container.length)] = value;
  }

  protected override getBlock(block: VELOCITY_AST[]): string {
    const type = (block[0] as Node).type;
    if (type === "if") return this.renderIf(block);
    if (type === "foreach") return this.renderForeach(block);
    return super.getBlock(block);
  }

  private renderIf(block: VELOCITY_AST[]): string {
    const body: VELOCITY_AST[] = [];
    let taken = false;
    for (const item of block) {
      const node = item as Node;
      if (typeof item === "object" && !Array.isArray(item) && ["if", "elseif", "else"].includes(node.type)) {
        if (taken) break;
        taken = node.type === "else" || this.test(node.condition as VELOCITY_AST);
      } else if (taken) {
        body.push(item);
      }
    }
    return this.renderAstList(body, this.contextId);
  }

  /** #foreach over a list (or a map's values), with $foreach.index/count/hasNext/first/last and $velocityCount. */
  private renderForeach(block: VELOCITY_AST[]): string {
    const head = block[0] as Node;
    const source = this.getLiteral(head.from as VELOCITY_AST) as unknown;
    const items = Array.isArray(source) ? [...source] : isMap(source) ? [...source.values()] : [];
    if (items.length === 0) return "";
    const contextId = `foreach:${++this.loops}`;
    const scope: Record<string, unknown> = {};
    this.local[contextId] = scope;
    let out = "";
    for (let i = 0; i < items.length && !this.runState.break; i++) {
      const hasNext = i + 1 < items.length;
      scope[head.to as string] = items[i];
      scope.foreach = new Map<string, unknown>([
        ["index", i],
        ["count", i + 1],
        ["hasNext", hasNext],
        ["first", i === 0],
        ["last", !hasNext],
      ]);
      scope.velocityCount = i + 1;
      scope.velocityHasNext = hasNext;
      out += this.renderAstList(block.slice(1), contextId);
    }
    if (this.runState.break) this.runState.break = this.runState.stop = false;
    this.local[contextId] = {};
    this.conditions.shift();
    this.contextId = this.conditions[0] || "";
    return out;
  }

  /** A condition, as Velocity 1.7 evaluates it. */
  private test(ast: VELOCITY_AST): boolean {
    const node = ast as Node;
    if (node.type === "references") return truthy(this.getReferences(ast, false));
    if (node.type === "bool") return node.value === "true";
    if (node.type !== "math") return false; // other literals evaluate to false in Velocity 1.7
    const [a, b] = node.expression as VELOCITY_AST[];
    switch (node.operator) {
      case "&&":
        return this.test(a) && this.test(b);
      case "||":
        return this.test(a) || this.test(b);
      case "not":
        return !this.test(a);
      case "parenthesis":
        return this.test(a);
      case "==":
        return velocityEquals(this.getExpression(a), this.getExpression(b));
      case "!=":
        return !velocityEquals(this.getExpression(a), this.getExpression(b));
      case "<":
      case "<=":
      case ">":
      case ">=": {
        const x: unknown = this.getExpression(a);
        const y: unknown = this.getExpression(b);
        if (!isNumber(x) || !isNumber(y)) return false; // Velocity 1.7 compares numbers only
        const order = compareNumbers(x, y);
        return { "<": order < 0, "<=": order <= 0, ">": order > 0, ">=": order >= 0 }[node.operator];
      }
      default:
        return false; // arithmetic evaluates to false in Velocity 1.7
    }
  }

  /** An expression's value (#set right-hand sides), with Velocity 1.7's arithmetic. */
  // biome-ignore lint/suspicious/noExplicitAny: overrides velocityjs, whose signature returns any
  protected override getExpression(ast: VELOCITY_AST): any {
    const node = ast as Node;
    if (node.type !== "math") return this.getLiteral(ast);
    const [a, b] = node.expression as VELOCITY_AST[];
    switch (node.operator) {
      case "parenthesis":
        return this.getExpression(a);
      case "minus": {
        const x: unknown = this.getExpression(a);
        return isNumber(x) ? (isDouble(x) ? double(-numberValue(x)) : -numberValue(x)) : null;
      }
      case "+":
      case "-":
      case "*":
      case "/":
      case "%":
        return this.arithmetic(node.operator, a, b);
      default:
        return this.test(ast);
    }
  }

  private arithmetic(operator: "+" | "-" | "*" | "/" | "%", a: VELOCITY_AST, b: VELOCITY_AST): unknown {
    const x: unknown = this.getExpression(a);
    const y: unknown = this.getExpression(b);
    if (operator === "+" && (typeof x === "string" || typeof y === "string")) {
      // Velocity 1.7 concatenates, writing a null side as its source text.
      const text = (v: unknown, side: VELOCITY_AST) => (isNull(v) ? Helper.getRefText(side as ReferencesAST) : javaToString(v));
      return text(x, a) + text(y, b);
    }
    if (!isNumber(x) || !isNumber(y)) return null;
    const [l, r] = [numberValue(x), numberValue(y)];
    if ((operator === "/" || operator === "%") && r === 0) return null; // Velocity 1.7: null, not an error
    const result = { "+": l + r, "-": l - r, "*": l * r, "/": l / r, "%": l % r }[operator];
    if (isDouble(x) || isDouble(y)) return double(result);
    return operator === "/" ? Math.trunc(result) : result;
  }
}
