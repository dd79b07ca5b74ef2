package cachetier

import (
	"fmt"
	"strings"
)

// Engine is the cache engine a CacheTier runs. It is fixed for the life of a stack: ElastiCache
// upgrades Redis OSS to Valkey in place, but any other engine change replaces the replication group
// (see CheckChange).
type Engine string

// The engines.
const (
	// EngineValkey is Valkey, the open-source fork of Redis OSS 7.2; the default.
	EngineValkey Engine = "valkey"
	// EngineRedis is Redis OSS.
	EngineRedis Engine = "redis"
)

// Engines returns the allowed engines, as a new slice.
func Engines() []Engine { return []Engine{EngineValkey, EngineRedis} }

// ParseEngine reads an engine name, ignoring case.
func ParseEngine(s string) (Engine, error) {
	for _, e := range Engines() {
		if strings.EqualFold(s, string(e)) {
			return e, nil
		}
	}
	return "", fmt.Errorf("engine %q is not known (allowed: valkey, redis)", s)
}

// ClusterMode is how a CacheTier spreads its data. The values are ElastiCache's own (the
// replication group's clusterMode), and a stack only ever moves forward through them, one step per
// pulumi up: disabled, then compatible, then enabled (see CheckModeChange).
type ClusterMode string

// The cluster modes.
const (
	// ModeDisabled is one shard: a primary and Replicas read replicas, reached through the primary
	// and reader endpoints. The default.
	ModeDisabled ClusterMode = "disabled"
	// ModeCompatible is the step between disabled and enabled: still one shard, served both ways, so
	// that clients can move to the cluster protocol and the configuration endpoint while the old
	// endpoints keep working. The CacheTier's Endpoint and connection secret name the configuration
	// endpoint from this mode on. AWS allows no other change to the group while it is in this mode.
	ModeCompatible ClusterMode = "compatible"
	// ModeEnabled is Shards shards of one primary and ReplicasPerShard replicas each, reached through
	// the configuration endpoint with a cluster-aware client.
	ModeEnabled ClusterMode = "enabled"
)

// ClusterModes returns the allowed modes in the order a stack moves through them, as a new slice.
func ClusterModes() []ClusterMode { return []ClusterMode{ModeDisabled, ModeCompatible, ModeEnabled} }

// ParseClusterMode reads a cluster mode name, ignoring case.
func ParseClusterMode(s string) (ClusterMode, error) {
	for _, m := range ClusterModes() {
		if strings.EqualFold(s, string(m)) {
			return m, nil
		}
	}
	return "", fmt.Errorf("mode %q is not known (allowed: disabled, compatible, enabled)", s)
}

// step is a mode's place on the one-way road disabled → compatible → enabled; -1 for an unknown mode.
func (m ClusterMode) step() int {
	for i, known := range ClusterModes() {
		if m == known {
			return i
		}
	}
	return -1
}

// Port is the port the cache listens on, Valkey's and Redis OSS's default. It is fixed: changing a
// replication group's port replaces it.
const Port = 6379

// DefaultNodeType is the node type a CacheTier uses when Args.NodeType is empty: the smallest
// Graviton burstable type with enough memory for sessions (1.37 GiB).
const DefaultNodeType = "cache.t4g.small"

// DefaultEngineVersion returns the engine version a CacheTier pins when Args.EngineVersion is empty:
// Valkey 8.0 or Redis OSS 7.1, the newest release of each that the pinned provider knows well and
// that can move to cluster mode in place (Valkey ≥ 7.2, Redis OSS ≥ 7.0). Source: ElastiCache
// "Supported engines and versions" and "Engine specific parameters" (docs.aws.amazon.com/
// AmazonElastiCache/latest/dg/supported-engine-versions.html, ParameterGroups.Engine.html), seen
// 2026-11-22.
func DefaultEngineVersion(e Engine) string {
	if e == EngineRedis {
		return "7.1"
	}
	return "8.0"
}

