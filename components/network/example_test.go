package network_test

import (
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/tierstack/tierstack/components/network"
)

// A Network in another Go Pulumi program: three pinned zones, a NAT gateway per zone, flow logs on.
// Other components take the Network itself; its subnet IDs are outputs for anything else.
func ExampleNew() {
	pulumi.Run(func(ctx *pulumi.Context) error {
		net, err := network.New(ctx, "shop", &network.Args{
			CIDR:              "10.20.0.0/16",
			AvailabilityZones: []string{"eu-west-1a", "eu-west-1b", "eu-west-1c"},
		})
		if err != nil {
			return err
		}
		ctx.Export("vpcId", net.VPCID)
		ctx.Export("privateSubnetIds", net.PrivateSubnetIDs)
		return nil
	})
}
