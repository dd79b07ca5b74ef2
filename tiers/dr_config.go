package tiers

import (
	"fmt"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/tierstack/tierstack/components/datatier"

	"github.com/tierstack/tierstack/components/drregion"
	"github.com/tierstack/tierstack/components/network"
)

// DROverrides are the tierstack:dr settings: how the DR region of tierstack:drRegion is built. A
// zero field keeps the default.
type DROverrides struct {
	// Strategy is backupRestore (the default), pilotLight, warmStandby or activeActive (built:
	// drregion.BuiltStrategies).
	Strategy string `json:"strategy,omitempty"`
	// CIDR is the DR VPC's range; "" means the block of the primary's size after it.
	CIDR string `json:"cidr,omitempty"`
	// AvailabilityZones pins the DR region's zones, in AZ-slot order (required by pulumi up).
	AvailabilityZones []string `json:"availabilityZones,omitempty"`
}

// drFields are the tierstack:dr fields, for messages.
const drFields = "strategy, cidr, availabilityZones"

// set reports whether any field is set.
func (o DROverrides) set() bool {
	return o.Strategy != "" || o.CIDR != "" || len(o.AvailabilityZones) > 0
}

// applyDR turns the DR region on when tierstack:drRegion is set, with the tierstack:dr settings:
// a Network like the primary's (its zone count, flow logs and their retention) in a range of its
// own, zones of the DR region.
func (s *Spec) applyDR(drRegion string, o DROverrides) error {
	if drRegion == "" {
		if o.set() {
			return fmt.Errorf("tier %s: tierstack:dr is set without tierstack:drRegion (set the DR region it describes, or remove it)", s.Tier)
		}
		return nil
	}
	strategy, err := drregion.ParseStrategy(o.Strategy)
	if err != nil {
		return fmt.Errorf("tier %s: tierstack:dr %w", s.Tier, err)
	}
	if o.Strategy == "" && s.DRStrategy != "" {
		strategy = s.DRStrategy
	}
	for _, z := range o.AvailabilityZones {
		if rest, ok := strings.CutPrefix(z, drRegion); !ok || len(rest) != 1 || rest[0] < 'a' || rest[0] > 'z' {
			return fmt.Errorf("tier %s: tierstack:dr availabilityZones: %q is not a zone of the DR region %s (allowed: zones such as %sa)", s.Tier, z, drRegion, drRegion)
		}
	}
	primary := s.Network.CIDR
	if primary == "" {
		primary = network.DefaultCIDR
	}
	s.DR = &drregion.Args{
		Strategy:    strategy,
		PrimaryCIDR: primary,
		Network: network.Args{
			CIDR: o.CIDR, AZCount: s.Network.AZCount, AvailabilityZones: o.AvailabilityZones,
			DisableFlowLogs: s.Network.DisableFlowLogs, FlowLogRetentionDays: s.Network.FlowLogRetentionDays,
		},
	}
	s.DRRegion = drRegion
	// With live data in the DR region each cluster becomes the primary of a global database and
	// each table a global table: the DataTier then ignores what AWS changes through them and
	// checks the global database's limits (readers, backtracking).
	s.Data.GlobalDatabase = strategy.LiveData()
	return nil
}

// validateDR checks the DR region's arguments, with a placeholder for the provider Deploy makes.
func (s Spec) validateDR() error {
	if s.DR == nil {
		return nil
	}
	dr := *s.DR
	dr.Provider = &aws.Provider{}
	if dr.Strategy.LiveData() {
		// Deploy gives the DataTier's clusters and tables; the engine is checked now.
		engine, version := s.Data.Engine, s.Data.EngineVersion
		dr.Database = &drregion.Database{Engine: string(engine), EngineVersion: version, ParameterFamily: "placeholder",
			Shards: []drregion.Shard{{Name: "shard-0", ClusterARN: pulumi.String("placeholder")}}}
		if engine == "" {
			dr.Database.Engine = string(datatier.EngineMySQL)
		}
		if version == "" {
			dr.Database.EngineVersion = datatier.DefaultEngineVersion(datatier.Engine(dr.Database.Engine))
		}
	}
	if err := dr.Validate(); err != nil {
		return fmt.Errorf("tier %s: tierstack:dr %s", s.Tier, strings.TrimPrefix(err.Error(), "drregion: "))
	}
	return nil
}
