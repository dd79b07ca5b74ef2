package components

import (
	"fmt"
	"net/netip"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Bastion is the optional SSH jump host of a Network: a small instance in the first public subnet
// that only the allowed ranges reach, on port 22 only. It has no key pair: keys are pushed for a
// minute at a time with EC2 Instance Connect, and Session Manager works as well.
type Bastion struct {
	// Instance is the bastion instance.
	Instance *ec2.Instance
	// SecurityGroup admits SSH from the allowed ranges and nothing else.
	SecurityGroup *ec2.SecurityGroup
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

// newBastion creates the bastion, from image amiID, in the Network's first public subnet.
func newBastion(ctx *pulumi.Context, name string, n *Network, amiID string, allowed []string, tags map[string]string) (*Bastion, error) {
	parent := pulumi.Parent(n)
	sgName := ChildName(name, "bastion-sg")
	sg, err := ec2.NewSecurityGroup(ctx, sgName, &ec2.SecurityGroupArgs{
		VpcId:       n.VPC.ID(),
		Description: pulumi.String("SSH to the bastion from the allowed ranges only"),
		Ingress: ec2.SecurityGroupIngressArray{ec2.SecurityGroupIngressArgs{
			Description: pulumi.String("SSH from the allowed ranges"),
			Protocol:    pulumi.String("tcp"),
			FromPort:    pulumi.Int(22),
			ToPort:      pulumi.Int(22),
			CidrBlocks:  pulumi.ToStringArray(allowed),
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
		Tags: tagsFor(tags, sgName),
	}, parent)
	if err != nil {
		return nil, err
	}

	profile, err := ssmInstanceProfile(ctx, ChildName(name, "bastion"), tags, parent)
	if err != nil {
		return nil, err
	}
	instanceName := ChildName(name, "bastion")
	instance, err := ec2.NewInstance(ctx, instanceName, &ec2.InstanceArgs{
		Ami:                      pulumi.String(amiID),
		InstanceType:             pulumi.String(bastionInstanceType),
		SubnetId:                 n.PublicSubnets[0].ID(),
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
		Tags: tagsFor(tags, instanceName),
	}, parent,
		// A newer AMI would replace the bastion on every run; patch it in place instead.
		pulumi.IgnoreChanges([]string{"ami"}))
	if err != nil {
		return nil, err
	}
	return &Bastion{Instance: instance, SecurityGroup: sg}, nil
}

// ssmInstanceProfile creates a role that EC2 may assume, with only the managed policy Session Manager
// needs, and an instance profile for it. Names are prefix-role and prefix-profile.
func ssmInstanceProfile(ctx *pulumi.Context, prefix string, tags map[string]string, opts ...pulumi.ResourceOption) (*iam.InstanceProfile, error) {
	roleName := prefix + "-role"
	role, err := iam.NewRole(ctx, roleName, &iam.RoleArgs{
		AssumeRolePolicy: pulumi.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}`),
		Tags:             tagsFor(tags, roleName),
	}, opts...)
	if err != nil {
		return nil, err
	}
	if _, err := iam.NewRolePolicyAttachment(ctx, prefix+"-ssm", &iam.RolePolicyAttachmentArgs{
		Role:      role.Name,
		PolicyArn: iam.ManagedPolicyAmazonSSMManagedInstanceCore,
	}, opts...); err != nil {
		return nil, err
	}
	profileName := prefix + "-profile"
	return iam.NewInstanceProfile(ctx, profileName, &iam.InstanceProfileArgs{
		Role: role.Name,
		Tags: tagsFor(tags, profileName),
	}, opts...)
}
