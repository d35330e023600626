import { Construct, type IConstruct } from "constructs";
import type { ApiGatewayIntegration } from "@cdktf/provider-aws/lib/api-gateway-integration";
import type { ApiGatewayIntegrationResponse } from "@cdktf/provider-aws/lib/api-gateway-integration-response";
import type { ApiGatewayMethod } from "@cdktf/provider-aws/lib/api-gateway-method";
import type { ApiGatewayMethodResponse } from "@cdktf/provider-aws/lib/api-gateway-method-response";
import { Fn, type IResolvable, type ITerraformDependable, Op, Token } from "cdktf";
import { type Constraint, checkConstraint } from "../../lang/constraints";
import type { DeploymentPart, Fingerprint } from "./deployment-part";
import { mappingTemplate } from "./mapping-template";
import type { RestApi } from "./rest-api";

/** One origin as browsers send it in the Origin header: scheme, lower-case host, optional port. */
const ORIGIN = "https?://[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:[0-9]{1,5})?";
/** "*" (any origin), or origins separated by commas, or "" (CORS off). No quote, "$" or "#": they land in a VTL string. */
export const CORS_ORIGINS: Constraint = {
  pattern: `^([*]|${ORIGIN}(,${ORIGIN})*)?$`,
  problem:
    'must be "*" or origins such as https://app.example.com or http://localhost:5173 (scheme, lower-case host, optional port) separated by commas',
};
/** The same, at least one: the module has the CORS variables only when CORS was on at synth. */
export const CORS_ORIGINS_REQUIRED: Constraint = {
  pattern: `^([*]|${ORIGIN}(,${ORIGIN})*)$`,
  problem: `${CORS_ORIGINS.problem}; "" is not accepted here: CORS was on when the module was synthesized`,
};
const METHOD = "(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)";
/** HTTP methods separated by commas, or "" (each path's own). */
export const CORS_METHODS: Constraint = {
  pattern: `^(${METHOD}(,${METHOD})*)?$`,
  problem: "must be HTTP methods (GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS) separated by commas",
};
/** Header names separated by commas, or "" (none). */
export const CORS_HEADER_NAMES: Constraint = {
  pattern: "^([A-Za-z0-9-]+(,[A-Za-z0-9-]+)*)?$",
  problem: "must be header names (letters, digits, hyphens) separated by commas",
};
/**
 * How long a browser may cache a preflight's answer, in seconds. Browsers cap it: Firefox at 86400
 * (24 hours), Chromium at 7200 (2 hours; 600 before version 76); without the header they cache it
 * for 5 seconds (MDN, "Access-Control-Max-Age"). Above Firefox's cap nothing is gained.
 */
export const CORS_MAX_AGE: Constraint = { min: 0, max: 86400 };

/** The request headers the API's callers send: JSON bodies, SigV4 signing, API keys, idempotency keys. */
export const DEFAULT_CORS_ALLOWED_HEADERS: readonly string[] = [
  "Content-Type",
  "X-Amz-Date",
  "Authorization",
  "X-Api-Key",
  "X-Amz-Security-Token",
  "Idempotency-Key",
];
/** The response headers a page may read beyond the CORS-safelisted ones: the 202's Location, API Gateway's request id. */
export const DEFAULT_CORS_EXPOSED_HEADERS: readonly string[] = ["Location", "x-amzn-RequestId"];
/** The preflight cache when nothing is said: Chromium's cap (the lowest of current browsers'). */
export const DEFAULT_CORS_MAX_AGE = 7200;

/** Headers every answer of a route may carry (its method responses declare them). */
export const CORS_RESPONSE_HEADERS: readonly string[] = [
  "Access-Control-Allow-Origin",
  "Access-Control-Allow-Credentials",
  "Access-Control-Expose-Headers",
  "Vary",
];
/** Headers the preflight may carry. */
const PREFLIGHT_HEADERS: readonly string[] = [
  "Access-Control-Allow-Origin",
  "Access-Control-Allow-Credentials",
  "Access-Control-Allow-Methods",
  "Access-Control-Allow-Headers",
  "Access-Control-Max-Age",
  "Vary",
];

export interface CorsProps {
  readonly api: RestApi;
  /**
   * The origins a browser page may call the API from, e.g. ["https://app.example.com"], or ["*"]
   * for any (never with allowCredentials); a Terraform list expression in the module.
   */
  readonly allowedOrigins: readonly string[];
  /** Methods the preflight allows (OPTIONS added). @default each path's own routes' methods */
  readonly allowedMethods?: readonly string[];
  /** Request headers the preflight allows. @default DEFAULT_CORS_ALLOWED_HEADERS */
  readonly allowedHeaders?: readonly string[];
  /** Response headers a page may read. @default DEFAULT_CORS_EXPOSED_HEADERS */
  readonly exposedHeaders?: readonly string[];
  /** Seconds a browser may cache a preflight's answer; may be a Terraform expression. @default 7200 */
  readonly maxAge?: number;
  /** Whether a page may send cookies or HTTP authentication; may be a Terraform expression. @default false */
  readonly allowCredentials?: boolean | IResolvable;
  /** Template prepended to every response template of the routes. @default "mappings/cors-headers.response.vtl.tftpl" */
  readonly headersTemplateFile?: string;
  /** Response template of the preflight. @default "mappings/cors-preflight.response.vtl.tftpl" */
  readonly preflightTemplateFile?: string;
}

