package tiers

import (
	"fmt"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/tierstack/tierstack/components"
)

// Program is the tierstack Pulumi program: it reads the stack configuration, builds the tier and
// returns the stack outputs. Bad configuration fails before any resource is registered.
func Program(ctx *pulumi.Context) (pulumi.Map, error) {
	settings, err := LoadSettings(ctx)
	if err != nil {
		return nil, err
	}
	return Deploy(ctx, settings)
}

// Deploy builds the tier the settings name, with their overrides, and returns the stack outputs.
func Deploy(ctx *pulumi.Context, s Settings) (pulumi.Map, error) {
	spec, err := Resolve(s)
	if err != nil {
		return nil, err
	}
	tags := map[string]string{"tierstack:stack": ctx.Stack()}
	netArgs := spec.Network
	netArgs.Tags = tags
	net, err := components.NewNetwork(ctx, "network", &netArgs)
	if err != nil {
		return nil, fmt.Errorf("tier %s: %w", spec.Tier, err)
	}
	return pulumi.Map{
		"tier":              pulumi.String(spec.Tier),
		"vpcId":             net.VPCID,
		"availabilityZones": net.AvailabilityZones,
		"publicSubnetIds":   net.PublicSubnetIDs,
		"privateSubnetIds":  net.PrivateSubnetIDs,
		"dataSubnetIds":     net.DataSubnetIDs,
		"natGatewayIds":     net.NatGatewayIDs,
	}, nil
}
