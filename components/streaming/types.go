package streaming

import (
	"fmt"
	"slices"
	"strings"
)

// Mode is how the Streaming runs Kafka. A stack chooses once: the modes are different MSK resource
// types (aws:msk/serverlessCluster:ServerlessCluster and aws:msk/cluster:Cluster), so a change of
// mode replaces the cluster and the data in it.
type Mode string

// The modes.
const (
	// ModeServerless is an MSK Serverless cluster: AWS sizes and scales it; IAM authentication only.
	// The default.
	ModeServerless Mode = "serverless"
	// ModeProvisioned is an MSK cluster of Standard brokers spread over the zones, with EBS storage
	// that grows by auto scaling.
	ModeProvisioned Mode = "provisioned"
)

// Modes returns the allowed modes, as a new slice.
func Modes() []Mode { return []Mode{ModeServerless, ModeProvisioned} }

// ParseMode reads a mode name, ignoring case.
func ParseMode(s string) (Mode, error) {
	for _, m := range Modes() {
		if strings.EqualFold(s, string(m)) {
			return m, nil
		}
	}
	return "", fmt.Errorf("mode %q is not known (allowed: serverless, provisioned)", s)
}

// The ports clients reach the brokers on from inside AWS (Amazon MSK Developer Guide, "Port
// information"): TLS with IAM authentication, and TLS with SASL/SCRAM. Plaintext (9092) and
// unauthenticated TLS (9094) are never opened.
const (
	// PortIAM is the port of SASL/IAM over TLS, the only listener a serverless cluster has.
	PortIAM = 9098
	// PortSCRAM is the port of SASL/SCRAM over TLS, open only with Args.SCRAM.
	PortSCRAM = 9096
)

// The defaults of a provisioned cluster's Args.
const (
	// DefaultBrokerType is the broker type when Args.BrokerType is empty: the smallest Graviton
	// Standard broker meant for production (kafka.t3.small is for development; its IAM connection
	// rate is 4 a second per broker; "Amazon MSK quota").
	DefaultBrokerType = "kafka.m7g.large"
	// DefaultKafkaVersion is the Kafka version when Args.KafkaVersion is empty: the newest 3.x in
	// KRaft mode, which MSK sets only at creation ("KRaft mode": "You cannot switch metadata modes
	// once the cluster is created"; version string 3.9.x.kraft as AWS CDK's KafkaVersion.V3_9_X_KRAFT).
	DefaultKafkaVersion = "3.9.x.kraft"
	// DefaultVolumeGiB is each broker's EBS volume at creation when Args.VolumeGiB is 0.
	DefaultVolumeGiB = 100
	// DefaultMaxVolumeGiB is how far storage auto scaling may grow each broker's volume when
	// Args.MaxVolumeGiB is 0.
	DefaultMaxVolumeGiB = 1000
	// DefaultStorageTargetPercent is the disk use that storage auto scaling holds when
	// Args.StorageTargetPercent is 0: AWS recommends 50 to 60 ("Automatic scaling").
	DefaultStorageTargetPercent = 60
	// DefaultMinInSyncReplicas is min.insync.replicas when Args.MinInSyncReplicas is 0.
	DefaultMinInSyncReplicas = 2
	// DefaultLogRetentionDays is how long broker logs are kept when Args.LogRetentionDays is 0.
	DefaultLogRetentionDays = 30
)

