package network

import (
	"fmt"
	"net/netip"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/tierstack/tierstack/internal/awsenv"
	"github.com/tierstack/tierstack/internal/naming"
)

// BastionTypeToken is the Pulumi type token of the Bastion component.
const BastionTypeToken = "tierstack:index:Bastion"

// BastionArgs are the inputs of a Bastion.
type BastionArgs struct {
	// Network is the Network the bastion serves; it sits in the first zone's public subnet. Required.
	Network *Network
	// AllowedCIDRs are the IPv4 ranges allowed to reach the bastion on port 22. Required: a public
	// range must be /16 or narrower, a private one /8 or narrower; 0.0.0.0/0 is never allowed.
	AllowedCIDRs []string
	// Tags are added to every resource the Bastion creates, beside a Name tag.
	Tags map[string]string
}

// Bastion is an SSH jump host: a small instance in a Network's first public subnet that only the
// allowed ranges reach, on port 22 only. It has no key pair: keys are pushed for a minute at a time
// with EC2 Instance Connect, and Session Manager works as well. IMDSv2 is required and the root
// volume is encrypted. It starts only once the public subnet's route to the internet exists.
type Bastion struct {
	pulumi.ResourceState

	// Instance is the bastion instance.
	Instance *ec2.Instance
	// SecurityGroup admits SSH from the allowed ranges and nothing else.
	SecurityGroup *ec2.SecurityGroup
	// InstanceID is the instance's ID, for Session Manager and EC2 Instance Connect.
	InstanceID pulumi.StringOutput `pulumi:"instanceId"`
	// PublicIP is the address to SSH to.
	PublicIP pulumi.StringOutput `pulumi:"publicIp"`
	// SecurityGroupID is the bastion's security group, for ingress rules on what it may reach.
	SecurityGroupID pulumi.StringOutput `pulumi:"securityGroupId"`
}

// NewBastion creates a Bastion for a Network. It checks its arguments and looks up the image before
// it registers anything.
func NewBastion(ctx *pulumi.Context, name string, args *BastionArgs, opts ...pulumi.ResourceOption) (*Bastion, error) {
	if args == nil {
		return nil, fmt.Errorf("bastion %s: network is required (allowed: the *Network the bastion serves)", name)
	}
	if err := args.Network.CheckFor("bastion "+name, 1, SubnetPublic); err != nil {
		return nil, err
	}
	if len(args.AllowedCIDRs) == 0 {
		return nil, fmt.Errorf("bastion %s: allowedCidrs is empty (allowed: one or more IPv4 ranges such as 203.0.113.0/24)", name)
	}
	if err := validateBastionCIDRs(args.AllowedCIDRs); err != nil {
		return nil, fmt.Errorf("bastion %s: %w", name, err)
	}
	env, inv, err := awsenv.Resolve(ctx, opts)
	if err != nil {
		return nil, fmt.Errorf("bastion %s: %w", name, err)
	}
	ami, err := lookupBastionAMI(ctx, inv)
	if err != nil {
		return nil, fmt.Errorf("bastion %s: %w", name, err)
	}
	return newBastion(ctx, name, args, ami, env, args.Network.publicReady, opts...)
}

// bastionInstanceType is small and cheap: a jump host forwards keystrokes.
const bastionInstanceType = "t4g.nano"

// Bastion ranges: a public range may be at most a /16 (an office or a VPN's egress), a private one
// (a peered network or VPN pool) at most a /8.
const (
	widestPublicBastionRange  = 16
	widestPrivateBastionRange = 8
)

