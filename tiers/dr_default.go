package tiers

import (
	"fmt"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/tierstack/tierstack/components/datatier"
	"github.com/tierstack/tierstack/components/drregion"
)

// defaultDRRegions is, for a primary region, the regions a plan offers as its DR region, nearest
// first: in the same geography (the data stays under the same jurisdiction where the geography
// has a second region), far enough that one event does not take both, with Aurora global databases
// in both (drregion.CheckGlobalDatabaseRegions). AWS publishes no region pairs: this is tierstack's
// choice for an offline plan, never for pulumi up, which wants tierstack:drRegion said.
var defaultDRRegions = map[string][]string{
	"us-east-1": {"us-west-2"}, "us-east-2": {"us-west-2"}, "us-west-1": {"us-east-2"}, "us-west-2": {"us-east-1"},
	"ca-central-1": {"ca-west-1", "us-east-1"}, "ca-west-1": {"ca-central-1"},
	"sa-east-1": {"us-east-1"}, "mx-central-1": {"us-east-2"},
	"eu-west-1": {"eu-central-1"}, "eu-west-2": {"eu-west-1"}, "eu-west-3": {"eu-central-1"},
	"eu-central-1": {"eu-west-1"}, "eu-central-2": {"eu-central-1"}, "eu-north-1": {"eu-west-1"},
	"eu-south-1": {"eu-south-2"}, "eu-south-2": {"eu-south-1"},
	"ap-northeast-1": {"ap-northeast-3"}, "ap-northeast-3": {"ap-northeast-1"}, "ap-northeast-2": {"ap-northeast-1"},
	"ap-southeast-1": {"ap-southeast-2"}, "ap-southeast-2": {"ap-southeast-4", "ap-southeast-1"},
	"ap-southeast-4": {"ap-southeast-2"}, "ap-south-1": {"ap-south-2"}, "ap-south-2": {"ap-south-1"},
	"me-central-1": {"me-south-1"}, "me-south-1": {"me-central-1"}, "af-south-1": {"eu-west-1"},
	"il-central-1": {"eu-central-1"},
}

// fallbackDRRegion is the DR region a plan offers for a primary region defaultDRRegions does not
// list (or us-west-2's pair, when the primary is us-east-1's fallback itself).
const fallbackDRRegion = "us-east-1"

// DefaultDRRegion is the DR region an offline plan of a tier that requires one picks for primary:
// the first of its candidates where the engine version has an Aurora global database in both
// regions. pulumi up never picks: it refuses without tierstack:drRegion.
func DefaultDRRegion(primary string, engine datatier.Engine, version string) string {
	candidates := append(append([]string{}, defaultDRRegions[primary]...), fallbackDRRegion, "us-west-2")
	for _, c := range candidates {
		if c != primary && drregion.CheckGlobalDatabaseRegions(string(engine), version, primary, c) == nil {
			return c
		}
	}
	return candidates[0]
}

// requireDR turns on, for a tier whose architecture is two regions (Spec.DRRequired), the DR region
// config leaves out: pulumi up refuses, naming the setting and a region to set; a plan picks
// DefaultDRRegion and warns. region is the stack's. The spec is validated again with its DR region.
func requireDR(ctx *pulumi.Context, s Settings, spec *Spec, region string, opts DeployOptions) error {
	if !spec.DRRequired || spec.DR != nil {
		return nil
	}
	engine, version := spec.Data.Engine, spec.Data.EngineVersion
	if engine == "" {
		engine = datatier.EngineMySQL
	}
	if version == "" {
		version = datatier.DefaultEngineVersion(engine)
	}
	pick := DefaultDRRegion(region, engine, version)
	err := fmt.Errorf("tier %s: tierstack:drRegion is not set (from %s the service runs in two regions: set tierstack:drRegion to a region other than %s, such as %s, and tierstack:dr availabilityZones to zones of it; tierstack:dr strategy backupRestore is the cheapest)",
		spec.Tier, spec.Tier, region, pick)
	if !opts.AllowUnpinnedZones {
		return err
	}
	if logErr := ctx.Log.Warn(err.Error()+fmt.Sprintf("; this plan assumes %s, pulumi up refuses to guess", pick), nil); logErr != nil {
		return fmt.Errorf("tier %s: %w", spec.Tier, logErr)
	}
	if err := checkBacktrackWithDR(*spec, pick); err != nil {
		return err
	}
	if err := spec.applyDR(pick, s.DR); err != nil {
		return err
	}
	return spec.Validate()
}
