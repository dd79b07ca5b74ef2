package tiers

import (
	"fmt"
	"maps"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/tierstack/tierstack/components/datatier"

	"github.com/tierstack/tierstack/components/drregion"
	"github.com/tierstack/tierstack/components/edge"
	"github.com/tierstack/tierstack/components/network"
	"github.com/tierstack/tierstack/components/webtier"
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
	// Image is the app's image in the DR region; "" means tierstack:app image with a private ECR
	// registry's region moved to the DR region (drregion.RegionalImage).
	Image string `json:"image,omitempty"`
	// Web sizes the DR web tier (pilotLight: at zero; warmStandby, activeActive: running).
	Web *DRWebSettings `json:"web,omitempty"`
	// Cache sizes the DR cache (warmStandby, activeActive).
	Cache *DRCacheSettings `json:"cache,omitempty"`
	// GlobalEngineVersion is the engine version given to each global cluster, through which AWS
	// upgrades every member of the global databases (datatier.Global.EngineVersion): unset while
	// they are created, then tierstack:data engineVersion's value, to upgrade.
	GlobalEngineVersion string `json:"globalEngineVersion,omitempty"`
	// ServeFrom is where origin.<domain> sends users: primary (the default) or dr, set in the
	// runbook once the DR database is promoted. dr needs a strategy that runs the web tier in the
	// DR region.
	ServeFrom string `json:"serveFrom,omitempty"`
}

// DRWebSettings are tierstack:dr web.
type DRWebSettings struct {
	// Min and Max bound the DR Auto Scaling group; 0 keeps the strategy's.
	Min int `json:"min,omitempty"`
	Max int `json:"max,omitempty"`
	// InstanceType is the DR instances' Graviton type; "" means the type the primary's app runs
	// on (tierstack:web instanceType, or nodeInstanceType in mode eks).
	InstanceType string `json:"instanceType,omitempty"`
}

// DRCacheSettings are tierstack:dr cache.
type DRCacheSettings struct {
	// Shards is the DR cache's shards (cluster mode enabled); 0 keeps the strategy's.
	Shards int `json:"shards,omitempty"`
	// Replicas is the read replicas per shard; 0 keeps the strategy's.
	Replicas int `json:"replicas,omitempty"`
}

// drFields are the tierstack:dr fields, for messages.
const drFields = "strategy, cidr, availabilityZones, globalEngineVersion, image, web {min, max, instanceType}, cache {shards, replicas}, serveFrom"

// set reports whether any field is set.
func (o DROverrides) set() bool {
	return o.Strategy != "" || o.CIDR != "" || len(o.AvailabilityZones) > 0 || o.Image != "" || o.Web != nil || o.Cache != nil || o.GlobalEngineVersion != "" || o.ServeFrom != ""
}

