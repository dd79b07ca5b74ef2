package cachetier

import (
	"fmt"
	"maps"
	"strings"
)

// CheckModeChange says whether a stack may go from one cluster mode to another in one pulumi up.
// AWS moves a replication group towards cluster mode in two steps and never back ("Modifying cluster
// mode", docs.aws.amazon.com/AmazonElastiCache/latest/dg/modify-cluster-mode.html: "Cluster mode
// configuration can only be changed from cluster mode disabled to cluster mode enabled. Reverting
// this configuration is not possible"; the ClusterMode API field: "To modify cluster mode from
// Disabled to Enabled, you must first set the cluster mode to Compatible"). So staying put,
// disabled → compatible and compatible → enabled are allowed; disabled → enabled is refused with the
// steps to take, and every move back is refused. "" stands for ModeDisabled, as in Args.
//
// A CacheTier keeps no state, so it cannot know the mode a stack was in: the caller (the tier layer)
// asks its user for both and calls this before New.
func CheckModeChange(from, to ClusterMode) error {
	if from == "" {
		from = ModeDisabled
	}
	if to == "" {
		to = ModeDisabled
	}
	for _, m := range []ClusterMode{from, to} {
		if m.step() < 0 {
			return fmt.Errorf("cachetier: mode %q is not known (allowed: disabled, compatible, enabled)", m)
		}
	}
	switch d := to.step() - from.step(); {
	case d == 0 || d == 1:
		return nil
	case d < 0:
		return fmt.Errorf("cachetier: mode %s → %s is not possible: AWS cannot revert a move towards cluster mode (allowed: stay in mode %s, or move forward; going back means a new group restored from a snapshot, with a new name)",
			from, to, from)
	default:
		return fmt.Errorf("cachetier: mode %s → %s cannot be one pulumi up (allowed: one step at a time, disabled → compatible → enabled). %s",
			from, to, ModeSteps)
	}
}

// ModeSteps are the steps, and the pulumi ups, that move a running group to cluster mode.
const ModeSteps = "Take these steps: " +
	"1) with at least 1 replica (replicas ≥ 1: automatic failover and Multi-AZ on), set mode compatible and change nothing else; pulumi up. " +
	"2) Move every client to a cluster-aware client on the configuration endpoint (the connection secret's host from step 1 on), with all keys in database 0; the primary endpoint keeps working meanwhile. " +
	"3) Set mode enabled with shards 1, replicasPerShard equal to the replicas and replicas 0, and change nothing else; pulumi up. " +
	"4) Raise shards (and replicasPerShard) as the load needs; pulumi up"

// CheckChange says whether a stack built from args from may be updated to args to in one pulumi up
// without AWS refusing it or the replication group being replaced: both are valid, the mode moves as
// CheckModeChange allows, the engine stays (only Redis OSS → Valkey is an in-place upgrade), the
// engine version never goes down, a step into or out of ModeCompatible changes nothing else of the
// group, and a group in ModeCompatible is neither scaled nor upgraded. The tier layer runs it for a
// change of tier or of the stack's cache settings, when it knows both.
func CheckChange(from, to *Args) error {
	before, err := from.checked(false)
	if err != nil {
		return fmt.Errorf("cachetier: the earlier settings: %w", err)
	}
	after, err := to.checked(false)
	if err != nil {
		return err
	}
	if err := CheckModeChange(before.Mode, after.Mode); err != nil {
		return err
	}
	if before.Engine != after.Engine && (before.Engine != EngineRedis || after.Engine != EngineValkey) {
		return fmt.Errorf("cachetier: engine %s → %s replaces the replication group and loses its data (allowed: %s, or redis → valkey, an in-place upgrade)",
			before.Engine, after.Engine, before.Engine)
	}
	if before.Engine == after.Engine && !versionAtLeast(after.EngineVersion, before.EngineVersion) {
		return fmt.Errorf("cachetier: engineVersion %s → %s is a downgrade, which replaces the replication group and loses its data (allowed: %s or later)",
			before.EngineVersion, after.EngineVersion, before.EngineVersion)
	}
	changed := groupChanges(before, after)
	if len(changed) == 0 {
		return nil
	}
	switch {
	case before.Mode != after.Mode:
		return fmt.Errorf("cachetier: mode %s → %s with %s changed in the same pulumi up (allowed: the mode change alone, as AWS takes no other change of the group with it; make the other changes in a pulumi up of their own, before or after)",
			before.Mode, after.Mode, strings.Join(changed, ", "))
	case after.Mode == ModeCompatible:
		return fmt.Errorf("cachetier: %s changed in mode compatible (allowed: no change, as AWS allows no scaling or engine change in this mode; set mode enabled first)",
			strings.Join(changed, ", "))
	}
	return nil
}

// groupChanges lists the settings of the replication group that differ between two checked Args,
// by their field names; the mode, which CheckModeChange judges, and tags are left out.
func groupChanges(a, b checkedArgs) []string {
	var out []string
	add := func(field string, differ bool) {
		if differ {
			out = append(out, field)
		}
	}
	add("engine", a.Engine != b.Engine)
	add("engineVersion", a.EngineVersion != b.EngineVersion)
	add("nodeType", a.NodeType != b.NodeType)
	add("shards", a.topology.Shards != b.topology.Shards)
	add("replicas", a.topology.ReplicasPerShard != b.topology.ReplicasPerShard)
	add("parameters", !maps.Equal(a.Parameters, b.Parameters))
	add("snapshots", a.DisableSnapshots != b.DisableSnapshots || a.SnapshotRetentionDays != b.SnapshotRetentionDays)
	add("snapshotWindow", a.SnapshotWindow != b.SnapshotWindow)
	add("maintenanceWindow", a.MaintenanceWindow != b.MaintenanceWindow)
	return out
}
