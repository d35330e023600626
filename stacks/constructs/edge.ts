/**
 * What stands in front of the API, each opt-in: a WAF web ACL on the stage, a custom domain with
 * TLS 1.2, and a resource policy limiting who (which accounts) and from where (which VPC endpoints)
 * the API can be invoked.
 */
import { Construct } from "constructs";
import { Fn, type ITerraformDependable } from "cdktf";
import { ApiGatewayBasePathMapping } from "@cdktf/provider-aws/lib/api-gateway-base-path-mapping";
import { ApiGatewayDomainName } from "@cdktf/provider-aws/lib/api-gateway-domain-name";
import { ApiGatewayRestApiPolicy } from "@cdktf/provider-aws/lib/api-gateway-rest-api-policy";
import { Wafv2WebAclAssociation } from "@cdktf/provider-aws/lib/wafv2-web-acl-association";
import type { Constraint } from "../../lang/constraints";
import type { DeploymentPart, Fingerprint } from "./deployment-part";
import { type Tags, resourceTags } from "./tags";
import type { RestApi } from "./rest-api";

/** A regional WAFv2 web ACL's ARN, or "" for none. */
export const WEB_ACL_ARN: Constraint = {
  pattern: "^(arn:aws[a-z-]*:wafv2:[a-z0-9-]+:[0-9]{12}:regional/webacl/[A-Za-z0-9_-]+/[a-f0-9-]+)?$",
  problem: "is not a regional WAFv2 web ACL ARN (arn:aws:wafv2:<region>:<account>:regional/webacl/<name>/<id>)",
};
/** A DNS name such as api.example.com, or "" for none. */
export const DOMAIN_NAME: Constraint = {
  pattern: "^(([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?[.])+[a-z]{2,63})?$",
  problem: "is not a lower-case DNS name such as api.example.com",
};
/** An ACM certificate ARN, or "" for none. */
export const CERTIFICATE_ARN: Constraint = {
  pattern: "^(arn:aws[a-z-]*:acm:[a-z0-9-]+:[0-9]{12}:certificate/[0-9a-f-]+)?$",
  problem: "is not an ACM certificate ARN (arn:aws:acm:<region>:<account>:certificate/<id>)",
};
/** A base path of a custom domain (one segment), or "" for the domain's root. */
export const BASE_PATH: Constraint = {
  pattern: "^([A-Za-z0-9._~-]+)?$",
  problem: "must be one path segment of letters, digits, '.', '_', '~' or '-'",
};
/** A comma-separated list of AWS account IDs, or "" for none. */
export const SOURCE_ACCOUNTS: Constraint = {
  pattern: "^([0-9]{12}(,[0-9]{12})*)?$",
  problem: "must be 12-digit AWS account IDs separated by commas",
};
/** A comma-separated list of VPC endpoint IDs, or "" for none. */
export const VPC_ENDPOINTS: Constraint = {
  pattern: "^(vpce-[0-9a-f]{8,17}(,vpce-[0-9a-f]{8,17})*)?$",
  problem: "must be VPC endpoint IDs (vpce-...) separated by commas",
};

/** The items of a comma-separated setting ("" is none). */
export function listOf(text: string): string[] {
  return text.split(",").filter((item) => item !== "");
}

export interface StageWebAclProps {
  /** ARN of the stage to protect. */
  readonly stageArn: string;
  /** ARN of the regional WAFv2 web ACL. */
  readonly webAclArn: string;
  /** How many associations, as a Terraform expression (0 or 1): the module's variable may be "". @default one */
  readonly count?: number;
}

/** Associates a WAFv2 web ACL with a stage (FSBP APIGateway.4). */
export class StageWebAcl extends Construct {
  public readonly association: Wafv2WebAclAssociation;

  constructor(scope: Construct, id: string, props: StageWebAclProps) {
    super(scope, id);
    this.association = new Wafv2WebAclAssociation(this, "Resource", {
      resourceArn: props.stageArn,
      webAclArn: props.webAclArn,
      count: props.count,
    });
  }
}

export interface CustomDomainProps {
  readonly api: RestApi;
  /** Name of the stage the domain serves. */
  readonly stageName: string;
  /** The domain, e.g. api.example.com. */
  readonly domainName: string;
  /** ACM certificate for the domain, in the API's region. */
  readonly certificateArn: string;
  /** Path under the domain that serves the stage. @default "" (the domain's root) */
  readonly basePath?: string;
  /** Tags of the domain. @default {} */
  readonly tags?: Tags;
}

/**
 * A regional custom domain with a TLS 1.2 minimum and a base path mapping to the stage. Point a DNS
 * alias (or CNAME) at `regionalDomainName`.
 */
