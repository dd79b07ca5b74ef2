package tiers

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/tierstack/tierstack/components/cachetier"
	"github.com/tierstack/tierstack/components/datatier"
	"github.com/tierstack/tierstack/components/drregion"
	"github.com/tierstack/tierstack/components/edge"
	"github.com/tierstack/tierstack/components/network"
	"github.com/tierstack/tierstack/components/observability"
	"github.com/tierstack/tierstack/components/streaming"
	"github.com/tierstack/tierstack/components/webtier"
	"github.com/tierstack/tierstack/components/workers"
	"github.com/tierstack/tierstack/internal/signals"
)

// Spec is one tier as plain data: the arguments of every component it builds. Moving up a tier
// changes values, never code paths. A component a tier does not build is a nil pointer.
type Spec struct {
	// Tier is the tier this spec builds.
	Tier Tier
	// Network is the VPC.
	Network network.Args
	// Data is the database and the tables; Deploy fills in its Network.
	Data datatier.Args
	// Cache is the Valkey cache; nil builds none. Deploy fills in its Network.
	Cache *cachetier.Args
	// Web runs the app; Deploy fills in its Network and connection settings.
	Web webtier.Args
	// Firewall is the WAF web ACL in front of the load balancer; nil builds none. Deploy fills in
	// the load balancer.
	Firewall *edge.FirewallArgs
	// CDN is the CloudFront distribution in front of the load balancer; nil builds none.
	CDN *edge.CDNArgs
	// Observability is the alarms over what the tier built, their topic and subscribers, the
	// dashboard and, when CentralLogs is set, the OpenSearch domain; Deploy fills in the signals,
	// the Network and the log groups to ship.
	Observability observability.Args
	// Streaming is Kafka on Amazon MSK; nil builds none. It is on only where tierstack:streaming
	// enables it, from 100k up. Deploy fills in its Network.
	Streaming *streaming.Args
	// Files are shared files on Amazon EFS, mounted by the web tier; nil builds none. They are on
	// only where tierstack:files enables them, in modes instance and autoscaling.
	Files *FilesSpec
	// Workers are background workers on a queue, in the web tier's mode; nil builds none. They are
	// on only where tierstack:workers enables them, from 10k.
	Workers *workers.Args
	// DR is the disaster-recovery region; nil builds none. It is on only where tierstack:drRegion
	// is set. Deploy fills in its provider and what it backs up and replicates.
	DR *drregion.Args
	// DRRegion is the DR region's name; "" when DR is nil.
	DRRegion string
	// DRStrategy is the strategy a DR region gets when tierstack:dr does not name one; ""
	// means drregion.StrategyBackupRestore, the cheapest.
	DRStrategy drregion.Strategy
	// DRRequired makes pulumi up refuse a stack of the tier without tierstack:drRegion (the tier's
	// architecture is two regions); a plan then picks DefaultDRRegion and warns.
	DRRequired bool
	// ServeFrom is the operator's switch of origin.<domain>: primary (the default) or dr, once the
	// DR database is promoted. It matters only where the DR region runs a load balancer.
	ServeFrom edge.ServeFrom
}

// defaultTables are the DynamoDB tables the 1m tier declares for write-heavy data: sessions that
// expire, and shopping carts by user.
func defaultTables() []datatier.Table {
	return []datatier.Table{
		{Name: "sessions", HashKey: "sessionId", Attributes: map[string]string{"sessionId": "S"}, TTLAttribute: "expiresAt"},
		{Name: "carts", HashKey: "userId", RangeKey: "itemId", Attributes: map[string]string{"userId": "S", "itemId": "S"}},
	}
}

