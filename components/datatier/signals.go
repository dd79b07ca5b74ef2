package datatier

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/tierstack/tierstack/internal/signals"
)

// Signals describes what to watch in the tier, from the Args New was given: per shard, the
// cluster's CPU, connections against the engine's maximum, freeable memory, free local storage,
// replica lag (with readers) and ACU utilisation (on Serverless v2); per table, read and write
// throttling. Pure: it registers nothing. A DataTier named "data" has the IDs data-cpu,
// data-shard1-cpu, data-table-NAME-read-throttles…; any other has its name in place of "data"
// (orders-cpu), so that two DataTiers can share one Observability; families (data-cpu) stay, and an
// override of one reaches every DataTier.
func (d *DataTier) Signals() ([]signals.Signal, error) {
	list, err := PlannedSignals(d.args, func(shard int) pulumi.StringInput { return d.Clusters[shard].ClusterIdentifier },
		func(table string) pulumi.StringInput { return d.TableNames.MapIndex(pulumi.String(table)) })
	if err != nil {
		return nil, fmt.Errorf("datatier %s: %w", d.name, err)
	}
	return signals.Scoped(list, "data", d.name), nil
}

// PlannedSignals is Signals for a tier not built yet, with the IDs of a DataTier named "data":
// cluster gives each shard's cluster identifier, table each table's physical name (placeholders will
// do to check overrides).
func PlannedSignals(args Args, cluster func(shard int) pulumi.StringInput, table func(name string) pulumi.StringInput) ([]signals.Signal, error) {
	a, err := args.checkedWithout()
	if err != nil {
		return nil, err
	}
	var out []signals.Signal
	for shard := 0; shard < a.Shards; shard++ {
		prefix := "data-"
		if shard > 0 {
			prefix = "data-shard" + strconv.Itoa(shard) + "-"
		}
		out = append(out, clusterSignals(prefix, fmt.Sprintf("Aurora cluster (shard %d)", shard), cluster(shard), a)...)
	}
	for _, t := range a.Tables {
		out = append(out, tableSignals(t.Name, table(t.Name))...)
	}
	return out, nil
}

// gib is a gibibyte in bytes.
const gib = 1 << 30

// memoryBytes is the memory of the tier's largest instance: 2 GiB per ACU at MaxACU on Serverless
// v2, else the class's (r classes 8 GiB per vCPU, t classes by size); 0 when unknown.
func memoryBytes(a Args) float64 {
	if a.serverless() {
		return a.MaxACU * 2 * gib
	}
	parts := strings.Split(a.InstanceClass, ".")
	if len(parts) != 3 {
		return 0
	}
	size := map[string]float64{"medium": 4, "large": 16, "xlarge": 32, "2xlarge": 64, "4xlarge": 128, "8xlarge": 256, "12xlarge": 384, "16xlarge": 512, "24xlarge": 768}[parts[2]]
	if strings.HasPrefix(parts[1], "t") && parts[2] == "large" {
		size = 8
	}
	return size * gib
}

// MaxConnections estimates the engine's default max_connections for the tier's largest instance,
// from the default parameter formulas: Aurora MySQL GREATEST(log2(mem/805306368)×45,
// log2(mem/8187281408)×1000), Aurora PostgreSQL LEAST(mem/9531392, 5000). 1000 when the memory is
// unknown.
func MaxConnections(a Args) float64 {
	mem := memoryBytes(a)
	if mem == 0 {
		return 1000
	}
	if a.Engine == EnginePostgreSQL {
		return math.Floor(math.Min(mem/9531392, 5000))
	}
	return math.Floor(math.Max(math.Log2(mem/805306368)*45, math.Log2(mem/8187281408)*1000))
}

