package network

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// CheckFor reports whether the Network can hold a component that needs minZones zones and subnets
// of the given roles, before that component registers anything: a Network from New or Existing
// passes whenever it spans enough zones and has subnets of those roles; a hand-filled one must set
// VPCID, Zones (plain zone names, in AZ-slot order) and the subnet IDs of those roles, one per zone.
// Errors name the component, the field, what it holds and what is allowed; a nil Network is refused
// the same way. Components call it first, so that nothing missing reaches a division or an index.
func (n *Network) CheckFor(component string, minZones int, roles ...SubnetRole) error {
	allowed := "a *network.Network from network.New, or network.Existing for a VPC built elsewhere"
	if n == nil {
		return fmt.Errorf("%s: network is required (allowed: %s)", component, allowed)
	}
	if n.VPCID.OutputState == nil {
		return fmt.Errorf("%s: network vpcId is not set (allowed: %s)", component, allowed)
	}
	if len(n.Zones) < minZones {
		return fmt.Errorf("%s: network has %d zone(s) %v (allowed: %d or more, in Network.Zones: %s needs subnets in %d zones)",
			component, len(n.Zones), n.Zones, minZones, component, minZones)
	}
	seen := map[string]bool{}
	for _, z := range n.Zones {
		if !zoneNamePattern.MatchString(z) {
			return fmt.Errorf("%s: network zone %q is not a zone name (allowed: names such as us-east-1a, in AZ-slot order)", component, z)
		}
		if seen[z] {
			return fmt.Errorf("%s: network zone %q is listed twice (allowed: each zone once)", component, z)
		}
		seen[z] = true
	}
	for _, role := range roles {
		set, count := n.roleSubnets(role)
		if !set {
			return fmt.Errorf("%s: network %sSubnetIds is not set (allowed: %s, with %s subnets)", component, role, allowed, role)
		}
		if count >= 0 && count != len(n.Zones) {
			return fmt.Errorf("%s: network has %d %s subnet(s) for %d zone(s) (allowed: one %s subnet per zone, in the order of Network.Zones)",
				component, count, role, len(n.Zones), role)
		}
	}
	return nil
}

// roleSubnets reports whether a role's subnet IDs are set and how many subnets the role holds when
// that is known as a plain value (from the subnets New created or the ranges Existing looked up),
// else -1.
func (n *Network) roleSubnets(role SubnetRole) (set bool, count int) {
	var ids pulumi.StringArrayOutput
	var subnets []*ec2.Subnet
	var cidrs []string
	switch role {
	case SubnetPublic:
		ids, subnets, cidrs = n.PublicSubnetIDs, n.PublicSubnets, n.PublicSubnetCIDRs
	case SubnetPrivate:
		ids, subnets, cidrs = n.PrivateSubnetIDs, n.PrivateSubnets, n.PrivateSubnetCIDRs
	case SubnetData:
		ids, subnets, cidrs = n.DataSubnetIDs, n.DataSubnets, n.DataSubnetCIDRs
	default:
		return false, 0
	}
	switch {
	case ids.OutputState == nil, n.existing && len(cidrs) == 0:
		return false, 0
	case len(subnets) > 0:
		return true, len(subnets)
	case len(cidrs) > 0:
		return true, len(cidrs)
	}
	return true, -1
}

// SubnetID is the ID of the subnet of a role in AZ slot az: the subnet New created itself (so that a
// resource depends on that subnet alone), else that element of the role's subnet IDs. Call CheckFor
// first: az must be below len(Zones).
func (n *Network) SubnetID(role SubnetRole, az int) pulumi.StringOutput {
	var ids pulumi.StringArrayOutput
	var subnets []*ec2.Subnet
	switch role {
	case SubnetPublic:
		ids, subnets = n.PublicSubnetIDs, n.PublicSubnets
	case SubnetPrivate:
		ids, subnets = n.PrivateSubnetIDs, n.PrivateSubnets
	default:
		ids, subnets = n.DataSubnetIDs, n.DataSubnets
	}
	if az < len(subnets) {
		return subnets[az].ID().ToStringOutput()
	}
	return ids.Index(pulumi.Int(az))
}
