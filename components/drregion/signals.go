package drregion

import (
	"strconv"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/tierstack/tierstack/internal/signals"
)

// SignalInputs name what the DR region's signals watch. A nil or empty field means the region
// has no such piece, and its signals are left out.
type SignalInputs struct {
	// Region is the DR region: where the secondary clusters' lag metrics live.
	Region string
	// SourceVaultName is the primary region's backup vault, which the copy jobs start from.
	SourceVaultName pulumi.StringInput
	// Assets are the replicated asset bucket's names; nil without replication.
	Assets *AssetSignalInputs
	// Secondaries are the secondary clusters, one per shard.
	Secondaries []SecondarySignalInputs
	// Tables are the replicated tables, in the order of Args.Tables.
	Tables []TableSignalInputs
	// Web is the DR web tier's load balancer and target group, where instances run (not under
	// pilotLight, whose group is at zero); nil without.
	Web *WebSignalInputs
}

// WebSignalInputs name the DR web tier's target group.
type WebSignalInputs struct {
	// LoadBalancerARNSuffix and TargetGroupARNSuffix are the metrics' LoadBalancer and TargetGroup
	// dimensions.
	LoadBalancerARNSuffix, TargetGroupARNSuffix pulumi.StringInput
	// Serving is true where the DR region serves users now (activeActive): its loss pages.
	Serving bool
}

// SecondarySignalInputs name one shard's secondary cluster.
type SecondarySignalInputs struct {
	// Shard is the shard's name, such as shard-0.
	Shard string
	// ClusterIdentifier is the secondary's identifier, the metrics' DBClusterIdentifier dimension.
	ClusterIdentifier pulumi.StringInput
}

// TableSignalInputs name one replicated table.
type TableSignalInputs struct {
	// Name is the table's name in the tier's spec, for the graph's title.
	Name string
	// TableName is its name in DynamoDB, the metric's TableName dimension.
	TableName pulumi.StringInput
}

// AssetSignalInputs name the asset bucket's replication: the source and replica buckets and the rule.
type AssetSignalInputs struct {
	// SourceBucket and DestinationBucket are the buckets' names.
	SourceBucket, DestinationBucket pulumi.StringInput
	// RuleID is the replication rule's ID.
	RuleID string
}

// Thresholds of the DR region's signals, with where they come from.
const (
	// GlobalDBLagMillis is the global database's replication and RPO lag past which the DR copy is
	// behind what the strategy promises: the pilot light's RPO (1 s, Objectives), which is Aurora's
	// own figure ("typically under a second", Aurora User Guide, "Using Amazon Aurora Global
	// Database").
	GlobalDBLagMillis = 1000
	// TableReplicationMillis is the DynamoDB replication latency past which a replica falls behind
	// the same 1 s RPO (DynamoDB Developer Guide, "Global tables: how it works": replication
	// usually within a second; "Monitoring global tables": ReplicationLatency should be fairly
	// constant, an elevated value means updates do not propagate in time).
	TableReplicationMillis = 1000
)

// replicationRuleID is the asset replication rule's ID, the RuleId dimension of its metrics.
func replicationRuleID(drRegion string) string { return "assets-to-" + drRegion }

