import { Construct } from "constructs";
import { DataAwsAmi } from "@cdktf/provider-aws/lib/data-aws-ami";
import { Instance } from "@cdktf/provider-aws/lib/instance";
import { everyInstance, onlyInstance } from "./counted";
import { Tags, resourceTags } from "./tags";

export interface DemoInstanceProps {
  /** Name tag of the instance. */
  readonly name: string;
  /** EC2 instance type. @default "t3.nano" */
  readonly instanceType?: string;
  /** Extra tags (the Name tag is the name). @default {} */
  readonly tags?: Tags;
  /**
   * How many instances to create, as a Terraform expression (0 or 1): the module creates the
   * instance only when its caller asks. @default always one, without `count`
   */
  readonly count?: number;
}

/**
 * The EC2 instance the demo workflows start and stop: the latest Amazon Linux 2023 x86_64 AMI,
 * found by a data source, with IMDSv2 required and an encrypted root volume.
 */
export class DemoInstance extends Construct {
  public readonly ami: DataAwsAmi;
  public readonly instance: Instance;
  /** ID of the instance (a Terraform reference; null when `count` is 0). */
  public readonly instanceId: string;
  /** ARN of the instance, as a list (empty when `count` is 0), for least-privilege grants. */
  public readonly instanceArns: string[];

  constructor(scope: Construct, id: string, props: DemoInstanceProps) {
    super(scope, id);
    this.ami = new DataAwsAmi(this, "Ami", {
      mostRecent: true,
      owners: ["amazon"],
      count: props.count,
      filter: [
        { name: "name", values: ["al2023-ami-2023.*-x86_64"] },
        { name: "architecture", values: ["x86_64"] },
        { name: "state", values: ["available"] },
      ],
    });
    this.instance = new Instance(this, "Resource", {
      count: props.count,
      ami: props.count === undefined ? this.ami.id : onlyInstance(this.ami, "id"),
      instanceType: props.instanceType ?? "t3.nano",
      metadataOptions: { httpTokens: "required", httpEndpoint: "enabled" },
      rootBlockDevice: { encrypted: true },
      tags: resourceTags(props.tags, { Name: props.name }),
    });
    if (props.count === undefined) {
      this.instanceId = this.instance.id;
      this.instanceArns = [this.instance.arn];
    } else {
      this.instanceId = onlyInstance(this.instance, "id");
      this.instanceArns = everyInstance(this.instance, "arn");
    }
  }
}
