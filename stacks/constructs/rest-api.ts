import { Construct } from "constructs";
import { ApiGatewayRestApi } from "@cdktf/provider-aws/lib/api-gateway-rest-api";

export interface RestApiProps {
  /** Name of the API. */
  readonly name: string;
  /** Description shown in the console. @default none */
  readonly description?: string;
}

/** An API Gateway REST API with a regional endpoint. */
export class RestApi extends Construct {
  public readonly resource: ApiGatewayRestApi;
  /** ID of the API (a Terraform reference). */
  public readonly apiId: string;
  /** ID of the API's root resource "/" (a Terraform reference). */
  public readonly rootResourceId: string;

  constructor(scope: Construct, id: string, props: RestApiProps) {
    super(scope, id);
    this.resource = new ApiGatewayRestApi(this, "Resource", {
      name: props.name,
      description: props.description,
      endpointConfiguration: { types: ["REGIONAL"] },
    });
    this.apiId = this.resource.id;
    this.rootResourceId = this.resource.rootResourceId;
  }
}
