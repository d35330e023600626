/**
 * API Gateway's REST API request pipeline, offline, driven by the model read from the synthesized
 * stack (local/stack-reader.ts). As LocalStack's API Gateway emulator shapes it, a request context
 * (context.ts) goes through one handler per stage (handlers/): route, authorize, validate, request
 * mapping, integration (integrations/, by type and service), response mapping; a failure of any
 * stage is answered by the gateway responses stage (which the stack may customise). Each stage's
 * file says what API Gateway answers there; beyond them, a body over 10 MiB is 413
 * {"message":"Request Too Long"} (the server answers it through errorResponse; API Gateway quota
 * "Payload size", 10 MB).
 *
 * Not checked locally (the server prints a warning at start): AWS_IAM signatures and API keys; a
 * Cognito token's signature and audience without local settings for them; the integration's IAM
 * role; stage throttling. Lambda authorizers answer from a local policy (handlers/authorize.ts).
 */
import type { ApiModel } from "../stack-reader";
import {
  type Backends,
  GatewayError,
  type GatewayRequest,
  type GatewayResponse,
  type Handler,
  newRequestContext,
  type StageContext,
} from "./context";
import { AuthorizeHandler, type LocalAuthorizerSettings } from "./handlers/authorize";
import { GatewayResponseHandler } from "./handlers/gateway-response";
import { IntegrationHandler } from "./handlers/integration";
import { RequestMappingHandler } from "./handlers/request-mapping";
import { ResponseMappingHandler } from "./handlers/response-mapping";
import { RouteHandler } from "./handlers/route";
import { ValidateHandler } from "./handlers/validate";

export type { Backends, GatewayRequest, GatewayResponse } from "./context";

/** API Gateway's payload limit. */
export const MAX_BODY_BYTES = 10 * 1024 * 1024;

/** The REST API of a stack, served offline. */
export class LocalApiGateway {
  private readonly stage: StageContext;
  private readonly stages: readonly Handler[];
  private readonly gatewayResponses = new GatewayResponseHandler();

  constructor(
    readonly model: ApiModel,
    backends: Backends,
    stageVariables: Readonly<Record<string, string>> = {},
    authorizers: LocalAuthorizerSettings = {},
  ) {
    this.stage = { model, backends, stageVariables };
    this.stages = [
      new RouteHandler(model),
      new AuthorizeHandler(authorizers),
      new ValidateHandler(model),
      new RequestMappingHandler(),
      new IntegrationHandler(model),
      new ResponseMappingHandler(model),
    ];
  }

  /** Answers one request as the deployed stage would. */
  async handle(request: GatewayRequest): Promise<GatewayResponse> {
    const context = newRequestContext(request, this.stage);
    try {
      for (const stage of this.stages) await stage.handle(context);
    } catch (error) {
      if (error instanceof GatewayError) return this.gatewayResponses.handle(context, error);
      throw error;
    }
    return context.response!;
  }

  /** What API Gateway answers itself for a failure of this type (e.g. a body over the size limit). */
  errorResponse(responseType: string, request: GatewayRequest): GatewayResponse {
    return this.gatewayResponses.handle(newRequestContext(request, this.stage), new GatewayError(responseType));
  }
}
