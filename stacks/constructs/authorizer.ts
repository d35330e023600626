/**
 * The authorizers of the API: a Cognito user pool authorizer (COGNITO_USER_POOLS) and a Lambda
 * authorizer (CUSTOM, of type TOKEN or REQUEST) with the permission that lets API Gateway invoke
 * its function, and how a route's method names them (authorizer_id, authorization_scopes).
 *
 * AWS: API Gateway Developer Guide, "Control access to REST APIs using Amazon Cognito user pools
 * as an authorizer" and "Use API Gateway Lambda authorizers"; API Gateway API Reference,
 * "Authorizer" (type TOKEN | REQUEST | COGNITO_USER_POOLS, providerARNs, identitySource,
 * identityValidationExpression, authorizerResultTtlInSeconds: "The maximum value is 3600").
 */
import { Construct } from "constructs";
import type { ApiGatewayAuthorizer } from "@cdktf/provider-aws/lib/api-gateway-authorizer";
import { LambdaPermission } from "@cdktf/provider-aws/lib/lambda-permission";
import { Fn, Op, Token } from "cdktf";
import { type Constraint, checkConstraint } from "../../lang/constraints";
import { onlyInstance } from "./counted";
import type { DeploymentPart, Fingerprint } from "./deployment-part";
import type { RestApi } from "./rest-api";

/** The types of a Lambda authorizer: the token of one header, or any of the request's parameters. */
export type LambdaAuthorizerType = "TOKEN" | "REQUEST";
export const LAMBDA_AUTHORIZER_TYPES: readonly LambdaAuthorizerType[] = ["TOKEN", "REQUEST"];
/** A TOKEN authorizer when nothing is said: the caller's bearer token. */
export const DEFAULT_LAMBDA_AUTHORIZER_TYPE: LambdaAuthorizerType = "TOKEN";
/** Where the token is when nothing is said (AWS's default for TOKEN authorizers and Cognito). */
export const DEFAULT_IDENTITY_SOURCE = "method.request.header.Authorization";
/** How long API Gateway caches a Lambda authorizer's policy when nothing is said: AWS's default, 300 s. */
export const DEFAULT_RESULT_TTL_SECONDS = 300;

/** "authorizerResultTtlInSeconds ... If it equals 0, authorization caching is disabled ... The maximum value is 3600" (API Reference, "Authorizer"). */
export const RESULT_TTL: Constraint = { min: 0, max: 3600 };

/**
 * Comma-separated Cognito user pool ARNs, or "" for none. A pool ID is `<region>_<letters and digits>`
 * (Amazon Cognito API Reference, "UserPoolType": Id pattern `[\w-]+_[0-9a-zA-Z]+`).
 */
export const USER_POOL_ARNS: Constraint = {
  pattern:
    "^(arn:aws[a-z-]*:cognito-idp:[a-z0-9-]+:[0-9]{12}:userpool/[a-z0-9-]+_[0-9A-Za-z]+(,arn:aws[a-z-]*:cognito-idp:[a-z0-9-]+:[0-9]{12}:userpool/[a-z0-9-]+_[0-9A-Za-z]+)*)?$",
  problem: "must be Cognito user pool ARNs (arn:aws:cognito-idp:<region>:<account>:userpool/<pool id>) separated by commas",
};

/** Comma-separated OAuth scopes (e.g. "orders/read,openid"), or "" for none. */
export const OAUTH_SCOPES: Constraint = {
  pattern: "^([A-Za-z0-9._~:/+-]+(,[A-Za-z0-9._~:/+-]+)*)?$",
  problem: 'must be OAuth scopes (letters, digits and "._~:/+-", e.g. orders/read) separated by commas',
};

/** A Lambda function ARN (optionally with a version or alias), or "" for none. */
export const FUNCTION_ARN: Constraint = {
  pattern: "^(arn:aws[a-z-]*:lambda:[a-z0-9-]+:[0-9]{12}:function:[A-Za-z0-9_-]{1,64}(:[A-Za-z0-9_$-]{1,128})?)?$",
  problem: "must be a Lambda function ARN (arn:aws:lambda:<region>:<account>:function:<name>)",
};

/**
 * Where a Lambda authorizer finds the identity: comma-separated request parameters, stage
 * variables or context variables ("Use API Gateway Lambda authorizers": "method.request.header.X",
 * "method.request.querystring.X", "stageVariables.X", "context.X").
 */
export const IDENTITY_SOURCE: Constraint = {
  pattern:
    "^(method[.]request[.](header|querystring)[.][A-Za-z0-9._-]+|stageVariables[.][A-Za-z0-9._-]+|context[.][A-Za-z0-9._-]+)(,(method[.]request[.](header|querystring)[.][A-Za-z0-9._-]+|stageVariables[.][A-Za-z0-9._-]+|context[.][A-Za-z0-9._-]+))*$",
  problem:
    "must be method.request.header.<name>, method.request.querystring.<name>, stageVariables.<name> or context.<name>, separated by commas",
};