/** A list prop as text: its items joined by commas (a Terraform expression when the list is one). */
function joined(list: readonly string[]): string {
  return Token.isUnresolved(list) ? Fn.join(",", list as string[]) : list.join(",");
}

/**
 * CORS for a REST API (Fetch Standard, "CORS protocol"): an OPTIONS method on every path that has
 * routes, answering the browser's preflight from a MOCK integration without authorization (a
 * preflight never carries credentials: API Gateway Developer Guide, "Enabling CORS for a REST API
 * resource"); the CORS headers of every answer of every route, through a template prepended to each
 * of the route's response templates (routes call {@link Cors.responseTemplate}); and, for the
 * gateway responses (which are not VTL: only static values and request parameters can fill their
 * headers, "x-amazon-apigateway-gateway-responses.responseParameters object"),
 * {@link Cors.gatewayResponseParameters}. With several origins a gateway response cannot choose: it
 * echoes the request's Origin (its body is API Gateway's own error, never the API's data).
 */
export class Cors extends Construct implements DeploymentPart {
  /** Headers the routes' method responses declare. */
  public readonly responseHeaders: readonly string[] = CORS_RESPONSE_HEADERS;
  /** The response parameters of every gateway response (gatewayresponse.header.*). */
  public readonly gatewayResponseParameters: Readonly<Record<string, string>>;
  private readonly props: CorsProps;
  private readonly parts: {
    readonly path: string;
    readonly method: ApiGatewayMethod;
    readonly integration: ApiGatewayIntegration;
    readonly methodResponse: ApiGatewayMethodResponse;
    readonly integrationResponse: ApiGatewayIntegrationResponse;
  }[] = [];
  private readonly originsJson: string;
  private readonly credentials: string;

  constructor(scope: Construct, id: string, props: CorsProps) {
    super(scope, id);
    this.props = props;
    const origins = props.allowedOrigins;
    const resolved = !Token.isUnresolved(origins);
    if (resolved) {
      if (origins.length === 0) throw new Error("CORS needs at least one allowed origin");
      checkConstraint("CORS allowed origins", CORS_ORIGINS_REQUIRED, origins.join(","));
    }
    for (const [what, list, constraint] of [
      ["CORS allowed methods", props.allowedMethods, CORS_METHODS],
      ["CORS allowed headers", props.allowedHeaders, CORS_HEADER_NAMES],
      ["CORS exposed headers", props.exposedHeaders, CORS_HEADER_NAMES],
    ] as const) {
      if (list && !Token.isUnresolved(list)) checkConstraint(what, constraint, list.join(","));
    }
    if (props.maxAge !== undefined && !Token.isUnresolved(props.maxAge)) checkConstraint("CORS max age", CORS_MAX_AGE, props.maxAge);
    const credentials = props.allowCredentials ?? false;
    if (credentials === true && resolved && origins.includes("*")) {
      throw new Error('CORS allowed origins "*" cannot go with credentials: browsers refuse it (name the origins)');
    }
    this.originsJson = resolved ? JSON.stringify(origins) : Fn.jsonencode(origins);
    this.credentials = typeof credentials === "boolean" ? String(credentials) : Token.asString(credentials);

    const exposed = joined(props.exposedHeaders ?? DEFAULT_CORS_EXPOSED_HEADERS);
    const parameters: Record<string, string> = {};
    if (resolved) {
      // One origin (or "*") is a literal; several: the request's own Origin, as said above.
      parameters["gatewayresponse.header.Access-Control-Allow-Origin"] =
        origins.length === 1 ? `'${origins[0]}'` : "method.request.header.Origin";
      if (!origins.includes("*")) parameters["gatewayresponse.header.Vary"] = "'Origin'";
      if (exposed !== "") parameters["gatewayresponse.header.Access-Control-Expose-Headers"] = `'${exposed}'`;
      if (credentials === true) parameters["gatewayresponse.header.Access-Control-Allow-Credentials"] = "'true'";
      else if (credentials !== false) {
        parameters["gatewayresponse.header.Access-Control-Allow-Credentials"] = Token.asString(
          Fn.conditional(credentials, "'true'", "'false'"),
        );
      }
    } else {
      // The module's variables: the same choice, made by Terraform.
      const one = Op.eq(Fn.lengthOf(origins), 1);
      parameters["gatewayresponse.header.Access-Control-Allow-Origin"] = Token.asString(
        Fn.conditional(one, Fn.format("'%s'", [Fn.element(origins, 0)]), "method.request.header.Origin"),
      );
      parameters["gatewayresponse.header.Vary"] = "'Origin'";
      parameters["gatewayresponse.header.Access-Control-Expose-Headers"] = Token.isUnresolved(exposed)
        ? Token.asString(Fn.format("'%s'", [exposed]))
        : `'${exposed}'`;
      parameters["gatewayresponse.header.Access-Control-Allow-Credentials"] =
        typeof credentials === "boolean" ? `'${credentials}'` : Token.asString(Fn.conditional(credentials, "'true'", "'false'"));
    }
    this.gatewayResponseParameters = parameters;
  }

