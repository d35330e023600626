import { describe, expect, it } from "vitest";
import { ConfigError, SETTINGS, loadConfig } from "../../stacks/config";

describe("loadConfig", () => {
  it("gives the documented defaults when nothing is set", () => {
    expect(loadConfig()).toEqual({
      region: "us-east-1",
      projectName: "apigw-sfn",
      stageName: "v1",
      instanceType: "t3.nano",
      authorization: "AWS_IAM",
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

  it("has an environment variable for every setting", () => {
    for (const setting of SETTINGS) {
      const value = setting.key === "authorization" ? "NONE" : setting.key === "region" ? "ap-southeast-2" : setting.key === "instanceType" ? "m5.large" : "custom";
      expect(loadConfig({ env: { [setting.env]: value } })[setting.key]).toBe(value);
    }
  });

  it.each([
    ["APIGW_SFN_REGION", "Europe", /environment variable APIGW_SFN_REGION: "Europe" is not an AWS region/],
    ["APIGW_SFN_PROJECT_NAME", "my project", /APIGW_SFN_PROJECT_NAME: "my project" must start with a letter/],
    ["APIGW_SFN_STAGE_NAME", "v1/beta", /APIGW_SFN_STAGE_NAME: "v1\/beta" must hold 1 to 128/],
    ["APIGW_SFN_INSTANCE_TYPE", "tiny", /APIGW_SFN_INSTANCE_TYPE: "tiny" is not an EC2 instance type/],
    ["APIGW_SFN_AUTHORIZATION", "COGNITO", /APIGW_SFN_AUTHORIZATION: "COGNITO" must be "AWS_IAM" or "NONE"/],
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
