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
