/**
 * The rules between a WorkflowApi's props, written once: WorkflowApi checks them on its props, the
 * configuration on its settings (stacks/config.ts) and the reusable module turns them into
 * validations of its variables (stacks/module-inputs.ts). A fact is named by the setting that
 * stands for it; FACT_PROPS says which prop it is, for the construct's messages.
 */
import type { Rule } from "../../lang/rules";

/** What the rules speak of: settings' keys. */
export type ApiFact =
  | "authorization"
  | "allowUnauthenticated"
  | "manageApiGatewayAccount"
  | "accessLogs"
  | "methodLoggingLevel"
  | "createKmsKey"
  | "kmsKeyArn"
  | "customDomainName"
  | "certificateArn"
  | "customDomainBasePath"
  | "disableExecuteApiEndpoint"
  | "allowedVpcEndpoints"
  | "allowedSourceAccounts"
  | "corsAllowedOrigins"
  | "corsAllowCredentials"
  | "cognitoUserPoolArns"
  | "authorizationScopes"
  | "authorizerFunctionArn"
  | "authorizerType"
  | "authorizerIdentityValidation"
  | "apiDefinition"
  | "apiGatewayTrustConditions";

/** The WorkflowApi prop each fact is (a list prop is the fact joined by commas, "" when absent). */
export const FACT_PROPS: Readonly<Record<ApiFact, string>> = {
  authorization: "authorization",
  allowUnauthenticated: "allowUnauthenticated",
  manageApiGatewayAccount: "manageApiGatewayAccount",
  accessLogs: "accessLogs",
  methodLoggingLevel: "methodLoggingLevel",
  createKmsKey: "encryption.createKey",
  kmsKeyArn: "encryption.kmsKeyArn",
  customDomainName: "customDomain.domainName",
  certificateArn: "customDomain.certificateArn",
  customDomainBasePath: "customDomain.basePath",
  disableExecuteApiEndpoint: "disableExecuteApiEndpoint",
  allowedVpcEndpoints: "resourcePolicy.vpcEndpointIds",
  allowedSourceAccounts: "resourcePolicy.sourceAccounts",
  corsAllowedOrigins: "cors.allowedOrigins",
  corsAllowCredentials: "cors.allowCredentials",
  cognitoUserPoolArns: "cognitoAuthorizer.userPoolArns",
  authorizationScopes: "cognitoAuthorizer.scopes",
  authorizerFunctionArn: "lambdaAuthorizer.functionArn",
  authorizerType: "lambdaAuthorizer.type",
  authorizerIdentityValidation: "lambdaAuthorizer.identityValidationExpression",
  apiDefinition: "apiDefinition",
  apiGatewayTrustConditions: "apiGatewayTrustConditions",
};

