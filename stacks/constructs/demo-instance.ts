import { Construct } from "constructs";
import { Fn, Op, Token } from "cdktf";
import { DataAwsAmi } from "@cdktf/provider-aws/lib/data-aws-ami";
import { DataAwsSubnet } from "@cdktf/provider-aws/lib/data-aws-subnet";
import { DataAwsVpc } from "@cdktf/provider-aws/lib/data-aws-vpc";
import { IamInstanceProfile } from "@cdktf/provider-aws/lib/iam-instance-profile";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { Instance } from "@cdktf/provider-aws/lib/instance";
import { type Tags, resourceTags } from "./tags";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcSecurityGroupEgressRule } from "@cdktf/provider-aws/lib/vpc-security-group-egress-rule";
import type { Constraint } from "../../lang/constraints";
import { everyInstance, onlyInstance, countIf } from "./counted";
import { assumeRolePolicy, roleName } from "./iam";
import { ACCOUNT_ID, INSTANCE_ID, LONGEST_REGION, declareWorstCase, declareWorstCaseList } from "./worst-case";

/** What a subnet setting must be: a subnet ID, or "" for the default VPC. */
export const SUBNET_ID: Constraint = {
  pattern: "^(subnet-[0-9a-f]{8,17})?$",
  problem: "is not a subnet ID such as subnet-0123456789abcdef0",
};

/** The demo instance's type when none is given: the smallest current burstable type. */
export const DEFAULT_INSTANCE_TYPE = "t3.nano";

/** The managed policy that lets Systems Manager (Session Manager, patching) manage an instance. */
export const SSM_MANAGED_INSTANCE_POLICY = "AmazonSSMManagedInstanceCore";

export interface DemoInstanceProps {
  /** Name tag of the instance, name of its security group (and of its role, with "-ssm"). */
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
  /**
   * Subnet of the instance (its VPC is the security group's); "" or a Terraform expression that is
   * "" means the default VPC's default subnet. @default the default VPC
   */
  readonly subnetId?: string;
  /**
   * An instance profile with AmazonSSMManagedInstanceCore, and HTTPS egress so that the SSM agent
   * reaches Systems Manager (through a NAT gateway or VPC endpoints: the instance has no public IP).
   * @default false: no profile, no egress at all
   */
  readonly ssmInstanceProfile?: boolean;
  /** AWS partition of the managed policy's ARN. @default "aws" */
  readonly partition?: string;
}

/**
 * The EC2 instance the demo workflows start and stop: the latest Amazon Linux 2023 x86_64 AMI when
 * it is created (a newer AMI later does not replace it), IMDSv2 required, an encrypted root volume,
 * no public IP, and a security group of its own with no ingress (and no egress unless SSM needs it).
 */
export class DemoInstance extends Construct {
  public readonly ami: DataAwsAmi;
  public readonly securityGroup: SecurityGroup;
  public readonly instance: Instance;
  /** The SSM instance profile, when asked for. */
  public readonly instanceProfile?: IamInstanceProfile;
  /** ID of the instance (a Terraform reference; null when `count` is 0). */
  public readonly instanceId: string;
  /** ARN of the instance, as a list (empty when `count` is 0), for least-privilege grants. */
  public readonly instanceArns: string[];