/** A TOKEN authorizer reads one header (API Reference, "Authorizer": "For a TOKEN ... the header mapping expression"). */
const ONE_HEADER = /^method[.]request[.]header[.][A-Za-z0-9._-]+$/;

export interface CognitoAuthorizerProps {
  readonly api: RestApi;
  /** Name of the authorizer. */
  readonly name: string;
  /** ARNs of the user pools whose tokens are accepted (a list, possibly a Terraform expression). */
  readonly userPoolArns: readonly string[];
  /** Where the token is. @default "method.request.header.Authorization" */
  readonly identitySource?: string;
  /** How many to create, as a Terraform expression (0 or 1): the module's variable decides. @default one, without `count` */
  readonly count?: number;
}

/**
 * A COGNITO_USER_POOLS authorizer: API Gateway checks the token in the Authorization header (its
 * signature, expiry and issuer, one of the pools) before any integration is called; without
 * scopes on the method it wants an ID token, with scopes an access token holding one of them.
 */
export class CognitoAuthorizer extends Construct implements DeploymentPart {
  /** The aws_api_gateway_authorizer; none in "openapi" mode, where the body holds it as a security scheme. */
  public readonly authorizer?: ApiGatewayAuthorizer;
  /** ID of the authorizer (null when `count` is 0). */
  public readonly authorizerId: string;

  constructor(scope: Construct, id: string, props: CognitoAuthorizerProps) {
    super(scope, id);
    const arns = props.userPoolArns;
    const literal = !Token.isUnresolved(arns) && !arns.some((arn) => Token.isUnresolved(arn));
    if (literal) {
      if (arns.length === 0) throw new Error(`authorizer ${props.name}: a Cognito authorizer needs at least one user pool ARN`);
      checkConstraint("user pool ARNs", USER_POOL_ARNS, arns.join(","));
    }
    const added = props.api.addAuthorizer(this, "Authorizer", {
      name: props.name,
      type: "COGNITO_USER_POOLS",
      providerArns: [...arns],
      identitySource: props.identitySource ?? DEFAULT_IDENTITY_SOURCE,
      count: props.count,
    });
    this.authorizer = added.resource;
    this.authorizerId = added.resource && props.count !== undefined ? onlyInstance(added.resource, "id") : added.id;
  }

  // In "openapi" mode the authorizer is part of the REST API's body, which the RestApi part hashes.
  public get dependables() {
    return this.authorizer ? [this.authorizer] : [];
  }

  public get deploymentFingerprint(): Fingerprint {
    return this.authorizer ?? [];
  }
}

export interface LambdaAuthorizerProps {
  readonly api: RestApi;
  /** Name of the authorizer. */
  readonly name: string;
  /** ARN of the authorizer's Lambda function; may be a Terraform expression. */
  readonly functionArn: string;
  /** TOKEN: one header's token; REQUEST: the request's parameters. May be a Terraform expression. @default "TOKEN" */
  readonly type?: LambdaAuthorizerType | string;
  /** Where the identity is (comma-separated); a TOKEN authorizer reads one header. @default "method.request.header.Authorization" */
  readonly identitySource?: string;
  /** Seconds API Gateway caches the function's policy per identity, 0 to 3600 (0: no cache). @default 300 */
  readonly resultTtlSeconds?: number;
  /** TOKEN only: a regular expression the token must match, else 401 without calling the function. @default none */
  readonly identityValidationExpression?: string;
  /** AWS partition of the invocation URI. @default "aws" */
  readonly partition?: string;
  /** How many to create, as a Terraform expression (0 or 1). @default one, without `count` */
  readonly count?: number;
}

/**
 * A Lambda (CUSTOM) authorizer and the aws_lambda_permission it owns: API Gateway may invoke the
 * function for this API's authorizers only (source ARN `<execution ARN>/authorizers/*`, as "Use
 * API Gateway Lambda authorizers" grants it), so no invocation role is needed. The function
 * answers an IAM policy (Allow or Deny of execute-api:Invoke), a principalId and a context.
 */
export class LambdaAuthorizer extends Construct implements DeploymentPart {
  /** The aws_api_gateway_authorizer; none in "openapi" mode, where the body holds it as a security scheme. */
  public readonly authorizer?: ApiGatewayAuthorizer;
  public readonly permission: LambdaPermission;
  /** ID of the authorizer (null when `count` is 0). */
  public readonly authorizerId: string;

