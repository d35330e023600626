/**
 * IAM's quotas at the sizes the project accepts: every role's policies of a stack with 300
 * workflows, and with 100 workflows encrypted with a customer managed key, rendered with ARNs of
 * the real length and counted as IAM counts them (IAM User Guide, "IAM and AWS STS quotas": a
 * role's inline policies together at most 10,240 characters, a managed policy 6,144, 10 managed
 * policies per role by default; white space is not counted). The checks here are written apart
 * from the stack's own sizing (policy-document.ts): they read only what Terraform will create.
 */
import { describe, expect, it } from "vitest";
import type { WorkflowConfig } from "../../stacks/workflows";
import { hclToData } from "../support/hcl";
import { resources } from "../support/stack-json";
import { type SynthResult, beforeTests, synthStack, testConfig } from "../support/synth";

/** The longest commercial region code (AWS General Reference, "AWS Regions"). */
const REGION = "ap-southeast-7";
const ACCOUNT = "123456789012";
const KEY_ID = "1234abcd-12ab-34cd-56ef-1234567890ab";
const INSTANCE_ID = "i-0123456789abcdef0";

/** `count` workflows, half EXPRESS, half STANDARD, with names of every length up to the longest allowed (31). */
function workflows(count: number): WorkflowConfig[] {
  return Array.from({ length: count }, (_, index) => {
    const name = `w${index}-${"x".repeat(index % 27)}`.slice(0, 31);
    const express = index % 2 === 0;
    return {
      name,
      type: express ? "EXPRESS" : "STANDARD",
      templateFile: express ? "state-machines/express.asl.json.tftpl" : "state-machines/standard.asl.json.tftpl",
      templateVariables: express ? {} : { wait_seconds: 29 },
      path: `p${index}`,
      ...(express ? {} : { statusPath: `p${index}/executions` }),
      resources: ["demo-instance"],
    } as WorkflowConfig;
  });
}

interface Role {
  readonly name: string;
  readonly inline: string[];
  readonly managed: string[];
}

/** Every role of the stack with its inline and managed policy documents, as Terraform expressions. */
function roles(json: Record<string, any>): Role[] {
  const inline = Object.values(resources(json, "aws_iam_role_policy"));
  const managed = resources(json, "aws_iam_policy");
  const attachments = Object.values(resources(json, "aws_iam_role_policy_attachment"));
  return Object.entries(resources(json, "aws_iam_role")).map(([id, role]) => ({
    name: role.name,
    inline: inline.filter((policy) => policy.role === `\${aws_iam_role.${id}.id}`).map((policy) => policy.policy),
    managed: attachments
      .filter((attachment) => attachment.role === `\${aws_iam_role.${id}.name}`)
      .map((attachment) => {
        const policy = /^\$\{aws_iam_policy\.([a-z0-9_]+)\.arn\}$/.exec(attachment.policy_arn)?.[1];
        return policy ? managed[policy].policy : undefined;
      })
      .filter((document): document is string => document !== undefined),
  }));
}

/** What the module's inputs and data sources hold at their longest (the root stack's partition is "aws"). */
interface Environment {
  readonly partition: string;
  /** The module's project_name at the longest its validation allows. @default none: the root stack */
  readonly projectName?: string;
  /** How many instance IDs the module's instance_ids may list. @default 0 */
  readonly instanceIds?: number;
}
const ROOT: Environment = { partition: "aws" };