/** Combinations that would leave the API open, unreachable or half-configured. */
export const WORKFLOW_API_RULES: readonly Rule<ApiFact>[] = [
  {
    forbid: {
      all: [
        { fact: "manageApiGatewayAccount", is: true },
        { fact: "accessLogs", is: false },
        { fact: "methodLoggingLevel", is: "OFF" },
      ],
    },
    problem: '{manageApiGatewayAccount} is only needed when {accessLogs} is true or {methodLoggingLevel} is not "OFF"',
  },
  {
    forbid: {
      all: [
        { fact: "authorization", is: "NONE" },
        { fact: "allowUnauthenticated", is: false },
      ],
    },
    problem: '{authorization} "NONE" lets anyone with the URL start the workflows: set {allowUnauthenticated} = true to confirm',
  },
  {
    forbid: {
      all: [
        { fact: "createKmsKey", is: true },
        { fact: "kmsKeyArn", isNot: "" },
      ],
    },
    problem: "set {createKmsKey} or {kmsKeyArn}, not both",
  },
  {
    forbid: {
      any: [
        {
          all: [
            { fact: "customDomainName", is: "" },
            { fact: "certificateArn", isNot: "" },
          ],
        },
        {
          all: [
            { fact: "customDomainName", isNot: "" },
            { fact: "certificateArn", is: "" },
          ],
        },
      ],
    },
    problem: "{customDomainName} and {certificateArn} go together",
  },
  {
    forbid: {
      all: [
        { fact: "customDomainBasePath", isNot: "" },
        { fact: "customDomainName", is: "" },
      ],
    },
    problem: "{customDomainBasePath} needs {customDomainName}",
  },
  {
    forbid: {
      all: [
        { fact: "disableExecuteApiEndpoint", is: true },
        { fact: "customDomainName", is: "" },
      ],
    },
    problem: "{disableExecuteApiEndpoint} needs {customDomainName}: the API would be unreachable",
  },
  {
    forbid: {
      all: [
        { fact: "allowedVpcEndpoints", isNot: "" },
        { fact: "customDomainName", isNot: "" },
      ],
    },
    problem: "{allowedVpcEndpoints} makes the API private: a regional {customDomainName} cannot serve it",
  },
  {
    forbid: {
      all: [
        { fact: "allowedSourceAccounts", isNot: "" },
        { fact: "authorization", isNot: "AWS_IAM" },
      ],
    },
    problem: '{allowedSourceAccounts} needs {authorization} "AWS_IAM" (callers without an IAM principal would all be denied)',
  },
  // The authorizers' settings go with the authorization that uses them (authorizer.ts): one
  // without the other would deploy routes without an authorizer, or an authorizer nobody uses.
  // Each names authorization first: the module validates it on var.authorization, since Terraform
  // refuses validations of two variables that read each other (a cycle).
  {
    forbid: {
      all: [
        { fact: "authorization", is: "COGNITO_USER_POOLS" },
        { fact: "cognitoUserPoolArns", is: "" },
      ],
    },
    problem: '{authorization} "COGNITO_USER_POOLS" needs {cognitoUserPoolArns} (the user pools whose tokens are accepted)',
  },
  {
    forbid: {
      all: [
        { fact: "authorization", isNot: "COGNITO_USER_POOLS" },
        { fact: "cognitoUserPoolArns", isNot: "" },
      ],
    },
    problem: '{cognitoUserPoolArns} is only used with {authorization} "COGNITO_USER_POOLS"',
  },
  {
    forbid: {
      all: [
        { fact: "authorization", isNot: "COGNITO_USER_POOLS" },
        { fact: "authorizationScopes", isNot: "" },
      ],
    },
    problem: '{authorizationScopes} is only used with {authorization} "COGNITO_USER_POOLS"',
  },
  {
    forbid: {
      all: [
        { fact: "authorization", is: "CUSTOM" },
        { fact: "authorizerFunctionArn", is: "" },
      ],
    },
    problem: '{authorization} "CUSTOM" needs {authorizerFunctionArn} (the Lambda authorizer\'s function)',
  },
  {
    forbid: {
      all: [
        { fact: "authorization", isNot: "CUSTOM" },
        { fact: "authorizerFunctionArn", isNot: "" },
      ],
    },
    problem: '{authorizerFunctionArn} is only used with {authorization} "CUSTOM"',
  },
  {
    forbid: {
      all: [
        { fact: "authorizerIdentityValidation", isNot: "" },
        { fact: "authorizerType", isNot: "TOKEN" },
      ],
    },
    problem: '{authorizerIdentityValidation} is only for {authorizerType} "TOKEN" (a REQUEST authorizer has no single token to match)',
  },
  {
    // Fetch Standard, "CORS protocol": a response to a request with credentials whose
    // Access-Control-Allow-Origin is "*" fails the CORS check (MDN, "Reason: Credential is not
    // supported if the CORS header 'Access-Control-Allow-Origin' is '*'").
    forbid: {
      all: [
        { fact: "corsAllowedOrigins", includes: "*" },
        { fact: "corsAllowCredentials", is: true },
      ],
    },
    problem:
      '{corsAllowedOrigins} "*" cannot go with {corsAllowCredentials} = true: browsers refuse credentials with any origin (name the origins)',
  },
  {
    forbid: {
      all: [
        { fact: "apiDefinition", is: "openapi" },
        { fact: "apiGatewayTrustConditions", is: true },
      ],
    },
    problem:
      '{apiGatewayTrustConditions} cannot go with {apiDefinition} "openapi": the role\'s trust policy would name the API whose body names the role (a dependency cycle)',
  },
];

/** What the rules read of a workflow: its name and its own authorization fields (stacks/workflows.ts). */
export interface WorkflowAuthorizationFields {
  readonly name: string;
  readonly authorization?: string;
  readonly authorizationScopes?: readonly string[];
}

/** Authorizations whose resource (authorizer, API key) exists only when the API's own authorization is that one. */
const API_WIDE = ["COGNITO_USER_POOLS", "CUSTOM", "API_KEY"];

/**
 * The rules a workflow's own authorization adds, over the API's settings: a workflow may narrow
 * to "AWS_IAM" or "NONE" (confirmed by allowUnauthenticated), or name the API's own authorizer
 * kind (the API creates one Cognito or Lambda authorizer, or the key, for its authorization), and
 * set its own scopes only where that kind is COGNITO_USER_POOLS.
 */
export function workflowAuthorizationRules(workflows: readonly WorkflowAuthorizationFields[]): Rule<ApiFact>[] {
  return workflows.flatMap((workflow): Rule<ApiFact>[] => {
    const kind = workflow.authorization;
    const rules: Rule<ApiFact>[] = [];
    if (kind !== undefined && API_WIDE.includes(kind)) {
      rules.push({
        forbid: { fact: "authorization", isNot: kind },
        problem: `workflow "${workflow.name}" has authorization "${kind}", which needs {authorization} "${kind}" (the API creates its authorizer or key for it)`,
      });
    }
    if (kind === "NONE") {
      rules.push({
        forbid: { fact: "allowUnauthenticated", is: false },
        problem: `workflow "${workflow.name}" has authorization "NONE": anyone with the URL can start it: set {allowUnauthenticated} = true to confirm`,
      });
    }
    if (workflow.authorizationScopes !== undefined && kind === undefined) {
      rules.push({
        forbid: { fact: "authorization", isNot: "COGNITO_USER_POOLS" },
        problem: `workflow "${workflow.name}" sets authorizationScopes, which needs {authorization} "COGNITO_USER_POOLS"`,
      });
    }
    return rules;
  });
}
