package cachetier_test

import (
	"fmt"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/tierstack/tierstack/components/cachetier"
	"github.com/tierstack/tierstack/components/network"
)

// A cache in another Go Pulumi program: Valkey 8.0 in cluster mode disabled, a primary and one
// replica in another zone, admitting the web servers' security group. Applications read the
// connection (host, port, AUTH token) from the secret SecretARN names.
func ExampleNew() {
	pulumi.Run(func(ctx *pulumi.Context) error {
		net, err := network.New(ctx, "shop", &network.Args{
			AvailabilityZones: []string{"eu-west-1a", "eu-west-1b", "eu-west-1c"},
		})
		if err != nil {
			return err
		}
		cache, err := cachetier.New(ctx, "cache", &cachetier.Args{Network: net, Replicas: 1})
		if err != nil {
			return err
		}
		webSG := pulumi.String("sg-0123456789abcdef0") // the web tier's security group
		if _, err := cache.AllowFrom(ctx, "web", webSG); err != nil {
			return err
		}
		ctx.Export("cacheEndpoint", cache.Endpoint)
		ctx.Export("cacheSecretArn", cache.SecretARN)
		return nil
	})
}

// The move to cluster mode, checked before New: one step per pulumi up, never back.
func ExampleCheckModeChange() {
	for _, step := range [][2]cachetier.ClusterMode{
		{cachetier.ModeDisabled, cachetier.ModeCompatible},
		{cachetier.ModeCompatible, cachetier.ModeEnabled},
		{cachetier.ModeDisabled, cachetier.ModeEnabled},
		{cachetier.ModeEnabled, cachetier.ModeCompatible},
	} {
		verdict := "allowed"
		if err := cachetier.CheckModeChange(step[0], step[1]); err != nil {
			verdict = "refused"
		}
		fmt.Println(step[0], "→", step[1], verdict)
	}
	// Output:
	// disabled → compatible allowed
	// compatible → enabled allowed
	// disabled → enabled refused
	// enabled → compatible refused
}