/** A policy document as AWS will hold it: every Terraform reference replaced by the ARN it resolves to. */
function asAws(json: Record<string, any>, expression: string, env: Environment = ROOT): unknown {
  const machines = resources(json, "aws_sfn_state_machine");
  const { partition } = env;
  const machineArn = (id: string) => `arn:${partition}:states:${REGION}:${ACCOUNT}:stateMachine:${machines[id].name}`;
  const instance = `arn:${partition}:ec2:${REGION}:${ACCOUNT}:instance/${INSTANCE_ID}`;
  const instances = JSON.stringify(Array<string>((env.instanceIds ?? 0) + 1).fill(instance));
  const text = JSON.stringify(hclToData(expression))
    .replace(/"\$\{concat\(aws_instance\.demo_instance\[\*\]\.arn, formatlist\(.*?var\.instance_ids\)\)\}"/g, instances)
    .replace(/\$\{replace\(aws_sfn_state_machine\.([a-z0-9_]+)\.arn, \\":stateMachine:\\", \\":execution:\\"\)\}/g, (_, id) =>
      machineArn(id).replace(":stateMachine:", ":execution:"),
    )
    .replace(/\$\{aws_sfn_state_machine\.([a-z0-9_]+)\.arn\}/g, (_, id) => machineArn(id))
    .replace(/\$\{data\.aws_caller_identity\.[a-z_]+\.account_id\}/g, ACCOUNT)
    .replace(/\$\{data\.aws_partition\.[a-z_]+\.partition\}/g, partition)
    .replace(/\$\{data\.aws_region\.[a-z_]+\.name\}/g, REGION)
    .replace(/\$\{var\.project_name\}/g, env.projectName ?? "${var.project_name}")
    .replace(/\$\{aws_kms_key\.key\.arn\}/g, `arn:${partition}:kms:${REGION}:${ACCOUNT}:key/${KEY_ID}`)
    .replace(/\$\{aws_instance\.demo_instance\.arn\}/g, instance);
  expect(text.match(/\$\{[^}]*\}?/g) ?? [], "every reference is one this test knows").toEqual([]);
  return JSON.parse(text);
}

/** IAM's count: the document's characters without white space. */
const size = (document: unknown) => JSON.stringify(document).replace(/\s/g, "").length;

/** Every statement the stack's roles hold, with the role's name. */
function statements(
  json: Record<string, any>,
): Array<{ role: string; Sid: string; Action: string[]; Resource: string[]; Condition?: any }> {
  return roles(json).flatMap((role) =>
    [...role.inline, ...role.managed].flatMap((document) =>
      (asAws(json, document) as any).Statement.map((s: any) => ({ ...s, role: role.name })),
    ),
  );
}

function expectWithinQuotas(json: Record<string, any>, env: Environment = ROOT): void {
  for (const role of roles(json)) {
    const inline = role.inline.map((document) => size(asAws(json, document, env)));
    expect(
      inline.reduce((sum, n) => sum + n, 0),
      `${role.name}: inline policies`,
    ).toBeLessThanOrEqual(10_240);
    for (const document of role.managed)
      expect(size(asAws(json, document, env)), `${role.name}: a managed policy`).toBeLessThanOrEqual(6_144);
    expect(role.managed.length, `${role.name}: managed policies`).toBeLessThanOrEqual(10);
    for (const document of [...role.inline, ...role.managed]) {
      const sids = (asAws(json, document, env) as any).Statement.map((s: any) => s.Sid);
      expect(new Set(sids).size, `${role.name}: Sids are unique within a policy`).toBe(sids.length);
    }
  }
}

/** The ARNs the integration role may call `action` on. */
function granted(json: Record<string, any>, action: string): string[] {
  return statements(json)
    .filter((s) => s.role === "apigw-sfn-apigw-sfn" && s.Action.includes(action))
    .flatMap((s) => s.Resource)
    .sort();
}

function machineArns(json: Record<string, any>, type: string, kind = "stateMachine", suffix = ""): string[] {
  return Object.values(resources(json, "aws_sfn_state_machine"))
    .filter((machine) => machine.type === type)
    .map((machine) => `arn:aws:states:${REGION}:${ACCOUNT}:${kind}:${machine.name}${suffix}`)
    .sort();
}

