/**
 * What of the request a workflow's execution input holds, opted into per workflow (the workflow
 * field `input`). Without it the input is the request body alone. With it the input is an object
 * shaped as AWS CDK's StepFunctionsRestApi shapes it (aws-cdk-lib aws-apigateway,
 * StepFunctionsIntegration: `body`, `path`, `querystring`, `header`, `requestContext`,
 * `authorizer`), so a state machine written for one reads the other's input unchanged:
 *
 *   {"body": {...}, "path": {"id": "42"}, "querystring": {"tenant": "acme"},
 *    "header": {"X-Tenant": "acme"}, "requestContext": {"requestId": "...", "sourceIp": "..."},
 *    "authorizer": {"principalId": "...", "claims": {...}}}
 *
 * Each option adds the key of its name; `body` is there whenever the route takes a body (POST).
 * Every value is a JSON string (or null, requestContext only), escaped by the request mapping
 * template (templates/mappings/start-*.request.vtl.tftpl), which reads what to include from the
 * variable {@link requestInputVariable} gives it.
 */

/**
 * The $context fields a workflow may ask for, by the name they get in `requestContext` (CDK's
 * names: its RequestContext options), and the $context variable each reads (API Gateway Developer
 * Guide, "Variables for data transformations for API Gateway": the $context variables of REST API
 * mapping templates). `accountId` is the caller's account ($context.identity.accountId), as in
 * CDK; `apiOwnerAccountId` is the API owner's ($context.accountId). $context.identity.apiKey (the
 * caller's API key) is not offered: it is a secret, and the X-Api-Key header may be named instead.
 */
export const REQUEST_CONTEXT_FIELDS = {
  accountId: "identity.accountId",
  apiId: "apiId",
  apiOwnerAccountId: "accountId",
  caller: "identity.caller",
  cognitoAuthenticationProvider: "identity.cognitoAuthenticationProvider",
  cognitoAuthenticationType: "identity.cognitoAuthenticationType",
  cognitoIdentityId: "identity.cognitoIdentityId",
  cognitoIdentityPoolId: "identity.cognitoIdentityPoolId",
  domainName: "domainName",
  extendedRequestId: "extendedRequestId",
  httpMethod: "httpMethod",
  path: "path",
  protocol: "protocol",
  requestId: "requestId",
  requestTime: "requestTime",
  requestTimeEpoch: "requestTimeEpoch",
  resourceId: "resourceId",
  resourcePath: "resourcePath",
  sourceIp: "identity.sourceIp",
  stage: "stage",
  user: "identity.user",
  userAgent: "identity.userAgent",
  userArn: "identity.userArn",
} as const;

export type RequestContextField = keyof typeof REQUEST_CONTEXT_FIELDS;
export const REQUEST_CONTEXT_FIELD_NAMES = Object.keys(REQUEST_CONTEXT_FIELDS) as RequestContextField[];

/** What of the request the execution input holds besides the body. Each option adds the key of its name. */
export interface RequestInput {
  /** Every path parameter of the route, by name. @default false */
  readonly path?: boolean;
  /** Every query string parameter, by name (the last value of a repeated one). @default false */
  readonly querystring?: boolean;
  /**
   * The headers of these names only (compared case-insensitively; each is keyed by the name as
   * written here; one not sent is left out). Authorization, Cookie and X-Api-Key are never
   * included unless named. @default none
   */
  readonly header?: readonly string[];
  /** These $context fields (REQUEST_CONTEXT_FIELDS), each a string, or null when API Gateway has no value. @default none */
  readonly requestContext?: readonly RequestContextField[];
  /** The authorizer's context: a Lambda authorizer's principalId and context keys, a Cognito authorizer's claims. @default false */
  readonly authorizer?: boolean;
}

export const REQUEST_INPUT_OPTIONS: readonly (keyof RequestInput)[] = ["path", "querystring", "header", "requestContext", "authorizer"];

/**
 * The header names the allow-list accepts: letters, digits, "-" and "_" (HTTP tokens without the
 * characters that VTL, JSON or Terraform would read), up to 64.
 */
export const HEADER_NAME = /^[A-Za-z0-9_-]{1,64}$/;

/** The problems of an `input` value, each naming the option. */
export function requestInputProblems(value: unknown): string[] {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return [`"input" must be an object with any of ${REQUEST_INPUT_OPTIONS.join(", ")}`];
  }
  const problems: string[] = [];
  const input = value as Record<string, unknown>;
  for (const key of Object.keys(input))
    if (!(REQUEST_INPUT_OPTIONS as readonly string[]).includes(key))
      problems.push(`"input": unknown option "${key}" (known: ${REQUEST_INPUT_OPTIONS.join(", ")})`);
  for (const key of ["path", "querystring", "authorizer"] as const)
    if (input[key] !== undefined && typeof input[key] !== "boolean") problems.push(`"input.${key}" must be true or false`);
  const names = (key: "header" | "requestContext", valid: (name: string) => boolean, what: string, caseless: boolean) => {
    const list = input[key];
    if (list === undefined) return;
    if (!Array.isArray(list) || list.some((name) => typeof name !== "string" || !valid(name))) {
      problems.push(`"input.${key}" must be a list of ${what}, got ${JSON.stringify(list)}`);
      return;
    }
    const seen = new Set<string>();
    for (const name of list as string[]) {
      const k = caseless ? name.toLowerCase() : name;
      if (seen.has(k))
        problems.push(`"input.${key}" names ${JSON.stringify(name)} twice${caseless ? " (header names are case-insensitive)" : ""}`);
      seen.add(k);
    }
  };
  names("header", (name) => HEADER_NAME.test(name), 'header names (letters, digits, "-" and "_", up to 64)', true);
  names(
    "requestContext",
    (name) => Object.hasOwn(REQUEST_CONTEXT_FIELDS, name),
    `$context fields (${REQUEST_CONTEXT_FIELD_NAMES.join(", ")})`,
    false,
  );
  return problems;
}

/**
 * The request template's `request_input` variable: JSON of what to include, which the template
 * reads with $util.parseJson inside a single-quoted VTL string; `{}` without `input` (the body
 * alone, as before). Its strings are header names (HEADER_NAME) and field names: no quote,
 * backslash, "$", "#" or "{" that VTL, JSON or Terraform would read.
 */
export function requestInputVariable(input: RequestInput | undefined, withBody: boolean): string {
  if (input === undefined) return "{}";
  return JSON.stringify({
    body: withBody,
    path: input.path === true,
    querystring: input.querystring === true,
    header: input.header ?? [],
    requestContext: input.requestContext ?? [],
    authorizer: input.authorizer === true,
  });
}