// engineVersions are the versions a CacheTier accepts per engine, each with its parameter group
// family. Valkey 8.x parameters are family valkey8 and Valkey 7.2 is valkey7; every Redis OSS 7.x is
// redis7 ("Valkey 7.2 parameters are the same as Redis OSS 7 parameters"; ElastiCache "Engine
// specific parameters", seen 2026-11-22). Only versions that can move to cluster mode in place are
// here, so no stack is stranded in cluster mode disabled: Valkey ≥ 7.2, Redis OSS ≥ 7.0
// ("Modifying cluster mode", docs.aws.amazon.com/AmazonElastiCache/latest/dg/modify-cluster-mode.html).
var engineVersions = map[Engine][]struct{ version, family string }{
	EngineValkey: {{"7.2", "valkey7"}, {"8.0", "valkey8"}, {"8.1", "valkey8"}, {"8.2", "valkey8"}},
	EngineRedis:  {{"7.0", "redis7"}, {"7.1", "redis7"}},
}

// EngineVersions returns the versions a CacheTier accepts for an engine, oldest first.
func EngineVersions(e Engine) []string {
	var out []string
	for _, v := range engineVersions[e] {
		out = append(out, v.version)
	}
	return out
}

// ParameterGroupFamily returns the ElastiCache parameter group family of an engine version
// ("valkey8" for Valkey 8.0), or "" when the version is not one EngineVersions lists.
func ParameterGroupFamily(e Engine, version string) string {
	for _, v := range engineVersions[e] {
		if v.version == version {
			return v.family
		}
	}
	return ""
}

// nodeFamilies are the node type families a CacheTier accepts: current-generation families that run
// Valkey and Redis OSS 7 with encryption in transit and at rest, and Multi-AZ. r6gd is left out on
// purpose: it needs data tiering, which can only be chosen when the group is created. Source:
// ElastiCache "Supported node types" (docs.aws.amazon.com/AmazonElastiCache/latest/dg/
// CacheNodes.SupportedTypes.html), seen 2026-11-22.
var nodeFamilies = []string{"t3", "t4g", "m5", "m6g", "m7g", "r5", "r6g", "r7g", "c7gn"}

// The AWS limits a CacheTier checks before it registers anything.
const (
	// MaxReplicas is the most read replicas a shard (or a cluster-mode-disabled group) holds: a shard
	// is one primary and 0 to 5 replicas (ElastiCache "Working with shards", Shards.html; facts.md §C).
	MaxReplicas = 5
	// MaxShards is the most shards a cluster-mode-enabled group holds (Clusters.html: "can have up to
	// 500 shards"; facts.md §C).
	MaxShards = 500
	// MaxNodes is the most nodes a cluster-mode-enabled group can hold even with a raised quota
	// (Clusters.html: "increased to a maximum of 500 per cluster" for Valkey ≥ 7.2 and Redis OSS ≥
	// 5.0.6).
	MaxNodes = 500
	// DefaultNodeQuota is the default quota of nodes per cluster-mode-enabled group (facts.md §C: "default
	// 90 nodes"). A CacheTier with more nodes warns rather than refuses: the quota can be raised.
	DefaultNodeQuota = 90
	// MaxSnapshotRetentionDays is the longest ElastiCache keeps automatic snapshots (ElastiCache
	// "Scheduling automatic backups", backups-automatic.html; the provider's schema checks
	// snapshot_retention_limit ≤ 35 in internal/service/elasticache/replication_group.go).
	MaxSnapshotRetentionDays = 35
)

// The defaults of the time-related Args.
const (
	// DefaultSnapshotRetentionDays is how long daily snapshots are kept when Args.SnapshotRetentionDays is 0.
	DefaultSnapshotRetentionDays = 7
	// DefaultSnapshotWindow is the daily snapshot window (UTC) when Args.SnapshotWindow is empty.
	DefaultSnapshotWindow = "03:00-04:00"
	// DefaultMaintenanceWindow is the weekly maintenance window (UTC) when Args.MaintenanceWindow is
	// empty; it does not overlap DefaultSnapshotWindow.
	DefaultMaintenanceWindow = "sun:05:00-sun:06:00"
	// DefaultLogRetentionDays is how long the slow and engine logs are kept when Args.LogRetentionDays is 0.
	DefaultLogRetentionDays = 30
)
