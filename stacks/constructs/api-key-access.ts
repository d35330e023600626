import { Construct } from "constructs";
import { ApiGatewayApiKey } from "@cdktf/provider-aws/lib/api-gateway-api-key";
import { ApiGatewayUsagePlan } from "@cdktf/provider-aws/lib/api-gateway-usage-plan";
import { ApiGatewayUsagePlanKey } from "@cdktf/provider-aws/lib/api-gateway-usage-plan-key";
import { ApiStage } from "./api-stage";
import { RestApi } from "./rest-api";

export interface ApiKeyAccessProps {
  readonly api: RestApi;
  readonly stage: ApiStage;
  /** Name of the key and of its usage plan. */
  readonly name: string;
  /** Throttling of the key's usage plan. */
  readonly throttling: { readonly rateLimit: number; readonly burstLimit: number };
  /** Requests the key may make per day. @default 1000 */
  readonly dailyQuota?: number;
}

/**
 * An API key and the usage plan that lets it call the stage, for routes that require an API key
 * (the x-api-key header). Callers without a valid key get 403.
 */
export class ApiKeyAccess extends Construct {
  public readonly key: ApiGatewayApiKey;
  public readonly usagePlan: ApiGatewayUsagePlan;

  constructor(scope: Construct, id: string, props: ApiKeyAccessProps) {
    super(scope, id);
    this.key = new ApiGatewayApiKey(this, "Key", { name: props.name, enabled: true });
    this.usagePlan = new ApiGatewayUsagePlan(this, "UsagePlan", {
      name: props.name,
      apiStages: [{ apiId: props.api.apiId, stage: props.stage.stage.stageName }],
      throttleSettings: { rateLimit: props.throttling.rateLimit, burstLimit: props.throttling.burstLimit },
      quotaSettings: { limit: props.dailyQuota ?? 1000, period: "DAY" },
    });
    new ApiGatewayUsagePlanKey(this, "UsagePlanKey", {
      keyId: this.key.id,
      keyType: "API_KEY",
      usagePlanId: this.usagePlan.id,
    });
  }
}
