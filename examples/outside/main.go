// Command shop is a Pulumi program outside tierstack that uses its components the way a team
// adopting them would: a VPC of its own with a database, a cache and a web tier wired to both in one
// field; a second database and cache in a VPC another stack built, known only by IDs; and one
// Observability over both databases and both caches, with overrides. main_test.go tests it offline
// with tierstacktest.
package main

import (
	"fmt"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/config"

	"github.com/tierstack/tierstack/components/cachetier"
	"github.com/tierstack/tierstack/components/datatier"
	"github.com/tierstack/tierstack/components/network"
	"github.com/tierstack/tierstack/components/observability"
	"github.com/tierstack/tierstack/components/webtier"
)

func main() { pulumi.Run(Program) }

// Legacy is the VPC another stack built, as the shop:legacy config object names it.
type Legacy struct {
	VPCID         string   `json:"vpcId"`
	DataSubnetIDs []string `json:"dataSubnetIds"`
}

// Program builds the shop.
func Program(ctx *pulumi.Context) error {
	var legacy Legacy
	if err := config.New(ctx, "shop").TryObject("legacy", &legacy); err != nil {
		return fmt.Errorf("shop:legacy: %w", err)
	}

	// A VPC of its own, with the users' database, the cache and the web tier.
	net, err := network.New(ctx, "shop", &network.Args{AvailabilityZones: []string{"eu-west-1a", "eu-west-1b"}})
	if err != nil {
		return err
	}
	users, err := datatier.New(ctx, "users", &datatier.Args{Network: net})
	if err != nil {
		return err
	}
	cache, err := cachetier.New(ctx, "cache", &cachetier.Args{Network: net, Replicas: 1})
	if err != nil {
		return err
	}
	web, err := webtier.New(ctx, "web", &webtier.Args{
		Network:  net,
		Mode:     webtier.ModeAutoScaling,
		Backends: []webtier.Backend{users, cache}, // DATABASE_*, CACHE_*, their secrets and keys
	})
	if err != nil {
		return err
	}
	if _, err := users.AllowFrom(ctx, "web", web.SecurityGroupID); err != nil {
		return err
	}
	if _, err := cache.AllowFrom(ctx, "web", web.SecurityGroupID); err != nil {
		return err
	}

	// The orders database and its sessions cache, in a VPC known only by IDs.
	theirs, err := network.Existing(ctx, "legacy", &network.ExistingArgs{VPCID: legacy.VPCID, DataSubnetIDs: legacy.DataSubnetIDs})
	if err != nil {
		return err
	}
	orders, err := datatier.New(ctx, "orders", &datatier.Args{Network: theirs, Readers: 1})
	if err != nil {
		return err
	}
	sessions, err := cachetier.New(ctx, "sessions", &cachetier.Args{Network: theirs})
	if err != nil {
		return err
	}

	// One Observability over both databases and both caches and the web tier.
	var list []observability.Signal
	for _, d := range []*datatier.DataTier{users, orders} {
		sigs, err := d.Signals()
		if err != nil {
			return err
		}
		list = append(list, sigs...)
	}
	for _, c := range []*cachetier.CacheTier{cache, sessions} {
		sigs, err := c.Signals()
		if err != nil {
			return err
		}
		list = append(list, sigs...)
	}
	list = append(list, observability.WebSignals(observability.WebInputs{
		LoadBalancerARNSuffix: web.LoadBalancerARNSuffix,
		TargetGroupARNSuffix:  web.TargetGroupARNSuffix,
		AutoScalingGroupName:  web.AutoScalingGroupName,
	})...)
	seventy, ninety := 70.0, 90.0
	if _, err := observability.New(ctx, "obs", &observability.Args{
		Signals: list,
		Overrides: map[string]observability.Override{
			"orders-cpu":       {Threshold: &seventy},            // the orders database only
			"data-connections": {Severity: observability.Notify}, // both databases
			"cache-memory":     {Threshold: &ninety},             // both caches
		},
		Email: "oncall@example.com",
	}); err != nil {
		return err
	}
	ctx.Export("url", web.URL)
	return nil
}
