/**
 * The security constructs on their own (aws-cdk-lib style: props with defaults, no app
 * configuration): their defaults, their refusals, and the branches the stack never takes.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { Fn, TerraformStack, Testing } from "cdktf";
import { workflowApiProps } from "../../../stacks/apigw-sfn-stack";
import { ApiStage } from "../../../stacks/constructs/api-stage";
import { DemoInstance } from "../../../stacks/constructs/demo-instance";
import { CustomDomain, ResourcePolicy, resourcePolicyDocument } from "../../../stacks/constructs/edge";
import { IntegrationRole } from "../../../stacks/constructs/integration-role";
import { RestApi } from "../../../stacks/constructs/rest-api";
import { LOGGING_STATEMENT, StateMachine, type StateMachineProps, TRACING_STATEMENT } from "../../../stacks/constructs/state-machine";
import { WorkflowApi } from "../../../stacks/constructs/workflow-api";
import { hclToData } from "../../support/hcl";
import { testConfig } from "../../support/synth";

type Json = Record<string, any>;

/** Synthesizes what `build` adds to a fresh stack. */
function synthOf(build: (stack: TerraformStack) => void): Json {
  const stack = new TerraformStack(Testing.app(), "test");
  build(stack);
  return JSON.parse(Testing.synth(stack));
}

/** Every resource of a type, whatever its name. */
const all = (json: Json, type: string): Json[] => Object.values(json.resource?.[type] ?? {});
const only = (json: Json, type: string): Json => {
  const found = all(json, type);
  expect(found, type).toHaveLength(1);
  return found[0];
};

const EXPRESS_TEMPLATE = workflowApiProps(testConfig()).workflows[0].templateFile;
const INSTANCE = "arn:aws:ec2:us-east-1:123456789012:instance/i-0123456789abcdef0";

function machine(overrides: Partial<StateMachineProps> = {}): (stack: TerraformStack) => StateMachine {
  return (stack) =>
    new StateMachine(stack, "Machine", {
      name: "unit-express",
      type: "EXPRESS",
      template: { file: EXPRESS_TEMPLATE },
      resources: [INSTANCE],
      accountId: "123456789012",
      region: "us-east-1",
      ...overrides,
    });
}

