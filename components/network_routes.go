package components

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// buildRoutes creates the route tables, their routes and subnet associations, and the NAT gateways.
// Every route is a resource of its own, never an inline block, so that adding a zone or a NAT gateway
// adds routes without touching the ones that exist. It returns every route table with its role.
func (n *Network) buildRoutes(ctx *pulumi.Context, name string, a networkArgs, igw *ec2.InternetGateway, tags func(string) pulumi.StringMap) ([]routeTable, error) {
	parent := pulumi.Parent(n)
	newTable := func(tableName string) (*ec2.RouteTable, error) {
		return ec2.NewRouteTable(ctx, tableName, &ec2.RouteTableArgs{VpcId: n.VPC.ID(), Tags: tags(tableName)}, parent)
	}
	associate := func(assocName string, table *ec2.RouteTable, subnet *ec2.Subnet) error {
		_, err := ec2.NewRouteTableAssociation(ctx, assocName, &ec2.RouteTableAssociationArgs{
			RouteTableId: table.ID(),
			SubnetId:     subnet.ID(),
		}, parent)
		return err
	}

	// Public: one table for every zone, its default route to the internet gateway.
	public, err := newTable(ChildName(name, "public-rt"))
	if err != nil {
		return nil, err
	}
	if _, err := ec2.NewRoute(ctx, ChildName(name, "public-default"), &ec2.RouteArgs{
		RouteTableId:         public.ID(),
		DestinationCidrBlock: pulumi.String("0.0.0.0/0"),
		GatewayId:            igw.ID(),
	}, parent); err != nil {
		return nil, err
	}
	for az, subnet := range n.PublicSubnets {
		if err := associate(AZChildName(name, "public-rta", az), public, subnet); err != nil {
			return nil, err
		}
	}
	n.PublicRouteTableID = public.ID()

	natIDs, err := n.buildNatGateways(ctx, name, a.NatStrategy.Gateways(len(n.Zones)), igw, tags)
	if err != nil {
		return nil, err
	}

	// Private: one table per zone, so that each zone can route through its own NAT gateway.
	tables := []routeTable{{"public-rt", public}}
	var privateIDs pulumi.StringArray
	for az, subnet := range n.PrivateSubnets {
		role := AZChildName("private", "rt", az)
		table, err := newTable(ChildName(name, role))
		if err != nil {
			return nil, err
		}
		if nat, ok := a.NatStrategy.GatewayFor(az); ok {
			if _, err := ec2.NewRoute(ctx, AZChildName(name, "private-default", az), &ec2.RouteArgs{
				RouteTableId:         table.ID(),
				DestinationCidrBlock: pulumi.String("0.0.0.0/0"),
				NatGatewayId:         natIDs[nat],
			}, parent); err != nil {
				return nil, err
			}
		}
		if err := associate(AZChildName(name, "private-rta", az), table, subnet); err != nil {
			return nil, err
		}
		tables = append(tables, routeTable{role, table})
		privateIDs = append(privateIDs, table.ID().ToStringOutput())
	}
	n.PrivateRouteTableIDs = privateIDs.ToStringArrayOutput()

	// Data: one table for every zone, with no route out of the VPC but the gateway endpoints.
	data, err := newTable(ChildName(name, "data-rt"))
	if err != nil {
		return nil, err
	}
	for az, subnet := range n.DataSubnets {
		if err := associate(AZChildName(name, "data-rta", az), data, subnet); err != nil {
			return nil, err
		}
	}
	n.DataRouteTableID = data.ID()
	return append(tables, routeTable{"data-rt", data}), nil
}

// routeTable is a route table with its role in child names ("public-rt", "private-rt-0", "data-rt").
type routeTable struct {
	role  string
	table *ec2.RouteTable
}

// buildNatGateways creates count NAT gateways, gateway i in the public subnet of zone i, each with
// its own Elastic IP. It returns their IDs.
func (n *Network) buildNatGateways(ctx *pulumi.Context, name string, count int, igw *ec2.InternetGateway, tags func(string) pulumi.StringMap) ([]pulumi.StringInput, error) {
	ids := make([]pulumi.StringInput, 0, count)
	var all pulumi.StringArray
	for az := 0; az < count; az++ {
		eipName := AZChildName(name, "nat-eip", az)
		eip, err := ec2.NewEip(ctx, eipName, &ec2.EipArgs{
			Domain: pulumi.String("vpc"),
			Tags:   tags(eipName),
		}, pulumi.Parent(n))
		if err != nil {
			return nil, err
		}
		natName := AZChildName(name, "nat", az)
		nat, err := ec2.NewNatGateway(ctx, natName, &ec2.NatGatewayArgs{
			AllocationId: eip.AllocationId,
			SubnetId:     n.PublicSubnets[az].ID(),
			Tags:         tags(natName),
		}, pulumi.Parent(n), pulumi.DependsOn([]pulumi.Resource{igw}))
		if err != nil {
			return nil, err
		}
		id := nat.ID().ToStringOutput()
		ids = append(ids, id)
		all = append(all, id)
	}
	n.NatGatewayIDs = all.ToStringArrayOutput()
	return ids, nil
}

// buildGatewayEndpoints creates the free S3 and DynamoDB gateway endpoints and attaches them to every
// route table, one association per table so that a new zone's table is only an addition.
func (n *Network) buildGatewayEndpoints(ctx *pulumi.Context, name, region string, tables []routeTable, tags func(string) pulumi.StringMap) error {
	for _, service := range []string{"s3", "dynamodb"} {
		endpointName := ChildName(name, service+"-endpoint")
		endpoint, err := ec2.NewVpcEndpoint(ctx, endpointName, &ec2.VpcEndpointArgs{
			VpcId:           n.VPC.ID(),
			ServiceName:     pulumi.String(fmt.Sprintf("com.amazonaws.%s.%s", region, service)),
			VpcEndpointType: pulumi.String("Gateway"),
			Tags:            tags(endpointName),
		}, pulumi.Parent(n))
		if err != nil {
			return err
		}
		for _, table := range tables {
			if _, err := ec2.NewVpcEndpointRouteTableAssociation(ctx, ChildName(endpointName, table.role), &ec2.VpcEndpointRouteTableAssociationArgs{
				VpcEndpointId: endpoint.ID(),
				RouteTableId:  table.table.ID(),
			}, pulumi.Parent(n)); err != nil {
				return err
			}
		}
	}
	return nil
}