// clusterSignals are one cluster's signals; id is the cluster identifier.
func clusterSignals(prefix, resource string, id pulumi.StringInput, a Args) []signals.Signal {
	metric := func(name, stat string) signals.Metric {
		return signals.Metric{Namespace: "AWS/RDS", Name: name, Statistic: stat,
			Dimensions: map[string]pulumi.StringInput{"DBClusterIdentifier": id}}
	}
	family := func(s string) string { return "data-" + s }
	list := []signals.Signal{
		{ID: prefix + "cpu", Family: family("cpu"), Title: "Database CPU", Resource: resource, Layer: signals.LayerData, Golden: signals.Saturation,
			Metric: metric("CPUUtilization", "Maximum"), Kind: signals.Percent, Threshold: 85, Comparison: signals.AtOrAbove,
			Period: 300, EvaluationPeriods: 3, Missing: signals.MissingMissing, Severity: signals.Page,
			Meaning:    "an instance has been busy for 15 minutes: queries queue and the app times out.",
			CheckFirst: "Performance Insights' top SQL for a new slow query, then the readers' share of reads."},
		{ID: prefix + "connections", Family: family("connections"), Title: "Database connections", Resource: resource, Layer: signals.LayerData, Golden: signals.Saturation,
			Metric: metric("DatabaseConnections", "Maximum"), Kind: signals.Count, Threshold: connectionsAlarmAt(a), Comparison: signals.AtOrAbove,
			Period: 60, EvaluationPeriods: 5, Missing: signals.MissingMissing, Severity: signals.Page,
			Meaning:    connectionsMeaning(a),
			CheckFirst: "the app's connection pool size times its replicas, then connections left open by a deploy."},
		{ID: prefix + "freeable-memory", Family: family("freeable-memory"), Title: "Database freeable memory", Resource: resource, Layer: signals.LayerData, Golden: signals.Saturation,
			Metric: metric("FreeableMemory", "Minimum"), Kind: signals.Bytes, Threshold: math.Floor(math.Max(memoryBytes(a)*0.1, 256*1024*1024)), Comparison: signals.AtOrBelow,
			Period: 300, EvaluationPeriods: 3, Missing: signals.MissingMissing, Severity: signals.Notify,
			Meaning:    "an instance is short of memory: its buffer pool shrinks and reads go to storage.",
			CheckFirst: "connections (each holds memory), then the instance class or MaxACU."},
		{ID: prefix + "free-local-storage", Family: family("free-local-storage"), Title: "Database free local storage", Resource: resource, Layer: signals.LayerData, Golden: signals.Saturation,
			Metric: metric("FreeLocalStorage", "Minimum"), Kind: signals.Bytes, Threshold: 2 * gib, Comparison: signals.AtOrBelow,
			Period: 300, EvaluationPeriods: 3, Missing: signals.MissingMissing, Severity: signals.Notify,
			Meaning:    "temporary space for sorts and logs is running out; queries that need it will fail.",
			CheckFirst: "large sorts and temporary tables in Performance Insights, then long-running transactions."},
	}
	if a.Readers > 0 || a.ReaderScaling != nil {
		list = append(list, signals.Signal{ID: prefix + "replica-lag", Family: family("replica-lag"), Title: "Database replica lag (ms)", Resource: resource,
			Layer: signals.LayerData, Golden: signals.Latency,
			Metric: metric("AuroraReplicaLagMaximum", "Maximum"), Kind: signals.Milliseconds, Threshold: 2000, Comparison: signals.AtOrAbove,
			Period: 60, EvaluationPeriods: 5, Missing: signals.MissingMissing, Severity: signals.Notify,
			Meaning:    "readers are seconds behind the writer: users may read what they just changed as it was.",
			CheckFirst: "write bursts on the writer, then a reader short of CPU."})
	}
	if a.serverless() {
		list = append(list, signals.Signal{ID: prefix + "acu", Family: family("acu"), Title: "Database ACU utilisation", Resource: resource,
			Layer: signals.LayerData, Golden: signals.Saturation,
			Metric: metric("ACUUtilization", "Maximum"), Kind: signals.Percent, Threshold: 90, Comparison: signals.AtOrAbove,
			Period: 300, EvaluationPeriods: 3, Missing: signals.MissingMissing, Severity: signals.Notify,
			Meaning:    fmt.Sprintf("an instance has run at its MaxACU (%g) for 15 minutes: it cannot grow further.", a.MaxACU),
			CheckFirst: "CPU and connections, then raise maxAcu in tierstack:data."})
	}
	return list
}

// tableSignals are one DynamoDB table's throttling signals. On-demand tables throttle when traffic
// more than doubles its previous peak within 30 minutes, or past the per-partition limits.
func tableSignals(name string, table pulumi.StringInput) []signals.Signal {
	var list []signals.Signal
	for _, op := range []string{"Read", "Write"} {
		list = append(list, signals.Signal{
			ID: "data-table-" + name + "-" + strings.ToLower(op) + "-throttles", Family: "data-table-" + strings.ToLower(op) + "-throttles",
			Title: "Table " + name + " " + strings.ToLower(op) + " throttles", Resource: "DynamoDB table " + name,
			Layer: signals.LayerData, Golden: signals.Errors,
			Metric: signals.Metric{Namespace: "AWS/DynamoDB", Name: op + "ThrottleEvents", Statistic: "Sum",
				Dimensions: map[string]pulumi.StringInput{"TableName": table}},
			Kind: signals.Count, Threshold: 10, Comparison: signals.Above,
			Period: 60, EvaluationPeriods: 5, DatapointsToAlarm: 3, Missing: signals.MissingNotBreaching, Severity: signals.Notify,
			Meaning:    strings.ToLower(op) + " requests are being throttled: the SDK retries, and users wait.",
			CheckFirst: "a hot partition key (CloudWatch Contributor Insights), then a sudden doubling of traffic.",
		})
	}
	return list
}

// connectionsMeaning says what the connections alarm means, with the limit it is computed from.
func connectionsMeaning(a Args) string {
	limit, explicit := connectionLimit(a)
	if explicit {
		return fmt.Sprintf("connections are at 80 %% of max_connections (%d, set in the instances' parameter group; a raised value holds once each instance has rebooted): new ones will be refused.", limit)
	}
	return fmt.Sprintf("connections are at 80 %% of the instance class's default max_connections (about %d): new ones will be refused.", limit)
}
