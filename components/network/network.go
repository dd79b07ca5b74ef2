package network

import (
	"fmt"
	"slices"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/tierstack/tierstack/internal/awsenv"
	"github.com/tierstack/tierstack/internal/naming"
)

// TypeToken is the Pulumi type token of the Network component.
const TypeToken = "tierstack:index:Network"

// Args are the inputs of a Network. The zero value is a working two-zone VPC with a NAT gateway per
// zone and flow logs on.
type Args struct {
	// CIDR is the VPC's IPv4 range; "" means 10.0.0.0/16. It must be /16 to /24 inside a private
	// range. A /16 to /22 holds six AZ slots, a /23 or /24 four (see SubnetLayout). Changing it
	// replaces the VPC and everything in it, so choose one with room to grow.
	CIDR string
	// AZCount is how many availability zones to span, 2 to 6; 0 means the length of
	// AvailabilityZones when those are given, else 2. Six zones with a NAT gateway each need six
	// Elastic IPs, one more than a region's default quota.
	AZCount int
	// AvailabilityZones names the zones to use, in AZ-slot order; the first AZCount are used. Empty
	// means the first AZCount zones the region lists, and the Network warns: a change in that list
	// would move the slots and replace subnets, so pin the zones of any stack that lives on.
	AvailabilityZones []string
	// NATStrategy decides how private subnets reach the internet; "" means NATPerAZ.
	NATStrategy NATStrategy
	// DisableFlowLogs turns off the VPC flow logs, which are on by default.
	DisableFlowLogs bool
	// FlowLogRetentionDays is how long flow logs are kept; 0 means 90. It must be a value CloudWatch
	// Logs accepts (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192,
	// 2557, 2922, 3288 or 3653).
	FlowLogRetentionDays int
	// FlowLogKeyARN is a KMS key that encrypts the flow log group; its policy must let the
	// region's CloudWatch Logs use it. nil means CloudWatch Logs' own encryption. (An ARN rather
	// than a key, so that the Network does not compile the KMS SDK.)
	FlowLogKeyARN pulumi.StringInput
	// BastionAllowedCIDRs are the IPv4 ranges allowed to reach an SSH bastion. Empty means no bastion:
	// instances are reached through SSM Session Manager. A public range must be /16 or narrower, a
	// private one /8 or narrower; 0.0.0.0/0 is never allowed.
	BastionAllowedCIDRs []string
	// S3EndpointExtraBuckets are S3 bucket names, beyond the account's own buckets and AWS's package
	// and agent repositories, that the VPC may reach through its S3 gateway endpoint. Empty means
	// none; "*" lifts the restriction (any bucket, as an endpoint without a policy allows).
	S3EndpointExtraBuckets []string
	// Tags are added to every resource the Network creates, beside a Name tag.
	Tags map[string]string
}

// DefaultCIDR is the VPC range of a Network whose Args.CIDR is "".
const DefaultCIDR = "10.0.0.0/16"