describe("StateMachine", () => {
  it("creates the machine, its role and its log group under its name", () => {
    const json = synthOf((stack) => machine()(stack));
    const sm = only(json, "aws_sfn_state_machine");
    expect(sm).toMatchObject({
      name: "unit-express",
      type: "EXPRESS",
      role_arn: expect.stringMatching(/^\$\{aws_iam_role\.[A-Za-z0-9_]+\.arn\}$/),
    });
    expect(sm.definition).toMatch(/^\$\{templatefile\(/);
    expect(sm.logging_configuration.log_destination).toMatch(/^\$\{aws_cloudwatch_log_group\.[A-Za-z0-9_]+\.arn\}:\*$/);
    expect(only(json, "aws_iam_role").name).toBe("unit-express-sfn");
    expect(only(json, "aws_cloudwatch_log_group").name).toBe("/aws/vendedlogs/states/unit-express");
  });

  it("logs ERROR for STANDARD by default, ALL for EXPRESS, never execution data unless asked", () => {
    const standard = synthOf((stack) => machine({ type: "STANDARD" })(stack));
    expect(only(standard, "aws_sfn_state_machine").logging_configuration).toMatchObject({ level: "ERROR", include_execution_data: false });
    const withData = synthOf((stack) => machine({ logging: { includeExecutionData: true } })(stack));
    expect(only(withData, "aws_sfn_state_machine").logging_configuration).toMatchObject({ level: "ALL", include_execution_data: true });
  });

  it("with logging OFF: no destination, no execution data, no log delivery permissions", () => {
    const json = synthOf((stack) => machine({ logging: { level: "OFF", includeExecutionData: true } })(stack));
    const config = only(json, "aws_sfn_state_machine").logging_configuration;
    expect(config).toEqual({ level: "OFF", include_execution_data: false });
    const actions = (hclToData(only(json, "aws_iam_role_policy").policy) as any).Statement.flatMap((s: Json) => s.Action);
    for (const action of LOGGING_STATEMENT.Action) expect(actions).not.toContain(action);
    expect(actions).toEqual(expect.arrayContaining([...TRACING_STATEMENT.Action]));
  });

  it("without tracing: tracing off and no X-Ray permissions", () => {
    const json = synthOf((stack) => machine({ tracing: false })(stack));
    expect(only(json, "aws_sfn_state_machine").tracing_configuration).toEqual({ enabled: false });
    const statements = (hclToData(only(json, "aws_iam_role_policy").policy) as any).Statement;
    expect(statements.map((s: Json) => [s.Sid, s.Action])).toEqual([
      ["TheseActionsHaveNoResourceLevelPermissions", ["ec2:DescribeInstanceStatus", ...LOGGING_STATEMENT.Action]],
      ["TasksOnEc2InstancesOnly", ["ec2:StartInstances", "ec2:StopInstances"]],
    ]);
  });

  it("creates no policy when the workflow needs no permission, and waits for its policy otherwise", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "apigw-sfn-pass-"));
    const template = path.join(dir, "pass.asl.json.tftpl");
    fs.writeFileSync(template, JSON.stringify({ StartAt: "Done", States: { Done: { Type: "Pass", End: true } } }));
    const bare = synthOf((stack) =>
      machine({ template: { file: template }, resources: undefined, logging: { level: "OFF" }, tracing: false })(stack),
    );
    expect(all(bare, "aws_iam_role_policy")).toEqual([]);
    expect(only(bare, "aws_sfn_state_machine").depends_on).toBeUndefined();
    const json = synthOf((stack) => machine()(stack));
    expect(only(json, "aws_sfn_state_machine").depends_on).toEqual([expect.stringMatching(/^aws_iam_role_policy\./)]);
    expect(only(json, "aws_iam_role_policy").name).toBe("workflow-tasks");
  });

  it("refuses an EC2 task when it is given no resources, naming the workflow (its label) and the field", () => {
    expect(() => synthOf(machine({ resources: undefined }))).toThrow(
      'workflow "Machine": its tasks call ec2:StartInstances, ec2:StopInstances, which must be limited to the resources the workflow may act on: list them in its "resources"',
    );
  });

  it("refuses a log retention CloudWatch does not offer, listing the ones it does", () => {
    expect(() => synthOf(machine({ logging: { retentionDays: 10 } }))).toThrow(
      "is not a CloudWatch retention period (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653)",
    );
  });

  it("names its statements after its label, its id by default", () => {
    const json = synthOf((stack) => {
      const sm = machine()(stack);
      sm.grantStartSyncExecution(new IntegrationRole(stack, "Role", { name: "unit-role" }));
    });
    const grants = all(json, "aws_iam_role_policy").filter((p) => p.name === "start-and-read-executions");
    expect(grants).toHaveLength(1);
    expect((hclToData(grants[0].policy) as any).Statement[0].Sid).toBe("StartSyncExecutionOnMachineOnly");
  });

  it("builds its trust condition's ARN in its partition", () => {
    const json = synthOf((stack) => machine({ partition: "aws-cn", region: "cn-north-1" })(stack));
    expect((hclToData(only(json, "aws_iam_role").assume_role_policy) as any).Statement[0].Condition.ArnLike).toEqual({
      "aws:SourceArn": "arn:aws-cn:states:cn-north-1:123456789012:stateMachine:unit-express",
    });
  });

  it.each([
    ["a bad name", { name: "unit express" }, /state machine name "unit express" must hold 1 to 80 letters/],
    ["a bad type", { type: "FAST" as never }, 'state machine unit-express: type must be EXPRESS or STANDARD, got "FAST"'],
    ["a bad label", { label: "unit_express" }, 'state machine label "unit_express" must hold letters, digits and hyphens only'],
    [
      "a bad log level",
      { logging: { level: "DEBUG" as never } },
      'state machine unit-express: log level "DEBUG" is not one of ALL, ERROR, FATAL, OFF',
    ],
    ["a bad retention", { logging: { retentionDays: 10 } }, /log retention 10 is not a CloudWatch retention period/],
  ])("refuses %s", (_what, overrides, message) => {
    expect(() => synthOf((stack) => machine(overrides as Partial<StateMachineProps>)(stack))).toThrow(message);
  });

  it("accepts a name and a retention that are Terraform expressions", () => {
    const json = synthOf((stack) =>
      machine({ name: Fn.lower("UNIT"), logging: { retentionDays: Fn.tonumber("30") as unknown as number } })(stack),
    );
    expect(only(json, "aws_sfn_state_machine").name).toBe('${lower("UNIT")}');
  });

  it("grants synchronous runs on EXPRESS machines only and describing on STANDARD machines only", () => {
    synthOf((stack) => {
      const express = machine()(stack);
      const role = new IntegrationRole(stack, "Role", { name: "unit-role" });
      expect(() => express.grantDescribeExecution(role)).toThrow("state machine Machine: only STANDARD executions can be described");
      const standard = new StateMachine(stack, "Standard", {
        ...({} as StateMachineProps),
        name: "unit-standard",
        type: "STANDARD",
        template: { file: EXPRESS_TEMPLATE },
        resources: [INSTANCE],
        accountId: "123456789012",
        region: "us-east-1",
      });
      expect(() => standard.grantStartSyncExecution(role)).toThrow(
        "state machine Standard: only EXPRESS workflows can be run synchronously",
      );
    });
  });
});