// The AWS limits the Streaming checks before it registers anything. Sources: Amazon MSK Developer
// Guide, "Amazon MSK quota" (docs.aws.amazon.com/msk/latest/developerguide/limits.html, seen
// 2026-12-04: 30 brokers per ZooKeeper cluster, 60 per KRaft cluster, 1 to 16384 GiB per broker) and
// "Automatic scaling" (msk-autoexpand.html: a utilization target of 10 % to 80 %, at most 16 TiB a
// broker, no scale-in, one scaling action every six hours).
const (
	// MaxZones is the most zones MSK spreads a provisioned cluster's brokers over: its client subnets
	// are two or three, in different zones.
	MaxZones = 3
	// MinZones is the fewest: a serverless cluster needs subnets in at least two zones, and brokers in
	// one zone do not survive its loss.
	MinZones = 2
	// MaxBrokersZooKeeper and MaxBrokersKRaft are the default quotas of brokers per cluster.
	MaxBrokersZooKeeper = 30
	MaxBrokersKRaft     = 60
	// MinVolumeGiB and MaxVolumeGiB bound each broker's EBS volume.
	MinVolumeGiB = 1
	MaxVolumeGiB = 16384
	// MinStorageTargetPercent and MaxStorageTargetPercent bound storage auto scaling's target.
	MinStorageTargetPercent = 10
	MaxStorageTargetPercent = 80
	// MaxReplicationFactor is the replication factor the Streaming sets by default: three copies,
	// one per zone on three zones.
	MaxReplicationFactor = 3
)

// ServerlessQuotas are the MSK Serverless quotas a tier's traffic must fit for ModeServerless to be
// the right choice (Amazon MSK Developer Guide, "MSK Serverless quota"; the archived guide,
// github.com/awsdocs/amazon-msk-developer-guide doc_source/limits.md, and AWS's current page agree on
// the throughput figures; partitions and retention are quotas AWS adjusts on request, and its
// current page lists higher defaults than the archived 120 partitions and 24 hours).
var ServerlessQuotas = struct {
	// IngressMBps and EgressMBps are the cluster's most throughput in and out.
	IngressMBps, EgressMBps int
	// PartitionIngressMBps and PartitionEgressMBps are one partition's.
	PartitionIngressMBps, PartitionEgressMBps int
	// Partitions is the archived guide's default partition quota (adjustable).
	Partitions int
	// ClientConnections is the most client connections.
	ClientConnections int
	// MessageMB is the largest message.
	MessageMB int
}{IngressMBps: 200, EgressMBps: 400, PartitionIngressMBps: 5, PartitionEgressMBps: 10, Partitions: 120, ClientConnections: 1000, MessageMB: 8}

// ServerlessMaxIngressMBps is the most a serverless cluster takes in: past it, ModeProvisioned.
const ServerlessMaxIngressMBps = 200

// kafkaVersions are the Kafka versions a provisioned cluster accepts: those MSK supports with no
// end of support announced ("Supported Apache Kafka versions", seen 2026-12-04), in the version
// strings MSK's API takes (AWS CDK aws-msk-alpha KafkaVersion). Each ".kraft" version runs in KRaft
// mode; the others in ZooKeeper mode.
var kafkaVersions = []string{"3.6.0", "3.7.x", "3.7.x.kraft", "3.8.x", "3.8.x.kraft", "3.9.x", "3.9.x.kraft", "4.0.x.kraft", "4.1.x.kraft"}

// KafkaVersions returns the Kafka versions a provisioned cluster accepts, oldest first.
func KafkaVersions() []string { return slices.Clone(kafkaVersions) }

// KRaft reports whether a Kafka version string runs in KRaft mode.
func KRaft(version string) bool { return strings.HasSuffix(version, ".kraft") }

// brokerTypes are the Standard broker types a provisioned cluster accepts ("Broker types", Amazon
// MSK Developer Guide, seen 2026-12-04). Express brokers (express.*) are left out: they have no EBS
// volume to size or scale, and a change to or from them replaces the cluster.
var brokerTypes = []string{
	"kafka.t3.small",
	"kafka.m5.large", "kafka.m5.xlarge", "kafka.m5.2xlarge", "kafka.m5.4xlarge", "kafka.m5.8xlarge",
	"kafka.m5.12xlarge", "kafka.m5.16xlarge", "kafka.m5.24xlarge",
	"kafka.m7g.large", "kafka.m7g.xlarge", "kafka.m7g.2xlarge", "kafka.m7g.4xlarge", "kafka.m7g.8xlarge",
	"kafka.m7g.12xlarge", "kafka.m7g.16xlarge",
}

// BrokerTypes returns the broker types a provisioned cluster accepts.
func BrokerTypes() []string { return slices.Clone(brokerTypes) }

// logRetentionDays are the retention periods CloudWatch Logs accepts.
var logRetentionDays = []int{1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653}
