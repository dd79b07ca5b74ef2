package cachetier

import (
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// The replication group's customTimeouts. terraform-provider-aws, on which pulumi-aws builds the
// group, waits at most 60 minutes for a creation, 40 for an update and 45 for a deletion by default
// (internal/service/elasticache/replication_group.go, Timeouts). An update runs its steps one after
// another — resharding (ModifyReplicationGroupShardConfiguration), then the replica count
// (IncreaseReplicaCount), then ModifyReplicationGroup for the node type, engine and settings — and
// waits for the group to be available after each, each wait bounded by the update timeout (same
// file, resourceReplicationGroupUpdate and modifyReplicationGroupShardConfiguration*). AWS publishes
// no duration for any step: resharding "depends on the load on the cluster, memory utilization, and
// overall size of data" (ElastiCache, "Online cluster resizing", best-practices-online-resharding.html),
// and vertical scaling copies every node's data to a node of the new type. So the timeouts are set
// to what a tier change can need as a whole (the deploy estimate times 100k → 1m at 50 minutes with
// an empty cache; see insights/durations.json), with room for the data: a timeout that passes leaves
// the group modifying in AWS and the stack with a failed update to run again.
const (
	// GroupCreateTimeout bounds the creation of the group: CI runs of the provider reached 50 minutes
	// for a Multi-AZ group (terraform-provider-aws pull requests 2048 and 4093).
	GroupCreateTimeout = 90 * time.Minute
	// GroupUpdateTimeout bounds each step of an update: a reshard moving a full cache's slots, a
	// replica count change and a node type change of every node.
	GroupUpdateTimeout = 3 * time.Hour
	// GroupDeleteTimeout bounds the deletion, which takes the final snapshot first.
	GroupDeleteTimeout = 90 * time.Minute
)

// GroupTimeouts are the replication group's customTimeouts.
func GroupTimeouts() *pulumi.CustomTimeouts {
	return &pulumi.CustomTimeouts{
		Create: GroupCreateTimeout.String(),
		Update: GroupUpdateTimeout.String(),
		Delete: GroupDeleteTimeout.String(),
	}
}
