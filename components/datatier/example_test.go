package datatier_test

import (
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/tierstack/tierstack/components/datatier"
	"github.com/tierstack/tierstack/components/network"
)

// A DataTier in another Go Pulumi program: an Aurora MySQL cluster with a reader in another zone,
// in the Network's data subnets, admitting one client's security group.
func ExampleNew() {
	pulumi.Run(func(ctx *pulumi.Context) error {
		net, err := network.New(ctx, "shop", &network.Args{
			AvailabilityZones: []string{"eu-west-1a", "eu-west-1b", "eu-west-1c"},
		})
		if err != nil {
			return err
		}
		data, err := datatier.New(ctx, "orders", &datatier.Args{
			Network: net,
			Readers: 1,
			MinACU:  1,
			MaxACU:  16,
		})
		if err != nil {
			return err
		}
		// The application's security group, here the VPC's default one for brevity.
		if _, err := data.AllowFrom(ctx, "app", net.DefaultSecurityGroupID); err != nil {
			return err
		}
		ctx.Export("databaseHost", data.WriterEndpoint)
		ctx.Export("databaseSecretArn", data.SecretARN)
		return nil
	})
}
