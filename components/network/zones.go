package network

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/tierstack/tierstack/internal/awsenv"
)

// LookupZones returns the names of the region's availability zones that need no opt-in (so no Local
// or Wavelength Zones), in the order AWS lists them, through the AWS provider that opts would give a
// resource. Zones are listed whatever their state today: a zone that is impaired during an incident
// must not drop out of the list and shift the AZ slots of every zone after it.
func LookupZones(ctx *pulumi.Context, opts ...pulumi.ResourceOption) ([]string, error) {
	inv, err := awsenv.InvokeOptions(ctx, opts)
	if err != nil {
		return nil, err
	}
	return lookupZones(ctx, inv)
}

// PlannedZones returns the zones a Network built from args with opts would use, without registering
// anything: the pinned ones, or the first the region lists. A program that requires pinned zones uses
// it to tell its user which zones to pin.
func PlannedZones(ctx *pulumi.Context, args *Args, opts ...pulumi.ResourceOption) ([]string, error) {
	a, err := args.checked()
	if err != nil {
		return nil, err
	}
	inv, err := awsenv.InvokeOptions(ctx, opts)
	if err != nil {
		return nil, err
	}
	p, err := lookupPlacement(ctx, a.AvailabilityZones, a.AZCount, inv)
	if err != nil {
		return nil, err
	}
	return p.zones, nil
}

// lookupZones is LookupZones with the invoke options already worked out.
func lookupZones(ctx *pulumi.Context, inv []pulumi.InvokeOption) ([]string, error) {
	zones, err := aws.GetAvailabilityZones(ctx, &aws.GetAvailabilityZonesArgs{
		Filters: []aws.GetAvailabilityZonesFilter{{Name: "opt-in-status", Values: []string{"opt-in-not-required"}}},
	}, inv...)
	if err != nil {
		return nil, fmt.Errorf("looking up availability zones: %w", err)
	}
	return zones.Names, nil
}

// placement is where a Network goes: the provider's environment and the zones it uses.
type placement struct {
	env   awsenv.Env
	zones []string
}

// lookupPlacement looks up the region, account and partition through the invoke options inv, and
// picks count zones: the first count of given, or of the region's zones when given is empty.
func lookupPlacement(ctx *pulumi.Context, given []string, count int, inv []pulumi.InvokeOption) (placement, error) {
	env, err := awsenv.Lookup(ctx, inv)
	if err != nil {
		return placement{}, err
	}
	available, err := lookupZones(ctx, inv)
	if err != nil {
		return placement{}, err
	}
	zones, err := PickZones(env.Region, available, given, count)
	if err != nil {
		return placement{}, err
	}
	return placement{env: env, zones: zones}, nil
}

// PickZones chooses count zones in a region that offers available: the first count of given when
// given is set (each must be one of available, none twice), else the first count of available.
func PickZones(region string, available, given []string, count int) ([]string, error) {
	if len(given) == 0 {
		if count > len(available) {
			return nil, fmt.Errorf("azCount %d is more than region %s has (it has %d: %s)",
				count, region, len(available), strings.Join(available, ", "))
		}
		return slices.Clone(available[:count]), nil
	}
	if count > len(given) {
		return nil, fmt.Errorf("azCount %d is more than the %d availabilityZones given (%s)",
			count, len(given), strings.Join(given, ", "))
	}
	if err := checkZoneList(given); err != nil {
		return nil, err
	}
	for _, z := range given {
		if !slices.Contains(available, z) {
			return nil, fmt.Errorf("availabilityZones: %q is not a zone of region %s (allowed: %s)",
				z, region, strings.Join(available, ", "))
		}
	}
	return slices.Clone(given[:count]), nil
}

// checkZoneList refuses zone names that are malformed or listed twice.
func checkZoneList(zones []string) error {
	seen := map[string]bool{}
	for _, z := range zones {
		if !zoneNamePattern.MatchString(z) {
			return fmt.Errorf("availabilityZones: %q is not a zone name (want one such as us-east-1a)", z)
		}
		if seen[z] {
			return fmt.Errorf("availabilityZones: %q is listed twice (allowed: each zone once, as each owns one AZ slot)", z)
		}
		seen[z] = true
	}
	return nil
}

// zoneNamePattern matches availability zone names such as us-east-1a or us-gov-west-1b.
var zoneNamePattern = regexp.MustCompile(`^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-[0-9][a-z]$`)
