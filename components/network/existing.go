package network

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/tierstack/tierstack/internal/awsenv"
	"github.com/tierstack/tierstack/internal/naming"
)

// ExistingTypeToken is the Pulumi type token of the component Existing registers: a Network over a
// VPC that another stack (or a person) built, which creates nothing.
const ExistingTypeToken = "tierstack:index:ExistingNetwork"

// ExistingArgs name a VPC built elsewhere and its subnets, the way terraform-aws-modules' database
// and cache modules and awsx take them: by ID. Give only the roles the components need: a DataTier
// and a CacheTier need DataSubnetIDs only; a WebTier needs PublicSubnetIDs (its load balancer or
// instance) and PrivateSubnetIDs (its app, except in instance mode). IDs are plain strings, known
// before anything is registered; from another stack, read them with
// pulumi.StackReference.GetOutputDetails.
type ExistingArgs struct {
	// VPCID is the VPC's ID, such as vpc-0abc1234def567890. Required.
	VPCID string
	// PublicSubnetIDs are subnets with a route to an internet gateway, one per zone, in the order
	// of the zones. Empty means none.
	PublicSubnetIDs []string
	// PrivateSubnetIDs are subnets that reach the internet through NAT, one per zone, in the order
	// of the zones. Empty means none.
	PrivateSubnetIDs []string
	// DataSubnetIDs are the subnets the database and the cache go in (they need no route to the
	// internet), one per zone, in the order of the zones. Empty means none.
	DataSubnetIDs []string
	// AvailabilityZones are the zones in AZ-slot order, such as [eu-west-1a, eu-west-1b]; each list
	// of subnets follows it, and each subnet must be in its zone. Empty means the zones of the
	// subnets themselves, in the order of the first list given (data, private, public).
	AvailabilityZones []string
}

var (
	vpcIDPattern    = regexp.MustCompile(`^vpc-[0-9a-f]{8,17}$`)
	subnetIDPattern = regexp.MustCompile(`^subnet-[0-9a-f]{8,17}$`)
)

