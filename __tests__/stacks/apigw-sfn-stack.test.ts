import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { renderedDefinition, resource, resources } from "../support/stack-json";
import { WORKFLOW_ROUTES } from "../../lang/workflow-routes";
import { loadConfig } from "../../stacks/config";
import { type SynthResult, beforeTests, synthStack, testConfig } from "../support/synth";

let synth: SynthResult;
beforeTests(() => {
  synth = synthStack();
});

const routes = [
  { name: "express", path: "express-instance", action: "StartSyncExecution", success: "200" },
  { name: "standard", path: "standard-instance", action: "StartExecution", success: "202" },
] as const;
/** Terraform name of the aws_api_gateway_resource of a path. */
const pathResource = (path: string) => `api_path_${path.replace(/[{}]/g, "").replace(/[^A-Za-z0-9]+/g, "_")}`;

describe("state machines", () => {
  it("creates one EXPRESS and one STANDARD state machine named from the project name", () => {
    expect(resource(synth.json, "aws_sfn_state_machine", "express_state_machine")).toMatchObject({
      name: "apigw-sfn-express",
      type: "EXPRESS",
      role_arn: "${aws_iam_role.express_state_machine_role.arn}",
    });
    expect(resource(synth.json, "aws_sfn_state_machine", "standard_state_machine")).toMatchObject({
      name: "apigw-sfn-standard",
      type: "STANDARD",
      role_arn: "${aws_iam_role.standard_state_machine_role.arn}",
    });
  });

  it("renders each definition with templatefile() from a template copied into the stack", () => {
    for (const name of ["express", "standard"]) {
      const machine = resource(synth.json, "aws_sfn_state_machine", `${name}_state_machine`);
      expect(machine.definition).toMatch(/^\$\{templatefile\("\$\{path\.module\}\/assets\/[^"]+\.asl\.json\.tftpl", \{.*\}\)\}$/);
      const assetPath = /templatefile\("\$\{path\.module\}\/([^"]+)"/.exec(machine.definition)![1];
      const copied = fs.readFileSync(path.join(synth.stackDir, assetPath), "utf8");
      const source = fs.readFileSync(path.join(__dirname, "../../templates/state-machines", `${name}.asl.json.tftpl`), "utf8");
      expect(copied).toBe(source);
    }
  });

  it("passes each template exactly the variables it uses", () => {
    expect(resource(synth.json, "aws_sfn_state_machine", "express_state_machine").definition).toContain(", {})}");
    expect(resource(synth.json, "aws_sfn_state_machine", "standard_state_machine").definition).toContain(', {"wait_seconds" = 29})}');
  });

  it("makes the STANDARD workflow wait 29 seconds before it checks the instance", () => {
    const definition = renderedDefinition(synth.stackDir, resource(synth.json, "aws_sfn_state_machine", "standard_state_machine"));
    expect(definition.StartAt).toBe("Wait");
    expect(definition.States.Wait).toMatchObject({ Type: "Wait", Seconds: 29, Next: "CheckInstanceStatus" });
  });

  const definitionOf = (name: string) =>
    renderedDefinition(synth.stackDir, resource(synth.json, "aws_sfn_state_machine", `${name}_state_machine`));
  const STATE_NAME = "$.InstanceStatus.InstanceStatuses[0].InstanceState.Name";
  /** The comparisons of a Choice rule, And / Or / Not included. */
  const comparisons = (rule: Record<string, any>): Record<string, any>[] =>
    [rule, ...[...(rule.And ?? []), ...(rule.Or ?? []), ...(rule.Not ? [rule.Not] : [])].flatMap(comparisons)].filter((r) => r.Variable);

  it("describes the instance in every state (IncludeAllInstances), in both workflows", () => {
    for (const name of ["express", "standard"]) {
      const { States } = definitionOf(name);
      expect(States.CheckInstanceStatus.Resource).toBe("arn:aws:states:::aws-sdk:ec2:describeInstanceStatus");
      expect(States.CheckInstanceStatus.Parameters).toEqual({ "InstanceIds.$": "States.Array($.instance_id)", IncludeAllInstances: true });
      expect(States.StartInstance.Resource).toBe("arn:aws:states:::aws-sdk:ec2:startInstances");
      expect(States.StopInstance.Resource).toBe("arn:aws:states:::aws-sdk:ec2:stopInstances");
    }
  });

  it("decides on each of EC2's six instance states, and on a missing instance, in both workflows", () => {
    for (const name of ["express", "standard"]) {
      const { States } = definitionOf(name);
      const decision = States.InstanceStateDecision;
      expect(decision.Type).toBe("Choice");
      const byState = new Map<string, Set<string>>();
      for (const rule of decision.Choices) {
        for (const comparison of comparisons(rule)) {
          if (comparison.Variable === STATE_NAME) {
            byState.set(comparison.StringEquals, (byState.get(comparison.StringEquals) ?? new Set()).add(rule.Next));
          }
        }
      }
      expect(Object.fromEntries([...byState].map(([state, next]) => [state, [...next].sort()]))).toEqual({
        stopped: ["NoStopNeeded", "StartInstance"],
        running: ["NoStartNeeded", "StopInstance"],
        pending: ["CannotStopWhilePending", "NoStartNeeded"],
        stopping: ["CannotStartWhileStopping", "NoStopNeeded"],
        "shutting-down": ["InstanceTerminated"],
        terminated: ["InstanceTerminated"],
      });
      expect(decision.Choices[0]).toEqual({ Variable: "$.InstanceStatus.InstanceStatuses[0]", IsPresent: false, Next: "InstanceNotFound" });
      // The answers that make no EC2 call have the shape of EC2's own answer.
      expect(Object.keys(States.NoStartNeeded.Parameters)).toEqual(["StartingInstances"]);
      expect(Object.keys(States.NoStopNeeded.Parameters)).toEqual(["StoppingInstances"]);
    }
  });

  it("retries every EC2 call with backoff and ends what is left in a Fail state with a stable error, in both workflows", () => {
    for (const name of ["express", "standard"]) {
      const { States } = definitionOf(name);
      const tasks = Object.entries(States as Record<string, Record<string, any>>).filter(([, state]) => state.Type === "Task");
      expect(tasks.map(([taskName]) => taskName).sort()).toEqual(["CheckInstanceStatus", "StartInstance", "StopInstance"]);
      for (const [, task] of tasks) {
        expect(task.TimeoutSeconds).toBeGreaterThan(0);
        expect(task.Retry).toEqual([
          expect.objectContaining({ ErrorEquals: ["Ec2.Ec2Exception", "States.Timeout"], BackoffRate: 2, JitterStrategy: "FULL" }),
        ]);
        expect(task.Retry[0].MaxAttempts).toBeGreaterThanOrEqual(1);
        expect(task.Catch).toEqual([{ ErrorEquals: ["Ec2.Ec2Exception"], ResultPath: "$.Ec2Error", Next: "ClassifyEc2Error" }]);
      }
      const classify = States.ClassifyEc2Error;
      const targets = new Set([...classify.Choices.map((rule: Record<string, string>) => rule.Next), classify.Default]);
      expect([...targets].sort()).toEqual(["CheckInstanceStatus", "Ec2Failed", "Ec2Unavailable", "InstanceNotFound"]);
      const errors = Object.values(States as Record<string, Record<string, any>>)
        .filter((state) => state.Type === "Fail")
        .map((state) => state.Error ?? `from ${state.ErrorPath}`);
      expect([...new Set(errors)].sort()).toEqual([
        "Ec2.Unavailable",
        "Instance.IncorrectState",
        "Instance.NotFound",
        "Instance.Terminated",
        "Request.InvalidAction",
        "from $.Ec2Error.Error",
      ]);
    }
  });

  it("ends the EXPRESS execution itself before API Gateway's 29-second integration timeout", () => {
    // Without TimeoutSeconds, a slow execution goes on after API Gateway answers 504 at 29 s; with
    // it, the execution ends TIMED_OUT and the client gets the workflow's own answer.
    const { TimeoutSeconds } = definitionOf("express");
    expect(typeof TimeoutSeconds).toBe("number");
    expect(TimeoutSeconds).toBeGreaterThan(0);
    expect(TimeoutSeconds).toBeLessThan(29);
  });

  it("lets each workflow start and stop only the demo instance", () => {
    for (const name of ["express", "standard"]) {
      const policy = resource(synth.json, "aws_iam_role_policy", `${name}_state_machine_role_policy`);
      expect(policy.role).toBe(`\${aws_iam_role.${name}_state_machine_role.id}`);
      expect(policy.policy).toMatch(/"Action" = \["ec2:DescribeInstanceStatus", "logs:[^\]]*\], "Resource" = \["\*"\]/);
      expect(policy.policy).toContain(
        '"Action" = ["ec2:StartInstances", "ec2:StopInstances"], "Resource" = [aws_instance.demo_instance.arn]',
      );
      expect(policy.policy).not.toMatch(/ec2:\*|states:\*|logs:\*/);
      const role = resource(synth.json, "aws_iam_role", `${name}_state_machine_role`);
      expect(role.assume_role_policy).toContain('"Service" = "states.amazonaws.com"');
    }
  });

  it("uses no template_file data source of the deprecated template provider", () => {
    expect(synth.json.data?.template_file).toBeUndefined();
    expect(Object.keys(synth.json.terraform.required_providers)).toEqual(["aws"]);
  });
});

describe("REST API", () => {
  it("creates exactly the routes of each workflow type's table, each calling its action", () => {
    const expected = testConfig().workflows.flatMap((workflow) => WORKFLOW_ROUTES[workflow.type]);
    const methods = Object.values(resources(synth.json, "aws_api_gateway_method"));
    const actions = Object.values(resources(synth.json, "aws_api_gateway_integration")).map((i) => /action\/(\w+)$/.exec(i.uri)?.[1]);
    expect(methods.map((m) => m.http_method).sort()).toEqual(expected.map((kind) => kind.method).sort());
    expect(actions.sort()).toEqual(expected.map((kind) => kind.action).sort());
  });

  it.each(routes)("routes POST /$path to $action on the $name state machine", ({ name, path: pathPart, action }) => {
    expect(resource(synth.json, "aws_api_gateway_resource", pathResource(pathPart))).toMatchObject({
      path_part: pathPart,
      parent_id: "${aws_api_gateway_rest_api.api.root_resource_id}",
    });
    expect(resource(synth.json, "aws_api_gateway_method", `${name}_start_method`)).toMatchObject({
      http_method: "POST",
      resource_id: `\${aws_api_gateway_resource.${pathResource(pathPart)}.id}`,
    });
    const integration = resource(synth.json, "aws_api_gateway_integration", `${name}_start_integration`);
    expect(integration).toMatchObject({
      type: "AWS",
      integration_http_method: "POST",
      uri: `arn:aws:apigateway:us-east-1:states:action/${action}`,
      credentials: "${aws_iam_role.integration_role.arn}",
      passthrough_behavior: "NEVER",
    });
    expect(integration.request_templates["application/json"]).toContain(
      `"stateMachineArn": "\${aws_sfn_state_machine.${name}_state_machine.arn}"`,
    );
  });

  it.each(routes)("lets API Gateway's own role call only $action on the $name state machine", ({ name, action }) => {
    const grant = resource(synth.json, "aws_iam_role_policy", "integration_role_policy");
    expect(grant.role).toBe("${aws_iam_role.integration_role.id}");
    expect(grant.policy).toContain(`"Action" = ["states:${action}"], "Resource" = [aws_sfn_state_machine.${name}_state_machine.arn]`);
    expect(resource(synth.json, "aws_iam_role", "integration_role").assume_role_policy).toContain('"Service" = "apigateway.amazonaws.com"');
  });

  it.each(routes)("maps Step Functions' errors on $path to error statuses, never to the success status", ({ name, success }) => {
    const responses = Object.values(resources(synth.json, "aws_api_gateway_integration_response")).filter((r) =>
      r.http_method.includes(`${name}_start_method`),
    );
    const byPattern = Object.fromEntries(responses.map((r) => [r.selection_pattern ?? "(default)", r.status_code]));
    expect(byPattern).toEqual({
      "(default)": `\${aws_api_gateway_method_response.${name}_start_method_response${success}.status_code}`,
      "4[0-9]{2}": `\${aws_api_gateway_method_response.${name}_start_method_response400.status_code}`,
      "5[0-9]{2}": `\${aws_api_gateway_method_response.${name}_start_method_response502.status_code}`,
    });
  });

  it.each(routes)("creates the integration responses of $path after its integration", ({ name }) => {
    for (const [id, response] of Object.entries(resources(synth.json, "aws_api_gateway_integration_response"))) {
      if (!id.startsWith(`${name}_start_`)) continue;
      expect(response.depends_on).toContain(`aws_api_gateway_integration.${name}_start_integration`);
    }
  });

  it.each([
    ["express_start_method", ["200", "400", "404", "409", "429", "500", "502", "503", "504"]],
    ["standard_start_method", ["202", "400", "409", "429", "502"]],
    ["standard_status_method", ["200", "400", "404", "429", "502"]],
  ])("declares on %s exactly the statuses its workflow's errors and its Step Functions action can answer", (method, expected) => {
    const statuses = Object.values(resources(synth.json, "aws_api_gateway_method_response"))
      .filter((r) => r.http_method === `\${aws_api_gateway_method.${method}.http_method}`)
      .map((r) => r.status_code)
      .sort();
    expect(statuses).toEqual(expected);
  });

  it("declares a method response for every status a mapping template can answer", () => {
    const methodResponses = Object.values(resources(synth.json, "aws_api_gateway_method_response"));
    const integrationResponses = Object.values(resources(synth.json, "aws_api_gateway_integration_response"));
    const methods = Object.keys(resources(synth.json, "aws_api_gateway_method"));
    expect(methods.length).toBeGreaterThan(0);
    for (const method of methods) {
      const ofMethod = (r: Record<string, any>) => r.http_method === `\${aws_api_gateway_method.${method}.http_method}`;
      const declared = new Set(methodResponses.filter(ofMethod).map((r) => r.status_code));
      const templates = integrationResponses.filter(ofMethod).flatMap((r) => Object.values<string>(r.response_templates));
      // Statuses set literally, and those of the status maps the templates read with $util.parseJson.
      const set = templates.flatMap((t) => [
        ...[...t.matchAll(/responseOverride\.status = (\d{3})/g)].map((m) => m[1]),
        ...[...t.matchAll(/\$util\.parseJson\('(\{[^']*\})'\)/g)].flatMap((m) => Object.values<number>(JSON.parse(m[1])).map(String)),
      ]);
      const selected = integrationResponses.filter(ofMethod).map((r) => r.status_code.replace(/^\$\{.*\}$/, ""));
      expect(set.length + selected.length, method).toBeGreaterThan(0);
      for (const status of set) expect([...declared], `${method} sets ${status}`).toContain(status);
    }
  });
});

describe("deployment and stage", () => {
  it("redeploys when mapping templates, methods, integrations or responses change, not only IDs", () => {
    const deployment = resource(synth.json, "aws_api_gateway_deployment", "stage_deployment");
    // A hash of one hash per part (the API, each route, the gateway responses), each a local.
    expect(deployment.triggers.redeployment).toMatch(/^\$\{sha1\(join\(" ", \[local\.\w+(, local\.\w+)*\]\)\)\}$/);
    const trigger = Object.values(synth.json.locals as Record<string, string>).join("\n");
    for (const { name } of routes) {
      expect(trigger).toContain(`aws_api_gateway_integration.${name}_start_integration.request_templates`);
      expect(trigger).toContain(`aws_api_gateway_integration.${name}_start_integration.uri`);
      expect(trigger).toContain(`aws_api_gateway_method.${name}_start_method.authorization`);
      for (const id of Object.keys(resources(synth.json, "aws_api_gateway_integration_response")).filter((id) =>
        id.startsWith(`${name}_start`),
      )) {
        expect(trigger).toContain(`aws_api_gateway_integration_response.${id}.response_templates`);
        expect(trigger).toContain(`aws_api_gateway_integration_response.${id}.selection_pattern`);
      }
    }
    expect(trigger).toContain("aws_api_gateway_gateway_response.gateway_responses_bad_request_body.response_templates");
    expect(trigger).toContain("aws_api_gateway_model.api_model_instance_request.schema");
    expect(trigger).toContain("aws_api_gateway_integration.standard_status_integration.request_templates");
    expect(trigger).not.toMatch(/\.id[,\]}]/);
  });

  it("creates the new deployment before destroying the old one, after every route is complete", () => {
    const deployment = resource(synth.json, "aws_api_gateway_deployment", "stage_deployment");
    expect(deployment.lifecycle).toEqual({ create_before_destroy: true });
    const expected = [
      ...Object.keys(resources(synth.json, "aws_api_gateway_gateway_response")).map((id) => `aws_api_gateway_gateway_response.${id}`),
      ...Object.keys(resources(synth.json, "aws_api_gateway_integration")).map((id) => `aws_api_gateway_integration.${id}`),
      ...Object.keys(resources(synth.json, "aws_api_gateway_integration_response")).map(
        (id) => `aws_api_gateway_integration_response.${id}`,
      ),
      ...Object.keys(resources(synth.json, "aws_api_gateway_method")).map((id) => `aws_api_gateway_method.${id}`),
    ];
    expect(deployment.depends_on).toEqual(expect.arrayContaining(expected));
  });

  it("serves the deployment from an explicit stage with the configured name", () => {
    expect(resource(synth.json, "aws_api_gateway_stage", "stage")).toMatchObject({
      stage_name: "v1",
      deployment_id: "${aws_api_gateway_deployment.stage_deployment.id}",
      rest_api_id: "${aws_api_gateway_rest_api.api.id}",
    });
    const custom = synthStack({ config: testConfig({ stageName: "prod" }) });
    expect(resource(custom.json, "aws_api_gateway_stage", "stage").stage_name).toBe("prod");
  });

  it("outputs each route's invoke URL, both state machine ARNs and the instance ID", () => {
    expect(synth.json.output).toMatchObject({
      api_url: { value: "${aws_api_gateway_stage.stage.invoke_url}" },
      express_url: { value: "${aws_api_gateway_stage.stage.invoke_url}/express-instance" },
      standard_url: { value: "${aws_api_gateway_stage.stage.invoke_url}/standard-instance" },
      standard_status_url: { value: "${aws_api_gateway_stage.stage.invoke_url}/executions" },
      express_log_group: { value: "${aws_cloudwatch_log_group.express_state_machine_logs.name}" },
      express_state_machine_arn: { value: "${aws_sfn_state_machine.express_state_machine.arn}" },
      standard_state_machine_arn: { value: "${aws_sfn_state_machine.standard_state_machine.arn}" },
      instance_id: { value: "${aws_instance.demo_instance.id}" },
    });
    for (const output of Object.values<Record<string, string>>(synth.json.output)) {
      expect(output.description).toBeTruthy();
    }
  });
});

describe("observability", () => {
  it("logs each workflow to a log group of its own, with a retention period", () => {
    for (const name of ["express", "standard"]) {
      expect(resource(synth.json, "aws_cloudwatch_log_group", `${name}_state_machine_logs`)).toEqual(
        expect.objectContaining({ name: `/aws/vendedlogs/states/apigw-sfn-${name}`, retention_in_days: 365 }),
      );
    }
  });

  it("logs every EXPRESS event without execution data, and STANDARD errors, with tracing on both", () => {
    expect(resource(synth.json, "aws_sfn_state_machine", "express_state_machine")).toMatchObject({
      logging_configuration: {
        level: "ALL",
        include_execution_data: false,
        log_destination: "${aws_cloudwatch_log_group.express_state_machine_logs.arn}:*",
      },
      tracing_configuration: { enabled: true },
    });
    expect(resource(synth.json, "aws_sfn_state_machine", "standard_state_machine")).toMatchObject({
      logging_configuration: {
        level: "ERROR",
        include_execution_data: false,
        log_destination: "${aws_cloudwatch_log_group.standard_state_machine_logs.arn}:*",
      },
      tracing_configuration: { enabled: true },
    });
  });

  it("follows the configured log levels, retention and tracing", () => {
    const custom = synthStack({
      config: testConfig({ expressLogLevel: "ERROR", logExecutionData: true, logRetentionDays: 90, tracing: false }),
    });
    expect(resource(custom.json, "aws_sfn_state_machine", "express_state_machine")).toMatchObject({
      logging_configuration: { level: "ERROR", include_execution_data: true },
      tracing_configuration: { enabled: false },
    });
    expect(resource(custom.json, "aws_cloudwatch_log_group", "express_state_machine_logs").retention_in_days).toBe(90);
    expect(resource(custom.json, "aws_api_gateway_stage", "stage").xray_tracing_enabled).toBe(false);
  });

  it("traces the stage with X-Ray and enables metrics and throttling on every method", () => {
    expect(resource(synth.json, "aws_api_gateway_stage", "stage").xray_tracing_enabled).toBe(true);
    expect(resource(synth.json, "aws_api_gateway_method_settings", "stage_method_settings")).toMatchObject({
      method_path: "*/*",
      stage_name: "${aws_api_gateway_stage.stage.stage_name}",
      settings: {
        metrics_enabled: true,
        throttling_rate_limit: 10,
        throttling_burst_limit: 20,
        logging_level: "ERROR",
        data_trace_enabled: false,
      },
    });
  });

  it("writes no access logs when switched off, and leaves the account's CloudWatch role alone by default", () => {
    const quiet = synthStack({ config: testConfig({ accessLogs: false }) });
    expect(resource(quiet.json, "aws_api_gateway_stage", "stage").access_log_settings).toBeUndefined();
    expect(resources(quiet.json, "aws_cloudwatch_log_group")).not.toHaveProperty("stage_access_logs");
    expect(resources(synth.json, "aws_api_gateway_account")).toEqual({});
  });

  it("writes JSON access logs by default, and manages the account's CloudWatch role only when asked", () => {
    const logged = synth;
    const stage = resource(logged.json, "aws_api_gateway_stage", "stage");
    expect(stage.access_log_settings.destination_arn).toBe("${aws_cloudwatch_log_group.stage_access_logs.arn}");
    const format = JSON.parse(stage.access_log_settings.format);
    expect(format).toMatchObject({
      requestId: "$context.requestId",
      status: "$context.status",
      integrationError: "$context.integration.error",
    });
    expect(resource(logged.json, "aws_cloudwatch_log_group", "stage_access_logs")).toMatchObject({
      name: "/aws/apigateway/apigw-sfn-v1",
      retention_in_days: 365,
    });
    expect(resources(logged.json, "aws_api_gateway_account")).toEqual({});

    const managed = synthStack({ config: testConfig({ manageApiGatewayAccount: true }) });
    expect(resource(managed.json, "aws_api_gateway_account", "api_gateway_account")).toMatchObject({
      cloudwatch_role_arn: "${aws_iam_role.api_gateway_account_role.arn}",
    });
    expect(resource(managed.json, "aws_api_gateway_stage", "stage").depends_on).toContain("aws_api_gateway_account.api_gateway_account");
  });
});

describe("demo instance", () => {
  it("runs the latest Amazon Linux 2023 x86_64 AMI found by a data source, t3.nano by default, tagged", () => {
    const ami = synth.json.data.aws_ami.demo_instance_ami;
    expect(ami).toMatchObject({ most_recent: true, owners: ["amazon"] });
    expect(ami.filter).toEqual(
      expect.arrayContaining([
        { name: "name", values: ["al2023-ami-2023.*-x86_64"] },
        { name: "architecture", values: ["x86_64"] },
      ]),
    );
    expect(resource(synth.json, "aws_instance", "demo_instance")).toMatchObject({
      ami: "${data.aws_ami.demo_instance_ami.id}",
      instance_type: "t3.nano",
      tags: { Name: "apigw-sfn-demo" },
      metadata_options: { http_tokens: "required" },
    });
  });

  it("uses the configured instance type", () => {
    const custom = synthStack({ config: testConfig({ instanceType: "t3.micro" }) });
    expect(resource(custom.json, "aws_instance", "demo_instance").instance_type).toBe("t3.micro");
  });
});

describe("provider and backend", () => {
  it("configures the AWS provider for the configured region and tags every resource", () => {
    const custom = synthStack({ config: testConfig({ region: "eu-west-3", projectName: "toggle" }) });
    expect(custom.json.provider.aws[0]).toMatchObject({
      region: "eu-west-3",
      default_tags: [{ tags: { Project: "toggle" } }],
    });
    expect(resource(custom.json, "aws_api_gateway_integration", "express_start_integration").uri).toBe(
      "arn:aws:apigateway:eu-west-3:states:action/StartSyncExecution",
    );
    expect(resource(custom.json, "aws_sfn_state_machine", "express_state_machine").name).toBe("toggle-express");
  });

  it("keeps state in a local backend at a path relative to the stack folder", () => {
    expect(synth.json.terraform.backend).toEqual({ local: { path: "terraform.tfstate" } });
    expect(synth.json.terraform.cloud).toBeUndefined();
  });

  it("writes a cloud block instead of the local backend when Terraform Cloud is configured", () => {
    const config = loadConfig({ env: { TF_CLOUD_ORGANIZATION: "acme", TF_WORKSPACE: "apigw-sfn-prod" } });
    const cloud = synthStack({ config });
    expect(cloud.json.terraform.cloud).toEqual({ organization: "acme", workspaces: { name: "apigw-sfn-prod" } });
    expect(cloud.json.terraform.backend).toBeUndefined();
  });

  it("refuses half a Terraform Cloud configuration", () => {
    expect(() => loadConfig({ env: { TF_CLOUD_ORGANIZATION: "acme" } })).toThrow(
      /Terraform Cloud needs both TF_CLOUD_ORGANIZATION and TF_WORKSPACE; only TF_CLOUD_ORGANIZATION is set/,
    );
  });

  it("keeps the local backend when only TF_WORKSPACE, Terraform's own workspace variable, is set", () => {
    const config = loadConfig({ env: { TF_WORKSPACE: "staging" } });
    const local = synthStack({ config });
    expect(local.json.terraform.backend).toEqual({ local: { path: "terraform.tfstate" } });
    expect(local.json.terraform.cloud).toBeUndefined();
  });

  it("writes no absolute path of the machine that ran synth", () => {
    const files = [path.join(synth.stackDir, "cdk.tf.json"), path.join(synth.outdir, "manifest.json")];
    for (const file of files) {
      const text = fs.readFileSync(file, "utf8");
      for (const local of [synth.outdir, process.cwd(), path.resolve(__dirname, "../.."), require("node:os").homedir()]) {
        expect(text).not.toContain(local);
      }
    }
  });
});
