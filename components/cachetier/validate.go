package cachetier

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/tierstack/tierstack/components/network"
)

// Validate checks the arguments as New does before it looks anything up, so that a caller composing
// several components can refuse bad input before any of them registers a resource. It leaves out
// Network, which exists only once the Network is built: New refuses a nil one.
func (args *Args) Validate() error {
	_, err := args.checked(false)
	return err
}

// checkedArgs are Args with defaults applied, and what New derives from them.
type checkedArgs struct {
	Args
	family   string   // the parameter group family of the engine version
	topology Topology // shards, replicas, nodes, failover
	zones    []string // the zone of each node of a one-shard group, primary first
}

// checked applies the defaults to a copy of args and validates it, the Network too when withNetwork.
// Errors name the field, the bad value and what is allowed.
func (args *Args) checked(withNetwork bool) (checkedArgs, error) {
	var a Args
	if args != nil {
		a = *args
	}
	a.Parameters = maps.Clone(a.Parameters)
	a.Tags = maps.Clone(a.Tags)
	if a.Engine == "" {
		a.Engine = EngineValkey
	}
	if a.Mode == "" {
		a.Mode = ModeDisabled
	}
	if a.NodeType == "" {
		a.NodeType = DefaultNodeType
	}
	if a.SnapshotWindow == "" {
		a.SnapshotWindow = DefaultSnapshotWindow
	}
	if a.MaintenanceWindow == "" {
		a.MaintenanceWindow = DefaultMaintenanceWindow
	}
	if a.LogRetentionDays == 0 {
		a.LogRetentionDays = DefaultLogRetentionDays
	}

	if !slices.Contains(Engines(), a.Engine) {
		return checkedArgs{}, fmt.Errorf("cachetier: engine %q is not known (allowed: valkey, redis)", a.Engine)
	}
	if a.EngineVersion == "" {
		a.EngineVersion = DefaultEngineVersion(a.Engine)
	}
	family := ParameterGroupFamily(a.Engine, a.EngineVersion)
	if family == "" {
		return checkedArgs{}, fmt.Errorf("cachetier: engineVersion %q is not one this CacheTier runs for engine %s (allowed: %s; \"\" means %s)",
			a.EngineVersion, a.Engine, strings.Join(EngineVersions(a.Engine), ", "), DefaultEngineVersion(a.Engine))
	}
	topology, err := checkTopology(a)
	if err != nil {
		return checkedArgs{}, err
	}
	if withNetwork {
		// A group that fails over across zones needs two of them; one node needs one.
		minZones := 1
		if topology.MultiAZ {
			minZones = 2
		}
		if err := a.Network.CheckFor("cachetier", minZones, network.SubnetData); err != nil {
			return checkedArgs{}, err
		}
	}
	if err := checkNodeType(a.NodeType); err != nil {
		return checkedArgs{}, err
	}
	if err := checkParameters(a.Parameters); err != nil {
		return checkedArgs{}, err
	}
	if err := checkSnapshots(&a); err != nil {
		return checkedArgs{}, err
	}
	if !slices.Contains(logRetentionDays, a.LogRetentionDays) {
		return checkedArgs{}, fmt.Errorf("cachetier: logRetentionDays %d is not a CloudWatch Logs retention (allowed: %v; 0 means %d)",
			a.LogRetentionDays, logRetentionDays, DefaultLogRetentionDays)
	}
	c := checkedArgs{Args: a, family: family, topology: topology}
	if a.Network != nil {
		c.zones = PlaceNodes(a.Network.Zones, a.Replicas)
	}
	return c, nil
}

// checkTopology checks the mode and the counts against AWS's limits and plans the topology.
func checkTopology(a Args) (Topology, error) {
	if !slices.Contains(ClusterModes(), a.Mode) {
		return Topology{}, fmt.Errorf("cachetier: mode %q is not known (allowed: disabled, compatible, enabled)", a.Mode)
	}
	if a.Replicas < 0 || a.Replicas > MaxReplicas {
		return Topology{}, fmt.Errorf("cachetier: replicas %d is out of range (allowed: 0 to %d replicas beside the primary)", a.Replicas, MaxReplicas)
	}
	if a.ReplicasPerShard < 0 || a.ReplicasPerShard > MaxReplicas {
		return Topology{}, fmt.Errorf("cachetier: replicasPerShard %d is out of range (allowed: 0 to %d replicas per shard)", a.ReplicasPerShard, MaxReplicas)
	}
	if a.Shards < 0 || a.Shards > MaxShards {
		return Topology{}, fmt.Errorf("cachetier: shards %d is out of range (allowed: 1 to %d; 0 means 1)", a.Shards, MaxShards)
	}
	switch a.Mode {
	case ModeDisabled, ModeCompatible:
		if a.Shards != 0 {
			return Topology{}, fmt.Errorf("cachetier: shards %d in mode %s (allowed: 0, as mode %s always has one shard; shard in mode enabled)", a.Shards, a.Mode, a.Mode)
		}
		if a.ReplicasPerShard != 0 {
			return Topology{}, fmt.Errorf("cachetier: replicasPerShard %d in mode %s (allowed: 0; mode %s counts replicas)", a.ReplicasPerShard, a.Mode, a.Mode)
		}
	case ModeEnabled:
		if a.Replicas != 0 {
			return Topology{}, fmt.Errorf("cachetier: replicas %d in mode enabled (allowed: 0; mode enabled counts replicasPerShard)", a.Replicas)
		}
	}
	// The move to cluster mode needs automatic failover with at least one replica ("Modifying
	// cluster mode", modify-cluster-mode.html), so the compatible step refuses a lone primary.
	if a.Mode == ModeCompatible && a.Replicas < 1 {
		return Topology{}, fmt.Errorf("cachetier: replicas %d in mode compatible (allowed: 1 to %d, as AWS moves a group towards cluster mode only with automatic failover and at least one replica)", a.Replicas, MaxReplicas)
	}
	if a.Mode != ModeDisabled && !versionAtLeast(a.EngineVersion, minClusterModeVersion[a.Engine]) {
		return Topology{}, fmt.Errorf("cachetier: engineVersion %s in mode %s (allowed: %s %s or later, the first that moves to cluster mode)", a.EngineVersion, a.Mode, a.Engine, minClusterModeVersion[a.Engine])
	}
	t := PlanTopology(a.Mode, a.Replicas, a.Shards, a.ReplicasPerShard)
	if t.Nodes > MaxNodes {
		return Topology{}, fmt.Errorf("cachetier: shards %d × (1 + replicasPerShard %d) = %d nodes (allowed: at most %d nodes per group, AWS's ceiling even with a raised quota)",
			t.Shards, t.ReplicasPerShard, t.Nodes, MaxNodes)
	}
	return t, nil
}

