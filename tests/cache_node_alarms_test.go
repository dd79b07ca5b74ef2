package tests

import (
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tierstack/tierstack/components/cachetier"
	"github.com/tierstack/tierstack/tiers"
)

// cacheNodeAlarms are a plan's per-node cache alarms, by signal ID, with the node each watches.
func cacheNodeAlarms(t *testing.T, s stack) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, a := range s.All(typeMetricAlarm) {
		id := alarmID(a)
		if !strings.HasPrefix(id, "cache-node") && !strings.HasPrefix(id, "cache-shard") {
			continue
		}
		dims := alarmDimensions(a)
		require.Len(t, dims, 1, "%s watches one node", id)
		out[id] = dims[0]["CacheClusterId"]
	}
	return out
}

// Growing a cache — more replicas beside the primary, more shards, more replicas per shard — adds
// per-node alarms and never changes what an existing alarm watches: each is bound to a node's slot
// (shard, position) and named from the group's ID, not to a position in the group's memberClusters,
// an unordered set. Every alarm watches a node the group has (the fake engine names member clusters
// as ElastiCache does).
func TestCacheNodeAlarmsKeepTheirNodeAsTheGroupGrows(t *testing.T) {
	cases := []struct {
		name      string
		tier      tiers.Tier
		from, to  string // tierstack:cache
		wantAdded int    // nodes the growth adds
	}{
		{"replicas 1 → 3", tiers.Tier10k, `{"replicas":1}`, `{"replicas":3}`, 2},
		{"shards 2 → 4", tiers.Tier100k, `{"clusterMode":"enabled","shards":2,"replicasPerShard":1}`, `{"clusterMode":"enabled","shards":4,"replicasPerShard":1}`, 4},
		{"replicas per shard 1 → 2", tiers.Tier100k, `{"clusterMode":"enabled","shards":2,"replicasPerShard":1}`, `{"clusterMode":"enabled","shards":2,"replicasPerShard":2}`, 2},
		{"100k → 1m: shards 2 → 4 and replicas 1 → 2", tiers.Tier100k, `{"clusterMode":"enabled"}`, `{"clusterMode":"enabled","shards":4,"replicasPerShard":2}`, 8},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			plan := func(cache string) (stack, map[string]string) {
				cfg := tierConfig(c.tier)
				cfg["tierstack:cache"] = cache
				s := planTier(t, cfg)
				return s, cacheNodeAlarms(t, s)
			}
			_, before := plan(c.from)
			after, grown := plan(c.to)
			require.NotEmpty(t, before)
			for id, node := range before {
				require.Contains(t, grown, id, "the alarm %s stays", id)
				assert.Equal(t, node, grown[id], "the alarm %s watches the same node", id)
			}
			nodes := map[string]bool{}
			for _, n := range grown {
				nodes[n] = true
			}
			oldNodes := map[string]bool{}
			for _, n := range before {
				oldNodes[n] = true
			}
			assert.Equal(t, len(oldNodes)+c.wantAdded, len(nodes), "one node more per node added")
			members, _ := cacheGroup(after).Outputs["memberClusters"].([]any)
			for id, node := range grown {
				assert.True(t, slices.Contains(members, any(node)), "%s watches %s, a node of the group %v", id, node, members)
			}
		})
	}
}

// MemberClusterID names nodes as ElastiCache does, from the group's ID and the node's slot alone;
// NodeSlots lists every node's slot shard by shard, and SignalPrefix keeps shard 1's signal IDs
// (cache-nodeN) the same in every mode.
func TestCacheMemberClusterIDs(t *testing.T) {
	cases := []struct {
		mode cachetier.ClusterMode
		slot cachetier.NodeSlot
		want string
	}{
		{cachetier.ModeDisabled, cachetier.NodeSlot{Shard: 1, Node: 1}, "g-001"},
		{cachetier.ModeCompatible, cachetier.NodeSlot{Shard: 1, Node: 3}, "g-003"},
		{cachetier.ModeEnabled, cachetier.NodeSlot{Shard: 1, Node: 1}, "g-0001-001"},
		{cachetier.ModeEnabled, cachetier.NodeSlot{Shard: 12, Node: 6}, "g-0012-006"},
	}
	for _, c := range cases {
		assert.Equal(t, c.want, cachetier.MemberClusterID("g", c.mode, c.slot), "%s %+v", c.mode, c.slot)
	}
	slots := cachetier.NodeSlots(cachetier.PlanTopology(cachetier.ModeEnabled, 0, 2, 1))
	assert.Equal(t, []cachetier.NodeSlot{{Shard: 1, Node: 1}, {Shard: 1, Node: 2}, {Shard: 2, Node: 1}, {Shard: 2, Node: 2}}, slots)
	assert.Equal(t, "cache-node2", cachetier.SignalPrefix(cachetier.NodeSlot{Shard: 1, Node: 2}))
	assert.Equal(t, "cache-shard3-node1", cachetier.SignalPrefix(cachetier.NodeSlot{Shard: 3, Node: 1}))
}
