package components

import (
	"fmt"
	"slices"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// NetworkArgs are the inputs of a Network. The zero value is a working two-zone VPC with a NAT
// gateway per zone and flow logs on.
type NetworkArgs struct {
	// CIDR is the VPC's IPv4 range; "" means 10.0.0.0/16. It must be /16 to /24 inside a private
	// range. A /16 to /22 holds six AZ slots, a /23 or /24 four (see SubnetLayout). Changing it
	// replaces the VPC, so choose one with room to grow.
	CIDR string
	// AZCount is how many availability zones to span, 2 to 6; 0 means the length of
	// AvailabilityZones when those are given, else 2. Six zones with a NAT gateway each need six
	// Elastic IPs, one more than a region's default quota.
	AZCount int
	// AvailabilityZones names the zones to use, in AZ-slot order; the first AZCount are used. Empty
	// means the first AZCount zones the region lists. Pin them in production, so that a zone AWS adds
	// later never shifts the slots.
	AvailabilityZones []string
	// NatStrategy decides how private subnets reach the internet; "" means NatPerAZ.
	NatStrategy NatStrategy
	// DisableFlowLogs turns off the VPC flow logs, which are on by default.
	DisableFlowLogs bool
	// FlowLogRetentionDays is how long flow logs are kept; 0 means 90. It must be a value CloudWatch
	// Logs accepts (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192,
	// 2557, 2922, 3288 or 3653).
	FlowLogRetentionDays int
	// BastionAllowedCIDRs are the IPv4 ranges allowed to reach an SSH bastion. Empty means no bastion:
	// instances are reached through SSM Session Manager. Each range must be /8 or narrower; 0.0.0.0/0
	// is never allowed.
	BastionAllowedCIDRs []string
	// Tags are added to every resource the Network creates, beside a Name tag.
	Tags map[string]string
}

// Network is a VPC with public, private and data subnets in each zone, its gateways and routes.
type Network struct {
	pulumi.ResourceState

	// VPC is the VPC itself, the escape hatch for anything this component does not expose.
	VPC *ec2.Vpc
	// VPCID is the VPC's ID.
	VPCID pulumi.IDOutput `pulumi:"vpcId"`
	// CIDR is the VPC's IPv4 range.
	CIDR pulumi.StringOutput `pulumi:"cidrBlock"`
	// Layout is the subnet plan the Network was built from.
	Layout SubnetLayout
	// NatStrategy is the strategy the Network was built with.
	NatStrategy NatStrategy
	// Zones are the availability zone names; Zones[i] is AZ slot i.
	Zones []string
	// AvailabilityZones are the zone names, as an output.
	AvailabilityZones pulumi.StringArrayOutput `pulumi:"availabilityZones"`
	// PublicSubnets, PrivateSubnets and DataSubnets hold one subnet per zone, in AZ-slot order.
	PublicSubnets, PrivateSubnets, DataSubnets []*ec2.Subnet
	// PublicSubnetIDs are the public subnets' IDs, in AZ-slot order.
	PublicSubnetIDs pulumi.StringArrayOutput `pulumi:"publicSubnetIds"`
	// PrivateSubnetIDs are the private (application) subnets' IDs, in AZ-slot order.
	PrivateSubnetIDs pulumi.StringArrayOutput `pulumi:"privateSubnetIds"`
	// DataSubnetIDs are the data subnets' IDs, in AZ-slot order.
	DataSubnetIDs pulumi.StringArrayOutput `pulumi:"dataSubnetIds"`
	// NatGatewayIDs are the NAT gateways' IDs; empty with NatNone.
	NatGatewayIDs pulumi.StringArrayOutput `pulumi:"natGatewayIds"`
	// PublicRouteTableID is the route table of the public subnets.
	PublicRouteTableID pulumi.IDOutput `pulumi:"publicRouteTableId"`
	// PrivateRouteTableIDs are the private subnets' route tables, one per zone, in AZ-slot order.
	PrivateRouteTableIDs pulumi.StringArrayOutput `pulumi:"privateRouteTableIds"`
	// DataRouteTableID is the route table of the data subnets, which has no route to the internet.
	DataRouteTableID pulumi.IDOutput `pulumi:"dataRouteTableId"`
	// FlowLogGroup is the CloudWatch log group of the VPC flow logs; nil when they are disabled.
	FlowLogGroup *cloudwatch.LogGroup
	// Bastion is the SSH bastion; nil unless BastionAllowedCIDRs is set.
	Bastion *Bastion
}

// NewNetwork creates a Network. It checks args and looks up the zones before it registers anything,
// so a bad value or a zone count the region cannot serve fails with nothing created.
func NewNetwork(ctx *pulumi.Context, name string, args *NetworkArgs, opts ...pulumi.ResourceOption) (*Network, error) {
	a, err := args.checked()
	if err != nil {
		return nil, err
	}
	inv, err := invokeOptions(opts)
	if err != nil {
		return nil, fmt.Errorf("network %s: %w", name, err)
	}
	place, err := lookupPlacement(ctx, "network", a.AvailabilityZones, a.AZCount, inv)
	if err != nil {
		return nil, err
	}
	var bastionAMI string
	if len(a.BastionAllowedCIDRs) > 0 {
		if bastionAMI, err = lookupBastionAMI(ctx, inv); err != nil {
			return nil, fmt.Errorf("network: %w", err)
		}
	}
	if nats := a.NatStrategy.Gateways(a.AZCount); nats > defaultEIPQuota {
		if err := ctx.Log.Warn(fmt.Sprintf("network %s: %d NAT gateways need %d Elastic IPs; the default quota is %d per region, so ask AWS for more before pulumi up",
			name, nats, nats, defaultEIPQuota), nil); err != nil {
			return nil, fmt.Errorf("network %s: %w", name, err)
		}
	}
	n := &Network{Layout: a.layout, NatStrategy: a.NatStrategy, Zones: place.Zones}
	if err := ctx.RegisterComponentResource(NetworkType, name, n, opts...); err != nil {
		return nil, fmt.Errorf("network %s: %w", name, err)
	}
	if err := n.build(ctx, name, a, place, bastionAMI); err != nil {
		return nil, fmt.Errorf("network %s: %w", name, err)
	}
	if err := ctx.RegisterResourceOutputs(n, pulumi.Map{
		"vpcId":                n.VPCID,
		"cidrBlock":            n.CIDR,
		"availabilityZones":    n.AvailabilityZones,
		"publicSubnetIds":      n.PublicSubnetIDs,
		"privateSubnetIds":     n.PrivateSubnetIDs,
		"dataSubnetIds":        n.DataSubnetIDs,
		"natGatewayIds":        n.NatGatewayIDs,
		"publicRouteTableId":   n.PublicRouteTableID,
		"privateRouteTableIds": n.PrivateRouteTableIDs,
		"dataRouteTableId":     n.DataRouteTableID,
	}); err != nil {
		return nil, fmt.Errorf("network %s: registering outputs: %w", name, err)
	}
	return n, nil
}

// Validate checks the arguments as NewNetwork does before it looks anything up, so that a caller
// composing several components can refuse bad input before any of them registers a resource.
func (args *NetworkArgs) Validate() error {
	_, err := args.checked()
	return err
}

// networkArgs are NetworkArgs with defaults applied and the layout planned.
type networkArgs struct {
	NetworkArgs
	layout SubnetLayout
}

// checked applies the defaults to a copy of args and validates it.
func (args *NetworkArgs) checked() (networkArgs, error) {
	var a NetworkArgs
	if args != nil {
		a = *args
	}
	a.AvailabilityZones = slices.Clone(a.AvailabilityZones)
	if a.CIDR == "" {
		a.CIDR = "10.0.0.0/16"
	}
	if a.AZCount == 0 {
		a.AZCount = max(len(a.AvailabilityZones), MinAZs)
	}
	if a.NatStrategy == "" {
		a.NatStrategy = NatPerAZ
	}
	if a.FlowLogRetentionDays == 0 {
		a.FlowLogRetentionDays = 90
	}

	layout, err := NewSubnetLayout(a.CIDR)
	if err != nil {
		return networkArgs{}, fmt.Errorf("network: %w", err)
	}
	if a.AZCount < MinAZs || a.AZCount > MaxAZs {
		return networkArgs{}, fmt.Errorf("network: azCount %d is out of range (allowed: %d to %d; a DB subnet group needs two zones)",
			a.AZCount, MinAZs, MaxAZs)
	}
	if a.AZCount > layout.MaxAZs {
		return networkArgs{}, fmt.Errorf("network: azCount %d does not fit cidr %s, which holds %d AZ slots (allowed: up to %d, or a /22 or larger VPC for 6)",
			a.AZCount, a.CIDR, layout.MaxAZs, layout.MaxAZs)
	}
	if err := layout.Check(a.AZCount); err != nil {
		return networkArgs{}, fmt.Errorf("network: cidr %s: %w", a.CIDR, err)
	}
	if len(a.AvailabilityZones) > 0 && a.AZCount > len(a.AvailabilityZones) {
		return networkArgs{}, fmt.Errorf("network: azCount %d is more than the %d availabilityZones given (allowed: up to %d, or list more zones)",
			a.AZCount, len(a.AvailabilityZones), len(a.AvailabilityZones))
	}
	if err := checkZoneList(a.AvailabilityZones); err != nil {
		return networkArgs{}, fmt.Errorf("network: %w", err)
	}
	if !slices.Contains(NatStrategies, a.NatStrategy) {
		return networkArgs{}, fmt.Errorf("network: natStrategy %q is not known (allowed: none, single, perAz)", a.NatStrategy)
	}
	if !slices.Contains(logRetentionDays, a.FlowLogRetentionDays) {
		return networkArgs{}, fmt.Errorf("network: flowLogRetentionDays %d is not a CloudWatch Logs retention (allowed: %v)",
			a.FlowLogRetentionDays, logRetentionDays)
	}
	if err := validateBastionCIDRs(a.BastionAllowedCIDRs); err != nil {
		return networkArgs{}, fmt.Errorf("network: %w", err)
	}
	return networkArgs{NetworkArgs: a, layout: layout}, nil
}

// defaultEIPQuota is the Elastic IPs a region allows by default (facts.md, "Elastic IP addresses per
// Region (default quota)", medium confidence).
const defaultEIPQuota = 5

// logRetentionDays are the retention periods CloudWatch Logs accepts.
var logRetentionDays = []int{1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653}

// build creates the Network's children.
func (n *Network) build(ctx *pulumi.Context, name string, a networkArgs, place Placement, bastionAMI string) error {
	parent := pulumi.Parent(n)
	tags := func(child string) pulumi.StringMap { return tagsFor(a.Tags, child) }

	vpcName := ChildName(name, "vpc")
	vpc, err := ec2.NewVpc(ctx, vpcName, &ec2.VpcArgs{
		CidrBlock:          pulumi.String(a.layout.VPC.String()),
		EnableDnsHostnames: pulumi.Bool(true),
		EnableDnsSupport:   pulumi.Bool(true),
		Tags:               tags(vpcName),
	}, parent)
	if err != nil {
		return err
	}
	n.VPC, n.VPCID, n.CIDR = vpc, vpc.ID(), vpc.CidrBlock
	n.AvailabilityZones = pulumi.ToStringArray(place.Zones).ToStringArrayOutput()

	// The default security group allows all traffic between its members; strip its rules so that
	// nothing can use it by accident.
	sgName := ChildName(name, "default-sg")
	if _, err := ec2.NewDefaultSecurityGroup(ctx, sgName, &ec2.DefaultSecurityGroupArgs{
		VpcId: vpc.ID(),
		Tags:  tags(sgName),
	}, parent); err != nil {
		return err
	}

	igwName := ChildName(name, "igw")
	igw, err := ec2.NewInternetGateway(ctx, igwName, &ec2.InternetGatewayArgs{
		VpcId: vpc.ID(),
		Tags:  tags(igwName),
	}, parent)
	if err != nil {
		return err
	}

	if err := n.buildSubnets(ctx, name, a, place, tags); err != nil {
		return err
	}
	routeTables, err := n.buildRoutes(ctx, name, a, igw, tags)
	if err != nil {
		return err
	}
	if err := n.buildGatewayEndpoints(ctx, name, place.Region, routeTables, tags); err != nil {
		return err
	}
	if !a.DisableFlowLogs {
		if err := n.buildFlowLogs(ctx, name, a, place, tags); err != nil {
			return err
		}
	}
	if len(a.BastionAllowedCIDRs) > 0 {
		b, err := newBastion(ctx, name, n, bastionAMI, a.BastionAllowedCIDRs, a.Tags)
		if err != nil {
			return err
		}
		n.Bastion = b
	}
	return nil
}

// buildSubnets creates one subnet of each role in each zone, at the zone's fixed slot.
func (n *Network) buildSubnets(ctx *pulumi.Context, name string, a networkArgs, place Placement, tags func(string) pulumi.StringMap) error {
	ids := map[SubnetRole]pulumi.StringArray{}
	for az, zone := range place.Zones {
		for _, role := range SubnetRoles {
			cidr, err := a.layout.Subnet(role, az)
			if err != nil {
				return err
			}
			subnetName := AZChildName(name, string(role), az)
			t := tags(subnetName)
			t["tierstack:subnet-role"] = pulumi.String(role)
			if role == SubnetPublic {
				t["kubernetes.io/role/elb"] = pulumi.String("1")
			}
			if role == SubnetPrivate {
				t["kubernetes.io/role/internal-elb"] = pulumi.String("1")
			}
			subnet, err := ec2.NewSubnet(ctx, subnetName, &ec2.SubnetArgs{
				VpcId:            n.VPC.ID(),
				CidrBlock:        pulumi.String(cidr.String()),
				AvailabilityZone: pulumi.String(zone),
				// Nothing gets a public address by accident, not even in a public subnet: what needs one
				// (a NAT gateway, the web server, a bastion) asks for it.
				MapPublicIpOnLaunch: pulumi.Bool(false),
				Tags:                t,
			}, pulumi.Parent(n))
			if err != nil {
				return err
			}
			switch role {
			case SubnetPublic:
				n.PublicSubnets = append(n.PublicSubnets, subnet)
			case SubnetPrivate:
				n.PrivateSubnets = append(n.PrivateSubnets, subnet)
			case SubnetData:
				n.DataSubnets = append(n.DataSubnets, subnet)
			}
			ids[role] = append(ids[role], subnet.ID().ToStringOutput())
		}
	}
	n.PublicSubnetIDs = ids[SubnetPublic].ToStringArrayOutput()
	n.PrivateSubnetIDs = ids[SubnetPrivate].ToStringArrayOutput()
	n.DataSubnetIDs = ids[SubnetData].ToStringArrayOutput()
	return nil
}