// specs holds the four tiers side by side. SpecFor hands out copies.
//
// Backtracking is off at every tier: Aurora global databases do not support it (Aurora User Guide,
// "Limitations of Amazon Aurora global databases"; AWS Prescriptive Guidance, "Aurora global
// databases": "you cannot use the Backtrack feature in Aurora with an Aurora global database"), and
// turning it off later (window 0) is irreversible and waits for the maintenance window, so a DR
// region added in the same pulumi up would fail. tierstack:data backtrackHours turns it on at
// creation, as an opt-in that a DR region refuses.
var specs = map[Tier]Spec{
	Tier100: {
		Tier: Tier100,
		// One web server in a public subnet needs no NAT; two zones because a DB subnet group needs
		// two. Flow logs are off to keep the bill at its floor.
		Network: network.Args{AZCount: 2, NATStrategy: network.NATNone, DisableFlowLogs: true},
		// One Serverless v2 writer that pauses after 30 idle minutes: a first request after a pause
		// waits about 15 seconds while it resumes.
		Data: datatier.Args{MinACU: 0, MaxACU: 2, SecondsUntilAutoPause: 1800},
		// One server with an Elastic IP: to scale, a bigger instance type (a stop and a start).
		Web: webtier.Args{Mode: webtier.ModeInstance, InstanceType: "t4g.small", App: webtier.App{Replicas: webtier.Replicas{Min: 1, Max: 1}}},
		// Alarms on the one server and the database; logs in CloudWatch Logs for two weeks.
		Observability: observability.Args{LogRetentionDays: 14},
	},
	Tier10k: {
		Tier:    Tier10k,
		Network: network.Args{AZCount: 3, NATStrategy: network.NATPerAZ, FlowLogRetentionDays: 30},
		// A reader in another zone for Multi-AZ failover; never paused.
		Data: datatier.Args{MinACU: 1, MaxACU: 16, Readers: 1, PerformanceInsights: true, MonitoringInterval: 60},
		// The session store: a primary and a replica in another zone, failing over automatically.
		Cache: sessionCache(),
		// An Auto Scaling group behind the load balancer, holding CPU at 50 %.
		Web: webtier.Args{Mode: webtier.ModeAutoScaling, InstanceType: "t4g.medium", App: webtier.App{Replicas: webtier.Replicas{Min: 2, Max: 6}}},
		// AWS managed rules and a rate limit per client IP, in front of CloudFront, which serves the
		// static content from S3 and passes the rest to the load balancer.
		Firewall: &edge.FirewallArgs{},
		CDN:      &edge.CDNArgs{PriceClass: "PriceClass_100"},
		// A traffic alarm sized for the tier: 10k users send a few thousand requests a minute.
		Observability: observability.Args{LogRetentionDays: 30, Overrides: requestsAbove(5000)},
	},
	Tier100k: {
		Tier:    Tier100k,
		Network: network.Args{AZCount: 3, NATStrategy: network.NATPerAZ, FlowLogRetentionDays: 90},
		Data: datatier.Args{MinACU: 2, MaxACU: 64, Readers: 2, ReaderScaling: &datatier.ReaderScaling{Min: 2, Max: 8},
			PerformanceInsights: true, MonitoringInterval: 60},
		// Cluster mode: the data over shards, each a primary and a replica in other zones.
		Cache: &cachetier.Args{Mode: cachetier.ModeEnabled, Shards: 2, ReplicasPerShard: 1, NodeType: "cache.m7g.large"},
		// Containers on EKS behind the load balancer of 10k: a node group per zone.
		Web: webtier.Args{Mode: webtier.ModeEKS, InstanceType: "m7g.large", App: webtier.App{Replicas: webtier.Replicas{Min: 3, Max: 12}},
			// min and max are 1m's, so that 100k → 1m changes no node group's scaling (see 1m).
			Cluster: webtier.Cluster{NodeInstanceType: "m7g.large", NodesPerZone: webtier.NodeCount{Min: 1, Desired: 1, Max: 12}}},
		Firewall: &edge.FirewallArgs{},
		CDN:      &edge.CDNArgs{PriceClass: "PriceClass_100"},
		// Central logs: OpenSearch over the zones (three; two on a two-zone network), one data node
		// in each.
		Observability: observability.Args{LogRetentionDays: 90, Overrides: requestsAbove(50000),
			CentralLogs: &observability.CentralLogsArgs{InstanceType: "r7g.large.search", VolumeGiB: 100}},
	},
	Tier1M: {
		Tier:    Tier1M,
		Network: network.Args{AZCount: 3, NATStrategy: network.NATPerAZ, FlowLogRetentionDays: 365},
		// Readers scale to 14, not 15: the primary of a global database with one secondary region
		// has at most 15 - 1 (datatier.MaxGlobalReaders), so a DR region with live data can be added.
		Data: datatier.Args{MinACU: 4, MaxACU: 128, Readers: 3, ReaderScaling: &datatier.ReaderScaling{Min: 3, Max: datatier.MaxGlobalReaders},
			PerformanceInsights: true, MonitoringInterval: 60,
			BackupRetentionDays: 35, Tables: defaultTables()},
		Cache: &cachetier.Args{Mode: cachetier.ModeEnabled, Shards: 4, ReplicasPerShard: 2, NodeType: "cache.r7g.large"},
		Web: webtier.Args{Mode: webtier.ModeEKS, InstanceType: "m7g.xlarge", App: webtier.App{Replicas: webtier.Replicas{Min: 6, Max: 30}},
			// The nodes of 100k, more of them: a new instance type would replace the node groups.
			// min and max stay 100k's: a change of either sends EKS the desired size recorded at
			// creation (ignoreChanges), which resets the autoscaler's count and is refused below a
			// new min. The pods raise the count (six replicas over three zones, one per node, keep
			// two nodes a zone); desired 2 starts a new 1m stack with them.
			Cluster: webtier.Cluster{NodeInstanceType: "m7g.large", NodesPerZone: webtier.NodeCount{Min: 1, Desired: 2, Max: 12}}},
		Firewall: &edge.FirewallArgs{},
		CDN:      &edge.CDNArgs{PriceClass: "PriceClass_100"},
		// Bigger log nodes, six of them (two per zone on three, three on two), and three dedicated
		// masters.
		Observability: observability.Args{LogRetentionDays: 365, Overrides: requestsAbove(500000),
			CentralLogs: &observability.CentralLogsArgs{InstanceType: "r7g.xlarge.search", InstanceCount: 6, VolumeGiB: 500, DedicatedMasters: true}},
		// A second region: the data live there and the web tier running small, ready to take the
		// traffic in minutes (see drregion.StrategyWarmStandby).
		DRStrategy: drregion.StrategyWarmStandby, DRRequired: true,
	},
}