export class CustomDomain extends Construct {
  public readonly domain: ApiGatewayDomainName;
  public readonly mapping: ApiGatewayBasePathMapping;
  /** Base URL of the stage through the domain, e.g. https://api.example.com/v1. */
  public readonly url: string;

  constructor(scope: Construct, id: string, props: CustomDomainProps) {
    super(scope, id);
    this.domain = new ApiGatewayDomainName(this, "Resource", {
      domainName: props.domainName,
      regionalCertificateArn: props.certificateArn,
      endpointConfiguration: { types: ["REGIONAL"] },
      securityPolicy: "TLS_1_2",
      tags: resourceTags(props.tags),
    });
    const basePath = props.basePath ?? "";
    this.mapping = new ApiGatewayBasePathMapping(this, "Mapping", {
      apiId: props.api.apiId,
      stageName: props.stageName,
      domainName: this.domain.domainName,
      basePath: basePath === "" ? undefined : basePath,
    });
    this.url = `https://${this.domain.domainName}${basePath === "" ? "" : `/${basePath}`}`;
  }
}

/** Who may invoke the API and from where; at least one list must be non-empty. */
export interface ResourcePolicyRules {
  /** Accounts whose IAM principals may invoke the API (list this account too); callers of others are denied. @default any */
  readonly sourceAccounts?: readonly string[];
  /** VPC interface endpoints requests must come through; any other network path is denied. @default any */
  readonly vpcEndpointIds?: readonly string[];
}

/** The resource policy document, as plain data, for an API whose execution ARN is `executionArn`. */
export function resourcePolicyDocument(executionArn: string, partition: string, rules: ResourcePolicyRules): Record<string, unknown> {
  const resource = `${executionArn}/*`;
  const invoke = { Action: "execute-api:Invoke", Resource: resource };
  const accounts = rules.sourceAccounts ?? [];
  const endpoints = rules.vpcEndpointIds ?? [];
  if (accounts.length === 0 && endpoints.length === 0) throw new Error("a resource policy needs source accounts or VPC endpoints");
  const statements: Record<string, unknown>[] = [];
  if (accounts.length > 0) {
    statements.push(
      {
        Sid: "ListedAccountsMayInvoke",
        Effect: "Allow",
        Principal: { AWS: accounts.map((account) => `arn:${partition}:iam::${account}:root`) },
        ...invoke,
      },
      {
        Sid: "DenyPrincipalsOfOtherAccounts",
        Effect: "Deny",
        Principal: "*",
        ...invoke,
        Condition: { StringNotEquals: { "aws:PrincipalAccount": accounts } },
      },
    );
  }
  if (endpoints.length > 0) {
    statements.push(
      { Sid: "InvokeThroughListedVpcEndpoints", Effect: "Allow", Principal: "*", ...invoke },
      {
        Sid: "DenyOtherNetworkPaths",
        Effect: "Deny",
        Principal: "*",
        ...invoke,
        Condition: { StringNotEquals: { "aws:SourceVpce": endpoints } },
      },
    );
  }
  return { Version: "2012-10-17", Statement: statements };
}

export interface ResourcePolicyProps extends ResourcePolicyRules {
  readonly api: RestApi;
  /** AWS partition of the account principals. @default "aws" */
  readonly partition?: string;
}

/**
 * The API's resource policy (see {@link resourcePolicyDocument}). A change takes effect with the
 * next deployment, so it is part of what the stage deploys.
 */
export class ResourcePolicy extends Construct implements DeploymentPart {
  /** The policy's resource; in "openapi" mode the policy is in the API's body (x-amazon-apigateway-policy). */
  public readonly policy?: ApiGatewayRestApiPolicy;

  constructor(scope: Construct, id: string, props: ResourcePolicyProps) {
    super(scope, id);
    const partition = props.partition ?? "aws";
    if (props.api.definition === "openapi") {
      // The API's own ARN is not known inside its body: API Gateway reads "execute-api:/*" as this
      // API's (API Gateway Developer Guide, "x-amazon-apigateway-policy" and its example).
      props.api.setPolicy(resourcePolicyDocument("execute-api:", partition, props));
      return;
    }
    this.policy = new ApiGatewayRestApiPolicy(this, "Resource", {
      restApiId: props.api.apiId,
      policy: Fn.jsonencode(resourcePolicyDocument(props.api.resource.executionArn, partition, props)),
    });
  }

  public get dependables(): readonly ITerraformDependable[] {
    return this.policy ? [this.policy] : [];
  }

  public get deploymentFingerprint(): Fingerprint {
    return this.policy ? { resource_policy: this.policy } : [];
  }
}