// Network is a VPC with public, private and data subnets in each zone, its gateways and routes.
type Network struct {
	pulumi.ResourceState

	// VPC is the VPC itself, the escape hatch for anything this component does not expose.
	VPC *ec2.Vpc
	// VPCID is the VPC's ID.
	VPCID pulumi.StringOutput `pulumi:"vpcId"`
	// CIDR is the VPC's IPv4 range.
	CIDR pulumi.StringOutput `pulumi:"cidrBlock"`
	// Layout is the subnet plan the Network was built from.
	Layout SubnetLayout
	// NATStrategy is the strategy the Network was built with.
	NATStrategy NATStrategy
	// Zones are the availability zone names; Zones[i] is AZ slot i.
	Zones []string
	// ZonesPinned is true when the zones came from Args.AvailabilityZones rather than the region's list.
	ZonesPinned bool
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
	// PublicSubnetCIDRs, PrivateSubnetCIDRs and DataSubnetCIDRs are the subnets' ranges, in AZ-slot
	// order: plain values, known before anything is deployed.
	PublicSubnetCIDRs, PrivateSubnetCIDRs, DataSubnetCIDRs []string

	// InternetGateway is the VPC's internet gateway.
	InternetGateway *ec2.InternetGateway
	// InternetGatewayID is the internet gateway's ID.
	InternetGatewayID pulumi.StringOutput `pulumi:"internetGatewayId"`
	// DefaultSecurityGroupID is the VPC's default security group, stripped of every rule.
	DefaultSecurityGroupID pulumi.StringOutput `pulumi:"defaultSecurityGroupId"`
	// NATGatewayIDs are the NAT gateways' IDs; empty with NATNone.
	NATGatewayIDs pulumi.StringArrayOutput `pulumi:"natGatewayIds"`
	// NATPublicIPs are the NAT gateways' public addresses, the ones the internet sees the private
	// subnets' traffic come from (for allow-lists elsewhere); empty with NATNone.
	NATPublicIPs pulumi.StringArrayOutput `pulumi:"natPublicIps"`
	// PublicRouteTableID is the route table of the public subnets.
	PublicRouteTableID pulumi.StringOutput `pulumi:"publicRouteTableId"`
	// PrivateRouteTableIDs are the private subnets' route tables, one per zone, in AZ-slot order.
	PrivateRouteTableIDs pulumi.StringArrayOutput `pulumi:"privateRouteTableIds"`
	// DataRouteTableID is the route table of the data subnets, which has no route to the internet.
	DataRouteTableID pulumi.StringOutput `pulumi:"dataRouteTableId"`
	// S3PrefixListID is the prefix list of S3 in the region, for security group egress rules to the
	// S3 gateway endpoint.
	S3PrefixListID pulumi.StringOutput `pulumi:"s3PrefixListId"`
	// DynamoDBPrefixListID is the prefix list of DynamoDB in the region.
	DynamoDBPrefixListID pulumi.StringOutput `pulumi:"dynamodbPrefixListId"`
	// InternetConnectivity are the routes that connect the subnets to the internet: the public
	// default route and each private default route. A resource that needs the internet as it starts
	// (an instance that installs packages) waits on them with pulumi.DependsOn.
	InternetConnectivity []pulumi.Resource

	// FlowLogGroup is the CloudWatch log group of the VPC flow logs; nil when they are disabled.
	FlowLogGroup *cloudwatch.LogGroup
	// Bastion is the SSH bastion; nil unless BastionAllowedCIDRs is set.
	Bastion *Bastion

	// existing is true for a Network made by Existing: a role without subnet ranges has no subnets.
	existing bool
	// publicReady are what an instance in the first public subnet waits on: the public default
	// route and that subnet's route table association.
	publicReady []pulumi.Resource
}

// longestRoleSuffix is the longest suffix the Network appends to its name for an auto-named IAM
// role; with Pulumi's random suffix it must fit AWS's limit, which bounds the component's name.
const longestRoleSuffix = "-flow-logs-role"