// Existing returns a Network over a VPC built elsewhere, for components to be placed in: the same
// *Network that New returns, with VPCID, Zones (ZonesPinned), AvailabilityZones, CIDR, the subnet IDs
// of the roles given and their ranges filled in, and nothing created. The VPC, the subnets' VPCs and
// zones are looked up through the provider opts give (the one the components will use), before it
// registers its component: a subnet of another VPC, a subnet outside its zone, two subnets of a
// role in one zone or lists that do not match the zones fail with nothing registered. Whether a
// component gets the zones it needs (two for a DataTier) is checked by the component (CheckFor).
//
// What Existing cannot check without reading route tables, it trusts: that public subnets route to
// an internet gateway and private ones to a NAT gateway. The fields of resources it did not create
// (VPC, InternetGateway, FlowLogGroup) stay nil, and their IDs (the gateway's, the route tables,
// the NAT gateways', the prefix lists') are empty, as are the subnet IDs of a role not given.
func Existing(ctx *pulumi.Context, name string, args *ExistingArgs, opts ...pulumi.ResourceOption) (*Network, error) {
	if err := naming.CheckComponent("network", name, ""); err != nil {
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
	vpcID := a.VPCID
	vpc, err := ec2.LookupVpc(ctx, &ec2.LookupVpcArgs{Id: &vpcID}, inv...)
	if err != nil {
		return nil, fmt.Errorf("network %s: looking up vpcId %s: %w", name, a.VPCID, err)
	}
	found := map[SubnetRole][]ec2.LookupSubnetResult{}
	for _, role := range existingRoleOrder {
		for i, id := range a.ids(role) {
			id := id
			s, err := ec2.LookupSubnet(ctx, &ec2.LookupSubnetArgs{Id: &id}, inv...)
			if err != nil {
				return nil, fmt.Errorf("network %s: looking up %sSubnetIds[%d] %s: %w", name, role, i, id, err)
			}
			found[role] = append(found[role], *s)
		}
	}
	zones, err := a.place(found)
	if err != nil {
		return nil, fmt.Errorf("network %s: %w", name, err)
	}

	n := &Network{Zones: zones, ZonesPinned: true, existing: true}
	if err := ctx.RegisterComponentResource(ExistingTypeToken, name, n, opts...); err != nil {
		return nil, fmt.Errorf("network %s: %w", name, err)
	}
	// What the VPC's own stack built is not known here: empty, so that reading it never waits.
	empty, none := pulumi.String("").ToStringOutput(), pulumi.StringArray{}.ToStringArrayOutput()
	n.InternetGatewayID, n.DefaultSecurityGroupID, n.PublicRouteTableID, n.DataRouteTableID = empty, empty, empty, empty
	n.S3PrefixListID, n.DynamoDBPrefixListID = empty, empty
	n.NATGatewayIDs, n.NATPublicIPs, n.PrivateRouteTableIDs = none, none, none
	n.PublicSubnetIDs, n.PrivateSubnetIDs, n.DataSubnetIDs = none, none, none
	n.VPCID = pulumi.String(a.VPCID).ToStringOutput()
	n.CIDR = pulumi.String(vpc.CidrBlock).ToStringOutput()
	n.AvailabilityZones = pulumi.ToStringArray(zones).ToStringArrayOutput()
	outputs := pulumi.Map{"vpcId": n.VPCID, "cidrBlock": n.CIDR, "availabilityZones": n.AvailabilityZones}
	for _, role := range existingRoleOrder {
		ids := a.ids(role)
		if len(ids) == 0 {
			continue
		}
		out := pulumi.ToStringArray(ids).ToStringArrayOutput()
		var cidrs []string
		for _, s := range found[role] {
			cidrs = append(cidrs, s.CidrBlock)
		}
		switch role {
		case SubnetPublic:
			n.PublicSubnetIDs, n.PublicSubnetCIDRs = out, cidrs
		case SubnetPrivate:
			n.PrivateSubnetIDs, n.PrivateSubnetCIDRs = out, cidrs
		case SubnetData:
			n.DataSubnetIDs, n.DataSubnetCIDRs = out, cidrs
		}
		outputs[string(role)+"SubnetIds"] = out
		outputs[string(role)+"SubnetCidrs"] = pulumi.ToStringArray(cidrs)
	}
	if !vpc.EnableDnsSupport || !vpc.EnableDnsHostnames {
		msg := fmt.Sprintf("network %s: vpc %s has enableDnsSupport %t and enableDnsHostnames %t; EKS and the database's and cache's endpoint names need both on",
			name, a.VPCID, vpc.EnableDnsSupport, vpc.EnableDnsHostnames)
		if err := ctx.Log.Warn(msg, &pulumi.LogArgs{Resource: n}); err != nil {
			return nil, fmt.Errorf("network %s: %w", name, err)
		}
	}
	if err := ctx.RegisterResourceOutputs(n, outputs); err != nil {
		return nil, fmt.Errorf("network %s: registering outputs: %w", name, err)
	}
	return n, nil
}

// existingRoleOrder is the order in which Existing reads the roles: the first list given decides
// the zones when AvailabilityZones is empty.
var existingRoleOrder = []SubnetRole{SubnetData, SubnetPrivate, SubnetPublic}

// ids are the subnet IDs given for a role.
func (a *ExistingArgs) ids(role SubnetRole) []string {
	switch role {
	case SubnetPublic:
		return a.PublicSubnetIDs
	case SubnetPrivate:
		return a.PrivateSubnetIDs
	case SubnetData:
		return a.DataSubnetIDs
	}
	return nil
}

// Validate checks the arguments as Existing does before it looks anything up.
func (args *ExistingArgs) Validate() error {
	_, err := args.checked()
	return err
}

// checked validates a copy of args: the IDs' shapes, each subnet given once, the zones' names, and
// lists as long as the zones (or as each other).
func (args *ExistingArgs) checked() (ExistingArgs, error) {
	if args == nil {
		return ExistingArgs{}, fmt.Errorf("network: existing args are required (allowed: a vpcId and the subnet IDs of the roles the components need)")
	}
	a := ExistingArgs{
		VPCID:             args.VPCID,
		PublicSubnetIDs:   slices.Clone(args.PublicSubnetIDs),
		PrivateSubnetIDs:  slices.Clone(args.PrivateSubnetIDs),
		DataSubnetIDs:     slices.Clone(args.DataSubnetIDs),
		AvailabilityZones: slices.Clone(args.AvailabilityZones),
	}
	if !vpcIDPattern.MatchString(a.VPCID) {
		return a, fmt.Errorf("network: vpcId %q is not a VPC ID (allowed: vpc- and 8 or 17 hex digits, such as vpc-0abc1234def567890)", a.VPCID)
	}
	if err := checkZoneList(a.AvailabilityZones); err != nil {
		return a, fmt.Errorf("network: %w", err)
	}
	seen := map[string]string{}
	count, first := -1, ""
	for _, role := range existingRoleOrder {
		ids := a.ids(role)
		for i, id := range ids {
			field := fmt.Sprintf("%sSubnetIds[%d]", role, i)
			if !subnetIDPattern.MatchString(id) {
				return a, fmt.Errorf("network: %s %q is not a subnet ID (allowed: subnet- and 8 or 17 hex digits, such as subnet-0abc1234def567890)", field, id)
			}
			if other, dup := seen[id]; dup {
				return a, fmt.Errorf("network: %s %s is also %s (allowed: each subnet in one role, once)", field, id, other)
			}
			seen[id] = field
		}
		if len(ids) == 0 {
			continue
		}
		switch {
		case len(a.AvailabilityZones) > 0 && len(ids) != len(a.AvailabilityZones):
			return a, fmt.Errorf("network: %sSubnetIds has %d subnet(s) for the %d availabilityZones %v (allowed: one subnet per zone, in that order)",
				role, len(ids), len(a.AvailabilityZones), a.AvailabilityZones)
		case count >= 0 && len(ids) != count:
			return a, fmt.Errorf("network: %sSubnetIds has %d subnet(s) and %sSubnetIds %d (allowed: one subnet per zone in each role, so lists of one length)",
				role, len(ids), first, count)
		case count < 0:
			count, first = len(ids), string(role)
		}
	}
	if count < 0 {
		return a, fmt.Errorf("network: no subnet IDs are given for vpcId %s (allowed: dataSubnetIds for a DataTier or a CacheTier, publicSubnetIds and privateSubnetIds for a WebTier)", a.VPCID)
	}
	return a, nil
}

// place checks what the lookups found against the arguments and returns the zones, in AZ-slot
// order: every subnet in the VPC, in its slot's zone, one per zone in each role.
func (a *ExistingArgs) place(found map[SubnetRole][]ec2.LookupSubnetResult) ([]string, error) {
	zones := a.AvailabilityZones
	for _, role := range existingRoleOrder {
		for i, s := range found[role] {
			field := fmt.Sprintf("%sSubnetIds[%d] %s", role, i, a.ids(role)[i])
			if s.VpcId != a.VPCID {
				return nil, fmt.Errorf("%s is in %s, not in vpcId %s (allowed: subnets of vpcId)", field, s.VpcId, a.VPCID)
			}
			if len(a.AvailabilityZones) > 0 && s.AvailabilityZone != a.AvailabilityZones[i] {
				return nil, fmt.Errorf("%s is in zone %s, but availabilityZones[%d] is %s (allowed: one subnet per zone, in the order of availabilityZones)",
					field, s.AvailabilityZone, i, a.AvailabilityZones[i])
			}
		}
		if len(found[role]) == 0 {
			continue
		}
		got := make([]string, len(found[role]))
		for i, s := range found[role] {
			if j := slices.Index(got[:i], s.AvailabilityZone); j >= 0 {
				return nil, fmt.Errorf("%sSubnetIds[%d] and [%d] are both in zone %s (allowed: one subnet per zone in each role)", role, j, i, s.AvailabilityZone)
			}
			got[i] = s.AvailabilityZone
		}
		if zones == nil {
			zones = got
			continue
		}
		if !slices.Equal(got, zones) {
			return nil, fmt.Errorf("%sSubnetIds are in zones %s, not in the zones of the other subnets, %s (allowed: one subnet per zone in each role, in one zone order)",
				role, strings.Join(got, ", "), strings.Join(zones, ", "))
		}
	}
	return slices.Clone(zones), nil
}