  constructor(scope: Construct, id: string, props: DemoInstanceProps) {
    super(scope, id);
    const counted = props.count !== undefined;
    /** A value of the single instance of a resource counted like the instance. */
    const one = (element: Parameters<typeof onlyInstance>[0], attribute: string, direct: string): string =>
      counted ? onlyInstance(element, attribute) : direct;
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

    const vpcId = this.vpcOf(props.subnetId ?? "", props.count);
    this.securityGroup = new SecurityGroup(this, "SecurityGroup", {
      count: props.count,
      name: props.name,
      description: "Demo instance of apigw-sfn: no ingress; egress only for Systems Manager when enabled",
      vpcId,
      tags: resourceTags(props.tags, { Name: props.name }),
    });
    const securityGroupId = one(this.securityGroup, "id", this.securityGroup.id);

    let profileName: string | undefined;
    if (props.ssmInstanceProfile) {
      const role = new IamRole(this, "Role", {
        count: props.count,
        name: roleName(`${props.name}-ssm`),
        description: "Lets Systems Manager manage the demo instance",
        // EC2 sets no aws:SourceAccount or aws:SourceArn; only this account can pass the role to an instance.
        assumeRolePolicy: assumeRolePolicy("ec2.amazonaws.com"),
        tags: resourceTags(props.tags),
      });
      const roleNameRef = one(role, "name", role.name);
      new IamRolePolicyAttachment(this, "SsmPolicy", {
        count: props.count,
        role: roleNameRef,
        policyArn: `arn:${props.partition ?? "aws"}:iam::aws:policy/${SSM_MANAGED_INSTANCE_POLICY}`,
      });
      this.instanceProfile = new IamInstanceProfile(this, "Profile", {
        count: props.count,
        name: props.name,
        role: roleNameRef,
        tags: resourceTags(props.tags),
      });
      profileName = one(this.instanceProfile, "name", this.instanceProfile.name);
      new VpcSecurityGroupEgressRule(this, "SsmEgress", {
        count: props.count,
        securityGroupId,
        description: "HTTPS to Systems Manager endpoints",
        ipProtocol: "tcp",
        fromPort: 443,
        toPort: 443,
        cidrIpv4: "0.0.0.0/0",
        tags: resourceTags(props.tags),
      });
    }

    this.instance = new Instance(this, "Resource", {
      count: props.count,
      ami: one(this.ami, "id", this.ami.id),
      instanceType: props.instanceType ?? DEFAULT_INSTANCE_TYPE,
      subnetId: this.subnetOf(props.subnetId ?? ""),
      associatePublicIpAddress: false,
      vpcSecurityGroupIds: [securityGroupId],
      iamInstanceProfile: profileName,
      metadataOptions: { httpTokens: "required", httpEndpoint: "enabled" },
      rootBlockDevice: { encrypted: true },
      tags: resourceTags(props.tags, { Name: props.name }),
      // The AMI is looked up as the most recent one: a newer AMI must not replace a running instance.
      lifecycle: { ignoreChanges: ["ami"] },
    });
    // The instance's ARN at its longest (its region and account are the provider's), for policy sizes.
    const longestArn = `arn:${props.partition ?? "aws"}:ec2:${LONGEST_REGION}:${ACCOUNT_ID}:instance/${INSTANCE_ID}`;
    if (counted) {
      this.instanceId = onlyInstance(this.instance, "id");
      this.instanceArns = declareWorstCaseList(everyInstance(this.instance, "arn"), [longestArn]);
    } else {
      this.instanceId = this.instance.id;
      this.instanceArns = [declareWorstCase(this.instance.arn, longestArn)];
    }
  }

  /** The instance's subnet_id: none for the default VPC. */
  private subnetOf(subnetId: string): string | undefined {
    if (Token.isUnresolved(subnetId)) return Token.asString(Fn.conditional(isEmpty(subnetId), Token.nullValue(), subnetId));
    return subnetId === "" ? undefined : subnetId;
  }

  /** The VPC of the security group: the subnet's, or the default VPC; read only when the instance exists. */
  private vpcOf(subnetId: string, count: number | undefined): string {
    const when = (condition: unknown): number | undefined =>
      // tonumber() keeps the count's own conditional expression together.
      count === undefined
        ? condition === true
          ? undefined
          : countIf(condition)
        : countIf(Op.and(Op.eq(Fn.tonumber(count), 1), condition));
    if (!Token.isUnresolved(subnetId)) {
      if (subnetId === "") {
        const vpc = new DataAwsVpc(this, "Vpc", { default: true, count: when(true) });
        return count === undefined ? vpc.id : onlyInstance(vpc, "id");
      }
      const subnet = new DataAwsSubnet(this, "Subnet", { id: subnetId, count: when(true) });
      return count === undefined ? subnet.vpcId : onlyInstance(subnet, "vpc_id");
    }
    // Decided at plan time (the module's variable): read the one that applies.
    const vpc = new DataAwsVpc(this, "Vpc", { default: true, count: when(isEmpty(subnetId)) });
    const subnet = new DataAwsSubnet(this, "Subnet", { id: subnetId, count: when(Op.not(isEmpty(subnetId))) });
    return Token.asString(Fn.conditional(isEmpty(subnetId), onlyInstance(vpc, "id"), onlyInstance(subnet, "vpc_id")));
  }
}

/** `length(text) < 1`: cdktf writes falsy literals ("" and 0) as `undefined` in expressions. */
export function isEmpty(text: string): unknown {
  return Op.lt(Fn.lengthOf(text), 1);
}