// New creates a Network. It checks args and its name, and looks up the region, account and zones
// through the provider its children will use, before it registers anything: a bad value or a zone
// count the region cannot serve fails with nothing created.
func New(ctx *pulumi.Context, name string, args *Args, opts ...pulumi.ResourceOption) (*Network, error) {
	if err := naming.CheckComponent("network", name, longestRoleSuffix); err != nil {
		return nil, err
	}
	a, err := args.checked()
	if err != nil {
		return nil, err
	}
	inv, err := awsenv.InvokeOptions(ctx, opts)
	if err != nil {
		return nil, fmt.Errorf("network %s: %w", name, err)
	}
	place, err := lookupPlacement(ctx, a.AvailabilityZones, a.AZCount, inv)
	if err != nil {
		return nil, fmt.Errorf("network: %w", err)
	}
	var bastionAMI string
	if len(a.BastionAllowedCIDRs) > 0 {
		if bastionAMI, err = lookupBastionAMI(ctx, inv); err != nil {
			return nil, fmt.Errorf("network: %w", err)
		}
	}

	n := &Network{
		Layout:      a.layout,
		NATStrategy: a.NATStrategy,
		Zones:       place.zones,
		ZonesPinned: len(a.AvailabilityZones) > 0,
	}
	if err := ctx.RegisterComponentResource(TypeToken, name, n, opts...); err != nil {
		return nil, fmt.Errorf("network %s: %w", name, err)
	}
	if err := n.build(ctx, name, a, place, bastionAMI); err != nil {
		return nil, fmt.Errorf("network %s: %w", name, err)
	}
	if err := n.warn(ctx, name, a); err != nil {
		return nil, fmt.Errorf("network %s: %w", name, err)
	}
	if err := ctx.RegisterResourceOutputs(n, pulumi.Map{
		"vpcId":                  n.VPCID,
		"cidrBlock":              n.CIDR,
		"availabilityZones":      n.AvailabilityZones,
		"publicSubnetIds":        n.PublicSubnetIDs,
		"privateSubnetIds":       n.PrivateSubnetIDs,
		"dataSubnetIds":          n.DataSubnetIDs,
		"publicSubnetCidrs":      pulumi.ToStringArray(n.PublicSubnetCIDRs),
		"privateSubnetCidrs":     pulumi.ToStringArray(n.PrivateSubnetCIDRs),
		"dataSubnetCidrs":        pulumi.ToStringArray(n.DataSubnetCIDRs),
		"internetGatewayId":      n.InternetGatewayID,
		"defaultSecurityGroupId": n.DefaultSecurityGroupID,
		"natGatewayIds":          n.NATGatewayIDs,
		"natPublicIps":           n.NATPublicIPs,
		"publicRouteTableId":     n.PublicRouteTableID,
		"privateRouteTableIds":   n.PrivateRouteTableIDs,
		"dataRouteTableId":       n.DataRouteTableID,
		"s3PrefixListId":         n.S3PrefixListID,
		"dynamodbPrefixListId":   n.DynamoDBPrefixListID,
	}); err != nil {
		return nil, fmt.Errorf("network %s: registering outputs: %w", name, err)
	}
	return n, nil
}

// warn logs, on the Network resource, what a user should act on before pulumi up: a NAT count over
// the default Elastic IP quota, and zones that are not pinned.
func (n *Network) warn(ctx *pulumi.Context, name string, a checkedArgs) error {
	if nats := a.NATStrategy.Gateways(a.AZCount); nats > defaultEIPQuota {
		msg := fmt.Sprintf("network %s: %d NAT gateways need %d Elastic IPs; the default quota is %d per region, so ask AWS for more before pulumi up",
			name, nats, nats, defaultEIPQuota)
		if err := ctx.Log.Warn(msg, &pulumi.LogArgs{Resource: n}); err != nil {
			return err
		}
	}
	if !n.ZonesPinned {
		msg := fmt.Sprintf("network %s: availabilityZones is not set, so the zones are the first %d the region lists today (%s); pin them (availabilityZones: [%s]) so that a change in that list never moves the AZ slots and replaces subnets",
			name, len(n.Zones), strings.Join(n.Zones, ", "), strings.Join(n.Zones, ", "))
		if err := ctx.Log.Warn(msg, &pulumi.LogArgs{Resource: n}); err != nil {
			return err
		}
	}
	return nil
}

// Validate checks the arguments as New does before it looks anything up, so that a caller composing
// several components can refuse bad input before any of them registers a resource.
func (args *Args) Validate() error {
	_, err := args.checked()
	return err
}

// checkedArgs are Args with defaults applied and the layout planned.
type checkedArgs struct {
	Args
	layout SubnetLayout
}

