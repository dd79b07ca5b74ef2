package cachetier

import (
	"fmt"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/tierstack/tierstack/internal/signals"
)

// MaxClients is the engine's default maxclients: the connections one node accepts.
const MaxClients = 65000

// Signals describes what to watch in the group, from the Args New was given, node by node
// (ElastiCache reports per node, by its member cluster ID): engine CPU, memory use, evictions,
// current connections and, when the group has replicas, replication lag. Each node is named by its
// slot (MemberClusterID), from the group's ID, so adding shards or replicas adds signals and never
// changes an existing one's dimensions. Pure: it registers nothing. A CacheTier named "cache" has
// the IDs cache-node1-cpu…; any other has its name in place of "cache" (sessions-node1-cpu), so that
// two CacheTiers can share one Observability; families (cache-cpu) stay, and an override of one
// reaches every CacheTier.
func (c *CacheTier) Signals() ([]signals.Signal, error) {
	list, err := PlannedSignals(c.args, func(slot NodeSlot) pulumi.StringInput {
		return c.ReplicationGroup.ReplicationGroupId.ApplyT(func(id string) string {
			return MemberClusterID(id, c.Mode, slot)
		}).(pulumi.StringOutput)
	})
	if err != nil {
		return nil, fmt.Errorf("cachetier %s: %w", c.name, err)
	}
	return signals.Scoped(list, "cache", c.name), nil
}

// PlannedSignals is Signals for a group not built yet, with the IDs of a CacheTier named "cache":
// node gives the member cluster ID of a slot (placeholders will do to check overrides).
func PlannedSignals(args Args, node func(slot NodeSlot) pulumi.StringInput) ([]signals.Signal, error) {
	a, err := args.checked(false)
	if err != nil {
		return nil, err
	}
	var out []signals.Signal
	for _, slot := range NodeSlots(a.topology) {
		out = append(out, nodeSignals(slot, node(slot), a.topology.ReplicasPerShard > 0)...)
	}
	return out, nil
}

// SignalPrefix is the start of the IDs of a node's signals: "cache-node<n>" for the nodes of shard
// 1 (every node of a group in ModeDisabled or ModeCompatible, so those IDs stay when the group moves
// to cluster mode), "cache-shard<s>-node<n>" for the other shards.
func SignalPrefix(slot NodeSlot) string {
	if slot.Shard == 1 {
		return fmt.Sprintf("cache-node%d", slot.Node)
	}
	return fmt.Sprintf("cache-shard%d-node%d", slot.Shard, slot.Node)
}

// nodeSignals are one node's signals; node is its member cluster ID.
func nodeSignals(slot NodeSlot, node pulumi.StringInput, replicas bool) []signals.Signal {
	metric := func(name, stat string) signals.Metric {
		return signals.Metric{Namespace: "AWS/ElastiCache", Name: name, Statistic: stat,
			Dimensions: map[string]pulumi.StringInput{"CacheClusterId": node}}
	}
	id := func(s string) string { return SignalPrefix(slot) + "-" + s }
	resource := fmt.Sprintf("cache node %d of shard %d of the replication group", slot.Node, slot.Shard)
	list := []signals.Signal{
		{ID: id("cpu"), Family: "cache-cpu", Title: "Cache engine CPU", Resource: resource, Layer: signals.LayerCache, Golden: signals.Saturation,
			Metric: metric("EngineCPUUtilization", "Average"), Kind: signals.Percent, Threshold: 90, Comparison: signals.AtOrAbove,
			Period: 300, EvaluationPeriods: 3, Missing: signals.MissingMissing, Severity: signals.Page,
			Meaning:    "the engine's single thread is saturated: every request to this node waits.",
			CheckFirst: "slow log for O(N) commands (KEYS, large HGETALL), then a hot key on this node's shard."},
		{ID: id("memory"), Family: "cache-memory", Title: "Cache memory used", Resource: resource, Layer: signals.LayerCache, Golden: signals.Saturation,
			Metric: metric("DatabaseMemoryUsagePercentage", "Maximum"), Kind: signals.Percent, Threshold: 90, Comparison: signals.AtOrAbove,
			Period: 300, EvaluationPeriods: 3, Missing: signals.MissingMissing, Severity: signals.Page,
			Meaning:    "the node is nearly full: it evicts keys (sessions) or refuses writes.",
			CheckFirst: "keys without a TTL, then the node type or the shard count."},
		{ID: id("evictions"), Family: "cache-evictions", Title: "Cache evictions", Resource: resource, Layer: signals.LayerCache, Golden: signals.Errors,
			Metric: metric("Evictions", "Sum"), Kind: signals.Count, Threshold: 1000, Comparison: signals.Above,
			Period: 300, EvaluationPeriods: 1, Missing: signals.MissingNotBreaching, Severity: signals.Notify,
			Meaning:    "keys are evicted for room: users may be logged out and the database takes the misses.",
			CheckFirst: "memory used, then the maxmemory-policy parameter."},
		{ID: id("connections"), Family: "cache-connections", Title: "Cache connections", Resource: resource, Layer: signals.LayerCache, Golden: signals.Traffic,
			Metric: metric("CurrConnections", "Maximum"), Kind: signals.Count, Threshold: MaxClients * 0.8, Comparison: signals.AtOrAbove,
			Period: 60, EvaluationPeriods: 5, Missing: signals.MissingMissing, Severity: signals.Notify,
			Meaning:    "connections are at 80 % of maxclients: new ones will be refused.",
			CheckFirst: "clients that open a connection per request instead of a pool."},
	}
	if replicas {
		list = append(list, signals.Signal{ID: id("replication-lag"), Family: "cache-replication-lag", Title: "Cache replication lag (s)", Resource: resource,
			Layer: signals.LayerCache, Golden: signals.Latency,
			Metric: metric("ReplicationLag", "Maximum"), Kind: signals.Seconds, Threshold: 5, Comparison: signals.AtOrAbove,
			Period: 60, EvaluationPeriods: 5, Missing: signals.MissingNotBreaching, Severity: signals.Notify,
			Meaning:    "this replica is seconds behind its primary (a primary reports no lag): a failover now loses those writes.",
			CheckFirst: "write bursts and network throughput on the primary."})
	}
	return list
}