// SpecFor returns the spec of a tier.
func SpecFor(t Tier) (Spec, error) {
	s, ok := specs[t]
	if !ok {
		return Spec{}, fmt.Errorf("tier %q is not a tier (allowed: %s)", t, tierList())
	}
	s.Network.AvailabilityZones = slices.Clone(s.Network.AvailabilityZones)
	s.Network.BastionAllowedCIDRs = slices.Clone(s.Network.BastionAllowedCIDRs)
	if s.Data.ReaderScaling != nil {
		rs := *s.Data.ReaderScaling
		s.Data.ReaderScaling = &rs
	}
	if s.Tier == Tier1M {
		s.Data.Tables = defaultTables()
	}
	if s.Cache != nil {
		c := *s.Cache
		s.Cache = &c
	}
	if s.Firewall != nil {
		f := *s.Firewall
		s.Firewall = &f
	}
	if s.CDN != nil {
		c := *s.CDN
		s.CDN = &c
	}
	if s.Streaming != nil {
		st := *s.Streaming
		s.Streaming = &st
	}
	if s.Workers != nil {
		wk := *s.Workers
		s.Workers = &wk
	}
	if s.Files != nil {
		f := *s.Files
		s.Files = &f
	}
	s.Observability.Overrides = maps.Clone(s.Observability.Overrides)
	if c := s.Observability.CentralLogs; c != nil {
		cl := *c
		s.Observability.CentralLogs = &cl
	}
	return s, nil
}