describe("DemoInstance", () => {
  it("with a count and the default VPC: reads the default VPC only when the instance exists", () => {
    const json = synthOf((stack) => new DemoInstance(stack, "Demo", { name: "unit-demo", count: Fn.tonumber("1") as unknown as number }));
    const vpc = Object.values<Json>(json.data.aws_vpc)[0];
    expect(vpc).toMatchObject({ default: true, count: '${((tonumber(tonumber("1")) == 1) && true) ? 1 : 0}' });
    expect(only(json, "aws_security_group").vpc_id).toMatch(/^\$\{one\(data\.aws_vpc\.[a-z_A-Z0-9]+\[\*\]\.id\)\}$/);
  });

  it("with a count and a subnet: reads that subnet's VPC only when the instance exists", () => {
    const json = synthOf(
      (stack) =>
        new DemoInstance(stack, "Demo", { name: "unit-demo", subnetId: "subnet-0123abcd", count: Fn.tonumber("1") as unknown as number }),
    );
    expect(Object.values<Json>(json.data.aws_subnet)[0]).toMatchObject({
      id: "subnet-0123abcd",
      count: '${((tonumber(tonumber("1")) == 1) && true) ? 1 : 0}',
    });
    expect(json.data.aws_vpc).toBeUndefined();
    expect(only(json, "aws_instance").subnet_id).toBe("subnet-0123abcd");
    expect(only(json, "aws_security_group").vpc_id).toMatch(/^\$\{one\(data\.aws_subnet\.[A-Za-z0-9_]+\[\*\]\.vpc_id\)\}$/);
  });

  it("without a count: reads the default VPC, or the given subnet, unconditionally", () => {
    const inDefault = synthOf((stack) => new DemoInstance(stack, "Demo", { name: "unit-demo" }));
    expect(Object.values<Json>(inDefault.data.aws_vpc)[0].count).toBeUndefined();
    expect(only(inDefault, "aws_security_group").vpc_id).toMatch(/^\$\{data\.aws_vpc\.[A-Za-z0-9_]+\.id\}$/);
    const inSubnet = synthOf((stack) => new DemoInstance(stack, "Demo", { name: "unit-demo", subnetId: "subnet-0123abcd" }));
    expect(Object.values<Json>(inSubnet.data.aws_subnet)[0].count).toBeUndefined();
    expect(only(inSubnet, "aws_security_group").vpc_id).toMatch(/^\$\{data\.aws_subnet\.[A-Za-z0-9_]+\.vpc_id\}$/);
  });

  it("without a count, a subnet known only at plan time: reads the default VPC only when the subnet is empty, the subnet otherwise", () => {
    const json = synthOf((stack) => new DemoInstance(stack, "Demo", { name: "unit-demo", subnetId: Fn.lower("SUBNET-0123ABCD") }));
    expect(Object.values<Json>(json.data.aws_vpc)[0].count).toBe('${(length(lower("SUBNET-0123ABCD")) < 1) ? 1 : 0}');
    expect(Object.values<Json>(json.data.aws_subnet)[0].count).toBe('${!(length(lower("SUBNET-0123ABCD")) < 1) ? 1 : 0}');
  });

  it("runs the latest Amazon-owned Amazon Linux 2023 x86_64 AMI, with IMDSv2 only", () => {
    const json = synthOf((stack) => new DemoInstance(stack, "Demo", { name: "unit-demo" }));
    const ami = Object.values<Json>(json.data.aws_ami)[0];
    expect(ami).toMatchObject({ most_recent: true, owners: ["amazon"] });
    expect(ami.filter).toEqual([
      { name: "name", values: ["al2023-ami-2023.*-x86_64"] },
      { name: "architecture", values: ["x86_64"] },
      { name: "state", values: ["available"] },
    ]);
    expect(only(json, "aws_instance").metadata_options).toEqual({ http_tokens: "required", http_endpoint: "enabled" });
    expect(only(json, "aws_instance").subnet_id).toBeUndefined();
  });

  it("tags its group and instance with its name, and describes its group and egress", () => {
    const json = synthOf(
      (stack) =>
        new DemoInstance(stack, "Demo", { name: "unit-demo", tags: { Team: "ops" }, ssmInstanceProfile: true, partition: "aws-us-gov" }),
    );
    expect(only(json, "aws_security_group")).toMatchObject({
      name: "unit-demo",
      tags: { Team: "ops", Name: "unit-demo" },
      description: "Demo instance of apigw-sfn: no ingress; egress only for Systems Manager when enabled",
    });
    expect(only(json, "aws_instance")).toMatchObject({ tags: { Team: "ops", Name: "unit-demo" }, instance_type: "t3.nano" });
    expect(only(json, "aws_vpc_security_group_egress_rule").description).toBe("HTTPS to Systems Manager endpoints");
    expect(only(json, "aws_iam_role")).toMatchObject({ name: "unit-demo-ssm" });
    expect(only(json, "aws_iam_instance_profile").name).toBe("unit-demo");
    expect(only(json, "aws_iam_role_policy_attachment").policy_arn).toBe("arn:aws-us-gov:iam::aws:policy/AmazonSSMManagedInstanceCore");
  });

  it("with a count and SSM: the profile, role and egress exist with the instance only", () => {
    const count = Fn.tonumber("1") as unknown as number;
    const json = synthOf((stack) => new DemoInstance(stack, "Demo", { name: "unit-demo", ssmInstanceProfile: true, count }));
    for (const type of [
      "aws_iam_role",
      "aws_iam_role_policy_attachment",
      "aws_iam_instance_profile",
      "aws_vpc_security_group_egress_rule",
      "aws_security_group",
    ]) {
      expect(only(json, type).count, type).toBe('${tonumber("1")}');
    }
    expect(only(json, "aws_instance").iam_instance_profile).toMatch(/^\$\{one\(aws_iam_instance_profile\.[A-Za-z0-9_]+\[\*\]\.name\)\}$/);
    expect(only(json, "aws_instance").ami).toMatch(/^\$\{one\(data\.aws_ami\.[A-Za-z0-9_]+\[\*\]\.id\)\}$/);
    expect(only(json, "aws_iam_role_policy_attachment")).toMatchObject({
      role: expect.stringMatching(/^\$\{one\(aws_iam_role\.[A-Za-z0-9_]+\[\*\]\.name\)\}$/),
      policy_arn: "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore",
    });
    expect(only(json, "aws_vpc_security_group_egress_rule").security_group_id).toMatch(
      /^\$\{one\(aws_security_group\.[A-Za-z0-9_]+\[\*\]\.id\)\}$/,
    );
  });
});