// applyDRCompute gives the DR region, with live data, the primary's web tier (the same App, sized
// by the strategy and tierstack:dr web) and, where the strategy runs one, the primary's cache
// (sized by the strategy and tierstack:dr cache). It runs after the web and cache settings.
func (s *Spec) applyDRCompute(o DROverrides) error {
	if s.DR == nil || !s.DR.Strategy.LiveData() {
		if s.DR != nil && (o.Image != "" || o.Web != nil || o.Cache != nil) {
			return fmt.Errorf("tier %s: tierstack:dr image, web and cache are set with strategy %s, which runs no web tier in the DR region (allowed: none, or strategy %s, %s or %s)",
				s.Tier, s.DR.Strategy, drregion.StrategyPilotLight, drregion.StrategyWarmStandby, drregion.StrategyActiveActive)
		}
		return nil
	}
	args := s.Web
	args.App.Env, args.App.Secrets = maps.Clone(s.Web.App.Env), maps.Clone(s.Web.App.Secrets)
	// The type the primary's app runs on: its instances', or its nodes' in mode eks.
	if s.Web.Mode == webtier.ModeEKS {
		args.InstanceType = s.Web.Cluster.NodeInstanceType
		if args.InstanceType == "" {
			args.InstanceType = "m7g.large" // webtier's default node type
		}
	}
	if o.Image != "" {
		if err := drregion.CheckRegionalImage(o.Image, s.DRRegion); err != nil {
			return fmt.Errorf("tier %s: tierstack:dr %w", s.Tier, err)
		}
	}
	web := &drregion.Web{Args: args, Image: o.Image}
	if w := o.Web; w != nil {
		web.Size = drregion.WebSize{Min: w.Min, Max: w.Max}
		setString(&web.Args.InstanceType, w.InstanceType)
	}
	s.DR.Web = web
	if s.Cache != nil && s.DR.Strategy.RunsCompute() {
		s.DR.Cache = &drregion.Cache{Args: *s.Cache}
		s.DR.Cache.Args.Parameters = maps.Clone(s.Cache.Parameters)
	}
	if c := o.Cache; c != nil {
		if !s.DR.Strategy.RunsCompute() {
			return fmt.Errorf("tier %s: tierstack:dr cache is set with strategy %s, which runs no cache in the DR region (allowed: none, or strategy %s or %s)",
				s.Tier, s.DR.Strategy, drregion.StrategyWarmStandby, drregion.StrategyActiveActive)
		}
		if s.DR.Cache == nil {
			return fmt.Errorf("tier %s: tierstack:dr cache is set and tier %s has no cache to repeat in the DR region (allowed: none, or a primary cache)", s.Tier, s.Tier)
		}
		s.DR.Cache.Size = drregion.CacheSize{Shards: c.Shards, Replicas: c.Replicas}
	}
	return nil
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
	serveFrom, err := edge.ParseServeFrom(o.ServeFrom)
	if err != nil {
		return fmt.Errorf("tier %s: tierstack:dr %w", s.Tier, err)
	}
	if serveFrom == edge.ServeFromDR && !strategy.RunsCompute() {
		return fmt.Errorf("tier %s: tierstack:dr serveFrom dr with strategy %s, which runs no load balancer in the DR region to serve from (allowed: primary; dr with warmStandby or activeActive — under %s the runbook builds the DR web tier first)",
			s.Tier, strategy, strategy)
	}
	s.ServeFrom = serveFrom
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
	// With live data in the DR region each cluster becomes the primary of a global database (the
	// DataTier builds the global clusters and replicates its secrets to the DR region) and each
	// table a global table: the DataTier then ignores what AWS changes through them and checks the
	// global database's limits (readers, backtracking). Deploy gives the DR provider.
	s.Data.Global = nil
	if strategy.LiveData() {
		s.Data.Global = &datatier.Global{Region: drRegion, EngineVersion: o.GlobalEngineVersion}
	} else if o.GlobalEngineVersion != "" {
		return fmt.Errorf("tier %s: tierstack:dr globalEngineVersion %q is set with strategy %s, which has no global database (allowed: unset, or a strategy such as %s)", s.Tier, o.GlobalEngineVersion, strategy, drregion.StrategyPilotLight)
	}
	return nil
}

// raiseGlobalPrimaryCapacity gives the primary of a global database at least
// datatier.GlobalPrimaryMinACU (or its maximum, when that is lower), unless tierstack:data minAcu
// says otherwise (minACUSet): see docs/database.md, "Capacity of a global primary".
func (s *Spec) raiseGlobalPrimaryCapacity(minACUSet bool) {
	if s.Data.Global == nil || minACUSet {
		return
	}
	s.Data.MinACU = max(s.Data.MinACU, min(datatier.GlobalPrimaryMinACU, s.Data.MaxACU))
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
			Shards: []drregion.Shard{{Name: "shard-0", GlobalClusterID: pulumi.String("placeholder")}}}
		if engine == "" {
			dr.Database.Engine = string(datatier.EngineMySQL)
		}
		if version == "" {
			dr.Database.EngineVersion = datatier.DefaultEngineVersion(datatier.Engine(dr.Database.Engine))
		}
		dr.Database.WriteForwarding = datatier.GlobalWriteForwarding(datatier.Engine(dr.Database.Engine), dr.Database.EngineVersion)
	}
	if err := dr.Validate(); err != nil {
		return fmt.Errorf("tier %s: tierstack:dr %s", s.Tier, strings.TrimPrefix(err.Error(), "drregion: "))
	}
	return nil
}
