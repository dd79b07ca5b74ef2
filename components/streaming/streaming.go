package streaming

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/msk"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/tierstack/tierstack/components/network"
	"github.com/tierstack/tierstack/internal/awsenv"
	"github.com/tierstack/tierstack/internal/naming"
)

// TypeToken is the Pulumi type token of the Streaming component.
const TypeToken = "tierstack:index:Streaming"

// Args are the inputs of a Streaming. Only Network is required: the zero value of every other field
// is an MSK Serverless cluster in the Network's data subnets (up to three zones), IAM authentication
// over TLS, admitting no client until AllowFrom.
type Args struct {
	// Network is where the cluster lives: the data subnets of its first MaxZones zones, and its VPC
	// (for the Streaming's security group). Required; it needs at least MinZones zones.
	Network *network.Network

	// Mode is ModeServerless ("" means it) or ModeProvisioned. Fixed for the life of the stack.
	Mode Mode

	// Brokers is how many brokers a provisioned cluster has; 0 means BrokersPerZone in each zone the
	// cluster spans. It must be a multiple of those zones (min(zones, MaxZones)), as MSK places brokers
	// evenly, and at most MaxBrokersKRaft (KRaft) or MaxBrokersZooKeeper. Changes in place (MSK adds
	// brokers; removing them needs their partitions moved first). Must be 0 in ModeServerless.
	Brokers int
	// BrokersPerZone is how many brokers each zone holds when Brokers is 0; 0 means 1. Not with
	// Brokers. Must be 0 in ModeServerless.
	BrokersPerZone int
	// BrokerType is every broker's type; "" means DefaultBrokerType. One of BrokerTypes(); changes in
	// place, a broker at a time. Must be "" in ModeServerless.
	BrokerType string
	// KafkaVersion is the Kafka version; "" means DefaultKafkaVersion. One of KafkaVersions(). An
	// upgrade is in place; a downgrade replaces the cluster, and AWS never moves a cluster between
	// ZooKeeper and KRaft. Must be "" in ModeServerless, which AWS keeps current.
	KafkaVersion string
	// VolumeGiB is each broker's EBS volume at creation, MinVolumeGiB to MaxVolumeGiB; 0 means
	// DefaultVolumeGiB. Storage auto scaling grows it afterwards, so the cluster ignores later changes
	// of this field (raise MaxVolumeGiB instead). Must be 0 in ModeServerless.
	VolumeGiB int
	// MaxVolumeGiB is how far storage auto scaling may grow each broker's volume, from VolumeGiB to
	// MaxVolumeGiB; 0 means DefaultMaxVolumeGiB. Must be 0 in ModeServerless.
	MaxVolumeGiB int
	// StorageTargetPercent is the disk use storage auto scaling holds, MinStorageTargetPercent to
	// MaxStorageTargetPercent; 0 means DefaultStorageTargetPercent. Must be 0 in ModeServerless.
	StorageTargetPercent int
	// ReplicationFactor is default.replication.factor, 2 to Brokers; 0 means min(Brokers, 3). Must
	// be 0 in ModeServerless, where AWS replicates every partition three ways.
	ReplicationFactor int
	// MinInSyncReplicas is min.insync.replicas: with acks=all a write waits for this many copies. At
	// least 2 (one copy is no durability) and below ReplicationFactor (so that a broker or zone can be
	// lost without refusing writes); 0 means DefaultMinInSyncReplicas. Must be 0 in ModeServerless.
	MinInSyncReplicas int
	// SCRAM turns on SASL/SCRAM authentication beside IAM, for clients outside AWS: a user whose
	// secret (AmazonMSK_-prefixed, encrypted with the Streaming's key) is in Secrets Manager.
	// ModeProvisioned only: MSK Serverless takes IAM alone.
	SCRAM bool
	// LogRetentionDays is how long broker logs are kept in CloudWatch Logs; 0 means
	// DefaultLogRetentionDays. A value CloudWatch Logs accepts. Must be 0 in ModeServerless, whose
	// brokers AWS keeps the logs of.
	LogRetentionDays int
	// Partitions is how many partitions the app's topics will have in all, for the check against the
	// serverless quota; 0 means not stated. It creates nothing.
	Partitions int

	// Unprotected lifts the protection of the cluster and its KMS key, so that pulumi destroy can
	// delete them. The zero value protects both. The key and the broker log group are kept in AWS on
	// delete either way (RetainOnDelete).
	Unprotected bool
	// Tags are added to every resource the Streaming creates, beside a Name tag.
	Tags map[string]string
}

