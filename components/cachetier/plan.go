package cachetier

import (
	"regexp"
	"strings"
)

// Topology is the node layout of a replication group.
type Topology struct {
	// Shards is the number of node groups: 1 unless the mode is enabled.
	Shards int
	// ReplicasPerShard is the number of read replicas in each shard.
	ReplicasPerShard int
	// Nodes is the total node count, Shards × (1 + ReplicasPerShard).
	Nodes int
	// AutomaticFailover is true when a replica takes over a failed primary. Cluster mode enabled
	// always has it (AWS requires it); the other modes have it with at least one replica.
	AutomaticFailover bool
	// MultiAZ is true when AWS keeps the replicas in other zones than their primary and fails over
	// across zones: whenever there is at least one replica.
	MultiAZ bool
}

// PlanTopology returns the layout of a group in a mode: one shard of a primary and replicas in
// ModeDisabled and ModeCompatible; shards (0 means 1) of a primary and replicasPerShard replicas in
// ModeEnabled. It does not check limits; Args.Validate does.
func PlanTopology(mode ClusterMode, replicas, shards, replicasPerShard int) Topology {
	t := Topology{Shards: 1, ReplicasPerShard: replicas}
	if mode == ModeEnabled {
		t.Shards, t.ReplicasPerShard = max(shards, 1), replicasPerShard
	}
	t.Nodes = t.Shards * (1 + t.ReplicasPerShard)
	t.MultiAZ = t.ReplicasPerShard >= 1
	t.AutomaticFailover = t.MultiAZ || mode == ModeEnabled
	return t
}

// PlaceNodes returns the zone of each node of a one-shard group, primary first: the primary in the
// first zone (AZ slot 0) and each replica in the next zone round the list, so that every replica
// stands in another zone than the primary as long as there are zones enough.
func PlaceNodes(zones []string, replicas int) []string {
	if len(zones) == 0 {
		return nil
	}
	out := make([]string, 0, 1+replicas)
	for i := range 1 + replicas {
		out = append(out, zones[i%len(zones)])
	}
	return out
}

// FinalSnapshotIdentifier is the name of the snapshot ElastiCache takes when the replication group is
// deleted: "name-project-stack-final", lowercased, each run of characters a snapshot name does not
// take turned into one hyphen. It depends only on names, so it never changes between updates;
// deleting a group of the same stack twice needs the first final snapshot removed or renamed, as AWS
// refuses to overwrite it (a backup is never replaced silently).
func FinalSnapshotIdentifier(project, stack, name string) string {
	id := strings.ToLower(strings.Join([]string{name, project, stack, "final"}, "-"))
	id = snapshotNameOdd.ReplaceAllString(id, "-")
	return strings.Trim(id, "-")
}

// snapshotNameOdd matches runs of what a snapshot name does not hold (letters, digits and single
// hyphens are kept).
var snapshotNameOdd = regexp.MustCompile(`[^a-z0-9]+`)

// Child names and parameters the CacheTier uses. Child names are a public contract: renaming one
// replaces the resource unless the caller adds pulumi.Aliases.
const (
	// groupSuffix names the replication group: "name-group".
	groupSuffix = "-group"
	// maxReplicationGroupID is the longest replication group ID AWS takes (the provider's
	// validateReplicationGroupID: 1 to 40 characters, letters, digits and hyphens, starting with a
	// letter, no two hyphens in a row, not ending with one).
	maxReplicationGroupID = 40
	// clusterEnabledParameter is the static engine parameter that says whether a group is in cluster
	// mode.
	clusterEnabledParameter = "cluster-enabled"
)

// parameterGroupFor returns which of the CacheTier's two parameter groups a mode uses: cluster-enabled
// "no" for ModeDisabled, "yes" from ModeCompatible on, as AWS asks a group moving towards cluster mode
// to be given a parameter group with cluster-enabled yes in the same request ("Modifying cluster
// mode").
func parameterGroupFor(mode ClusterMode) (role, clusterEnabled string) {
	if mode == ModeDisabled {
		return "params", "no"
	}
	return "cluster-params", "yes"
}