// validateBastionCIDRs refuses ranges that would open SSH to a large part of the internet.
func validateBastionCIDRs(cidrs []string) error {
	const allowed = "allowed: IPv4 ranges of /16 or narrower, or /8 or narrower inside a private range; never 0.0.0.0/0"
	seen := map[netip.Prefix]bool{}
	for _, c := range cidrs {
		p, err := netip.ParsePrefix(c)
		if err != nil {
			return fmt.Errorf("bastionAllowedCidrs: %q is not a CIDR block (want an IPv4 range such as 203.0.113.0/24)", c)
		}
		if !p.Addr().Is4() {
			return fmt.Errorf("bastionAllowedCidrs: %q is not IPv4 (%s)", c, allowed)
		}
		if p.Masked() != p {
			return fmt.Errorf("bastionAllowedCidrs: %q has host bits set (did you mean %s?)", c, p.Masked())
		}
		widest := widestPublicBastionRange
		if isPrivate(p) {
			widest = widestPrivateBastionRange
		}
		if p.Bits() < widest {
			return fmt.Errorf("bastionAllowedCidrs: %q would open SSH to too many addresses (%s)", c, allowed)
		}
		if seen[p] {
			return fmt.Errorf("bastionAllowedCidrs: %q is listed twice (allowed: each range once)", c)
		}
		seen[p] = true
	}
	return nil
}

// lookupBastionAMI finds the newest Amazon Linux 2023 arm64 image, through the invoke options inv.
func lookupBastionAMI(ctx *pulumi.Context, inv []pulumi.InvokeOption) (string, error) {
	ami, err := ec2.LookupAmi(ctx, &ec2.LookupAmiArgs{
		MostRecent: pulumi.BoolRef(true),
		Owners:     []string{"amazon"},
		Filters: []ec2.GetAmiFilter{
			{Name: "name", Values: []string{"al2023-ami-2023.*-arm64"}},
			{Name: "architecture", Values: []string{"arm64"}},
		},
	}, inv...)
	if err != nil {
		return "", fmt.Errorf("looking up the bastion AMI: %w", err)
	}
	return ami.Id, nil
}

