package components

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Placement is where a component's resources go: the region, its account and the zones to use. It
// is looked up with invokes before a component registers anything, so that a zone count the region
// cannot serve fails early.
type Placement struct {
	// Region is the AWS region name, such as us-east-1.
	Region string
	// AccountID is the AWS account the provider deploys to.
	AccountID string
	// Zones are the chosen availability zones; Zones[i] is AZ slot i.
	Zones []string
}

// LookupZones returns the names of the region's availability zones that need no opt-in (so no Local
// or Wavelength Zones), in the order AWS lists them, using the provider that opts would give a
// resource. Zones are listed whatever their state today: a zone that is impaired during an incident
// must not drop out of the list and shift the AZ slots of every zone after it.
func LookupZones(ctx *pulumi.Context, opts ...pulumi.ResourceOption) ([]string, error) {
	inv, err := invokeOptions(opts)
	if err != nil {
		return nil, err
	}
	return lookupZones(ctx, inv)
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

// lookupPlacement looks up the region and account through the invoke options inv, and picks count
// zones: the first count of given, or of the region's zones when given is empty. component names the
// caller in errors.
func lookupPlacement(ctx *pulumi.Context, component string, given []string, count int, inv []pulumi.InvokeOption) (Placement, error) {
	region, err := aws.GetRegion(ctx, nil, inv...)
	if err != nil {
		return Placement{}, fmt.Errorf("%s: looking up the region: %w", component, err)
	}
	caller, err := aws.GetCallerIdentity(ctx, nil, inv...)
	if err != nil {
		return Placement{}, fmt.Errorf("%s: looking up the account: %w", component, err)
	}
	available, err := lookupZones(ctx, inv)
	if err != nil {
		return Placement{}, fmt.Errorf("%s: %w", component, err)
	}
	zones, err := PickZones(region.Name, available, given, count)
	if err != nil {
		return Placement{}, fmt.Errorf("%s: %w", component, err)
	}
	return Placement{Region: region.Name, AccountID: caller.AccountId, Zones: zones}, nil
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

// invokeOptions turns the resource options a component was given into the invoke options that reach
// the same AWS provider its children will use: the AWS provider among Provider and Providers, else
// the parent's.
func invokeOptions(opts []pulumi.ResourceOption) ([]pulumi.InvokeOption, error) {
	o, err := pulumi.NewResourceOptions(opts...)
	if err != nil {
		return nil, fmt.Errorf("reading resource options: %w", err)
	}
	for _, p := range append([]pulumi.ProviderResource{o.Provider}, o.Providers...) {
		if aws, ok := p.(*aws.Provider); ok && aws != nil {
			return []pulumi.InvokeOption{pulumi.Provider(aws)}, nil
		}
	}
	if o.Parent != nil {
		return []pulumi.InvokeOption{pulumi.Parent(o.Parent)}, nil
	}
	return nil, nil
}
