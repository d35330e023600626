/**
 * The reusable module (ApigwSfnStack with `module: true`, written by main.ts as
 * cdktf.out/stacks/apigw-sfn-module): what a Terraform user's `module` block relies on.
 * Terraform itself runs it in __tests__/terraform/module.test.ts.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { constraintMessage } from "../../lang/constraints";
import { SETTINGS } from "../../stacks/config";
import { DEMO_INSTANCE } from "../../stacks/workflows";
import { type SynthResult, beforeTests, synthStack, testConfig } from "../support/synth";

let synth: SynthResult;
let text: string;
beforeTests(() => {
  synth = synthStack({ module: true });
  text = fs.readFileSync(path.join(synth.stackDir, "cdk.tf.json"), "utf8");
});

describe("reusable module", () => {
  it("configures no provider, so the caller's provider, region and credentials apply", () => {
    expect(synth.json.provider).toBeUndefined();
  });

  it("has no backend and no cloud block, even when Terraform Cloud is configured", () => {
    const cloudy = synthStack({ module: true, config: testConfig({ cloud: { organization: "acme", workspace: "api" } }) });
    for (const json of [synth.json, cloudy.json]) {
      expect(json.terraform.backend).toBeUndefined();
      expect(json.terraform.cloud).toBeUndefined();
    }
  });

  it("requires hashicorp/aws as a version range rather than an exact pin, and Terraform 1.9 or later", () => {
    expect(synth.json.terraform.required_providers).toEqual({ aws: { source: "hashicorp/aws", version: ">= 5.100.0, < 7.0.0" } });
    expect(synth.json.terraform.required_version).toBe(">= 1.9.0");
  });

  it("declares a typed, described, non-null input variable for everything a caller sets", () => {
    expect(Object.keys(synth.json.variable).sort()).toEqual([
      "allow_unauthenticated",
      "authorization",
      "authorization_scopes",
      "authorizer_function_arn",
      "authorizer_identity_source",
      "authorizer_identity_validation",
      "authorizer_result_ttl",
      "authorizer_type",
      "cognito_user_pool_arns",
      "create_demo_instance",
      "instance_ids",
      "instance_subnet_id",
      "instance_type",
      "integration_timeout_ms",
      "log_execution_data",
      "log_retention_days",
      "method_logging_level",
      "project_name",
      "stage_name",
      "tags",
      "throttling_burst_limit",
      "throttling_rate_limit",
      "waf_web_acl_arn",
    ]);
    for (const [name, variable] of Object.entries<Record<string, unknown>>(synth.json.variable)) {
      expect(variable.type, name).toBeTruthy();
      expect(String(variable.description).length, name).toBeGreaterThan(20);
      expect(variable.nullable, name).toBe(false);
    }
  });

  it("takes its variables' defaults from the configuration", () => {
    const custom = synthStack({ module: true, config: testConfig({ projectName: "orders", stageName: "prod", authorization: "NONE" }) });
    expect(custom.json.variable.project_name.default).toBe("orders");
    expect(custom.json.variable.stage_name.default).toBe("prod");
    expect(custom.json.variable.authorization.default).toBe("NONE");
  });

  it("generates the security variables from their settings: same default, same validation and message", () => {
    for (const [name, key] of [
      ["log_execution_data", "logExecutionData"],
      ["method_logging_level", "methodLoggingLevel"],
      ["allow_unauthenticated", "allowUnauthenticated"],
      ["waf_web_acl_arn", "wafWebAclArn"],
      ["instance_subnet_id", "instanceSubnetId"],
      ["log_retention_days", "logRetentionDays"],
    ] as const) {
      const setting = SETTINGS.find((candidate) => candidate.key === key)!;
      const variable = synth.json.variable[name];
      expect(variable.default, name).toBe(setting.default);
      expect(variable.type, name).toBe({ string: "string", integer: "number", boolean: "bool" }[setting.kind]);
      if (!setting.constraint) continue;
      expect(variable.validation[0].error_message, name).toBe(`${name} ${constraintMessage(setting.constraint)}.`);
      if ("pattern" in setting.constraint) expect(variable.validation[0].condition).toContain(setting.constraint.pattern);
    }
    expect(synth.json.variable.log_execution_data.default).toBe(false);
    expect(synth.json.variable.log_retention_days.default).toBe(365);
    expect(synth.json.variable.method_logging_level.validation[0].condition).toBe(
      '${contains(["OFF", "ERROR", "INFO"], var.method_logging_level)}',
    );
  });

  it("refuses authorization NONE unless allow_unauthenticated confirms it", () => {
    expect(synth.json.variable.authorization.validation).toContainEqual({
      condition: '${((var.authorization != "NONE") || var.allow_unauthenticated)}',
      error_message: 'authorization "NONE" lets anyone with the URL start the workflows: set allow_unauthenticated = true to confirm.',
    });
  });

  it("turns a rule between settings into a validation when a fixed setting makes it depend on a variable", () => {
    const accounts = synthStack({ module: true, config: testConfig({ allowedSourceAccounts: "123456789012" }) });
    expect(accounts.json.variable.authorization.validation).toContainEqual({
      condition: '${(var.authorization == "AWS_IAM")}',
      error_message: 'allowedSourceAccounts needs authorization "AWS_IAM" (callers without an IAM principal would all be denied).',
    });
  });

  it("leaves out a rule the configuration alone decides", () => {
    expect(synth.json.variable.method_logging_level.validation).toHaveLength(1);
    // Its values, NONE's confirmation and the five authorizer rules; not allowedSourceAccounts', which the configuration ("") decides.
    expect(synth.json.variable.authorization.validation).toHaveLength(7);
  });

  it('has the CORS variables only when synthesized with CORS on, with the rule of origins "*" and credentials as a validation', () => {
    expect(Object.keys(synth.json.variable).filter((name) => name.startsWith("cors_"))).toEqual([]);
    const cors = synthStack({ module: true, config: testConfig({ corsAllowedOrigins: "https://app.example.com" }) });
    expect(
      Object.keys(cors.json.variable)
        .filter((name) => name.startsWith("cors_"))
        .sort(),
    ).toEqual([
      "cors_allow_credentials",
      "cors_allowed_headers",
      "cors_allowed_methods",
      "cors_allowed_origins",
      "cors_exposed_headers",
      "cors_max_age",
    ]);
    expect(cors.json.variable.cors_allowed_origins.default).toBe("https://app.example.com");
    expect(cors.json.variable.cors_allowed_origins.validation).toContainEqual({
      condition: '${(!contains(compact(split(",", replace(var.cors_allowed_origins, " ", ""))), "*") || !var.cors_allow_credentials)}',
      error_message:
        'cors_allowed_origins "*" cannot go with cors_allow_credentials = true: browsers refuse credentials with any origin (name the origins).',
    });
  });

  it("exposes exactly the settings whose declaration names a module variable", () => {
    // A variable that exists only when the configuration says so (CORS) is absent from the fixture's module.
    const exposed = SETTINGS.filter((setting) => setting.module && (setting.module.onlyWhen?.holds({ ...testConfig() }) ?? true)).map(
      (setting) => setting.key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`),
    );
    expect(
      Object.keys(synth.json.variable)
        .filter((name) => !["tags", "create_demo_instance", "instance_ids"].includes(name))
        .sort(),
    ).toEqual(exposed.sort());
  });

  it("passes the security variables to what they govern", () => {
    const resource = synth.json.resource;
    expect(resource.aws_sfn_state_machine.express_state_machine.logging_configuration.include_execution_data).toBe(
      "${var.log_execution_data}",
    );
    expect(resource.aws_api_gateway_method_settings.stage_method_settings.settings.logging_level).toBe("${var.method_logging_level}");
    expect(resource.aws_wafv2_web_acl_association.web_acl).toMatchObject({
      count: "${!(length(var.waf_web_acl_arn) < 1) ? 1 : 0}",
      web_acl_arn: "${var.waf_web_acl_arn}",
    });
    expect(resource.aws_instance.demo_instance.subnet_id).toBe("${(length(var.instance_subnet_id) < 1) ? null : var.instance_subnet_id}");
    expect(resource.aws_instance.demo_instance.associate_public_ip_address).toBe(false);
    expect(resource.aws_security_group.demo_instance_security_group.vpc_id).toBe(
      "${(length(var.instance_subnet_id) < 1) ? one(data.aws_vpc.demo_instance_vpc[*].id) : one(data.aws_subnet.demo_instance_subnet[*].vpc_id)}",
    );
    expect(synth.json.data.aws_vpc.demo_instance_vpc.default).toBe(true);
    expect(synth.json.data.aws_subnet.demo_instance_subnet.id).toBe("${var.instance_subnet_id}");
    expect(resource.aws_iam_role_policy.express_state_machine_role_policy.policy).toContain(
      '"Resource" = concat(aws_instance.demo_instance[*].arn, ',
    );
    expect(synth.json.data.aws_vpc.demo_instance_vpc.count).toBe(
      "${((tonumber(var.create_demo_instance ? 1 : 0) == 1) && (length(var.instance_subnet_id) < 1)) ? 1 : 0}",
    );
    expect(synth.json.data.aws_subnet.demo_instance_subnet.count).toBe(
      "${((tonumber(var.create_demo_instance ? 1 : 0) == 1) && !(length(var.instance_subnet_id) < 1)) ? 1 : 0}",
    );
  });

  it("names every resource from the project_name variable", () => {
    expect(synth.json.resource.aws_sfn_state_machine.express_state_machine.name).toBe("${var.project_name}-express");
    expect(synth.json.resource.aws_api_gateway_rest_api.api.name).toBe("${var.project_name}-api");
    expect(synth.json.resource.aws_iam_role.integration_role.name).toBe("${var.project_name}-apigw-sfn");
  });

  it("limits project_name so that the longest IAM role name fits in 64 characters", () => {
    const longName = "w".repeat(31);
    const workflows = [{ ...testConfig().workflows[0], name: longName, path: "long" }];
    const limited = synthStack({ module: true, workflows });
    // "<project>-<31 characters>-sfn" is a role name: 64 - 36 leaves 28 characters.
    expect(JSON.stringify(limited.json.variable.project_name.validation)).toContain("{0,27}");
    expect(limited.json.variable.project_name.validation[0].error_message).toContain("1 to 28 letters");
  });

  it("serves a workflow with request data in its input, path parameters and a GET start route, and lists its routes", () => {
    const [express, standard] = testConfig().workflows;
    const workflows = [
      {
        ...express,
        name: "orders",
        path: "orders/{id}",
        input: { path: true, header: ["X-Tenant"], requestContext: ["sourceIp" as const] },
      },
      { ...standard, name: "jobs", path: "jobs/{kind}", statusPath: "runs", method: "GET" as const, requestSchema: undefined, input: {} },
    ];
    const withInput = synthStack({ module: true, workflows });
    const integration = withInput.json.resource.aws_api_gateway_integration.orders_start_integration;
    expect(integration.request_templates["application/json"]).toContain('"header":["X-Tenant"],"requestContext":["sourceIp"]');
    expect(withInput.json.resource.aws_api_gateway_method.jobs_start_method.http_method).toBe("GET");
    expect(withInput.json.output.orders_url.value).toMatch(/\/orders\/\{id\}$/);
    expect(withInput.json.output.jobs_url.description).toBe("GET here to start the jobs workflow");
    const readme = fs.readFileSync(path.join(withInput.stackDir, "README.md"), "utf8");
    expect(readme).toContain("`GET /jobs/{kind}` (answers 202 at once), `GET /runs/{name}` (reads an execution)");
  });

  it("tags every resource it creates with var.tags (an empty map by default); the instance keeps its Name", () => {
    expect(synth.json.variable.tags).toMatchObject({ type: "map(string)", default: {}, nullable: false });
    const full = synthStack({ module: true, config: testConfig({ accessLogs: true, manageApiGatewayAccount: true }) });
    const resources = full.json.resource;
    const tagged = [
      resources.aws_api_gateway_rest_api.api,
      resources.aws_api_gateway_stage.stage,
      resources.aws_cloudwatch_log_group.stage_access_logs,
      resources.aws_api_gateway_api_key.api_key_key,
      resources.aws_api_gateway_usage_plan.api_key_usage_plan,
      resources.aws_iam_role.integration_role,
      resources.aws_iam_role.api_gateway_account_role,
      ...["express", "standard"].flatMap((workflow) => [
        resources.aws_sfn_state_machine[`${workflow}_state_machine`],
        resources.aws_iam_role[`${workflow}_state_machine_role`],
        resources.aws_cloudwatch_log_group[`${workflow}_state_machine_logs`],
      ]),
    ];
    for (const resource of tagged) expect(resource.tags).toBe("${var.tags}");
    expect(resources.aws_instance.demo_instance.tags).toBe('${merge(var.tags, {"Name" = "${var.project_name}-demo"})}');
  });

  it("calls Step Functions in the region and partition of the caller's provider", () => {
    expect(synth.json.resource.aws_api_gateway_integration.express_start_integration.uri).toBe(
      "arn:${data.aws_partition.inputs_partition.partition}:apigateway:${data.aws_region.inputs_region.name}:states:action/StartSyncExecution",
    );
  });

  it("creates the demo instance and the API key only when the variables ask for them", () => {
    expect(synth.json.resource.aws_instance.demo_instance.count).toBe("${var.create_demo_instance ? 1 : 0}");
    expect(synth.json.resource.aws_api_gateway_api_key.api_key_key.count).toBe('${(var.authorization == "API_KEY") ? 1 : 0}');
    expect(synth.json.output.instance_id.value).toBe("${one(aws_instance.demo_instance[*].id)}");
  });

  it("has no instance variables when no workflow acts on the demo instance", () => {
    const workflows = testConfig().workflows.map((workflow) => ({
      ...workflow,
      resources: workflow.resources
        .filter((resource) => resource !== DEMO_INSTANCE)
        .concat("arn:aws:ec2:us-east-1:123456789012:instance/i-0123456789abcdef0"),
    }));
    const withoutDemo = synthStack({ module: true, workflows });
    expect(Object.keys(withoutDemo.json.variable)).not.toContain("create_demo_instance");
    expect(Object.keys(withoutDemo.json.variable)).not.toContain("instance_ids");
    expect(withoutDemo.json.resource.aws_instance).toBeUndefined();
  });

  it("outputs what a caller needs next: URLs, state machine ARNs, log groups, the API's ID and stage", () => {
    expect(Object.keys(synth.json.output).sort()).toEqual([
      "api_key_id",
      "api_key_value",
      "api_url",
      "express_log_group",
      "express_state_machine_arn",
      "express_url",
      "instance_id",
      "rest_api_id",
      "stage_name",
      "standard_log_group",
      "standard_state_machine_arn",
      "standard_status_url",
      "standard_url",
    ]);
    for (const [name, output] of Object.entries<Record<string, unknown>>(synth.json.output)) {
      expect(String(output.description).length, name).toBeGreaterThan(10);
    }
  });

  it("holds no absolute path: assets are read from path.module, so the folder can be copied anywhere", () => {
    for (const absolute of [process.cwd(), os.tmpdir(), os.homedir(), synth.outdir]) expect(text).not.toContain(absolute);
    const assetReferences = [...text.matchAll(/templatefile\(\\"([^"\\]+)/g)].map((m) => m[1]);
    expect(assetReferences.length).toBe(2);
    for (const reference of assetReferences) {
      expect(reference).toMatch(/^\$\{path\.module\}\/assets\//);
      expect(fs.existsSync(path.join(synth.stackDir, reference.replace("${path.module}/", "")))).toBe(true);
    }
  });
});

/** The rows of a README table under a heading, by the name in their first cell; cells unescaped. */
function tableRows(readme: string, heading: string): Record<string, string[]> {
  const section = readme.slice(readme.indexOf(`\n${heading}\n`) + heading.length + 2).split(/\n## /)[0];
  const rows = section.split("\n").filter((line) => line.startsWith("| `"));
  const plain = (text: string) => text.replace(/\\\|/g, "|").replace(/&lt;/g, "<").replace(/&gt;/g, ">");
  return Object.fromEntries(
    rows.map((row) => {
      const cells = row
        .slice(2, -2)
        .split(/ (?<!\\)\| /)
        .map(plain);
      return [cells[0].replace(/^`|`$/g, ""), cells.slice(1)];
    }),
  );
}

describe("docs/module.md and the module's README", () => {
  it("documents every input variable of the module", () => {
    const page = fs.readFileSync(path.join(__dirname, "../../docs/module.md"), "utf8");
    const section = page.slice(page.indexOf("## Inputs and outputs"), page.indexOf("## Calling it"));
    for (const name of Object.keys(synth.json.variable)) expect(section, name).toContain(`\`${name}\``);
  });

  it("is written into the module's folder with every variable (and its validations) and output of cdk.tf.json, as terraform-docs tables", () => {
    const readme = fs.readFileSync(path.join(synth.stackDir, "README.md"), "utf8");
    const inputs = tableRows(readme, "## Inputs");
    expect(Object.keys(inputs).sort()).toEqual(Object.keys(synth.json.variable).sort());
    for (const [name, variable] of Object.entries<Record<string, any>>(synth.json.variable)) {
      const [description, type, defaultValue, required] = inputs[name];
      expect(description, name).toBe(variable.description);
      expect(type, name).toBe(`\`${variable.type}\``);
      expect(defaultValue, name).toBe(`\`${JSON.stringify(variable.default)}\``);
      expect(required, name).toBe("no");
      for (const rule of variable.validation ?? []) expect(readme, name).toContain(`- \`${name}\`: ${rule.error_message}`);
    }
    const outputs = tableRows(readme, "## Outputs");
    expect(Object.keys(outputs).sort()).toEqual(Object.keys(synth.json.output).sort());
    for (const [name, output] of Object.entries<Record<string, any>>(synth.json.output)) {
      expect(outputs[name], name).toEqual([output.description, output.sensitive ? "yes" : "no"]);
    }
    const resources = tableRows(readme, "## Resources");
    for (const [type, named] of Object.entries<Record<string, unknown>>(synth.json.resource)) {
      for (const name of Object.keys(named)) expect(resources[`${type}.${name}`], `${type}.${name}`).toEqual(["resource"]);
    }
    expect(readme).toContain("| terraform | `>= 1.9.0` |");
    expect(readme).toContain("| aws (hashicorp/aws) | `>= 5.100.0, < 7.0.0` |");
    expect(readme).toMatch(/```hcl\nmodule "apigw_sfn" \{\n {2}source = "\.\/apigw-sfn-module"\n/);
  });

  it("is written again from the new configuration when an input changes, the same from JSON and HCL output", () => {
    const config = testConfig({ projectName: "orders", stageName: "prod" });
    const workflows = [{ ...testConfig().workflows[0], name: "checkout", path: "checkout" }];
    const changed = synthStack({ module: true, config, workflows });
    const readme = fs.readFileSync(path.join(changed.stackDir, "README.md"), "utf8");
    expect(tableRows(readme, "## Inputs").project_name[2]).toBe('`"orders"`');
    expect(tableRows(readme, "## Inputs").stage_name[2]).toBe('`"prod"`');
    const outputs = Object.keys(tableRows(readme, "## Outputs"));
    expect(outputs).toContain("checkout_url");
    expect(outputs).not.toContain("express_url");
    expect(readme).toContain("| `checkout` | EXPRESS | `POST /checkout`");
    const fromHcl = synthStack({ module: true, config, workflows, hcl: true });
    expect(fs.readFileSync(path.join(fromHcl.stackDir, "README.md"), "utf8")).toBe(readme);
  });
});
