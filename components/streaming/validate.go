package streaming

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/tierstack/tierstack/components/network"
)

// Validate checks the arguments as New does before it looks anything up, so that a caller composing
// several components can refuse bad input before any of them registers a resource. It leaves out
// Network, which exists only once the Network is built, and so the broker spread over its zones:
// CheckBrokerSpread checks that against a planned zone count.
func (args *Args) Validate() error {
	_, err := args.checked(false)
	return err
}

// checkedArgs are Args with defaults applied, and what New derives from them.
type checkedArgs struct {
	Args
	zones []string // the zones the cluster spans, in slot order; only with a Network
}

// checked applies the defaults to a copy of args and validates it, the Network and the broker spread
// too when withNetwork. Errors name the field, the bad value and what is allowed.
func (args *Args) checked(withNetwork bool) (checkedArgs, error) {
	var a Args
	if args != nil {
		a = *args
	}
	a.Tags = maps.Clone(a.Tags)
	if a.Mode == "" {
		a.Mode = ModeServerless
	}
	if !slices.Contains(Modes(), a.Mode) {
		return checkedArgs{}, fmt.Errorf("streaming: mode %q is not known (allowed: serverless, provisioned)", a.Mode)
	}
	if a.Partitions < 0 {
		return checkedArgs{}, fmt.Errorf("streaming: partitions %d is negative (allowed: 0, not stated, or the partitions the topics will have)", a.Partitions)
	}
	var err error
	if a.Mode == ModeServerless {
		err = a.checkServerless()
	} else {
		err = a.checkProvisioned()
	}
	if err != nil {
		return checkedArgs{}, err
	}
	out := checkedArgs{Args: a}
	if !withNetwork {
		return out, nil
	}
	if err := a.Network.CheckFor("streaming", MinZones, network.SubnetData); err != nil {
		return checkedArgs{}, err
	}
	out.zones = slices.Clone(a.Network.Zones[:BrokerZones(len(a.Network.Zones))])
	if err := out.placeBrokers(len(a.Network.Zones)); err != nil {
		return checkedArgs{}, err
	}
	return out, nil
}

// ValidateFor is Validate for a Network of zones zones, before the Network exists: it checks the
// broker spread and the replication of the brokers those zones give too.
func (args *Args) ValidateFor(zones int) error {
	a, err := args.checked(false)
	if err != nil {
		return err
	}
	return a.placeBrokers(zones)
}

// placeBrokers resolves a provisioned cluster's broker count over zones zones (0 means one per zone
// the cluster spans), refuses one MSK cannot spread evenly, and checks the replication against it.
func (a *checkedArgs) placeBrokers(zones int) error {
	if a.Mode != ModeProvisioned {
		if zones < MinZones {
			return fmt.Errorf("streaming: the network has %d zone(s) (allowed: %d or more, as MSK Serverless needs subnets in two zones)", zones, MinZones)
		}
		return nil
	}
	if err := CheckBrokerSpread(a.Brokers, zones); err != nil {
		return err
	}
	a.Brokers = a.PlannedBrokers(zones)
	limit := MaxBrokersZooKeeper
	if KRaft(a.KafkaVersion) {
		limit = MaxBrokersKRaft
	}
	if a.Brokers > limit {
		return fmt.Errorf("streaming: brokersPerZone %d gives %d brokers over %d zones, over MSK's %d brokers per cluster (allowed: at most %d)",
			a.BrokersPerZone, a.Brokers, BrokerZones(zones), limit, limit/BrokerZones(zones))
	}
	return a.checkReplication()
}

// PlannedBrokers is how many brokers a provisioned cluster of args has on a Network of zones zones:
// Brokers, or BrokersPerZone (0 means 1) in each zone it spans. 0 in ModeServerless.
func (args Args) PlannedBrokers(zones int) int {
	switch {
	case args.Mode != ModeProvisioned:
		return 0
	case args.Brokers > 0:
		return args.Brokers
	}
	return max(args.BrokersPerZone, 1) * BrokerZones(zones)
}

