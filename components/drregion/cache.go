package drregion

import (
	"fmt"
	"maps"
	"strings"

	"github.com/tierstack/tierstack/components/cachetier"
	"github.com/tierstack/tierstack/components/network"
)

// Cache is the DR region's cache: the primary's, sized by the strategy (Strategy.CacheArgs), in
// the DR Network, admitting only the DR web tier's security group.
type Cache struct {
	// Args are the primary cache's arguments (engine, version, mode, node type, shards, replicas,
	// parameters, snapshots, windows). The DRRegion sets Network (its own), Tags and Unprotected.
	Args cachetier.Args
	// Size overrides the strategy's size.
	Size CacheSize
}

// CacheSize overrides the strategy's size of the DR cache; zero fields keep it.
type CacheSize struct {
	// Shards is the shards of a cluster-mode-enabled cache, 1 to 500; 0 keeps the strategy's.
	Shards int
	// Replicas is the read replicas of each shard (cluster mode enabled) or of the one shard
	// (disabled, compatible), 1 to 5; 0 keeps the strategy's.
	Replicas int
}

// CacheArgs is the DR cache under strategy s, from the primary's cache arguments (nil: none), or
// nil where the strategy runs none (backupRestore, pilotLight: nothing there would use it).
// warmStandby keeps the primary's engine, version, mode, node type and shards (resharding a cache
// under the load of a failover is its slowest change, tens of minutes per shard) with one replica
// per shard instead of the primary's (Multi-AZ still: a node's loss fails over; replicas are read
// capacity, added in place when the region takes the load); activeActive is the primary's size.
// Size overrides shards and replicas. The DR cache holds none of the primary's data: it starts
// cold after a failover, and it is unprotected (its final snapshot is still taken and its key
// kept), so that a strategy can be turned down in one pulumi up.
func (s Strategy) CacheArgs(primary *cachetier.Args, size CacheSize) (*cachetier.Args, error) {
	if primary == nil || !s.RunsCompute() {
		if size != (CacheSize{}) {
			return nil, fmt.Errorf("cache shards %d / replicas %d are set with strategy %s, which runs no cache in the DR region (allowed: none, or strategy %s or %s with a primary cache)",
				size.Shards, size.Replicas, s, StrategyWarmStandby, StrategyActiveActive)
		}
		return nil, nil
	}
	c := *primary
	c.Network, c.Tags = nil, nil
	c.Parameters = maps.Clone(primary.Parameters)
	c.Unprotected = true
	if c.Mode == "" {
		c.Mode = cachetier.ModeDisabled
	}
	enabled := c.Mode == cachetier.ModeEnabled
	if s == StrategyWarmStandby {
		if enabled {
			c.ReplicasPerShard = min(c.ReplicasPerShard, 1)
		} else {
			c.Replicas = min(c.Replicas, 1)
		}
	}
	if size.Shards != 0 {
		if !enabled {
			return nil, fmt.Errorf("cache shards %d is set and the cache's mode is %s, which has one shard (allowed: shards 0, or cluster mode enabled)", size.Shards, c.Mode)
		}
		c.Shards = size.Shards
	}
	if size.Replicas != 0 {
		if size.Replicas < 1 || size.Replicas > cachetier.MaxReplicas {
			return nil, fmt.Errorf("cache replicas %d is out of range (allowed: 1 to %d)", size.Replicas, cachetier.MaxReplicas)
		}
		if enabled {
			c.ReplicasPerShard = size.Replicas
		} else {
			c.Replicas = size.Replicas
		}
	}
	return &c, nil
}

// cacheArgs are the DR cache's CacheTier arguments: Args.Cache sized by the strategy, checked as
// the CacheTier checks them; nil without Args.Cache.
func (a Args) cacheArgs() (*cachetier.Args, error) {
	if a.Cache == nil {
		return nil, nil
	}
	if !a.Strategy.RunsCompute() {
		return nil, fmt.Errorf("drregion: cache is set with strategy %s, which runs nothing in the DR region to use it (allowed: none, or strategy %s or %s)",
			a.Strategy, StrategyWarmStandby, StrategyActiveActive)
	}
	if a.Web == nil {
		return nil, fmt.Errorf("drregion: cache is set without web (allowed: a cache with the DR web tier, its one client)")
	}
	c, err := a.Strategy.CacheArgs(&a.Cache.Args, a.Cache.Size)
	if err != nil {
		return nil, fmt.Errorf("drregion: %w", err)
	}
	check := *c
	check.Network = &network.Network{}
	if err := check.Validate(); err != nil {
		return nil, fmt.Errorf("drregion: cache %s", strings.TrimPrefix(err.Error(), "cachetier: "))
	}
	return c, nil
}