  /** A route's response template with the CORS headers template before it (scope: the route's, for the output format). */
  public responseTemplate(scope: IConstruct, template: string): string {
    const prefix = mappingTemplate(scope, this.props.headersTemplateFile ?? "mappings/cors-headers.response.vtl.tftpl", {
      cors_origins: this.originsJson,
      cors_exposed_headers: joined(this.props.exposedHeaders ?? DEFAULT_CORS_EXPOSED_HEADERS),
      cors_credentials: this.credentials,
    });
    return `${prefix.endsWith("\n") ? prefix : `${prefix}\n`}${template}`;
  }

  /**
   * The preflight of a path whose routes answer `methods`: OPTIONS, no authorization, a MOCK
   * integration answering 200, its headers from the preflight template.
   */
  public addPreflight(path: string, methods: readonly string[]): void {
    const { api } = this.props;
    const id = `Preflight-${path.replace(/[{}]/g, "").replace(/[^A-Za-z0-9]+/g, "-")}`;
    const scope = new Construct(this, id);
    const own = [...new Set([...methods, "OPTIONS"])].sort().join(",");
    const configured = this.props.allowedMethods;
    const allowed =
      configured === undefined
        ? own
        : Token.isUnresolved(configured)
          ? // Terraform's coalesce skips an empty string: no methods configured is the path's own.
            Token.asString(Fn.coalesce([joined(configured), own]))
          : configured.length === 0
            ? own
            : [...new Set([...configured, "OPTIONS"])].join(",");
    const maxAge = this.props.maxAge ?? DEFAULT_CORS_MAX_AGE;
    const method = api.addMethod(scope, "Method", path, {
      httpMethod: "OPTIONS",
      authorization: "NONE",
      apiKeyRequired: false,
    });
    const integration = api.addIntegration(scope, "Integration", method, {
      type: "MOCK",
      // A MOCK integration's status comes from its request template (API Gateway Developer Guide,
      // "Mock integrations for REST APIs in API Gateway").
      requestTemplates: { "application/json": '{"statusCode": 200}' },
    });
    const methodResponse = api.addMethodResponse(scope, "MethodResponse200", method, {
      statusCode: "200",
      responseModels: { "application/json": "Empty" },
      responseParameters: Object.fromEntries(PREFLIGHT_HEADERS.map((header) => [`method.response.header.${header}`, false])),
    });
    const integrationResponse = api.addIntegrationResponse(scope, "IntegrationResponse200", method, {
      statusCode: "200",
      responseTemplates: {
        "application/json": mappingTemplate(scope, this.props.preflightTemplateFile ?? "mappings/cors-preflight.response.vtl.tftpl", {
          cors_origins: this.originsJson,
          cors_methods: allowed,
          cors_headers: joined(this.props.allowedHeaders ?? DEFAULT_CORS_ALLOWED_HEADERS),
          cors_max_age: Token.isUnresolved(maxAge) ? Token.asString(maxAge) : maxAge,
          cors_credentials: this.credentials,
        }),
      },
      dependsOn: integration ? [integration] : undefined,
    });
    // "openapi" mode: the API's body holds the preflight, and the API's fingerprint hashes it.
    if (!method.resource || !integration || !methodResponse.resource || !integrationResponse) return;
    this.parts.push({ path, method: method.resource, integration, methodResponse: methodResponse.resource, integrationResponse });
  }

  public get dependables(): readonly ITerraformDependable[] {
    return this.parts.flatMap((part) => [part.method, part.integration, part.methodResponse, part.integrationResponse]);
  }

  // Every resource of every preflight (deployment-part.ts): a change of origins, methods or headers redeploys.
  public get deploymentFingerprint(): Fingerprint {
    return this.parts.map((part) => ({
      path: part.path,
      method: part.method,
      integration: part.integration,
      method_responses: [part.methodResponse],
      integration_responses: [part.integrationResponse],
    }));
  }
}
