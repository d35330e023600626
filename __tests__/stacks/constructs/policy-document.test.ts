import { describe, expect, it } from "vitest";
import type { PolicyStatement } from "../../../stacks/constructs/iam";
import {
  IAM_POLICY_QUOTAS,
  PolicyCapacityExceeded,
  iamLength,
  mergeStatements,
  packStatements,
  policySize,
  uniqueSids,
} from "../../../stacks/constructs/policy-document";

const arn = (name: string) => `arn:aws:states:us-east-1:123456789012:stateMachine:${name}`;
const start = (name: string): PolicyStatement => ({
  Sid: `StartExecutionOn${name}Only`,
  mergedSid: "StartExecutionOnTheseStateMachinesOnly",
  Effect: "Allow",
  Action: ["states:StartExecution"],
  Resource: [arn(name)],
});
const key = (name: string): PolicyStatement => ({
  Sid: `KeyFor${name}DataOnly`,
  mergedSid: "KeyForTheseStateMachinesDataOnly",
  Effect: "Allow",
  Action: ["kms:Decrypt", "kms:GenerateDataKey"],
  Resource: ["arn:aws:kms:us-east-1:123456789012:key/k"],
  Condition: { StringEquals: { "kms:EncryptionContext:aws:states:stateMachineArn": arn(name) } },
});

describe("mergeStatements", () => {
  it("merges statements that share their actions into one with every resource, under the Sid they give for it", () => {
    expect(mergeStatements([start("A"), start("B")])).toEqual([
      { ...start("A"), Sid: "StartExecutionOnTheseStateMachinesOnly", Resource: [arn("A"), arn("B")] },
    ]);
  });

  it("merges statements that share their resources into one with every action", () => {
    const a: PolicyStatement = {
      Sid: "LogsHaveNoResourceLevelPermissions",
      Effect: "Allow",
      Action: ["logs:B", "logs:A"],
      Resource: ["*"],
    };
    const b: PolicyStatement = { Sid: "XRayHasNoResourceLevelPermissions", Effect: "Allow", Action: ["xray:A"], Resource: ["*"] };
    expect(mergeStatements([a, b])).toEqual([
      {
        Sid: "LogsHaveNoResourceLevelPermissionsXRayHasNoResourceLevelPermissions",
        Effect: "Allow",
        Action: ["logs:A", "logs:B", "xray:A"],
        Resource: ["*"],
      },
    ]);
  });

  it("keeps statements that share neither actions nor resources apart, in order", () => {
    const describe: PolicyStatement = { Sid: "DescribeOnAOnly", Effect: "Allow", Action: ["states:DescribeExecution"], Resource: ["e"] };
    expect(mergeStatements([start("A"), describe])).toEqual([start("A"), describe]);
  });

  it("drops a statement granted twice", () => {
    expect(mergeStatements([key("A"), start("A"), key("A")])).toEqual([key("A"), start("A")]);
  });

  it("merges a condition's values only where they are alternatives of one key, and never across different conditions", () => {
    const context = "kms:EncryptionContext:aws:states:stateMachineArn";
    expect(mergeStatements([key("A"), key("B")])).toEqual([
      { ...key("A"), Sid: "KeyForTheseStateMachinesDataOnly", Condition: { StringEquals: { [context]: [arn("A"), arn("B")] } } },
    ]);
    const twoKeys: PolicyStatement = { ...key("B"), Condition: { StringEquals: { [context]: arn("B"), "aws:SourceAccount": "1" } } };
    const notEquals: PolicyStatement = { ...key("C"), Condition: { StringNotEquals: { [context]: arn("C") } } };
    expect(mergeStatements([key("A"), twoKeys, notEquals])).toHaveLength(3);
    expect(mergeStatements([key("A"), { ...key("B"), Condition: undefined }])).toHaveLength(2);
  });
});

describe("policy size", () => {
  it("counts a document as IAM does: its JSON without white space", () => {
    expect(iamLength({ a: "x y" })).toBe('{"a":"xy"}'.length);
    const statement: PolicyStatement = { Sid: "S", Effect: "Allow", Action: ["a:B"], Resource: ["*"] };
    expect(policySize([statement])).toBe(
      '{"Version":"2012-10-17","Statement":[{"Sid":"S","Effect":"Allow","Action":["a:B"],"Resource":["*"]}]}'.length,
    );
  });

  it("does not count the Sid used for merging, which IAM never sees", () => {
    expect(policySize([start("A")])).toBe(policySize([{ ...start("A"), mergedSid: undefined }]));
  });
});

describe("packStatements", () => {
  const many = (count: number) => mergeStatements(Array.from({ length: count }, (_, i) => start(`machine${i}`)));

  it("keeps what fits in the one inline policy", () => {
    const pages = packStatements(many(10));
    expect(pages).toHaveLength(1);
  });

  it("splits a statement too big for the inline policy across managed policies, each within its quota, losing no resource", () => {
    const statements = many(300);
    const pages = packStatements(statements);
    expect(pages.length).toBeGreaterThan(2);
    expect(policySize(pages[0])).toBeLessThanOrEqual(IAM_POLICY_QUOTAS.roleInlinePolicies);
    for (const page of pages.slice(1)) expect(policySize(page)).toBeLessThanOrEqual(IAM_POLICY_QUOTAS.managedPolicy);
    expect(pages.flat().flatMap((s) => s.Resource)).toEqual(statements[0].Resource);
    expect(new Set(pages.flat().map((s) => s.Sid))).toEqual(new Set(["StartExecutionOnTheseStateMachinesOnly"]));
  });

  it("splits a merged condition by its values", () => {
    const merged = mergeStatements(Array.from({ length: 200 }, (_, i) => key(`machine${i}`)));
    const pages = packStatements(merged);
    expect(pages.length).toBeGreaterThan(1);
    const values = pages.flat().flatMap((s) => s.Condition!.StringEquals["kms:EncryptionContext:aws:states:stateMachineArn"]);
    expect(values).toHaveLength(200);
  });

  it("refuses what even every managed policy cannot hold, with the size and the limit", () => {
    const statements = many(300);
    let error: PolicyCapacityExceeded | undefined;
    try {
      packStatements(statements, { managedPolicies: 1 });
    } catch (thrown) {
      error = thrown as PolicyCapacityExceeded;
    }
    expect(error).toBeInstanceOf(PolicyCapacityExceeded);
    expect(error!.limit).toBe(10_240 + 6_144);
    expect(error!.size).toBe(policySize(statements));
  });
});

describe("uniqueSids", () => {
  it("numbers the repeats of a Sid, which IAM requires to be unique within a policy", () => {
    expect(uniqueSids([start("A"), start("A"), start("B")]).map((s) => s.Sid)).toEqual([
      "StartExecutionOnAOnly",
      "StartExecutionOnAOnly2",
      "StartExecutionOnBOnly",
    ]);
  });
});
