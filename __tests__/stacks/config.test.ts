import { describe, expect, it } from "vitest";
import { constraintMessage, constraintProblem } from "../../lang/constraints";
import { ConfigError, SETTINGS, loadConfig } from "../../stacks/config";
import { METHOD_LOGGING_LEVEL } from "../../stacks/constructs/api-stage";
import { SUBNET_ID } from "../../stacks/constructs/demo-instance";
import { BASE_PATH, CERTIFICATE_ARN, DOMAIN_NAME, SOURCE_ACCOUNTS, VPC_ENDPOINTS, WEB_ACL_ARN } from "../../stacks/constructs/edge";
import { KMS_KEY_ARN } from "../../stacks/constructs/kms-key";
import { TEMPLATES_DIR } from "../../stacks/constructs/template-files";
import { DEFAULT_WORKFLOWS } from "../../stacks/workflows";

const KEY = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
const WEB_ACL = "arn:aws:wafv2:us-east-1:123456789012:regional/webacl/api/0123abcd-0123-4567-89ab-0123456789ab";
const CERTIFICATE = "arn:aws:acm:us-east-1:123456789012:certificate/0123abcd-0123-4567-89ab-0123456789ab";

describe("SETTINGS", () => {
  it("names each setting's environment variable after its key", () => {
    expect(SETTINGS.find((s) => s.key === "apiGatewayTrustConditions")?.env).toBe("APIGW_SFN_API_GATEWAY_TRUST_CONDITIONS");
    expect(new Set(SETTINGS.map((s) => s.env)).size).toBe(SETTINGS.length);
  });
});

