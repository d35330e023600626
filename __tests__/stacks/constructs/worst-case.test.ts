import { describe, expect, it } from "vitest";
import { App, Fn, TerraformStack, Token } from "cdktf";
import { Instance } from "@cdktf/provider-aws/lib/instance";
import {
  declareWorstCase,
  declareWorstCaseList,
  isListReference,
  worstCase,
  worstCaseList,
  worstCaseOr,
} from "../../../stacks/constructs/worst-case";

function instance(count?: number): Instance {
  return new Instance(new TerraformStack(new App(), "s"), "i", { ami: "a", instanceType: "t3.nano", count });
}
const ARN = "arn:aws:ec2:ap-southeast-7:123456789012:instance/i-0123456789abcdef0";

describe("worst cases of Terraform references", () => {
  it("rebuilds a string from its literal parts and the declared worst case of each reference in it", () => {
    const id = declareWorstCase(instance().id, "i-0123456789abcdef0");
    expect(worstCase(`arn:aws:ec2:us-east-1:123456789012:instance/${id}`)).toBe(
      "arn:aws:ec2:us-east-1:123456789012:instance/i-0123456789abcdef0",
    );
    expect(worstCase("plain text")).toBe("plain text");
  });

  it("refuses a reference nobody declared, unless given what it is at its longest", () => {
    const undeclared = `x-${instance().arn}`;
    expect(() => worstCase(undeclared)).toThrow(/no worst case is declared for the Terraform reference/);
    expect(worstCaseOr(undeclared, "longest")).toBe("longest");
  });

  it("expands a list reference into its declared elements", () => {
    const list = declareWorstCaseList(Token.asList(Fn.concat([[instance(1).arn]])), [ARN, ARN]);
    expect(isListReference(list[0])).toBe(true);
    expect(isListReference(ARN)).toBe(false);
    expect(worstCaseList(["arn:aws:s3:::b", ...list])).toEqual(["arn:aws:s3:::b", ARN, ARN]);
  });
});
