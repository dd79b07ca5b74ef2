package tiers

import (
	"fmt"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/tierstack/tierstack/components/network"
	"github.com/tierstack/tierstack/components/streaming"
	"github.com/tierstack/tierstack/internal/signals"
)

// StreamingOverrides are the tierstack:streaming settings: Kafka on Amazon MSK, off unless Enabled.
// A zero field keeps the tier's value.
type StreamingOverrides struct {
	// Enabled true builds the Streaming, from 100k up; every other field needs it.
	Enabled *bool `json:"enabled,omitempty"`
	// Mode is serverless (the default) or provisioned, chosen once per stack.
	Mode string `json:"mode,omitempty"`
	// Brokers, BrokersPerZone, BrokerType, KafkaVersion, VolumeGiB, MaxVolumeGiB, StorageTargetPercent,
	// ReplicationFactor, MinInSyncReplicas, SCRAM and LogRetentionDays are mode provisioned's.
	Brokers              int    `json:"brokers,omitempty"`
	BrokersPerZone       int    `json:"brokersPerZone,omitempty"`
	BrokerType           string `json:"brokerType,omitempty"`
	KafkaVersion         string `json:"kafkaVersion,omitempty"`
	VolumeGiB            int    `json:"volumeGiB,omitempty"`
	MaxVolumeGiB         int    `json:"maxVolumeGiB,omitempty"`
	StorageTargetPercent int    `json:"storageTargetPercent,omitempty"`
	ReplicationFactor    int    `json:"replicationFactor,omitempty"`
	MinInSyncReplicas    int    `json:"minInSyncReplicas,omitempty"`
	SCRAM                bool   `json:"scram,omitempty"`
	LogRetentionDays     int    `json:"logRetentionDays,omitempty"`
	// Partitions are the partitions the app's topics will have in all: checked against the
	// serverless quota.
	Partitions int `json:"partitions,omitempty"`
}

// streamingFields lists tierstack:streaming's fields for error messages.
const streamingFields = "enabled, mode, brokers, brokersPerZone, brokerType, kafkaVersion, volumeGiB, maxVolumeGiB, storageTargetPercent, replicationFactor, minInSyncReplicas, scram, logRetentionDays, partitions"

// streamingTiers are the tiers that may build a Streaming, each with what mode provisioned runs
// there: 100k one kafka.m7g.large broker per zone; 1m two per zone. The broker type and the volume
// are the same at both, so that 100k → 1m only adds brokers, in place. Mode serverless (the default)
// is the same cluster at both: AWS scales it.
var streamingTiers = map[Tier]streaming.Args{
	Tier100k: {BrokerType: "kafka.m7g.large", VolumeGiB: 100, MaxVolumeGiB: 1000},
	Tier1M:   {BrokerType: "kafka.m7g.large", VolumeGiB: 100, MaxVolumeGiB: 1000, BrokersPerZone: 2},
}

// applyStreaming applies the tierstack:streaming settings: nothing unless enabled.
func (s *Spec) applyStreaming(o StreamingOverrides) error {
	if o.Enabled == nil || !*o.Enabled {
		if o != (StreamingOverrides{Enabled: o.Enabled}) {
			return fmt.Errorf("tierstack:streaming sets fields without \"enabled\": true (allowed: \"enabled\": true with them, or no fields)")
		}
		s.Streaming = nil
		return nil
	}
	base, ok := streamingTiers[s.Tier]
	if !ok {
		return fmt.Errorf("tier %s: tierstack:streaming enabled is refused below 100k: Kafka is for the traffic of 100k users and more (allowed: tier 100k or 1m, or enabled false)", s.Tier)
	}
	a := base
	if o.Mode != "" {
		mode, err := streaming.ParseMode(o.Mode)
		if err != nil {
			return fmt.Errorf("tierstack:streaming %w", err)
		}
		a.Mode = mode
	}
	if a.Mode != streaming.ModeProvisioned {
		// Serverless: AWS sizes it; the tier's broker sizes do not apply.
		a = streaming.Args{Mode: streaming.ModeServerless}
	}
	if o.Brokers != 0 {
		a.Brokers, a.BrokersPerZone = o.Brokers, 0
	}
	if o.BrokersPerZone != 0 {
		if o.Brokers == 0 {
			a.Brokers = 0
		}
		a.BrokersPerZone = o.BrokersPerZone // with brokers too, refused by the component
	}
	setString(&a.BrokerType, o.BrokerType)
	setString(&a.KafkaVersion, o.KafkaVersion)
	for _, f := range []struct {
		dst *int
		v   int
	}{{&a.VolumeGiB, o.VolumeGiB}, {&a.MaxVolumeGiB, o.MaxVolumeGiB}, {&a.StorageTargetPercent, o.StorageTargetPercent},
		{&a.ReplicationFactor, o.ReplicationFactor}, {&a.MinInSyncReplicas, o.MinInSyncReplicas}, {&a.LogRetentionDays, o.LogRetentionDays},
		{&a.Partitions, o.Partitions}} {
		if f.v != 0 {
			*f.dst = f.v
		}
	}
	a.SCRAM = o.SCRAM
	s.Streaming = &a
	return nil
}

// validateStreaming checks the Streaming against the tier's zones, before anything is registered.
func (s Spec) validateStreaming() error {
	if s.Streaming == nil {
		return nil
	}
	if err := s.Streaming.ValidateFor(s.streamingZones()); err != nil {
		return fmt.Errorf("tier %s: tierstack:streaming %s", s.Tier, strings.TrimPrefix(err.Error(), "streaming: "))
	}
	return nil
}

// streamingZones is how many zones the tier's network spans.
func (s Spec) streamingZones() int {
	return max(s.Network.AZCount, len(s.Network.AvailabilityZones))
}

// plannedStreamingSignals are the Streaming's signals with placeholder dimensions.
func (s Spec) plannedStreamingSignals(placeholder pulumi.StringInput) []signals.Signal {
	if s.Streaming == nil {
		return nil
	}
	a := *s.Streaming
	a.Network = &network.Network{}
	a.Brokers = a.PlannedBrokers(s.streamingZones())
	return streaming.PlannedSignals(a, placeholder)
}