describe("loadConfig", () => {
  it("gives the documented defaults when nothing is set", () => {
    expect(loadConfig()).toEqual({
      region: "us-east-1",
      projectName: "apigw-sfn",
      stageName: "v1",
      instanceType: "t3.nano",
      authorization: "AWS_IAM",
      apiDefinition: "resources",
      logRetentionDays: 365,
      expressLogLevel: "ALL",
      standardLogLevel: "ERROR",
      logExecutionData: false,
      tracing: true,
      throttlingRateLimit: 10,
      throttlingBurstLimit: 20,
      integrationTimeoutMs: 29_000,
      accessLogs: true,
      methodLoggingLevel: "ERROR",
      manageApiGatewayAccount: false,
      allowUnauthenticated: false,
      createKmsKey: false,
      managedPoliciesPerRole: 10,
      kmsKeyArn: "",
      apiGatewayTrustConditions: false,
      wafWebAclArn: "",
      customDomainName: "",
      certificateArn: "",
      customDomainBasePath: "",
      disableExecuteApiEndpoint: false,
      allowedSourceAccounts: "",
      allowedVpcEndpoints: "",
      instanceSubnetId: "",
      instanceSsm: false,
      moduleOutput: false,
      templatesDir: TEMPLATES_DIR,
      maxApiResources: 300,
      maxIamRoles: 1000,
      maxResourcePolicyLength: 8192,
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
      logExecutionData: ["true", true],
      tracing: ["false", false],
      throttlingRateLimit: ["100", 100],
      throttlingBurstLimit: ["200", 200],
      integrationTimeoutMs: ["120000", 120_000],
      accessLogs: ["false", false],
      methodLoggingLevel: ["INFO", "INFO"],
      manageApiGatewayAccount: ["true", true],
      allowUnauthenticated: ["true", true],
      createKmsKey: ["true", true],
      managedPoliciesPerRole: ["20", 20],
      kmsKeyArn: [KEY, KEY],
      apiGatewayTrustConditions: ["true", true],
      wafWebAclArn: [WEB_ACL, WEB_ACL],
      customDomainName: ["api.example.com", "api.example.com"],
      certificateArn: [CERTIFICATE, CERTIFICATE],
      customDomainBasePath: ["v1", "v1"],
      disableExecuteApiEndpoint: ["false", false],
      allowedSourceAccounts: ["123456789012,210987654321", "123456789012,210987654321"],
      allowedVpcEndpoints: ["vpce-0123456789abcdef0", "vpce-0123456789abcdef0"],
      instanceSubnetId: ["subnet-0123456789abcdef0", "subnet-0123456789abcdef0"],
      instanceSsm: ["true", true],
      moduleOutput: ["true", true],
      apiDefinition: ["openapi", "openapi"],
      maxApiResources: ["600", 600],
      maxIamRoles: ["2000", 2000],
      maxResourcePolicyLength: ["16384", 16384],
      templatesDir: [TEMPLATES_DIR, TEMPLATES_DIR],
    };
    expect(Object.keys(values).sort()).toEqual(SETTINGS.map((s) => s.key).sort());
    // Each alone, with what it cannot go without.
    const companions: Record<string, Record<string, string>> = {
      authorization: { APIGW_SFN_AUTHORIZATION: "API_KEY" },
      customDomainName: { APIGW_SFN_CERTIFICATE_ARN: CERTIFICATE },
      certificateArn: { APIGW_SFN_CUSTOM_DOMAIN_NAME: "api.example.com" },
      customDomainBasePath: { APIGW_SFN_CUSTOM_DOMAIN_NAME: "api.example.com", APIGW_SFN_CERTIFICATE_ARN: CERTIFICATE },
    };
    for (const setting of SETTINGS) {
      const [text, typed] = values[setting.key];
      expect(loadConfig({ env: { ...companions[setting.key], [setting.env]: text } })[setting.key]).toEqual(typed);
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

  it("refuses to manage the account's CloudWatch role when neither access logs nor execution logs are on", () => {
    const off = { APIGW_SFN_ACCESS_LOGS: "false", APIGW_SFN_METHOD_LOGGING_LEVEL: "OFF" };
    expect(() => loadConfig({ env: { ...off, APIGW_SFN_MANAGE_API_GATEWAY_ACCOUNT: "true" } })).toThrow(
      /manageApiGatewayAccount is only needed when accessLogs is true or methodLoggingLevel is not "OFF"/,
    );
    for (const on of [{ APIGW_SFN_ACCESS_LOGS: "false" }, { APIGW_SFN_METHOD_LOGGING_LEVEL: "OFF" }]) {
      expect(loadConfig({ env: { ...on, APIGW_SFN_MANAGE_API_GATEWAY_ACCOUNT: "true" } }).manageApiGatewayAccount).toBe(true);
    }
  });

  it.each([
    [
      "authorization NONE without allowUnauthenticated",
      { APIGW_SFN_AUTHORIZATION: "NONE" },
      /authorization "NONE" lets anyone with the URL start the workflows: set allowUnauthenticated = true to confirm/,
    ],
    [
      "both a key to create and an existing key",
      { APIGW_SFN_CREATE_KMS_KEY: "true", APIGW_SFN_KMS_KEY_ARN: KEY },
      /set createKmsKey or kmsKeyArn, not both/,
    ],
    [
      "a domain without a certificate",
      { APIGW_SFN_CUSTOM_DOMAIN_NAME: "api.example.com" },
      /customDomainName and certificateArn go together/,
    ],
    ["a certificate without a domain", { APIGW_SFN_CERTIFICATE_ARN: CERTIFICATE }, /customDomainName and certificateArn go together/],
    ["a base path without a domain", { APIGW_SFN_CUSTOM_DOMAIN_BASE_PATH: "v1" }, /customDomainBasePath needs customDomainName/],
    [
      "no execute-api endpoint and no domain",
      { APIGW_SFN_DISABLE_EXECUTE_API_ENDPOINT: "true" },
      /disableExecuteApiEndpoint needs customDomainName/,
    ],
    [
      "a private API behind a custom domain",
      {
        APIGW_SFN_ALLOWED_VPC_ENDPOINTS: "vpce-0123456789abcdef0",
        APIGW_SFN_CUSTOM_DOMAIN_NAME: "api.example.com",
        APIGW_SFN_CERTIFICATE_ARN: CERTIFICATE,
      },
      /allowedVpcEndpoints makes the API private/,
    ],
    [
      "source accounts without IAM authorization",
      { APIGW_SFN_ALLOWED_SOURCE_ACCOUNTS: "123456789012", APIGW_SFN_AUTHORIZATION: "API_KEY" },
      /allowedSourceAccounts needs authorization "AWS_IAM"/,
    ],
  ])("refuses %s", (_what, env, message) => {
    expect(() => loadConfig({ env })).toThrow(message);
  });

  it("accepts authorization NONE once allowUnauthenticated confirms it", () => {
    expect(loadConfig({ env: { APIGW_SFN_AUTHORIZATION: "NONE", APIGW_SFN_ALLOW_UNAUTHENTICATED: "true" } }).authorization).toBe("NONE");
  });

  it.each([
    ["APIGW_SFN_KMS_KEY_ARN", "alias/logs", /is not a KMS key ARN/],
    ["APIGW_SFN_WAF_WEB_ACL_ARN", "arn:aws:wafv2:us-east-1:123456789012:global/webacl/a/0123", /is not a regional WAFv2 web ACL ARN/],
    ["APIGW_SFN_CUSTOM_DOMAIN_NAME", "API.example.com", /is not a lower-case DNS name/],
    ["APIGW_SFN_CERTIFICATE_ARN", "arn:aws:iam::123456789012:server-certificate/x", /is not an ACM certificate ARN/],
    ["APIGW_SFN_CUSTOM_DOMAIN_BASE_PATH", "v1/beta", /must be one path segment/],
    ["APIGW_SFN_ALLOWED_SOURCE_ACCOUNTS", "123456789012, 210987654321", /must be 12-digit AWS account IDs separated by commas/],
    ["APIGW_SFN_ALLOWED_VPC_ENDPOINTS", "vpc-0123456789abcdef0", /must be VPC endpoint IDs/],
    ["APIGW_SFN_INSTANCE_SUBNET_ID", "subnet-XYZ", /is not a subnet ID/],
    ["APIGW_SFN_METHOD_LOGGING_LEVEL", "DEBUG", /must be one of "OFF", "ERROR", "INFO"/],
  ])("rejects a malformed %s", (name, value, message) => {
    expect(() => loadConfig({ env: { [name]: value } })).toThrow(message);
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

describe("the security settings' constraints", () => {
  const KEY_ARN = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
  const ACL_ARN = "arn:aws:wafv2:us-east-1:123456789012:regional/webacl/api_1-x/0123abcd-0123-4567-89ab-0123456789ab";
  const CERT_ARN = "arn:aws:acm:eu-west-1:123456789012:certificate/0123abcd-0123-4567-89ab-0123456789ab";
  it.each([
    [
      "KMS_KEY_ARN",
      KMS_KEY_ARN,
      ["", KEY_ARN, KEY_ARN.replace("arn:aws:", "arn:aws-us-gov:")],
      ["alias/logs", `x${KEY_ARN}`, `${KEY_ARN} `, KEY_ARN.replace(":123456789012:", ":12345:"), KEY_ARN.replace("key/", "alias/")],
    ],
    [
      "WEB_ACL_ARN",
      WEB_ACL_ARN,
      ["", ACL_ARN],
      [ACL_ARN.replace("regional", "global"), `${ACL_ARN}/`, ` ${ACL_ARN}`, ACL_ARN.replace(":123456789012:", ":1234:")],
    ],
    [
      "DOMAIN_NAME",
      DOMAIN_NAME,
      ["", "api.example.com", "a-1.b.example.co"],
      ["API.example.com", "example", "-api.example.com", "api-.example.com", "api.example.com.", " api.example.com"],
    ],
    ["CERTIFICATE_ARN", CERTIFICATE_ARN, ["", CERT_ARN], [CERT_ARN.replace("acm", "iam"), `${CERT_ARN}x`, `x${CERT_ARN}`]],
    ["BASE_PATH", BASE_PATH, ["", "v1", "a.b_c~d-e"], ["v1/beta", "/v1", "v 1"]],
    [
      "SOURCE_ACCOUNTS",
      SOURCE_ACCOUNTS,
      ["", "123456789012", "123456789012,210987654321"],
      ["12345678901", "1234567890123", "123456789012,", ",123456789012", "123456789012, 210987654321"],
    ],
    [
      "VPC_ENDPOINTS",
      VPC_ENDPOINTS,
      ["", "vpce-0123abcd", "vpce-0123456789abcdef0,vpce-0123abcd"],
      ["vpce-0123abc", "vpce-0123456789abcdef01", "vpce-0123ABCD", "vpc-0123abcd", "vpce-0123abcd,"],
    ],
    [
      "SUBNET_ID",
      SUBNET_ID,
      ["", "subnet-0123abcd", "subnet-0123456789abcdef0"],
      ["subnet-0123abc", "subnet-XYZ12345", "xsubnet-0123abcd", "subnet-0123abcd "],
    ],
    ["METHOD_LOGGING_LEVEL", METHOD_LOGGING_LEVEL, ["OFF", "ERROR", "INFO"], ["", "DEBUG", "error"]],
  ] as const)("%s accepts what it should and nothing else", (_name, constraint, good, bad) => {
    for (const value of good) expect(constraintProblem(constraint, value), value).toBeUndefined();
    for (const value of bad) expect(constraintProblem(constraint, value), value).toBe(constraintMessage(constraint));
  });

  it("explains each problem in words", () => {
    expect(
      [
        KMS_KEY_ARN,
        WEB_ACL_ARN,
        DOMAIN_NAME,
        CERTIFICATE_ARN,
        BASE_PATH,
        SOURCE_ACCOUNTS,
        VPC_ENDPOINTS,
        SUBNET_ID,
        METHOD_LOGGING_LEVEL,
      ].map(constraintMessage),
    ).toEqual([
      "is not a KMS key ARN such as arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
      "is not a regional WAFv2 web ACL ARN (arn:aws:wafv2:<region>:<account>:regional/webacl/<name>/<id>)",
      "is not a lower-case DNS name such as api.example.com",
      "is not an ACM certificate ARN (arn:aws:acm:<region>:<account>:certificate/<id>)",
      "must be one path segment of letters, digits, '.', '_', '~' or '-'",
      "must be 12-digit AWS account IDs separated by commas",
      "must be VPC endpoint IDs (vpce-...) separated by commas",
      "is not a subnet ID such as subnet-0123456789abcdef0",
      'must be one of "OFF", "ERROR", "INFO"',
    ]);
  });
});