describe("edge constructs", () => {
  it("refuses a resource policy that limits nothing", () => {
    expect(() => resourcePolicyDocument("arn", "aws", {})).toThrow("a resource policy needs source accounts or VPC endpoints");
    expect(() => resourcePolicyDocument("arn", "aws", { sourceAccounts: [], vpcEndpointIds: [] })).toThrow(
      "a resource policy needs source accounts or VPC endpoints",
    );
  });

  it("names account principals in the aws partition by default", () => {
    const json = synthOf((stack) => {
      const api = new RestApi(stack, "Api", { name: "unit" });
      new ResourcePolicy(stack, "Policy", { api, sourceAccounts: ["123456789012"] });
    });
    expect((hclToData(only(json, "aws_api_gateway_rest_api_policy").policy) as any).Statement[0].Principal).toEqual({
      AWS: ["arn:aws:iam::123456789012:root"],
    });
  });
});

describe("CustomDomain", () => {
  it("maps the stage at the domain's root by default", () => {
    const json = synthOf((stack) => {
      const api = new RestApi(stack, "Api", { name: "unit" });
      const domain = new CustomDomain(stack, "Domain", {
        api,
        stageName: "v1",
        domainName: "api.example.com",
        certificateArn: "arn:aws:acm:us-east-1:123456789012:certificate/abc",
      });
      expect(domain.url).toMatch(/^https:\/\/\$\{TfToken\[[^\]]+\]\}$/);
    });
    expect(only(json, "aws_api_gateway_base_path_mapping").base_path).toBeUndefined();
    expect(only(json, "aws_api_gateway_base_path_mapping").stage_name).toBe("v1");
  });
});