// requestsAbove is a tier's traffic alarm: requests per minute past which someone should look.
func requestsAbove(perMinute float64) map[string]signals.Override {
	return map[string]signals.Override{"web-requests": {Threshold: &perMinute}}
}

// Resolve returns the spec of the settings' tier with the settings' overrides applied, validated.
func Resolve(s Settings) (Spec, error) {
	spec, err := SpecFor(s.Tier)
	if err != nil {
		return Spec{}, err
	}
	if err := spec.applyNetwork(s.Network); err != nil {
		return Spec{}, err
	}
	if err := spec.applyData(s.Data); err != nil {
		return Spec{}, err
	}
	if err := checkBacktrackWithDR(spec, s.DRRegion); err != nil {
		return Spec{}, err
	}
	if err := spec.applyDR(s.DRRegion, s.DR); err != nil {
		return Spec{}, err
	}
	spec.raiseGlobalPrimaryCapacity(s.Data.MinACU != nil)
	if err := spec.applyCache(s.Cache); err != nil {
		return Spec{}, err
	}
	if spec.Cache != nil {
		spec.Cache.Unprotected = spec.Data.Unprotected // protectData covers every data store
	}
	if err := spec.applyStreaming(s.Streaming); err != nil {
		return Spec{}, err
	}
	if spec.Streaming != nil {
		spec.Streaming.Unprotected = spec.Data.Unprotected // protectData covers every data store
	}
	if err := spec.applyWeb(s.App, s.Web); err != nil {
		return Spec{}, err
	}
	if err := spec.applyEdge(s.Edge); err != nil {
		return Spec{}, err
	}
	if err := spec.applyFiles(s.Files, spec.Web.Mode); err != nil {
		return Spec{}, err
	}
	if err := spec.applyWorkers(s.Workers, spec.Web.Mode); err != nil {
		return Spec{}, err
	}
	if err := spec.applyDRCompute(s.DR); err != nil {
		return Spec{}, err
	}
	if err := spec.applyAlarms(s); err != nil {
		return Spec{}, err
	}
	if err := spec.Validate(); err != nil {
		return Spec{}, err
	}
	return spec, nil
}

// checkBacktrackWithDR refuses backtracking on a stack with a DR region: the DR region's global
// database does not support it (Aurora User Guide, "Limitations of Amazon Aurora global
// databases"), and a cluster created with it can only turn it off for good.
func checkBacktrackWithDR(spec Spec, drRegion string) error {
	if drRegion == "" || spec.Data.BacktrackHours == 0 {
		return nil
	}
	return fmt.Errorf("tier %s: tierstack:data backtrackHours %d is set with tierstack:drRegion %s, and Aurora global databases do not support backtracking (allowed: backtrackHours 0 with a DR region)",
		spec.Tier, spec.Data.BacktrackHours, drRegion)
}

// applyNetwork applies the tierstack:network overrides.
func (s *Spec) applyNetwork(o NetworkOverrides) error {
	n := &s.Network
	if o.CIDR != "" {
		n.CIDR = o.CIDR
	}
	if len(o.AvailabilityZones) > 0 {
		n.AvailabilityZones = o.AvailabilityZones
		if o.AZCount == 0 && len(o.AvailabilityZones) < n.AZCount {
			// Fewer pinned zones than the tier wants: say so rather than shrink the tier.
			return fmt.Errorf("tierstack:network availabilityZones lists %d zones but tier %s spans %d (list at least %d, or set azCount)",
				len(o.AvailabilityZones), s.Tier, n.AZCount, n.AZCount)
		}
	}
	if o.AZCount != 0 {
		n.AZCount = o.AZCount
	}
	if o.NATStrategy != "" {
		nat, err := network.ParseNATStrategy(o.NATStrategy)
		if err != nil {
			return fmt.Errorf("tierstack:network %w", err)
		}
		n.NATStrategy = nat
	}
	if o.FlowLogs != nil {
		n.DisableFlowLogs = !*o.FlowLogs
	}
	if o.FlowLogRetentionDays != 0 {
		n.FlowLogRetentionDays = o.FlowLogRetentionDays
	}
	if len(o.BastionAllowedCIDRs) > 0 {
		n.BastionAllowedCIDRs = o.BastionAllowedCIDRs
	}
	if len(o.S3EndpointExtraBuckets) > 0 {
		n.S3EndpointExtraBuckets = o.S3EndpointExtraBuckets
	}
	return nil
}