// minClusterModeVersion is the first version of each engine that moves to cluster mode in place
// ("Modifying cluster mode": Valkey 7.2 and above, Redis OSS 7.0 and above).
var minClusterModeVersion = map[Engine]string{EngineValkey: "7.2", EngineRedis: "7.0"}

// nodeTypePattern is the shape of a node type: cache.family.size.
var nodeTypePattern = regexp.MustCompile(`^cache\.([a-z][a-z0-9]*)\.([a-z0-9]+)$`)

// checkNodeType refuses a node type that is not a cache. type of a known family.
func checkNodeType(nodeType string) error {
	m := nodeTypePattern.FindStringSubmatch(nodeType)
	if m == nil {
		return fmt.Errorf("cachetier: nodeType %q is not an ElastiCache node type (allowed: cache.<family>.<size>, such as %s)", nodeType, DefaultNodeType)
	}
	if !slices.Contains(nodeFamilies, m[1]) {
		return fmt.Errorf("cachetier: nodeType %q is of family %s, which this CacheTier does not run (allowed families: %s)", nodeType, m[1], strings.Join(nodeFamilies, ", "))
	}
	return nil
}

// checkParameters refuses engine parameters the CacheTier sets itself, and empty names or values.
func checkParameters(params map[string]string) error {
	names := make([]string, 0, len(params))
	for k := range params {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		switch {
		case k == clusterEnabledParameter:
			return fmt.Errorf("cachetier: parameters %q is set by the mode (allowed: any engine parameter but %s)", k, clusterEnabledParameter)
		case strings.TrimSpace(k) == "" || strings.TrimSpace(params[k]) == "":
			return fmt.Errorf("cachetier: parameters %q: %q is empty (allowed: a parameter name and a value)", k, params[k])
		case !parameterNamePattern.MatchString(k):
			return fmt.Errorf("cachetier: parameters: name %q is not a parameter name (allowed: lowercase letters, digits and hyphens, such as maxmemory-policy; no spaces)", k)
		}
	}
	return nil
}

// parameterNamePattern is a Valkey or Redis OSS parameter name, such as maxmemory-policy.
var parameterNamePattern = regexp.MustCompile(`^[a-z][a-z0-9-]*$`)

// checkSnapshots applies the snapshot defaults and checks the retention and both windows.
func checkSnapshots(a *Args) error {
	switch {
	case a.DisableSnapshots && a.SnapshotRetentionDays != 0:
		return fmt.Errorf("cachetier: snapshotRetentionDays %d with disableSnapshots (allowed: 0 when snapshots are off)", a.SnapshotRetentionDays)
	case a.SnapshotRetentionDays < 0 || a.SnapshotRetentionDays > MaxSnapshotRetentionDays:
		return fmt.Errorf("cachetier: snapshotRetentionDays %d is out of range (allowed: 1 to %d; 0 means %d; disableSnapshots turns them off)",
			a.SnapshotRetentionDays, MaxSnapshotRetentionDays, DefaultSnapshotRetentionDays)
	case a.SnapshotRetentionDays == 0 && !a.DisableSnapshots:
		a.SnapshotRetentionDays = DefaultSnapshotRetentionDays
	}
	maintenance, err := parseMaintenanceWindow(a.MaintenanceWindow)
	if err != nil {
		return fmt.Errorf("cachetier: %w", err)
	}
	snapshot, err := parseSnapshotWindow(a.SnapshotWindow)
	if err != nil {
		return fmt.Errorf("cachetier: %w", err)
	}
	if !a.DisableSnapshots && overlaps(snapshot, maintenance) {
		return fmt.Errorf("cachetier: snapshotWindow %q overlaps maintenanceWindow %q (allowed: windows that share no minute, as ElastiCache requires)",
			a.SnapshotWindow, a.MaintenanceWindow)
	}
	return nil
}

// versionAtLeast compares major.minor versions.
func versionAtLeast(v, min string) bool {
	var vMaj, vMin, mMaj, mMin int
	if _, err := fmt.Sscanf(v, "%d.%d", &vMaj, &vMin); err != nil {
		return false
	}
	if _, err := fmt.Sscanf(min, "%d.%d", &mMaj, &mMin); err != nil {
		return false
	}
	return vMaj > mMaj || (vMaj == mMaj && vMin >= mMin)
}

// logRetentionDays are the retention periods CloudWatch Logs accepts.
var logRetentionDays = []int{1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653}