// Signals describes what to watch of the DR region, each alarm in the region whose metric it
// reads: AWS Backup copy jobs that failed (AWS/Backup NumberOfCopyJobsFailed, in the primary
// region, where the copy starts from the source vault); S3 replication failures of the asset
// bucket (AWS/S3 OperationsFailedReplication, in the source bucket's region); each secondary
// cluster's AuroraGlobalDBReplicationLag and AuroraGlobalDBRPOLag (AWS/RDS, dimension
// DBClusterIdentifier, milliseconds, measured on the secondary, in the DR region); and each
// table's DynamoDB ReplicationLatency towards the DR region (AWS/DynamoDB, dimensions TableName
// and ReceivingRegion, milliseconds, emitted by the source replica's region: the primary); and the
// DR web tier's healthy targets (AWS/ApplicationELB HealthyHostCount, dimensions LoadBalancer and
// TargetGroup, in the DR region; Elastic Load Balancing User Guide, "CloudWatch metrics for your
// Application Load Balancer"), where instances run. Pure: it registers nothing.
//
// Sources: Aurora User Guide, "Metrics reference for Amazon Aurora" (cluster-level metrics);
// DynamoDB Developer Guide, "DynamoDB Metrics and dimensions" and "Monitoring global tables";
// S3 User Guide, "Using S3 Replication metrics" (metrics in the source bucket's region, dimensions
// SourceBucket, DestinationBucket and RuleId); AWS Backup Developer Guide, "Monitoring AWS Backup
// metrics with CloudWatch" (AWS/Backup, dimensions ResourceType and BackupVaultName).
func Signals(in SignalInputs) []signals.Signal {
	var list []signals.Signal
	if in.SourceVaultName != nil {
		list = append(list, signals.Signal{ID: "dr-backup-copy-failed", Title: "DR backup copies failed", Resource: "AWS Backup copies to " + in.Region,
			Layer: signals.LayerData, Golden: signals.Errors,
			Metric: signals.Metric{Namespace: "AWS/Backup", Name: "NumberOfCopyJobsFailed", Statistic: "Sum",
				Dimensions: map[string]pulumi.StringInput{"BackupVaultName": in.SourceVaultName}},
			Kind: signals.Count, Threshold: 0, Comparison: signals.Above,
			Period: 300, EvaluationPeriods: 1, Missing: signals.MissingNotBreaching, Severity: signals.Notify,
			Meaning:    "a copy of a backup to the DR region failed: the DR vault misses a day, and the RPO of a region loss grows by it.",
			CheckFirst: "the copy job's status message in the AWS Backup console (Jobs, Copy jobs): a key the backup role may not use in " + in.Region + " is the usual cause."})
	}
	if in.Assets != nil {
		list = append(list, signals.Signal{ID: "dr-assets-replication-failed", Title: "Asset replication failures", Resource: "S3 replication of the asset bucket to " + in.Region,
			Layer: signals.LayerData, Golden: signals.Errors,
			Metric: signals.Metric{Namespace: "AWS/S3", Name: "OperationsFailedReplication", Statistic: "Sum",
				Dimensions: map[string]pulumi.StringInput{"SourceBucket": in.Assets.SourceBucket, "DestinationBucket": in.Assets.DestinationBucket,
					"RuleId": pulumi.String(in.Assets.RuleID)}},
			Kind: signals.Count, Threshold: 0, Comparison: signals.Above,
			Period: 300, EvaluationPeriods: 1, Missing: signals.MissingNotBreaching, Severity: signals.Notify,
			Meaning:    "objects failed to replicate to the DR bucket: after a failover the CDN's /static/* fallback would miss them.",
			CheckFirst: "the replication role's policy and the DR bucket's policy, then S3 Batch Replication of the failed objects."})
	}
	for _, sec := range in.Secondaries {
		shard := sec.Shard
		resource := "Aurora global database secondary (" + shard + ") in " + in.Region
		dims := map[string]pulumi.StringInput{"DBClusterIdentifier": sec.ClusterIdentifier}
		list = append(list,
			signals.Signal{ID: "dr-db-" + shard + "-replication-lag", Family: "dr-db-replication-lag", Title: "Global DB replication lag " + shard + " (ms)", Resource: resource,
				Layer: signals.LayerData, Golden: signals.Latency,
				Metric: signals.Metric{Namespace: "AWS/RDS", Name: "AuroraGlobalDBReplicationLag", Statistic: "Average", Dimensions: dims, Region: in.Region},
				Kind:   signals.Milliseconds, Threshold: GlobalDBLagMillis, Comparison: signals.Above,
				Period: 60, EvaluationPeriods: 5, DatapointsToAlarm: 3, Missing: signals.MissingMissing, Severity: signals.Notify,
				Meaning:    "changes reach the DR region more than a second late: a region loss now would lose more than the strategy's RPO.",
				CheckFirst: "the primary's write load (a burst lags the storage replication), then AWS Health for either region."},
			signals.Signal{ID: "dr-db-" + shard + "-rpo-lag", Family: "dr-db-rpo-lag", Title: "Global DB RPO lag " + shard + " (ms)", Resource: resource,
				Layer: signals.LayerData, Golden: signals.Latency,
				Metric: signals.Metric{Namespace: "AWS/RDS", Name: "AuroraGlobalDBRPOLag", Statistic: "Maximum", Dimensions: dims, Region: in.Region},
				Kind:   signals.Milliseconds, Threshold: GlobalDBLagMillis, Comparison: signals.Above,
				Period: 60, EvaluationPeriods: 5, DatapointsToAlarm: 3, Missing: signals.MissingMissing, Severity: signals.Notify,
				Meaning:    "the last commit stored in the DR region is more than a second behind the primary's: the data a failover now would lose.",
				CheckFirst: "the replication lag graph beside it, then the primary's write load."},
		)
	}
	if w := in.Web; w != nil {
		severity, meaning := signals.Notify, "the DR region's web tier has no healthy instance: a failover now would find no app to send users to, and the RTO would add a scale-out from nothing."
		if w.Serving {
			severity, meaning = signals.Page, "the DR region's web tier has no healthy instance: the users it serves get errors, and a failover of the primary would find no app."
		}
		list = append(list, signals.Signal{ID: "dr-web-healthy-hosts", Title: "DR healthy targets", Resource: "the DR load balancer's target group in " + in.Region,
			Layer: signals.LayerWeb, Golden: signals.Errors,
			Metric: signals.Metric{Namespace: "AWS/ApplicationELB", Name: "HealthyHostCount", Statistic: "Minimum", Region: in.Region,
				Dimensions: map[string]pulumi.StringInput{"LoadBalancer": w.LoadBalancerARNSuffix, "TargetGroup": w.TargetGroupARNSuffix}},
			Kind: signals.Count, Threshold: 1, Comparison: signals.Below,
			// No data is a target group with no target at all: the group runs two at least.
			Period: 60, EvaluationPeriods: 5, DatapointsToAlarm: 3, Missing: signals.MissingBreaching, Severity: severity,
			Meaning:    meaning,
			CheckFirst: "the DR Auto Scaling group's activity history in " + in.Region + " (launch failures: the image not replicated to the region's registry, a secret not replicated), then the app's health path."})
	}
	for i, table := range in.Tables {
		id := "dr-table-" + strconv.Itoa(i) + "-replication-latency"
		list = append(list, signals.Signal{ID: id, Family: "dr-table-replication-latency", Title: "Table " + table.Name + " replication to " + in.Region + " (ms)",
			Resource: "DynamoDB global table replica in " + in.Region, Layer: signals.LayerData, Golden: signals.Latency,
			Metric: signals.Metric{Namespace: "AWS/DynamoDB", Name: "ReplicationLatency", Statistic: "Average",
				Dimensions: map[string]pulumi.StringInput{"TableName": table.TableName, "ReceivingRegion": pulumi.String(in.Region)}},
			Kind: signals.Milliseconds, Threshold: TableReplicationMillis, Comparison: signals.Above,
			Period: 60, EvaluationPeriods: 5, DatapointsToAlarm: 3, Missing: signals.MissingMissing, Severity: signals.Notify,
			Meaning:    "writes reach the table's DR replica more than a second late: a region loss now would lose them.",
			CheckFirst: "throttled writes on the replica (its capacity must match the table's), then AWS Health for the DR region."})
	}
	return list
}

// TableNameOf is a DynamoDB table's name, from its ARN (arn:partition:dynamodb:region:account:table/name).
func TableNameOf(arn string) string {
	if i := strings.LastIndex(arn, ":table/"); i >= 0 {
		return arn[i+len(":table/"):]
	}
	return arn
}