// newBastion registers a Bastion from image amiID once its arguments are checked; it starts after
// the resources in ready. A bastion the Network creates has its children aliased to their earlier
// parent, the Network, so that stacks built before Bastion was a component keep their instance.
func newBastion(ctx *pulumi.Context, name string, args *BastionArgs, amiID string, env awsenv.Env, ready []pulumi.Resource, opts ...pulumi.ResourceOption) (*Bastion, error) {
	if err := naming.CheckComponent("bastion", name, "-role"); err != nil {
		return nil, err
	}
	b := &Bastion{}
	if err := ctx.RegisterComponentResource(BastionTypeToken, name, b, opts...); err != nil {
		return nil, fmt.Errorf("bastion %s: %w", name, err)
	}
	n := args.Network
	childOpts := func(extra ...pulumi.ResourceOption) []pulumi.ResourceOption {
		o := []pulumi.ResourceOption{pulumi.Parent(b), pulumi.Aliases([]pulumi.Alias{{Parent: n}})}
		return append(o, extra...)
	}
	sgName := naming.Child(name, "sg")
	sg, err := ec2.NewSecurityGroup(ctx, sgName, &ec2.SecurityGroupArgs{
		VpcId:       n.VPCID,
		Description: pulumi.String("SSH to the bastion from the allowed ranges only"),
		Ingress: ec2.SecurityGroupIngressArray{ec2.SecurityGroupIngressArgs{
			Description: pulumi.String("SSH from the allowed ranges"),
			Protocol:    pulumi.String("tcp"),
			FromPort:    pulumi.Int(22),
			ToPort:      pulumi.Int(22),
			CidrBlocks:  pulumi.ToStringArray(args.AllowedCIDRs),
		}},
		Egress: ec2.SecurityGroupEgressArray{
			ec2.SecurityGroupEgressArgs{
				Description: pulumi.String("SSH onward, inside the VPC"),
				Protocol:    pulumi.String("tcp"),
				FromPort:    pulumi.Int(22),
				ToPort:      pulumi.Int(22),
				CidrBlocks:  pulumi.StringArray{n.CIDR},
			},
			ec2.SecurityGroupEgressArgs{
				Description: pulumi.String("HTTPS for Session Manager and package updates"),
				Protocol:    pulumi.String("tcp"),
				FromPort:    pulumi.Int(443),
				ToPort:      pulumi.Int(443),
				CidrBlocks:  pulumi.StringArray{pulumi.String("0.0.0.0/0")},
			},
		},
		Tags: naming.Tags(args.Tags, sgName),
	}, childOpts()...)
	if err != nil {
		return nil, fmt.Errorf("bastion %s: %w", name, err)
	}

	profile, err := ssmInstanceProfile(ctx, name, env, args.Tags, childOpts()...)
	if err != nil {
		return nil, fmt.Errorf("bastion %s: %w", name, err)
	}
	instance, err := ec2.NewInstance(ctx, name, &ec2.InstanceArgs{
		Ami:                      pulumi.String(amiID),
		InstanceType:             pulumi.String(bastionInstanceType),
		SubnetId:                 n.SubnetID(SubnetPublic, 0),
		AssociatePublicIpAddress: pulumi.Bool(true),
		VpcSecurityGroupIds:      pulumi.StringArray{sg.ID().ToStringOutput()},
		IamInstanceProfile:       profile.Name,
		MetadataOptions: ec2.InstanceMetadataOptionsArgs{
			HttpEndpoint:            pulumi.String("enabled"),
			HttpTokens:              pulumi.String("required"), // IMDSv2 only
			HttpPutResponseHopLimit: pulumi.Int(1),
		},
		RootBlockDevice: ec2.InstanceRootBlockDeviceArgs{
			Encrypted:  pulumi.Bool(true),
			VolumeType: pulumi.String("gp3"),
			VolumeSize: pulumi.Int(8),
		},
		Tags: naming.Tags(args.Tags, name),
	}, childOpts(
		// A newer AMI would replace the bastion on every run; patch it in place instead.
		pulumi.IgnoreChanges([]string{"ami"}),
		// The SSM agent and EC2 Instance Connect need the internet as the instance boots.
		pulumi.DependsOn(ready))...)
	if err != nil {
		return nil, fmt.Errorf("bastion %s: %w", name, err)
	}
	b.Instance, b.SecurityGroup = instance, sg
	b.InstanceID, b.PublicIP, b.SecurityGroupID = instance.ID().ToStringOutput(), instance.PublicIp, sg.ID().ToStringOutput()
	if err := ctx.RegisterResourceOutputs(b, pulumi.Map{
		"instanceId":      b.InstanceID,
		"publicIp":        b.PublicIP,
		"securityGroupId": b.SecurityGroupID,
	}); err != nil {
		return nil, fmt.Errorf("bastion %s: registering outputs: %w", name, err)
	}
	return b, nil
}

// ssmInstanceProfile creates a role that EC2 may assume, with only the managed policy Session Manager
// needs (in env's partition), and an instance profile for it. Names are prefix-role, prefix-ssm and
// prefix-profile.
func ssmInstanceProfile(ctx *pulumi.Context, prefix string, env awsenv.Env, tags map[string]string, opts ...pulumi.ResourceOption) (*iam.InstanceProfile, error) {
	roleName := prefix + "-role"
	role, err := iam.NewRole(ctx, roleName, &iam.RoleArgs{
		AssumeRolePolicy: pulumi.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}`),
		Tags:             naming.Tags(tags, roleName),
	}, opts...)
	if err != nil {
		return nil, err
	}
	if _, err := iam.NewRolePolicyAttachment(ctx, prefix+"-ssm", &iam.RolePolicyAttachmentArgs{
		Role:      role.Name,
		PolicyArn: pulumi.String(env.ManagedPolicyARN("AmazonSSMManagedInstanceCore")),
	}, opts...); err != nil {
		return nil, err
	}
	profileName := prefix + "-profile"
	return iam.NewInstanceProfile(ctx, profileName, &iam.InstanceProfileArgs{
		Role: role.Name,
		Tags: naming.Tags(tags, profileName),
	}, opts...)
}
