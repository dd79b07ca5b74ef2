package components_test

import (
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/tierstack/tierstack/components"
)

// A Network in another Go Pulumi program: three zones, a NAT gateway per zone, flow logs on. Other
// components take the Network itself; its subnet IDs are outputs for anything else.
func ExampleNewNetwork() {
	pulumi.Run(func(ctx *pulumi.Context) error {
		net, err := components.NewNetwork(ctx, "shop", &components.NetworkArgs{
			CIDR:    "10.20.0.0/16",
			AZCount: 3,
		})
		if err != nil {
			return err
		}
		ctx.Export("vpcId", net.VPCID)
		ctx.Export("privateSubnetIds", net.PrivateSubnetIDs)
		return nil
	})
}
