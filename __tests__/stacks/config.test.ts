import { describe, expect, it } from "vitest";
import { ConfigError, SETTINGS, loadConfig } from "../../stacks/config";
import { TEMPLATES_DIR } from "../../stacks/constructs/template-files";
import { DEFAULT_WORKFLOWS } from "../../stacks/workflows";

describe("loadConfig", () => {
  it("gives the documented defaults when nothing is set", () => {
    expect(loadConfig()).toEqual({
      region: "us-east-1",
      projectName: "apigw-sfn",
      stageName: "v1",
      instanceType: "t3.nano",
      authorization: "AWS_IAM",
      logRetentionDays: 14,
      expressLogLevel: "ALL",
      standardLogLevel: "ERROR",
      logExecutionData: true,
      tracing: true,
      throttlingRateLimit: 10,
      throttlingBurstLimit: 20,
      accessLogs: false,
      manageApiGatewayAccount: false,
      moduleOutput: false,
      templatesDir: TEMPLATES_DIR,
      workflows: DEFAULT_WORKFLOWS,
    });
  });

  it("takes values from cdktf.json context", () => {
    expect(loadConfig({ context: { region: "eu-west-1", stageName: "prod" } })).toMatchObject({
      region: "eu-west-1",
      stageName: "prod",
    });
  });

  it("lets environment variables override cdktf.json context", () => {
    const config = loadConfig({ context: { projectName: "from-context" }, env: { APIGW_SFN_PROJECT_NAME: "from-env" } });
    expect(config.projectName).toBe("from-env");
  });

  it("has an environment variable for every setting, typed like the setting", () => {
    const values: Record<string, [string, unknown]> = {
      region: ["ap-southeast-2", "ap-southeast-2"],
      projectName: ["custom", "custom"],
      stageName: ["prod", "prod"],
      instanceType: ["m5.large", "m5.large"],
      authorization: ["API_KEY", "API_KEY"],
      logRetentionDays: ["30", 30],
      expressLogLevel: ["ERROR", "ERROR"],
      standardLogLevel: ["ALL", "ALL"],
      logExecutionData: ["false", false],
      tracing: ["false", false],
      throttlingRateLimit: ["100", 100],
      throttlingBurstLimit: ["200", 200],
      accessLogs: ["true", true],
      manageApiGatewayAccount: ["false", false],
      moduleOutput: ["true", true],
      templatesDir: [TEMPLATES_DIR, TEMPLATES_DIR],
    };
    expect(Object.keys(values).sort()).toEqual(SETTINGS.map((s) => s.key).sort());
    for (const setting of SETTINGS) {
      const [text, typed] = values[setting.key];
      expect(loadConfig({ env: { [setting.env]: text } })[setting.key]).toEqual(typed);
    }
  });

  it("takes typed values from cdktf.json context", () => {
    expect(loadConfig({ context: { logRetentionDays: 90, tracing: false } })).toMatchObject({ logRetentionDays: 90, tracing: false });
    expect(() => loadConfig({ context: { tracing: "no" } })).toThrow(/cdktf.json context "tracing": expected a boolean, got "no"/);
  });

  it.each([
    ["APIGW_SFN_LOG_RETENTION_DAYS", "10", /APIGW_SFN_LOG_RETENTION_DAYS: 10 is not a CloudWatch retention period/],
    ["APIGW_SFN_LOG_RETENTION_DAYS", "two weeks", /"two weeks" is not a whole number/],
    ["APIGW_SFN_TRACING", "yes", /APIGW_SFN_TRACING: "yes" must be "true" or "false"/],
    ["APIGW_SFN_EXPRESS_LOG_LEVEL", "DEBUG", /must be one of "ALL", "ERROR", "FATAL", "OFF"/],
    ["APIGW_SFN_THROTTLING_RATE_LIMIT", "0", /must be between 1 and 10000/],
  ])("rejects %s=%s with a message saying why", (name, value, message) => {
    expect(() => loadConfig({ env: { [name]: value } })).toThrow(message);
  });

  it("refuses to manage the account's CloudWatch role when access logs are off", () => {
    expect(() => loadConfig({ env: { APIGW_SFN_MANAGE_API_GATEWAY_ACCOUNT: "true" } })).toThrow(/only needed when accessLogs is true/);
  });

  it.each([
    ["APIGW_SFN_REGION", "Europe", /environment variable APIGW_SFN_REGION: "Europe" is not an AWS region/],
    ["APIGW_SFN_PROJECT_NAME", "my project", /APIGW_SFN_PROJECT_NAME: "my project" must start with a letter/],
    ["APIGW_SFN_STAGE_NAME", "v1/beta", /APIGW_SFN_STAGE_NAME: "v1\/beta" must hold 1 to 128/],
    ["APIGW_SFN_INSTANCE_TYPE", "tiny", /APIGW_SFN_INSTANCE_TYPE: "tiny" is not an EC2 instance type/],
    ["APIGW_SFN_AUTHORIZATION", "COGNITO", /APIGW_SFN_AUTHORIZATION: "COGNITO" must be one of "AWS_IAM", "API_KEY", "NONE"/],
  ])("rejects a bad %s with a message naming the variable", (name, value, message) => {
    expect(() => loadConfig({ env: { [name]: value } })).toThrow(message);
  });

  it("names the cdktf.json key when a context value is bad", () => {
    expect(() => loadConfig({ context: { stageName: 42 } })).toThrow(/cdktf.json context "stageName": expected a string, got 42/);
  });

  it("rejects an unknown setting in cdktf.json context", () => {
    expect(() => loadConfig({ context: { stage: "prod" } })).toThrow(ConfigError);
    expect(() => loadConfig({ context: { stage: "prod" } })).toThrow(/unknown setting "stage"/);
  });

  it("reports every problem at once", () => {
    expect(() => loadConfig({ env: { APIGW_SFN_REGION: "x", APIGW_SFN_STAGE_NAME: "a b" } })).toThrow(
      /APIGW_SFN_REGION[\s\S]*APIGW_SFN_STAGE_NAME/,
    );
  });
});