// checked applies the defaults to a copy of args and validates it.
func (args *Args) checked() (checkedArgs, error) {
	var a Args
	if args != nil {
		a = *args
	}
	a.AvailabilityZones = slices.Clone(a.AvailabilityZones)
	if a.CIDR == "" {
		a.CIDR = DefaultCIDR
	}
	if a.AZCount == 0 {
		a.AZCount = max(len(a.AvailabilityZones), MinAZs)
	}
	if a.NATStrategy == "" {
		a.NATStrategy = NATPerAZ
	}
	if a.FlowLogRetentionDays == 0 {
		a.FlowLogRetentionDays = 90
	}

	layout, err := NewSubnetLayout(a.CIDR)
	if err != nil {
		return checkedArgs{}, fmt.Errorf("network: %w", err)
	}
	if a.AZCount < MinAZs || a.AZCount > MaxAZs {
		return checkedArgs{}, fmt.Errorf("network: azCount %d is out of range (allowed: %d to %d; a DB subnet group needs two zones)",
			a.AZCount, MinAZs, MaxAZs)
	}
	if a.AZCount > layout.MaxAZs {
		return checkedArgs{}, fmt.Errorf("network: azCount %d does not fit cidr %s, which holds %d AZ slots (allowed: up to %d, or a /22 or larger VPC for 6)",
			a.AZCount, a.CIDR, layout.MaxAZs, layout.MaxAZs)
	}
	if err := layout.Check(a.AZCount); err != nil {
		return checkedArgs{}, fmt.Errorf("network: cidr %s: %w", a.CIDR, err)
	}
	if len(a.AvailabilityZones) > 0 && a.AZCount > len(a.AvailabilityZones) {
		return checkedArgs{}, fmt.Errorf("network: azCount %d is more than the %d availabilityZones given (allowed: up to %d, or list more zones)",
			a.AZCount, len(a.AvailabilityZones), len(a.AvailabilityZones))
	}
	if err := checkZoneList(a.AvailabilityZones); err != nil {
		return checkedArgs{}, fmt.Errorf("network: %w", err)
	}
	if !slices.Contains(NATStrategies(), a.NATStrategy) {
		return checkedArgs{}, fmt.Errorf("network: natStrategy %q is not known (allowed: none, single, perAz)", a.NATStrategy)
	}
	if !slices.Contains(logRetentionDays, a.FlowLogRetentionDays) {
		return checkedArgs{}, fmt.Errorf("network: flowLogRetentionDays %d is not a CloudWatch Logs retention (allowed: %v)",
			a.FlowLogRetentionDays, logRetentionDays)
	}
	if err := validateBastionCIDRs(a.BastionAllowedCIDRs); err != nil {
		return checkedArgs{}, fmt.Errorf("network: %w", err)
	}
	if err := validateBucketNames(a.S3EndpointExtraBuckets); err != nil {
		return checkedArgs{}, fmt.Errorf("network: %w", err)
	}
	return checkedArgs{Args: a, layout: layout}, nil
}

// defaultEIPQuota is the Elastic IPs a region allows by default (facts.md, "Elastic IP addresses per
// Region (default quota)", medium confidence).
const defaultEIPQuota = 5

// logRetentionDays are the retention periods CloudWatch Logs accepts.
var logRetentionDays = []int{1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653}

