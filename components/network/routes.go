package network

import (
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/tierstack/tierstack/internal/naming"
)

// builtRoutes is what buildRoutes hands on: every route table with its role, and the resources a
// public instance waits on before it starts (the default route and the public subnets' association).
type builtRoutes struct {
	tables      []routeTable
	publicReady []pulumi.Resource
}

// buildRoutes creates the route tables, their routes and subnet associations, and the NAT gateways.
// Every route is a resource of its own, never an inline block, so that adding a zone or a NAT gateway
// adds routes without touching the ones that exist.
func (n *Network) buildRoutes(ctx *pulumi.Context, name string, a checkedArgs, igw *ec2.InternetGateway, tags func(string) pulumi.StringMap) (builtRoutes, error) {
	parent := pulumi.Parent(n)
	var out builtRoutes
	newTable := func(tableName string) (*ec2.RouteTable, error) {
		return ec2.NewRouteTable(ctx, tableName, &ec2.RouteTableArgs{VpcId: n.VPC.ID(), Tags: tags(tableName)}, parent)
	}
	associate := func(assocName string, table *ec2.RouteTable, subnet *ec2.Subnet) (*ec2.RouteTableAssociation, error) {
		return ec2.NewRouteTableAssociation(ctx, assocName, &ec2.RouteTableAssociationArgs{
			RouteTableId: table.ID(),
			SubnetId:     subnet.ID(),
		}, parent)
	}

	// Public: one table for every zone, its default route to the internet gateway.
	public, err := newTable(naming.Child(name, "public-rt"))
	if err != nil {
		return out, err
	}
	publicDefault, err := ec2.NewRoute(ctx, naming.Child(name, "public-default"), &ec2.RouteArgs{
		RouteTableId:         public.ID(),
		DestinationCidrBlock: pulumi.String("0.0.0.0/0"),
		GatewayId:            igw.ID(),
	}, parent)
	if err != nil {
		return out, err
	}
	n.InternetConnectivity = append(n.InternetConnectivity, publicDefault)
	out.publicReady = append(out.publicReady, publicDefault)
	for az, subnet := range n.PublicSubnets {
		assoc, err := associate(naming.AZChild(name, "public-rta", az), public, subnet)
		if err != nil {
			return out, err
		}
		if az == 0 {
			out.publicReady = append(out.publicReady, assoc)
		}
	}
	n.PublicRouteTableID = public.ID().ToStringOutput()

	natIDs, err := n.buildNATGateways(ctx, name, a.NATStrategy.Gateways(len(n.Zones)), igw, tags)
	if err != nil {
		return out, err
	}

	// Private: one table per zone, so that each zone can route through its own NAT gateway.
	out.tables = []routeTable{{"public-rt", public}}
	var privateIDs pulumi.StringArray
	for az, subnet := range n.PrivateSubnets {
		role := naming.AZChild("private", "rt", az)
		table, err := newTable(naming.Child(name, role))
		if err != nil {
			return out, err
		}
		if nat, ok := a.NATStrategy.GatewayFor(az); ok {
			route, err := ec2.NewRoute(ctx, naming.AZChild(name, "private-default", az), &ec2.RouteArgs{
				RouteTableId:         table.ID(),
				DestinationCidrBlock: pulumi.String("0.0.0.0/0"),
				NatGatewayId:         natIDs[nat],
			}, parent)
			if err != nil {
				return out, err
			}
			n.InternetConnectivity = append(n.InternetConnectivity, route)
		}
		if _, err := associate(naming.AZChild(name, "private-rta", az), table, subnet); err != nil {
			return out, err
		}
		out.tables = append(out.tables, routeTable{role, table})
		privateIDs = append(privateIDs, table.ID().ToStringOutput())
	}
	n.PrivateRouteTableIDs = privateIDs.ToStringArrayOutput()

	// Data: one table for every zone, with no route out of the VPC but the gateway endpoints.
	data, err := newTable(naming.Child(name, "data-rt"))
	if err != nil {
		return out, err
	}
	for az, subnet := range n.DataSubnets {
		if _, err := associate(naming.AZChild(name, "data-rta", az), data, subnet); err != nil {
			return out, err
		}
	}
	n.DataRouteTableID = data.ID().ToStringOutput()
	out.tables = append(out.tables, routeTable{"data-rt", data})
	return out, nil
}

// routeTable is a route table with its role in child names ("public-rt", "private-rt-0", "data-rt").
type routeTable struct {
	role  string
	table *ec2.RouteTable
}

// buildNATGateways creates count NAT gateways, gateway i in the public subnet of zone i, each with
// its own Elastic IP. It returns their IDs.
func (n *Network) buildNATGateways(ctx *pulumi.Context, name string, count int, igw *ec2.InternetGateway, tags func(string) pulumi.StringMap) ([]pulumi.StringInput, error) {
	ids := make([]pulumi.StringInput, 0, count)
	var all, ips pulumi.StringArray
	for az := 0; az < count; az++ {
		eipName := naming.AZChild(name, "nat-eip", az)
		eip, err := ec2.NewEip(ctx, eipName, &ec2.EipArgs{
			Domain: pulumi.String("vpc"),
			Tags:   tags(eipName),
		}, pulumi.Parent(n))
		if err != nil {
			return nil, err
		}
		natName := naming.AZChild(name, "nat", az)
		nat, err := ec2.NewNatGateway(ctx, natName, &ec2.NatGatewayArgs{
			AllocationId: eip.AllocationId,
			SubnetId:     n.PublicSubnets[az].ID(),
			Tags:         tags(natName),
		}, pulumi.Parent(n), pulumi.DependsOn([]pulumi.Resource{igw}),
			// A replacement gateway asks for the Elastic IP its original still holds, which AWS
			// refuses: the original must go first and free it.
			pulumi.DeleteBeforeReplace(true))
		if err != nil {
			return nil, err
		}
		id := nat.ID().ToStringOutput()
		ids = append(ids, id)
		all = append(all, id)
		ips = append(ips, eip.PublicIp)
	}
	n.NATGatewayIDs = all.ToStringArrayOutput()
	n.NATPublicIPs = ips.ToStringArrayOutput()
	return ids, nil
}
