import { Construct } from "constructs";
import { ApiGatewayDeployment } from "@cdktf/provider-aws/lib/api-gateway-deployment";
import { ApiGatewayStage } from "@cdktf/provider-aws/lib/api-gateway-stage";
import { Fn } from "cdktf";
import { RestApi } from "./rest-api";
import { StepFunctionsRoute } from "./step-functions-route";

export interface ApiStageProps {
  readonly api: RestApi;
  /** The routes the deployment snapshots; a change to any of them redeploys the API. */
  readonly routes: readonly StepFunctionsRoute[];
  /** Name of the stage, the last part of the invoke URL. */
  readonly stageName: string;
}

/**
 * A deployment of the API and the stage that serves it.
 *
 * The deployment's trigger is a hash of everything that changes the API's behaviour (paths,
 * methods, integrations with their mapping templates, method and integration responses), read
 * from the resources Terraform manages, not only their IDs: editing a mapping template
 * redeploys. A new deployment is created before the old one is destroyed, so the stage never
 * points at nothing.
 */
export class ApiStage extends Construct {
  public readonly deployment: ApiGatewayDeployment;
  public readonly stage: ApiGatewayStage;
  /** Base URL of the stage, e.g. https://abc123.execute-api.us-east-1.amazonaws.com/v1 (a Terraform reference). */
  public readonly invokeUrl: string;

  constructor(scope: Construct, id: string, props: ApiStageProps) {
    super(scope, id);
    if (!/^[A-Za-z0-9_-]{1,128}$/.test(props.stageName)) {
      throw new Error(`stage name "${props.stageName}" must hold 1 to 128 letters, digits, hyphens or underscores`);
    }
    if (props.routes.length === 0) throw new Error("an API stage needs at least one route to deploy");
    this.deployment = new ApiGatewayDeployment(this, "Deployment", {
      restApiId: props.api.apiId,
      description: "Managed by apigw-sfn: redeployed whenever a route's behaviour changes",
      triggers: {
        redeployment: Fn.sha1(Fn.jsonencode(props.routes.map((route) => route.deploymentFingerprint))),
      },
      lifecycle: { createBeforeDestroy: true },
      dependsOn: props.routes.flatMap((route) => route.dependables),
    });
    this.stage = new ApiGatewayStage(this, "Resource", {
      restApiId: props.api.apiId,
      deploymentId: this.deployment.id,
      stageName: props.stageName,
    });
    this.invokeUrl = this.stage.invokeUrl;
  }

  /** Invoke URL of a route on this stage (a Terraform expression). */
  public urlOf(route: StepFunctionsRoute): string {
    return `${this.invokeUrl}/${route.pathPart}`;
  }
}
