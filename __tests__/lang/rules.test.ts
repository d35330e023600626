import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type Condition, factsOf, holds, negate, ruleProblem } from "../../lang/rules";
import { WORKFLOW_API_RULES } from "../../stacks/constructs/workflow-api-rules";

const condition: Condition = {
  any: [
    {
      all: [
        { fact: "a", is: "x" },
        { fact: "b", isNot: true },
      ],
    },
    { fact: "c", is: 3 },
  ],
};
const values = fc.record({ a: fc.constantFrom("x", "y"), b: fc.boolean(), c: fc.constantFrom(3, 4) });

describe("rules between settings", () => {
  it("holds when a comparison of every part of an all, or of one part of an any, holds", () => {
    expect(holds(condition, (fact) => ({ a: "x", b: false, c: 4 })[fact])).toBe(true);
    expect(holds(condition, (fact) => ({ a: "x", b: true, c: 4 })[fact])).toBe(false);
    expect(holds(condition, (fact) => ({ a: "y", b: true, c: 3 })[fact])).toBe(true);
  });

  it("negates a condition into one that holds exactly when the condition does not", () => {
    fc.assert(
      fc.property(values, (v) => {
        const of = (fact: string) => v[fact as keyof typeof v];
        expect(holds(negate(condition), of)).toBe(!holds(condition, of));
      }),
    );
  });

  it("lists the facts a condition reads once each, in the order it names them", () => {
    expect(factsOf({ all: [condition, { fact: "a", is: "y" }] })).toEqual(["a", "b", "c"]);
  });

  it("spells each fact of a problem as its reader names it", () => {
    expect(ruleProblem({ forbid: condition, problem: "{a} needs {b}" }, (fact) => `var.${fact}`)).toBe("var.a needs var.b");
  });

  it("names in each rule's problem every fact the rule reads", () => {
    for (const rule of WORKFLOW_API_RULES) {
      for (const fact of factsOf(rule.forbid)) expect(rule.problem, fact).toContain(`{${fact}}`);
    }
  });
});
