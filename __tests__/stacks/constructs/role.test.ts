import { describe, expect, it } from "vitest";
import { App, TerraformStack, Testing } from "cdktf";
import { SfnStateMachine } from "@cdktf/provider-aws/lib/sfn-state-machine";
import { assumeRolePolicy, type PolicyStatement } from "../../../stacks/constructs/iam";
import { Role, type RoleProps } from "../../../stacks/constructs/role";
import { hclToData } from "../../support/hcl";

type Json = Record<string, any>;

const PROPS: RoleProps = {
  name: "unit-role",
  description: "A role of the test",
  assumeRolePolicy: assumeRolePolicy("states.amazonaws.com"),
};
const start = (index: number): PolicyStatement => ({
  Sid: `StartExecutionOnMachine${index}Only`,
  mergedSid: "StartExecutionOnTheseStateMachinesOnly",
  Effect: "Allow",
  Action: ["states:StartExecution"],
  Resource: [`arn:aws:states:us-east-1:123456789012:stateMachine:machine-with-a-long-name-${index}`],
});

/** Synthesizes a stack holding one Role (id "Role"), after `build` granted it what it needs. */
function synthRole(build: (role: Role, stack: TerraformStack) => void, props: Partial<RoleProps> = {}): Json {
  const stack = new TerraformStack(Testing.app(), "test");
  build(new Role(stack, "Role", { ...PROPS, ...props }), stack);
  return JSON.parse(Testing.synth(stack));
}
const all = (json: Json, type: string): Json[] => Object.values(json.resource?.[type] ?? {});

describe("Role", () => {
  it("renders every grant once, at synth, as one inline policy of merged statements", () => {
    const json = synthRole((role) => {
      role.addToPolicy(start(1));
      role.addToPolicy(start(2));
    });
    const policies = all(json, "aws_iam_role_policy");
    expect(policies).toHaveLength(1);
    expect(policies[0].name).toBe("permissions");
    expect((hclToData(policies[0].policy) as Json).Statement).toEqual([
      {
        Sid: "StartExecutionOnTheseStateMachinesOnly",
        Effect: "Allow",
        Action: ["states:StartExecution"],
        Resource: [start(1).Resource[0], start(2).Resource[0]],
      },
    ]);
  });

  it("creates no policy for a role granted nothing (IAM refuses an empty policy)", () => {
    const json = synthRole(() => {});
    expect(all(json, "aws_iam_role_policy")).toEqual([]);
    expect(all(json, "aws_iam_policy")).toEqual([]);
  });

  it("moves what the inline quota cannot hold into managed policies attached to the role, and makes dependents wait for all", () => {
    const json = synthRole((role, stack) => {
      const machine = new SfnStateMachine(stack, "Machine", { name: "m", definition: "{}", roleArn: role.arn });
      for (let index = 0; index < 300; index++) role.addToPolicy(start(index)).applyBefore(machine);
    });
    const managed = all(json, "aws_iam_policy");
    expect(managed.length).toBeGreaterThan(1);
    expect(managed.map((policy) => policy.name)).toEqual(managed.map((_, index) => `unit-role-${index + 1}`));
    const attachments = json.resource.aws_iam_role_policy_attachment;
    expect(Object.keys(attachments)).toHaveLength(managed.length);
    for (const attachment of Object.values<Json>(attachments))
      expect(attachment.role).toMatch(/^\$\{aws_iam_role\.Role_[A-Z0-9]+\.name\}$/);
    const resources = [...all(json, "aws_iam_role_policy"), ...managed].flatMap((policy) =>
      (hclToData(policy.policy) as Json).Statement.flatMap((s: Json) => s.Resource),
    );
    expect(resources).toHaveLength(300);
    expect(all(json, "aws_sfn_state_machine")[0].depends_on).toEqual([
      expect.stringMatching(/^aws_iam_role_policy\./),
      ...Object.keys(attachments).map(() => expect.stringMatching(/^aws_iam_role_policy_attachment\./)),
    ]);
  });

  it("stops synth when even its managed policies cannot hold its statements, naming the role, the size and the limit", () => {
    expect(() =>
      synthRole(
        (role) => {
          for (let index = 0; index < 600; index++) role.addToPolicy(start(index));
        },
        { managedPolicies: 2 },
      ),
    ).toThrow(
      /^IAM role unit-role: its policies need \d+ characters \(as IAM counts them, ARNs at their longest\), over the 22528 it can hold \(10240 inline and 2 managed policies of 6144; IAM allows up to 20 once the account's quota is raised\)$/,
    );
  });

  it("refuses a grant once its policies are written, which would be lost", () => {
    const stack = new TerraformStack(Testing.app(), "test");
    const role = new Role(stack, "Role", PROPS);
    role.addToPolicy(start(1));
    Testing.synth(stack);
    expect(() => role.addToPolicy(start(2))).toThrow("role test/Role: a grant after synth would be lost");
  });

  it.each([
    [0, "managed policies per role 0 must be between 1 and 20"],
    [21, "managed policies per role 21 must be between 1 and 20"],
    [1.5, "managed policies per role 1.5 must be a whole number"],
  ])("refuses %s managed policies per role (IAM allows 1 to 20)", (managedPolicies, message) => {
    expect(() => new Role(new TerraformStack(new App(), "s"), "Role", { ...PROPS, managedPolicies })).toThrow(message);
  });
});