describe("ApiStage logging", () => {
  const stage = (props: Partial<ConstructorParameters<typeof ApiStage>[2]>) => (stack: TerraformStack) => {
    const api = new RestApi(stack, "Api", { name: "unit" });
    return new ApiStage(stack, "Stage", { api, parts: [api], stageName: "v1", ...props });
  };

  it("logs method errors by default, no access logs unless given a retention, in a group named after the stage", () => {
    const quiet = synthOf(stage({}));
    expect(only(quiet, "aws_api_gateway_method_settings").settings).toMatchObject({
      logging_level: "ERROR",
      data_trace_enabled: false,
      metrics_enabled: true,
    });
    expect(only(quiet, "aws_api_gateway_stage").access_log_settings).toBeUndefined();
    expect(only(quiet, "aws_api_gateway_stage").xray_tracing_enabled).toBe(true);
    expect(all(quiet, "aws_cloudwatch_log_group")).toEqual([]);
    expect(only(quiet, "aws_api_gateway_method_settings")).toMatchObject({
      method_path: "*/*",
      rest_api_id: expect.stringMatching(/^\$\{aws_api_gateway_rest_api\./),
      stage_name: expect.stringMatching(/^\$\{aws_api_gateway_stage\.[A-Za-z0-9_]+\.stage_name\}$/),
      settings: { throttling_rate_limit: 10, throttling_burst_limit: 20 },
    });
    expect(only(quiet, "aws_api_gateway_stage")).toMatchObject({
      stage_name: "v1",
      deployment_id: expect.stringMatching(/^\$\{aws_api_gateway_deployment\./),
    });
    expect(only(quiet, "aws_api_gateway_stage").depends_on).toBeUndefined();
    const logged = synthOf(stage({ accessLogRetentionDays: 365, tracing: false, throttling: { rateLimit: 5, burstLimit: 7 } }));
    expect(only(logged, "aws_cloudwatch_log_group")).toMatchObject({ name: "/aws/apigateway/v1", retention_in_days: 365 });
    expect(only(logged, "aws_api_gateway_stage").access_log_settings).toEqual({
      destination_arn: expect.stringMatching(/^\$\{aws_cloudwatch_log_group\.[A-Za-z0-9_]+\.arn\}$/),
      format: expect.stringContaining('"requestId":"$context.requestId"'),
    });
    expect(only(logged, "aws_api_gateway_stage").xray_tracing_enabled).toBe(false);
    expect(only(logged, "aws_api_gateway_method_settings").settings).toMatchObject({ throttling_rate_limit: 5, throttling_burst_limit: 7 });
  });

  it("refuses a stage name that cannot end an invoke URL, and a stage with nothing to deploy", () => {
    expect(() => synthOf(stage({ stageName: "v/1" }))).toThrow(
      'stage name "v/1" must hold 1 to 128 letters, digits, hyphens or underscores',
    );
    expect(() => synthOf(stage({ parts: [] }))).toThrow("an API stage needs at least one route to deploy");
    expect(only(synthOf(stage({ stageName: Fn.lower("V1") })), "aws_api_gateway_stage").stage_name).toBe('${lower("V1")}');
  });

  it("refuses an unknown method logging level, and takes a Terraform expression as it is", () => {
    expect(() => synthOf(stage({ loggingLevel: "DEBUG" }))).toThrow('method logging level "DEBUG" must be one of "OFF", "ERROR", "INFO"');
    const json = synthOf(stage({ loggingLevel: Fn.upper("info") }));
    expect(only(json, "aws_api_gateway_method_settings").settings.logging_level).toBe('${upper("info")}');
  });
});

describe("ApiStage dependencies", () => {
  it("waits for what it is given (the account's CloudWatch role)", () => {
    const json = synthOf((stack) => {
      const api = new RestApi(stack, "Api", { name: "unit" });
      const other = new RestApi(stack, "Other", { name: "other" });
      new ApiStage(stack, "Stage", { api, parts: [api], stageName: "v1", dependsOn: [other.resource] });
    });
    expect(only(json, "aws_api_gateway_stage").depends_on).toEqual([expect.stringMatching(/^aws_api_gateway_rest_api\./)]);
  });
});

describe("WorkflowApi edge checks", () => {
  const base = () => ({ projectName: "unit", region: "us-east-1", workflows: workflowApiProps(testConfig()).workflows });
  it.each([
    [
      "no execute-api endpoint without a domain",
      { disableExecuteApiEndpoint: true },
      "disableExecuteApiEndpoint needs customDomain.domainName: the API would be unreachable",
    ],
    [
      "a private API behind a regional domain",
      {
        customDomain: { domainName: "api.example.com", certificateArn: "arn:aws:acm:us-east-1:123456789012:certificate/abc" },
        resourcePolicy: { vpcEndpointIds: ["vpce-0123abcd"] },
      },
      "resourcePolicy.vpcEndpointIds makes the API private: a regional customDomain.domainName cannot serve it",
    ],
    [
      "both key options",
      { encryption: { createKey: true, kmsKeyArn: "arn:aws:kms:us-east-1:123456789012:key/abc" } },
      "set encryption.createKey or encryption.kmsKeyArn, not both",
    ],
    [
      "NONE without confirmation",
      { authorization: "NONE" },
      'authorization "NONE" lets anyone with the URL start the workflows: set allowUnauthenticated = true to confirm',
    ],
    [
      "a resource policy of accounts with callers who carry no IAM principal",
      { authorization: "API_KEY", resourcePolicy: { sourceAccounts: ["123456789012"] } },
      'resourcePolicy.sourceAccounts needs authorization "AWS_IAM" (callers without an IAM principal would all be denied)',
    ],
    [
      "the account role without any log",
      { manageApiGatewayAccount: true, accessLogs: false, methodLoggingLevel: "OFF" },
      'manageApiGatewayAccount is only needed when accessLogs is true or methodLoggingLevel is not "OFF"',
    ],
  ])("refuses %s", (_what, props, message) => {
    expect(() => synthOf((stack) => new WorkflowApi(stack, "Api", { ...base(), ...(props as object) }))).toThrow(message);
  });

  it("accepts the account role with either log on", () => {
    for (const logs of [{ accessLogs: false }, { methodLoggingLevel: "OFF" }]) {
      const json = synthOf((stack) => new WorkflowApi(stack, "Api", { ...base(), manageApiGatewayAccount: true, ...logs }));
      expect(all(json, "aws_api_gateway_account")).toHaveLength(1);
    }
  });
});