// checkServerless refuses what a serverless cluster does not have: every broker, storage and
// authentication setting is AWS's.
func (a *Args) checkServerless() error {
	set := map[string]bool{
		"brokers": a.Brokers != 0, "brokersPerZone": a.BrokersPerZone != 0, "brokerType": a.BrokerType != "", "kafkaVersion": a.KafkaVersion != "",
		"volumeGiB": a.VolumeGiB != 0, "maxVolumeGiB": a.MaxVolumeGiB != 0, "storageTargetPercent": a.StorageTargetPercent != 0,
		"replicationFactor": a.ReplicationFactor != 0, "minInSyncReplicas": a.MinInSyncReplicas != 0,
		"scram": a.SCRAM, "logRetentionDays": a.LogRetentionDays != 0,
	}
	for _, field := range slices.Sorted(maps.Keys(set)) {
		if set[field] {
			why := "AWS sizes, configures and logs a serverless cluster itself"
			if field == "scram" {
				why = "MSK Serverless authenticates with IAM only"
			}
			return fmt.Errorf("streaming: %s is set with mode serverless, and %s (allowed: leave it unset, or mode provisioned)", field, why)
		}
	}
	return nil
}

// checkProvisioned applies a provisioned cluster's defaults and checks them against MSK's limits.
func (a *Args) checkProvisioned() error {
	if a.BrokerType == "" {
		a.BrokerType = DefaultBrokerType
	}
	if a.KafkaVersion == "" {
		a.KafkaVersion = DefaultKafkaVersion
	}
	if a.VolumeGiB == 0 {
		a.VolumeGiB = DefaultVolumeGiB
	}
	if a.MaxVolumeGiB == 0 {
		a.MaxVolumeGiB = max(DefaultMaxVolumeGiB, a.VolumeGiB)
	}
	if a.StorageTargetPercent == 0 {
		a.StorageTargetPercent = DefaultStorageTargetPercent
	}
	if a.MinInSyncReplicas == 0 {
		a.MinInSyncReplicas = DefaultMinInSyncReplicas
	}
	if a.LogRetentionDays == 0 {
		a.LogRetentionDays = DefaultLogRetentionDays
	}
	if !slices.Contains(brokerTypes, a.BrokerType) {
		return fmt.Errorf("streaming: brokerType %q is not a Standard MSK broker type (allowed: %s)", a.BrokerType, strings.Join(brokerTypes, ", "))
	}
	if !slices.Contains(kafkaVersions, a.KafkaVersion) {
		return fmt.Errorf("streaming: kafkaVersion %q is not one MSK supports without an end of support (allowed: %s)", a.KafkaVersion, strings.Join(kafkaVersions, ", "))
	}
	if a.Brokers < 0 {
		return fmt.Errorf("streaming: brokers %d is negative (allowed: 0, one per zone, or a multiple of the zones)", a.Brokers)
	}
	if a.BrokersPerZone < 0 || (a.BrokersPerZone > 0 && a.Brokers > 0) {
		return fmt.Errorf("streaming: brokersPerZone %d is not allowed with brokers %d (allowed: brokersPerZone 1 or more with brokers 0, or brokers alone)", a.BrokersPerZone, a.Brokers)
	}
	limit, mode := MaxBrokersZooKeeper, "ZooKeeper"
	if KRaft(a.KafkaVersion) {
		limit, mode = MaxBrokersKRaft, "KRaft"
	}
	if a.Brokers > limit {
		return fmt.Errorf("streaming: brokers %d is over MSK's %d brokers per %s cluster (allowed: at most %d)", a.Brokers, limit, mode, limit)
	}
	if a.VolumeGiB < MinVolumeGiB || a.VolumeGiB > MaxVolumeGiB {
		return fmt.Errorf("streaming: volumeGiB %d is outside MSK's broker storage (allowed: %d to %d)", a.VolumeGiB, MinVolumeGiB, MaxVolumeGiB)
	}
	if a.MaxVolumeGiB < a.VolumeGiB || a.MaxVolumeGiB > MaxVolumeGiB {
		return fmt.Errorf("streaming: maxVolumeGiB %d is not between volumeGiB %d and MSK's %d (allowed: %d to %d; auto scaling never shrinks a volume)",
			a.MaxVolumeGiB, a.VolumeGiB, MaxVolumeGiB, a.VolumeGiB, MaxVolumeGiB)
	}
	if a.StorageTargetPercent < MinStorageTargetPercent || a.StorageTargetPercent > MaxStorageTargetPercent {
		return fmt.Errorf("streaming: storageTargetPercent %d is outside what MSK storage auto scaling takes (allowed: %d to %d; AWS recommends 50 to 60)",
			a.StorageTargetPercent, MinStorageTargetPercent, MaxStorageTargetPercent)
	}
	if !slices.Contains(logRetentionDays, a.LogRetentionDays) {
		return fmt.Errorf("streaming: logRetentionDays %d is not a retention CloudWatch Logs accepts (allowed: %s)", a.LogRetentionDays, joinInts(logRetentionDays))
	}
	return a.checkReplication()
}