describe("300 workflows", () => {
  let synth: SynthResult;
  beforeTests(() => {
    // 300 workflows make 601 API resources: an account whose "Resources per API" quota was raised.
    synth = synthStack({ config: testConfig({ region: REGION, maxApiResources: 1000 }), workflows: workflows(300) });
  });

  it("keeps every role's policies within IAM's quotas, with ARNs of the real length", () => {
    expectWithinQuotas(synth.json);
  });

  it("moves what the integration role's inline policy cannot hold into managed policies attached to it", () => {
    const integration = roles(synth.json).find((role) => role.name === "apigw-sfn-apigw-sfn")!;
    expect(integration.inline).toHaveLength(1);
    expect(integration.managed.length).toBeGreaterThan(1);
  });

  it("still lets the integration role start each state machine with its own action only, and describe STANDARD executions", () => {
    expect(granted(synth.json, "states:StartSyncExecution")).toEqual(machineArns(synth.json, "EXPRESS"));
    expect(granted(synth.json, "states:StartExecution")).toEqual(machineArns(synth.json, "STANDARD"));
    expect(granted(synth.json, "states:DescribeExecution")).toEqual(machineArns(synth.json, "STANDARD", "execution", ":*"));
  });

  it("makes every integration wait for every policy of the integration role", () => {
    const policies = [
      "aws_iam_role_policy.integration_role_policy",
      ...Object.keys(resources(synth.json, "aws_iam_role_policy_attachment"))
        .filter((id) => id.startsWith("integration_role_"))
        .map((id) => `aws_iam_role_policy_attachment.${id}`),
    ];
    const integrations = Object.values(resources(synth.json, "aws_api_gateway_integration"));
    expect(integrations).toHaveLength(450);
    for (const integration of integrations) expect([...integration.depends_on].sort()).toEqual(policies.sort());
  });
});

describe("100 workflows with a customer managed key", () => {
  let synth: SynthResult;
  beforeTests(() => {
    synth = synthStack({ config: testConfig({ region: REGION, createKmsKey: true }), workflows: workflows(100) });
  });

  it("keeps every role's policies within IAM's quotas, with ARNs of the real length", () => {
    expectWithinQuotas(synth.json);
  });

  it("lets the integration role use the key for the data of these 100 state machines only", () => {
    const keyStatements = statements(synth.json).filter((s) => s.role === "apigw-sfn-apigw-sfn" && s.Action.includes("kms:Decrypt"));
    expect(keyStatements.flatMap((s) => s.Resource)).toEqual(keyStatements.map(() => `arn:aws:kms:${REGION}:${ACCOUNT}:key/${KEY_ID}`));
    const contexts = keyStatements.flatMap((s) => s.Condition.StringEquals["kms:EncryptionContext:aws:states:stateMachineArn"]);
    expect(contexts.sort()).toEqual([...machineArns(synth.json, "EXPRESS"), ...machineArns(synth.json, "STANDARD")].sort());
  });
});

describe("the reusable module with 150 workflows", () => {
  let synth: SynthResult;
  beforeTests(() => {
    synth = synthStack({ module: true, config: testConfig({ region: REGION, maxApiResources: 1000 }), workflows: workflows(150) });
  });

  it("keeps every role's policies within IAM's quotas with the longest project_name and every instance ID its variables allow", () => {
    const longest = Number(/\{0,(\d+)\}/.exec(synth.json.variable.project_name.validation[0].condition)![1]) + 1;
    const instanceIds = Number(
      /length\(var\.instance_ids\) <= (\d+)/.exec(JSON.stringify(synth.json.variable.instance_ids.validation))![1],
    );
    expect(longest).toBe(28);
    expect(roles(synth.json).find((role) => role.name === "${var.project_name}-apigw-sfn")!.managed.length).toBeGreaterThan(1);
    expectWithinQuotas(synth.json, { partition: "aws-us-gov", projectName: "p".repeat(longest), instanceIds });
  });
});

describe("past what a role can hold", () => {
  it("stops synth with one line naming the role, the size and the limit (the 100 workflows with a key above, with 1 managed policy per role)", () => {
    const config = testConfig({ region: REGION, createKmsKey: true, managedPoliciesPerRole: 1 });
    expect(() => synthStack({ config, workflows: workflows(100) })).toThrow(
      /^IAM role apigw-sfn-apigw-sfn: its policies need \d+ characters \(as IAM counts them, ARNs at their longest\), over the 16384 it can hold \(10240 inline and 1 managed policies of 6144; IAM allows up to 20 once the account's quota is raised\)$/,
    );
  });
});
