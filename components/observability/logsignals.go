package observability

import (
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/tierstack/tierstack/internal/signals"
)

// logsSignals are the central logging domain's signals, as AWS's recommended OpenSearch alarms
// have them: a red cluster or blocked writes page; a yellow cluster, little free storage, busy CPU
// and JVM memory pressure notify.
func logsSignals(domain, account string, volumeGiB int) []signals.Signal {
	dims := func() map[string]pulumi.StringInput {
		return map[string]pulumi.StringInput{"DomainName": pulumi.String(domain), "ClientId": pulumi.String(account)}
	}
	metric := func(name, stat string) signals.Metric {
		return signals.Metric{Namespace: "AWS/ES", Name: name, Statistic: stat, Dimensions: dims()}
	}
	resource := "OpenSearch domain " + domain
	return []signals.Signal{
		{ID: "logs-red", Title: "Logs cluster red", Resource: resource, Layer: signals.LayerLogs, Golden: signals.Errors,
			Metric: metric("ClusterStatus.red", "Maximum"), Kind: signals.Count, Threshold: 1, Comparison: signals.AtOrAbove,
			Period: 60, EvaluationPeriods: 1, Missing: signals.MissingMissing, Severity: signals.Page,
			Meaning:    "at least one primary shard is unassigned: some logs cannot be written or searched.",
			CheckFirst: "the domain's health in the console (a lost node, or free storage at zero), then _cluster/allocation/explain."},
		{ID: "logs-writes-blocked", Title: "Logs writes blocked", Resource: resource, Layer: signals.LayerLogs, Golden: signals.Errors,
			Metric: metric("ClusterIndexWritesBlocked", "Maximum"), Kind: signals.Count, Threshold: 1, Comparison: signals.AtOrAbove,
			Period: 300, EvaluationPeriods: 1, Missing: signals.MissingMissing, Severity: signals.Page,
			Meaning:    "the cluster refuses writes: logs shipped now are lost after the shipper's retries.",
			CheckFirst: "free storage and JVM memory pressure; delete old logs-* indices or grow the volumes."},
		{ID: "logs-yellow", Title: "Logs cluster yellow", Resource: resource, Layer: signals.LayerLogs, Golden: signals.Errors,
			Metric: metric("ClusterStatus.yellow", "Maximum"), Kind: signals.Count, Threshold: 1, Comparison: signals.AtOrAbove,
			Period: 60, EvaluationPeriods: 5, Missing: signals.MissingMissing, Severity: signals.Notify,
			Meaning:    "replica shards are unassigned: one more node lost could lose logs.",
			CheckFirst: "whether a node is being replaced (a blue/green change), then the node count against the zones."},
		{ID: "logs-free-storage", Title: "Logs free storage (MiB)", Resource: resource, Layer: signals.LayerLogs, Golden: signals.Saturation,
			Metric: metric("FreeStorageSpace", "Minimum"), Kind: signals.Count, Threshold: float64(volumeGiB * 1024 / 4), Comparison: signals.AtOrBelow,
			Period: 60, EvaluationPeriods: 1, Missing: signals.MissingMissing, Severity: signals.Notify,
			Meaning:    "a data node has a quarter of its volume left; at 5 % OpenSearch blocks writes.",
			CheckFirst: "the size of the daily logs-* indices (the logs-retention policy deletes them after logRetentionDays); lower logRetentionDays or grow volumeGiB."},
		{ID: "logs-cpu", Title: "Logs CPU", Resource: resource, Layer: signals.LayerLogs, Golden: signals.Saturation,
			Metric: metric("CPUUtilization", "Maximum"), Kind: signals.Percent, Threshold: 80, Comparison: signals.AtOrAbove,
			Period: 300, EvaluationPeriods: 3, Missing: signals.MissingMissing, Severity: signals.Notify,
			Meaning:    "data nodes have been busy for 15 minutes: searches slow down and shipping lags.",
			CheckFirst: "heavy searches or dashboards, then the instance type."},
		{ID: "logs-jvm", Title: "Logs JVM memory pressure", Resource: resource, Layer: signals.LayerLogs, Golden: signals.Saturation,
			Metric: metric("JVMMemoryPressure", "Maximum"), Kind: signals.Percent, Threshold: 95, Comparison: signals.AtOrAbove,
			Period: 60, EvaluationPeriods: 3, Missing: signals.MissingMissing, Severity: signals.Notify,
			Meaning:    "the heap is nearly full: the cluster may refuse requests to protect itself.",
			CheckFirst: "shard count (many small daily indices) and aggregations over long ranges."},
	}
}