// Streaming is a Kafka cluster on Amazon MSK in a Network's data subnets, reached over TLS with IAM
// authentication, behind a security group that admits only the clients AllowFrom names.
type Streaming struct {
	pulumi.ResourceState

	// Cluster is the provisioned cluster (ModeProvisioned), the escape hatch; nil in ModeServerless.
	Cluster *msk.Cluster
	// ServerlessCluster is the serverless cluster (ModeServerless); nil in ModeProvisioned.
	ServerlessCluster *msk.ServerlessCluster
	// Mode is the mode the Streaming was built in.
	Mode Mode
	// Zones are the zones the cluster spans, in AZ-slot order.
	Zones []string

	// ARN is the cluster's ARN.
	ARN pulumi.StringOutput `pulumi:"arn"`
	// ClusterName is the cluster's name, the "Cluster Name" dimension of its metrics.
	ClusterName pulumi.StringOutput `pulumi:"clusterName"`
	// BootstrapBrokers are the brokers' addresses for SASL/IAM over TLS (port PortIAM), comma
	// separated: what a client connects to first.
	BootstrapBrokers pulumi.StringOutput `pulumi:"bootstrapBrokers"`
	// BootstrapBrokersSCRAM are the addresses for SASL/SCRAM over TLS (port PortSCRAM); empty
	// without Args.SCRAM.
	BootstrapBrokersSCRAM pulumi.StringOutput `pulumi:"bootstrapBrokersScram"`
	// SCRAMSecretARN is the SASL/SCRAM user's secret (username and password); empty without
	// Args.SCRAM.
	SCRAMSecretARN pulumi.StringOutput `pulumi:"scramSecretArn"`
	// SecurityGroupID is the cluster's security group, which admits nothing until AllowFrom.
	SecurityGroupID pulumi.StringOutput `pulumi:"securityGroupId"`
	// KMSKeyARN is the key that encrypts the brokers' storage, their log group and the SCRAM
	// secret; empty in ModeServerless, which AWS encrypts with a key of its own.
	KMSKeyARN pulumi.StringOutput `pulumi:"kmsKeyArn"`
	// BrokerLogGroup receives the brokers' logs; nil in ModeServerless.
	BrokerLogGroup *cloudwatch.LogGroup

	name        string
	args        checkedArgs // what Signals describes
	securityGrp *ec2.SecurityGroup
	allowed     map[string]bool
	granted     map[string]bool
}

// New creates a Streaming. It checks args and its name, and looks up the region, account and
// partition through the provider its children will use, before it registers anything: a bad value
// fails with nothing created.
func New(ctx *pulumi.Context, name string, args *Args, opts ...pulumi.ResourceOption) (*Streaming, error) {
	if err := checkName(name); err != nil {
		return nil, err
	}
	a, err := args.checked(true)
	if err != nil {
		return nil, err
	}
	env, _, err := awsenv.Resolve(ctx, opts)
	if err != nil {
		return nil, fmt.Errorf("streaming %s: %w", name, err)
	}
	s := &Streaming{Mode: a.Mode, Zones: a.zones, name: name, args: a, allowed: map[string]bool{}, granted: map[string]bool{}}
	if err := ctx.RegisterComponentResource(TypeToken, name, s, opts...); err != nil {
		return nil, fmt.Errorf("streaming %s: %w", name, err)
	}
	if err := s.build(ctx, name, a, env); err != nil {
		return nil, fmt.Errorf("streaming %s: %w", name, err)
	}
	if err := s.warn(ctx, name, a); err != nil {
		return nil, fmt.Errorf("streaming %s: %w", name, err)
	}
	if err := ctx.RegisterResourceOutputs(s, pulumi.Map{
		"arn":                   s.ARN,
		"clusterName":           s.ClusterName,
		"bootstrapBrokers":      s.BootstrapBrokers,
		"bootstrapBrokersScram": s.BootstrapBrokersSCRAM,
		"scramSecretArn":        s.SCRAMSecretARN,
		"securityGroupId":       s.SecurityGroupID,
		"kmsKeyArn":             s.KMSKeyARN,
	}); err != nil {
		return nil, fmt.Errorf("streaming %s: registering outputs: %w", name, err)
	}
	return s, nil
}

// build creates the children of the Streaming's mode.
func (s *Streaming) build(ctx *pulumi.Context, name string, a checkedArgs, env awsenv.Env) error {
	// The cluster's own security group has no inline rules: no egress (brokers call nothing in the
	// VPC) and no ingress until AllowFrom adds one rule resource per client and port.
	sgName := naming.Child(name, "sg")
	sg, err := ec2.NewSecurityGroup(ctx, sgName, &ec2.SecurityGroupArgs{
		VpcId:       a.Network.VPCID,
		Description: pulumi.String(fmt.Sprintf("Kafka %s: admits only the clients it names, over TLS", name)),
		Tags:        naming.Tags(a.Tags, sgName),
	}, pulumi.Parent(s))
	if err != nil {
		return err
	}
	s.securityGrp, s.SecurityGroupID = sg, sg.ID().ToStringOutput()
	if a.Mode == ModeServerless {
		return s.buildServerless(ctx, name, a, sg)
	}
	return s.buildProvisioned(ctx, name, a, env, sg)
}

// warn logs, on the Streaming, what a user should act on before pulumi up: more partitions than the
// serverless quota's default.
func (s *Streaming) warn(ctx *pulumi.Context, name string, a checkedArgs) error {
	if a.Mode == ModeServerless && a.Partitions > ServerlessQuotas.Partitions {
		msg := fmt.Sprintf("streaming %s: partitions %d is over MSK Serverless's default quota of %d partitions per cluster (Amazon MSK quota); ask AWS to raise it before you create the topics, or use mode provisioned",
			name, a.Partitions, ServerlessQuotas.Partitions)
		return ctx.Log.Warn(msg, &pulumi.LogArgs{Resource: s})
	}
	return nil
}

// checkName refuses a component name that would make AWS refuse a child's name: the longest is the
// cluster's, "name-cluster" plus Pulumi's suffix, which MSK limits to 64 characters of letters,
// digits and hyphens (aws_msk_cluster cluster_name; aws_msk_serverless_cluster cluster_name:
// StringLenBetween(1, 64)).
func checkName(name string) error {
	return naming.CheckName("streaming", name, "-cluster", 64, "MSK cluster name")
}
