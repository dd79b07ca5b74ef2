package tiers

import (
	"fmt"
	"maps"

	"github.com/tierstack/tierstack/components/cachetier"
)

// CacheOverrides are the tierstack:cache settings. A zero field keeps the tier's value.
type CacheOverrides struct {
	// Enabled true builds a cache at tier 100 (the 10k tier's); false builds none at any tier.
	Enabled *bool `json:"enabled,omitempty"`
	// Engine is valkey or redis, chosen once per stack.
	Engine string `json:"engine,omitempty"`
	// EngineVersion pins the engine version.
	EngineVersion string `json:"engineVersion,omitempty"`
	// ClusterMode states the group's cluster mode: disabled, compatible or enabled. From 100k up it
	// must be set, as AWS moves a running group to cluster mode one step per pulumi up.
	ClusterMode string `json:"clusterMode,omitempty"`
	// Replicas beside the primary, in modes disabled and compatible.
	Replicas *int `json:"replicas,omitempty"`
	// Shards in mode enabled.
	Shards int `json:"shards,omitempty"`
	// ReplicasPerShard in mode enabled.
	ReplicasPerShard *int `json:"replicasPerShard,omitempty"`
	// NodeType is every node's type.
	NodeType string `json:"nodeType,omitempty"`
	// Parameters are engine parameters.
	Parameters map[string]string `json:"parameters,omitempty"`
	// SnapshotRetentionDays is 1 to 35.
	SnapshotRetentionDays int `json:"snapshotRetentionDays,omitempty"`
	// SnapshotWindow is hh24:mi-hh24:mi in UTC.
	SnapshotWindow string `json:"snapshotWindow,omitempty"`
	// MaintenanceWindow is ddd:hh24:mi-ddd:hh24:mi in UTC.
	MaintenanceWindow string `json:"maintenanceWindow,omitempty"`
	// LogRetentionDays is how long slow and engine logs are kept.
	LogRetentionDays int `json:"logRetentionDays,omitempty"`
}

// cacheFields lists tierstack:cache's fields for error messages.
const cacheFields = "enabled, engine, engineVersion, clusterMode, replicas, shards, replicasPerShard, nodeType, parameters, snapshotRetentionDays, snapshotWindow, maintenanceWindow, logRetentionDays"

// sessionCache is the 10k tier's cache, the smallest: a primary and a replica in another zone, the
// session store of the stateful web app write-up. It is the only cache a group in cluster mode
// disabled or compatible can have been, so those modes build it at any tier.
func sessionCache() *cachetier.Args {
	return &cachetier.Args{Mode: cachetier.ModeDisabled, Replicas: 1}
}

// applyCache applies the tierstack:cache overrides.
func (s *Spec) applyCache(o CacheOverrides) error {
	if o.Enabled != nil && !*o.Enabled {
		s.Cache = nil
		return nil
	}
	c := s.Cache
	if c == nil {
		if o.Enabled == nil {
			return nil
		}
		c = sessionCache()
	}
	if o.ClusterMode != "" {
		mode, err := cachetier.ParseClusterMode(o.ClusterMode)
		if err != nil {
			return fmt.Errorf("tierstack:cache %w", err)
		}
		switch {
		case mode != cachetier.ModeEnabled:
			// On the way to cluster mode, the group is still the session cache it was.
			c = sessionCache()
			c.Mode = mode
		case c.Mode != cachetier.ModeEnabled:
			// A tier without cluster mode keeping a group that has moved on: one shard.
			c = &cachetier.Args{Mode: cachetier.ModeEnabled, Shards: 1, ReplicasPerShard: 1}
		}
	}
	if o.Engine != "" {
		c.Engine = cachetier.Engine(o.Engine)
	}
	setString(&c.EngineVersion, o.EngineVersion)
	setString(&c.NodeType, o.NodeType)
	setString(&c.SnapshotWindow, o.SnapshotWindow)
	setString(&c.MaintenanceWindow, o.MaintenanceWindow)
	if o.Replicas != nil {
		c.Replicas = *o.Replicas
	}
	if o.Shards != 0 {
		c.Shards = o.Shards
	}
	if o.ReplicasPerShard != nil {
		c.ReplicasPerShard = *o.ReplicasPerShard
	}
	if len(o.Parameters) > 0 {
		c.Parameters = maps.Clone(o.Parameters)
	}
	if o.SnapshotRetentionDays != 0 {
		c.SnapshotRetentionDays = o.SnapshotRetentionDays
	}
	if o.LogRetentionDays != 0 {
		c.LogRetentionDays = o.LogRetentionDays
	}
	s.Cache = c
	return nil
}

// clusterModeUnstated explains why a tier whose cache runs in cluster mode needs the mode stated.
func clusterModeUnstated(t Tier) error {
	return fmt.Errorf("tier %s: tierstack:cache clusterMode is not set (tier %s runs the cache in cluster mode, which AWS reaches from a running group only one step per pulumi up and never back; allowed: enabled for a new stack or one already in cluster mode; compatible, then enabled, for a stack grown from 10k). %s",
		t, t, cachetier.ModeSteps)
}
