import { Construct } from "constructs";
import { ApiGatewayApiKey } from "@cdktf/provider-aws/lib/api-gateway-api-key";
import { ApiGatewayUsagePlan } from "@cdktf/provider-aws/lib/api-gateway-usage-plan";
import { ApiGatewayUsagePlanKey } from "@cdktf/provider-aws/lib/api-gateway-usage-plan-key";
import { onlyInstance } from "./counted";
import type { Throttling } from "./api-stage";
import type { ApiStage } from "./api-stage";
import type { RestApi } from "./rest-api";
import { type Tags, resourceTags } from "./tags";

export interface ApiKeyAccessProps {
  readonly api: RestApi;
  readonly stage: ApiStage;
  /** Name of the key and of its usage plan. */
  readonly name: string;
  /** Throttling of the key's usage plan. */
  readonly throttling: Throttling;
  /** Requests the key may make per day. @default 1000 */
  readonly dailyQuota?: number;
  /** Tags of the key and of its usage plan. @default {} */
  readonly tags?: Tags;
  /**
   * How many keys to create, as a Terraform expression (0 or 1): the module creates the key only
   * when its caller sets authorization to API_KEY. @default always one, without `count`
   */
  readonly count?: number;
}

/**
 * An API key and the usage plan that lets it call the stage, for routes that require an API key
 * (the x-api-key header). Callers without a valid key get 403.
 */
export class ApiKeyAccess extends Construct {
  public readonly key: ApiGatewayApiKey;
  public readonly usagePlan: ApiGatewayUsagePlan;
  /** ID of the key (null when `count` is 0). */
  public readonly keyId: string;
  /** The key's value, to send as the x-api-key header (null when `count` is 0). */
  public readonly keyValue: string;

  constructor(scope: Construct, id: string, props: ApiKeyAccessProps) {
    super(scope, id);
    const count = props.count;
    this.key = new ApiGatewayApiKey(this, "Key", { name: props.name, enabled: true, count, tags: resourceTags(props.tags) });
    this.keyId = count === undefined ? this.key.id : onlyInstance(this.key, "id");
    this.keyValue = count === undefined ? this.key.value : onlyInstance(this.key, "value");
    this.usagePlan = new ApiGatewayUsagePlan(this, "UsagePlan", {
      count,
      name: props.name,
      apiStages: [{ apiId: props.api.apiId, stage: props.stage.stage.stageName }],
      throttleSettings: { rateLimit: props.throttling.rateLimit, burstLimit: props.throttling.burstLimit },
      quotaSettings: { limit: props.dailyQuota ?? 1000, period: "DAY" },
      tags: resourceTags(props.tags),
    });
    new ApiGatewayUsagePlanKey(this, "UsagePlanKey", {
      count,
      keyId: this.keyId,
      keyType: "API_KEY",
      usagePlanId: count === undefined ? this.usagePlan.id : onlyInstance(this.usagePlan, "id"),
    });
  }
}