// checkReplication checks the replication factor and min.insync.replicas against each other and the
// brokers (when their number is known: 0 means one per zone, checked with the zones).
func (a *Args) checkReplication() error {
	if a.MinInSyncReplicas < 2 {
		return fmt.Errorf("streaming: minInSyncReplicas %d is below 2 (allowed: 2 or more, below replicationFactor: with one in-sync copy an acknowledged write dies with its broker)", a.MinInSyncReplicas)
	}
	rf := a.ReplicationFactor
	if rf == 0 {
		rf = MaxReplicationFactor
		if a.Brokers > 0 {
			rf = min(a.Brokers, MaxReplicationFactor)
		}
	}
	if rf < 2 {
		return fmt.Errorf("streaming: replicationFactor %d is below 2 (allowed: 2 to brokers)", rf)
	}
	if a.Brokers > 0 && rf > a.Brokers {
		return fmt.Errorf("streaming: replicationFactor %d is above brokers %d (allowed: 2 to %d)", rf, a.Brokers, a.Brokers)
	}
	if a.MinInSyncReplicas >= rf {
		return fmt.Errorf("streaming: minInSyncReplicas %d is not below the replication factor %d (allowed: 2 to %d; at %d, losing one broker or zone refuses every write with acks=all; raise brokers and replicationFactor to raise it)",
			a.MinInSyncReplicas, rf, rf-1, rf)
	}
	return nil
}

// BrokerZones is how many zones a cluster on a Network of zones zones spans: all of them, up to
// MaxZones.
func BrokerZones(zones int) int { return min(zones, MaxZones) }

// CheckBrokerSpread refuses a broker count that MSK cannot spread evenly over the zones a cluster on
// a Network of zones zones spans (BrokerZones), and, for brokers 0 (one per zone), a replication that
// the resulting brokers cannot hold. MSK places brokers round the client subnets and wants a
// multiple of their number ("Amazon MSK: broker count must be a multiple of the number of subnets").
func CheckBrokerSpread(brokers, zones int) error {
	if zones < MinZones {
		return fmt.Errorf("streaming: the network has %d zone(s) (allowed: %d or more, so that brokers survive the loss of one)", zones, MinZones)
	}
	z := BrokerZones(zones)
	if brokers == 0 {
		brokers = z
	}
	if brokers%z != 0 {
		return fmt.Errorf("streaming: brokers %d is not a multiple of the %d zones the cluster spans (allowed: %d, %d, %d…, so that each zone holds as many brokers)", brokers, z, z, 2*z, 3*z)
	}
	return nil
}

// joinInts lists numbers for an error message.
func joinInts(list []int) string {
	parts := make([]string, len(list))
	for i, v := range list {
		parts[i] = fmt.Sprint(v)
	}
	return strings.Join(parts, ", ")
}