// Validate checks every component's arguments and the rules of the tier, so that bad input fails
// before any resource is registered.
func (s Spec) Validate() error {
	if err := s.Network.Validate(); err != nil {
		return fmt.Errorf("tier %s: tierstack:%w", s.Tier, err)
	}
	if s.Tier != Tier100 && s.Network.NATStrategy == network.NATNone {
		return fmt.Errorf("tier %s: tierstack:network natStrategy none leaves the private application subnets with no way out (allowed from 10k up: single, perAz)", s.Tier)
	}
	if s.Web.Mode != webtier.ModeInstance && s.Network.NATStrategy == network.NATNone {
		return fmt.Errorf("tier %s: tierstack:web mode %s runs the app in the private subnets, which natStrategy none leaves with no way out to pull the image (allowed: tierstack:network natStrategy single or perAz, or tierstack:web mode instance)", s.Tier, s.Web.Mode)
	}
	// The Network is filled in by Deploy; validate the rest with a placeholder.
	data := s.Data
	data.Network = &network.Network{}
	if err := data.Validate(); err != nil {
		return fmt.Errorf("tier %s: tierstack:data %s", s.Tier, strings.TrimPrefix(err.Error(), "datatier: "))
	}
	if err := s.Web.Validate(); err != nil {
		msg := err.Error()
		if rest, ok := strings.CutPrefix(msg, "webtier: app "); ok {
			return fmt.Errorf("tier %s: tierstack:app %s", s.Tier, rest)
		}
		return fmt.Errorf("tier %s: tierstack:web %s", s.Tier, strings.TrimPrefix(msg, "webtier: "))
	}
	if s.CDN != nil {
		if s.Web.Mode == webtier.ModeInstance {
			return fmt.Errorf("tier %s: tierstack:edge cdn needs a load balancer to send the dynamic requests to (allowed: cdn false, or tierstack:web mode autoscaling)", s.Tier)
		}
		if err := s.CDN.Validate(); err != nil {
			return fmt.Errorf("tier %s: tierstack:edge %w", s.Tier, err)
		}
	}
	if s.Firewall != nil {
		if s.Web.Mode == webtier.ModeInstance {
			return fmt.Errorf("tier %s: tierstack:edge waf needs a load balancer to sit in front of (allowed: waf false, or tierstack:web mode autoscaling)", s.Tier)
		}
		if err := s.Firewall.Validate(); err != nil {
			// The component's names for its settings, as tierstack:edge spells them.
			msg := err.Error()
			for component, setting := range map[string]string{"logRetentionDays": "wafLogRetentionDays", "ruleGroups": "addRuleGroups"} {
				if rest, ok := strings.CutPrefix(msg, component+" "); ok {
					msg = setting + " " + rest
				}
			}
			return fmt.Errorf("tier %s: tierstack:edge %s", s.Tier, msg)
		}
	}
	if s.Cache != nil {
		if err := s.Cache.Validate(); err != nil {
			return fmt.Errorf("tier %s: tierstack:cache %s", s.Tier, strings.TrimPrefix(err.Error(), "cachetier: "))
		}
	}
	if err := s.validateStreaming(); err != nil {
		return err
	}
	if err := s.validateDR(); err != nil {
		return err
	}
	return s.validateObservability()
}