// build creates the Network's children.
func (n *Network) build(ctx *pulumi.Context, name string, a checkedArgs, place placement, bastionAMI string) error {
	parent := pulumi.Parent(n)
	tags := func(child string) pulumi.StringMap { return naming.Tags(a.Tags, child) }

	vpcName := naming.Child(name, "vpc")
	vpc, err := ec2.NewVpc(ctx, vpcName, &ec2.VpcArgs{
		CidrBlock:          pulumi.String(a.layout.VPC.String()),
		EnableDnsHostnames: pulumi.Bool(true),
		EnableDnsSupport:   pulumi.Bool(true),
		Tags:               tags(vpcName),
	}, parent)
	if err != nil {
		return err
	}
	n.VPC, n.VPCID, n.CIDR = vpc, vpc.ID().ToStringOutput(), vpc.CidrBlock
	n.AvailabilityZones = pulumi.ToStringArray(place.zones).ToStringArrayOutput()

	// The default security group allows all traffic between its members; strip its rules so that
	// nothing can use it by accident.
	sgName := naming.Child(name, "default-sg")
	defaultSG, err := ec2.NewDefaultSecurityGroup(ctx, sgName, &ec2.DefaultSecurityGroupArgs{
		VpcId: vpc.ID(),
		Tags:  tags(sgName),
	}, parent)
	if err != nil {
		return err
	}
	n.DefaultSecurityGroupID = defaultSG.ID().ToStringOutput()

	igwName := naming.Child(name, "igw")
	igw, err := ec2.NewInternetGateway(ctx, igwName, &ec2.InternetGatewayArgs{
		VpcId: vpc.ID(),
		Tags:  tags(igwName),
	}, parent,
		// Moving the gateway to a replacement VPC in place means detaching it from the old VPC, which
		// AWS refuses while that VPC still maps public addresses (its NAT gateways, its bastion): a new
		// gateway for the new VPC, the old one deleted last, once nothing uses it.
		pulumi.ReplaceOnChanges([]string{"vpcId"}))
	if err != nil {
		return err
	}
	n.InternetGateway, n.InternetGatewayID = igw, igw.ID().ToStringOutput()

	if err := n.buildSubnets(ctx, name, a, place, tags); err != nil {
		return err
	}
	routes, err := n.buildRoutes(ctx, name, a, igw, tags)
	if err != nil {
		return err
	}
	n.publicReady = routes.publicReady
	if err := n.buildGatewayEndpoints(ctx, name, a, place.env, routes.tables, tags); err != nil {
		return err
	}
	if !a.DisableFlowLogs {
		if err := n.buildFlowLogs(ctx, name, a, place.env, tags); err != nil {
			return err
		}
	}
	if len(a.BastionAllowedCIDRs) > 0 {
		b, err := newBastion(ctx, naming.Child(name, "bastion"), &BastionArgs{
			Network:      n,
			AllowedCIDRs: a.BastionAllowedCIDRs,
			Tags:         a.Tags,
		}, bastionAMI, place.env, n.publicReady, parent)
		if err != nil {
			return err
		}
		n.Bastion = b
	}
	return nil
}

// buildSubnets creates one subnet of each role in each zone, at the zone's fixed slot.
func (n *Network) buildSubnets(ctx *pulumi.Context, name string, a checkedArgs, place placement, tags func(string) pulumi.StringMap) error {
	ids := map[SubnetRole]pulumi.StringArray{}
	for az, zone := range place.zones {
		for _, role := range SubnetRoles() {
			cidr, err := a.layout.Subnet(role, az)
			if err != nil {
				return err
			}
			subnetName := naming.AZChild(name, string(role), az)
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
			}, pulumi.Parent(n),
				// A replacement subnet asks for the range its original still holds, which AWS refuses
				// (InvalidSubnet.Conflict): the original must go first.
				pulumi.DeleteBeforeReplace(true))
			if err != nil {
				return err
			}
			switch role {
			case SubnetPublic:
				n.PublicSubnets = append(n.PublicSubnets, subnet)
				n.PublicSubnetCIDRs = append(n.PublicSubnetCIDRs, cidr.String())
			case SubnetPrivate:
				n.PrivateSubnets = append(n.PrivateSubnets, subnet)
				n.PrivateSubnetCIDRs = append(n.PrivateSubnetCIDRs, cidr.String())
			case SubnetData:
				n.DataSubnets = append(n.DataSubnets, subnet)
				n.DataSubnetCIDRs = append(n.DataSubnetCIDRs, cidr.String())
			}
			ids[role] = append(ids[role], subnet.ID().ToStringOutput())
		}
	}
	n.PublicSubnetIDs = ids[SubnetPublic].ToStringArrayOutput()
	n.PrivateSubnetIDs = ids[SubnetPrivate].ToStringArrayOutput()
	n.DataSubnetIDs = ids[SubnetData].ToStringArrayOutput()
	return nil
}