  constructor(scope: Construct, id: string, props: LambdaAuthorizerProps) {
    super(scope, id);
    const type = props.type ?? DEFAULT_LAMBDA_AUTHORIZER_TYPE;
    const identitySource = props.identitySource ?? DEFAULT_IDENTITY_SOURCE;
    const ttl = props.resultTtlSeconds ?? DEFAULT_RESULT_TTL_SECONDS;
    const validation = props.identityValidationExpression || undefined;
    const known = (value: unknown) => value !== undefined && !Token.isUnresolved(value);
    if (known(props.functionArn)) {
      if (props.functionArn === "") throw new Error(`authorizer ${props.name}: a Lambda authorizer needs a function ARN`);
      checkConstraint("authorizer function ARN", FUNCTION_ARN, props.functionArn);
    }
    if (known(identitySource)) checkConstraint("identity source", IDENTITY_SOURCE, identitySource);
    if (known(ttl)) checkConstraint("authorizer result TTL", RESULT_TTL, ttl);
    if (known(type) && !LAMBDA_AUTHORIZER_TYPES.includes(type as LambdaAuthorizerType)) {
      throw new Error(`authorizer type ${JSON.stringify(type)} must be "TOKEN" or "REQUEST"`);
    }
    if (type === "TOKEN" && known(identitySource) && !ONE_HEADER.test(identitySource)) {
      throw new Error(
        `identity source ${JSON.stringify(identitySource)}: a TOKEN authorizer reads one header (method.request.header.<name>)`,
      );
    }
    if (known(validation)) {
      try {
        new RegExp(validation!);
      } catch (error) {
        throw new Error(
          `identity validation expression ${JSON.stringify(validation)} is not a regular expression: ${(error as Error).message}`,
        );
      }
    }
    // The function's region is the fourth field of its ARN; the URI names it ("Use API Gateway
    // Lambda authorizers": arn:aws:apigateway:<region>:lambda:path/2015-03-31/functions/<arn>/invocations).
    const region = known(props.functionArn)
      ? props.functionArn.split(":")[3]
      : Token.asString(Fn.element(Fn.split(":", props.functionArn), 3));
    const added = props.api.addAuthorizer(this, "Authorizer", {
      name: props.name,
      type,
      authorizerUri: `arn:${props.partition ?? "aws"}:apigateway:${region}:lambda:path/2015-03-31/functions/${props.functionArn}/invocations`,
      identitySource,
      authorizerResultTtlInSeconds: ttl,
      // Only TOKEN authorizers have one; a Terraform expression of the type decides in the module.
      identityValidationExpression:
        validation === undefined
          ? undefined
          : Token.isUnresolved(type)
            ? Token.asString(Fn.conditional(Op.eq(type, "TOKEN"), validation, null))
            : validation,
      count: props.count,
    });
    this.authorizer = added.resource;
    this.authorizerId = added.resource && props.count !== undefined ? onlyInstance(added.resource, "id") : added.id;
    this.permission = new LambdaPermission(this, "InvokePermission", {
      statementId: "AllowApiGatewayAuthorizer",
      action: "lambda:InvokeFunction",
      functionName: props.functionArn,
      principal: "apigateway.amazonaws.com",
      sourceArn: `${props.api.resource.executionArn}/authorizers/*`,
      count: props.count,
    });
  }

  // In "openapi" mode the authorizer is part of the REST API's body, which the RestApi part hashes.
  public get dependables() {
    return this.authorizer ? [this.authorizer] : [];
  }

  public get deploymentFingerprint(): Fingerprint {
    return this.authorizer ?? [];
  }
}

/** What a route's method says of its authorizer. */
export interface MethodAuthorizer {
  /** ID of the authorizer (a Terraform reference), for COGNITO_USER_POOLS and CUSTOM. */
  readonly authorizerId?: string;
  /** OAuth scopes, for COGNITO_USER_POOLS: an access token must hold one of them. */
  readonly authorizationScopes?: string[];
}

/** The API's authorizers a route may name. */
export interface ApiAuthorizers {
  readonly cognito?: CognitoAuthorizer;
  readonly lambda?: LambdaAuthorizer;
}

/**
 * The authorizer and scopes of a method authorized by `authorization` (an authorization kind, or
 * a Terraform expression that is one), with `scopes` its OAuth scopes (may be a list expression).
 */
export function methodAuthorizer(authorizers: ApiAuthorizers, authorization: string, scopes: readonly string[]): MethodAuthorizer {
  const scopeList = scopes.length > 0 ? [...scopes] : undefined;
  if (!Token.isUnresolved(authorization)) {
    if (authorization === "COGNITO_USER_POOLS") return { authorizerId: authorizers.cognito?.authorizerId, authorizationScopes: scopeList };
    if (authorization === "CUSTOM") return { authorizerId: authorizers.lambda?.authorizerId, authorizationScopes: undefined };
    return { authorizerId: undefined, authorizationScopes: undefined };
  }
  const cognito = Op.eq(authorization, "COGNITO_USER_POOLS");
  const custom = Op.eq(authorization, "CUSTOM");
  return {
    authorizerId: Token.asString(
      Fn.conditional(
        cognito,
        authorizers.cognito?.authorizerId ?? null,
        Fn.conditional(custom, authorizers.lambda?.authorizerId ?? null, null),
      ),
    ),
    authorizationScopes: scopeList && Token.asList(Fn.conditional(cognito, scopeList, null)),
  };
}
