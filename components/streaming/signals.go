package streaming

import (
	"fmt"
	"strconv"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/tierstack/tierstack/internal/signals"
)

// Signals describes what to watch in the cluster, from the Args New was given: for a provisioned
// cluster, the data disks' use (storage auto scaling holds StorageTargetPercent; past DiskAlarmPercent
// it has reached MaxVolumeGiB or waits out its six hours), offline partitions, and broker by broker
// under-replicated partitions, partitions under min.insync.replicas and CPU. All are DEFAULT-level
// metrics, free ("Amazon MSK metrics for monitoring with CloudWatch"), dimensioned by "Cluster Name"
// (and "Broker ID", 1 to Brokers). A serverless cluster has none: MSK Serverless reports only per
// topic and consumer group, whose names tierstack does not know, and AWS runs its brokers. Pure: it
// registers nothing. A Streaming named "streaming" has the IDs streaming-disk-used…; any other has
// its name in place of "streaming".
func (s *Streaming) Signals() []signals.Signal {
	return signals.Scoped(PlannedSignals(s.args.Args, s.ClusterName), "streaming", s.name)
}

// DiskAlarmPercent is the data disks' use that pages: well above the auto scaling target, so that it
// fires only when scaling cannot keep up.
const DiskAlarmPercent = 85

// CPUAlarmPercent is a broker's CpuUser that notifies: AWS advises keeping CpuUser + CpuSystem under
// 60 % so that a broker can take a failed one's load ("Best practices for Standard brokers").
const CPUAlarmPercent = 60

// PlannedSignals is Signals for a cluster not built yet, with the IDs of a Streaming named
// "streaming": clusterName is the "Cluster Name" dimension (a placeholder will do to check
// overrides). args are checked, brokers resolved (Brokers 0 gives no per-broker signal).
func PlannedSignals(args Args, clusterName pulumi.StringInput) []signals.Signal {
	if args.Mode != ModeProvisioned {
		return nil
	}
	cluster := map[string]pulumi.StringInput{"Cluster Name": clusterName}
	metric := func(name, stat string, dims map[string]pulumi.StringInput) signals.Metric {
		return signals.Metric{Namespace: "AWS/Kafka", Name: name, Statistic: stat, Dimensions: dims}
	}
	const resource = "Kafka cluster"
	list := []signals.Signal{
		{ID: "streaming-disk-used", Title: "Kafka data disk used", Resource: resource, Layer: signals.LayerStreaming, Golden: signals.Saturation,
			Metric: metric("KafkaDataLogsDiskUsed", "Maximum", cluster), Kind: signals.Percent, Threshold: DiskAlarmPercent, Comparison: signals.AtOrAbove,
			Period: 300, EvaluationPeriods: 3, Missing: signals.MissingMissing, Severity: signals.Page,
			Meaning:    "a broker's data disk is nearly full although storage auto scaling should hold it lower: at 100 % the broker stops and its partitions go offline.",
			CheckFirst: "whether the volume reached maxVolumeGiB (raise it) or scaled in the last six hours, then topic retention."},
		{ID: "streaming-offline-partitions", Title: "Kafka offline partitions", Resource: resource, Layer: signals.LayerStreaming, Golden: signals.Errors,
			Metric: metric("OfflinePartitionsCount", "Maximum", cluster), Kind: signals.Count, Threshold: 0, Comparison: signals.Above,
			Period: 60, EvaluationPeriods: 2, Missing: signals.MissingMissing, Severity: signals.Page,
			Meaning:    "partitions have no leader: producers and consumers of them fail.",
			CheckFirst: "brokers down (the cluster's state in the MSK console) and full disks."},
	}
	for b := 1; b <= args.Brokers; b++ {
		dims := map[string]pulumi.StringInput{"Cluster Name": clusterName, "Broker ID": pulumi.String(strconv.Itoa(b))}
		id := func(s string) string { return fmt.Sprintf("streaming-broker%d-%s", b, s) }
		broker := fmt.Sprintf("broker %d of the Kafka cluster", b)
		list = append(list,
			signals.Signal{ID: id("under-replicated"), Family: "streaming-under-replicated", Title: "Kafka under-replicated partitions", Resource: broker,
				Layer: signals.LayerStreaming, Golden: signals.Errors,
				Metric: metric("UnderReplicatedPartitions", "Maximum", dims), Kind: signals.Count, Threshold: 0, Comparison: signals.Above,
				Period: 300, EvaluationPeriods: 3, Missing: signals.MissingMissing, Severity: signals.Notify,
				Meaning:    "replicas on this broker have fallen behind their leaders for 15 minutes: another broker's loss now may lose acknowledged writes.",
				CheckFirst: "this broker's CPU, disk and network, then a broker restarting (maintenance)."},
			signals.Signal{ID: id("under-min-isr"), Family: "streaming-under-min-isr", Title: "Kafka partitions under min ISR", Resource: broker,
				Layer: signals.LayerStreaming, Golden: signals.Errors,
				Metric: metric("UnderMinIsrPartitionCount", "Maximum", dims), Kind: signals.Count, Threshold: 0, Comparison: signals.Above,
				Period: 60, EvaluationPeriods: 3, Missing: signals.MissingMissing, Severity: signals.Page,
				Meaning:    "partitions have fewer in-sync copies than min.insync.replicas: writes with acks=all to them are refused.",
				CheckFirst: "brokers down and under-replicated partitions."},
			signals.Signal{ID: id("cpu"), Family: "streaming-cpu", Title: "Kafka broker CPU (user)", Resource: broker,
				Layer: signals.LayerStreaming, Golden: signals.Saturation,
				Metric: metric("CpuUser", "Average", dims), Kind: signals.Percent, Threshold: CPUAlarmPercent, Comparison: signals.AtOrAbove,
				Period: 300, EvaluationPeriods: 3, Missing: signals.MissingMissing, Severity: signals.Notify,
				Meaning:    "the broker is past the CPU that lets it take a failed broker's share.",
				CheckFirst: "partitions per broker and client connection churn, then brokerType or brokers."},
		)
	}
	return list
}
