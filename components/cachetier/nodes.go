package cachetier

import "fmt"

// NodeSlot is one node's place in a replication group: its shard (node group) and its position in
// the shard, both from 1. Shard 1 is the only shard of ModeDisabled and ModeCompatible.
type NodeSlot struct {
	Shard, Node int
}

// NodeSlots lists the slots of a topology, shard by shard: every node's place, which never moves
// when shards or replicas are added (a new shard's nodes and a new replica get slots of their own).
func NodeSlots(t Topology) []NodeSlot {
	out := make([]NodeSlot, 0, t.Nodes)
	for s := 1; s <= t.Shards; s++ {
		for n := 1; n <= 1+t.ReplicasPerShard; n++ {
			out = append(out, NodeSlot{Shard: s, Node: n})
		}
	}
	return out
}

// MemberClusterID is the ID ElastiCache gives the node in slot of replication group groupID: in
// cluster mode enabled "<group>-<shard, 4 digits>-<node, 3 digits>", otherwise "<group>-<node, 3
// digits>". CloudWatch reports a node's metrics under this ID (the CacheClusterId dimension).
//
// Sources: the ElastiCache API reference numbers node groups "0001 to 0090" (NodeGroup,
// NodeGroupId); terraform-provider-aws names the first member cluster of a cluster-mode-disabled
// group "%s-001" (internal/service/elasticache/replication_group.go, resourceReplicationGroupUpdate,
// SnapshottingClusterId); public modules alarm on "%s-0001-001" in cluster mode enabled. AWS does
// not document the pattern as a contract, and a group moved to cluster mode from disabled keeps the
// IDs its nodes had ("<group>-001"…): see docs/cache.md, "Per-node alarms".
//
// It is derived from the group's ID and the slot alone, never from the group's memberClusters (an
// unordered set that the provider leaves unknown while the node count changes), so growing the
// group never re-points an existing node's alarm.
func MemberClusterID(groupID string, mode ClusterMode, slot NodeSlot) string {
	if mode == ModeEnabled {
		return fmt.Sprintf("%s-%04d-%03d", groupID, slot.Shard, slot.Node)
	}
	return fmt.Sprintf("%s-%03d", groupID, slot.Node)
}
