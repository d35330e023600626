import { Construct } from "constructs";
import { DataAwsAmi } from "@cdktf/provider-aws/lib/data-aws-ami";
import { Instance } from "@cdktf/provider-aws/lib/instance";

export interface DemoInstanceProps {
  /** Name tag of the instance. */
  readonly name: string;
  /** EC2 instance type. @default "t3.nano" */
  readonly instanceType?: string;
  /** Extra tags. @default {} */
  readonly tags?: Readonly<Record<string, string>>;
}

/**
 * The EC2 instance the demo workflows start and stop: the latest Amazon Linux 2023 x86_64 AMI,
 * found by a data source, with IMDSv2 required and an encrypted root volume.
 */
export class DemoInstance extends Construct {
  public readonly ami: DataAwsAmi;
  public readonly instance: Instance;
  /** ID of the instance (a Terraform reference). */
  public readonly instanceId: string;
  /** ARN of the instance (a Terraform reference), for least-privilege grants. */
  public readonly instanceArn: string;

  constructor(scope: Construct, id: string, props: DemoInstanceProps) {
    super(scope, id);
    this.ami = new DataAwsAmi(this, "Ami", {
      mostRecent: true,
      owners: ["amazon"],
      filter: [
        { name: "name", values: ["al2023-ami-2023.*-x86_64"] },
        { name: "architecture", values: ["x86_64"] },
        { name: "state", values: ["available"] },
      ],
    });
    this.instance = new Instance(this, "Resource", {
      ami: this.ami.id,
      instanceType: props.instanceType ?? "t3.nano",
      metadataOptions: { httpTokens: "required", httpEndpoint: "enabled" },
      rootBlockDevice: { encrypted: true },
      tags: { ...props.tags, Name: props.name },
    });
    this.instanceId = this.instance.id;
    this.instanceArn = this.instance.arn;
  }
}
