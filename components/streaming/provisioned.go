package streaming

import (
	"fmt"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/appautoscaling"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/kms"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/msk"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/tierstack/tierstack/internal/awsenv"
	"github.com/tierstack/tierstack/internal/kmskey"
	"github.com/tierstack/tierstack/internal/naming"
)

// VolumeSizePath is the cluster input that storage auto scaling changes behind Pulumi's back: the
// cluster ignores it after creation (pulumi.IgnoreChanges), or the next pulumi up would try to shrink
// a grown volume, which MSK refuses ("Amazon MSK does not support decreasing the size of storage
// volumes", "Automatic scaling").
const VolumeSizePath = "brokerNodeGroupInfo.storageInfo.ebsStorageInfo.volumeSize"

// ClusterTimeouts are the provisioned cluster's custom timeouts: creation takes 15 minutes
// typically and past 60 minutes at worst (insights/durations.json msk.cluster.create), and a
// broker-type change or a version upgrade rolls every broker, one at a time.
func ClusterTimeouts() *pulumi.CustomTimeouts {
	return &pulumi.CustomTimeouts{Create: "120m", Update: "180m", Delete: "120m"}
}

// buildProvisioned creates a provisioned cluster and what it needs: its key, its broker log group,
// its configuration, the cluster, storage auto scaling and, with SCRAM, the user's secret. Every
// input that replaces the cluster (its subnets, security group, zone distribution, key, in-cluster
// encryption and name) is the same at every size, so adding brokers, a bigger broker type or a
// newer Kafka version only updates it in place.
func (s *Streaming) buildProvisioned(ctx *pulumi.Context, name string, a checkedArgs, env awsenv.Env, sg *ec2.SecurityGroup) error {
	parent := pulumi.Parent(s)
	protect := pulumi.Protect(!a.Unprotected)
	// The key also encrypts the broker log group: CloudWatch Logs of the region may use it.
	key, err := kmskey.NewWith(ctx, naming.Child(name, "key"), fmt.Sprintf("Encrypts Kafka %s: the brokers' storage, their logs and the SCRAM secret", name),
		env, a.Tags, []kmskey.Statement{kmskey.Logs(env)}, parent, protect,
		// The brokers' volumes are encrypted with it until the cluster is gone; kept on delete.
		pulumi.RetainOnDelete(true))
	if err != nil {
		return err
	}
	s.KMSKeyARN = key.Arn

	logsName := naming.Child(name, "broker-logs")
	logs, err := cloudwatch.NewLogGroup(ctx, logsName, &cloudwatch.LogGroupArgs{
		RetentionInDays: pulumi.Int(a.LogRetentionDays),
		KmsKeyId:        key.Arn,
		Tags:            naming.Tags(a.Tags, logsName),
	}, parent, pulumi.RetainOnDelete(true))
	if err != nil {
		return err
	}
	s.BrokerLogGroup = logs

	configName := naming.Child(name, "config")
	config, err := msk.NewConfiguration(ctx, configName, &msk.ConfigurationArgs{
		Description:      pulumi.String(fmt.Sprintf("Kafka %s: replication and durability", name)),
		ServerProperties: pulumi.String(ServerProperties(a.Args)),
	}, parent)
	if err != nil {
		return err
	}

	cluster, err := s.buildCluster(ctx, name, a, key, logs, config, sg)
	if err != nil {
		return err
	}
	if err := s.buildStorageScaling(ctx, name, a, cluster); err != nil {
		return err
	}
	s.SCRAMSecretARN = pulumi.String("").ToStringOutput()
	if a.SCRAM {
		return s.buildSCRAM(ctx, name, a, key, cluster)
	}
	return nil
}

// buildCluster creates the provisioned cluster and sets the Streaming's outputs from it.
func (s *Streaming) buildCluster(ctx *pulumi.Context, name string, a checkedArgs, key *kms.Key, logs *cloudwatch.LogGroup, config *msk.Configuration, sg *ec2.SecurityGroup) (*msk.Cluster, error) {
	subnets := pulumi.StringArray{}
	for i := range a.zones {
		subnets = append(subnets, a.Network.DataSubnetIDs.Index(pulumi.Int(i)))
	}
	clusterName := naming.Child(name, "cluster")
	cluster, err := msk.NewCluster(ctx, clusterName, &msk.ClusterArgs{
		KafkaVersion:        pulumi.String(a.KafkaVersion),
		NumberOfBrokerNodes: pulumi.Int(a.Brokers),
		BrokerNodeGroupInfo: &msk.ClusterBrokerNodeGroupInfoArgs{
			InstanceType:   pulumi.String(a.BrokerType),
			ClientSubnets:  subnets,
			SecurityGroups: pulumi.StringArray{sg.ID().ToStringOutput()},
			AzDistribution: pulumi.String("DEFAULT"),
			StorageInfo: &msk.ClusterBrokerNodeGroupInfoStorageInfoArgs{
				EbsStorageInfo: &msk.ClusterBrokerNodeGroupInfoStorageInfoEbsStorageInfoArgs{VolumeSize: pulumi.Int(a.VolumeGiB)},
			},
		},
		EncryptionInfo: &msk.ClusterEncryptionInfoArgs{
			EncryptionAtRestKmsKeyArn: key.Arn,
			EncryptionInTransit: &msk.ClusterEncryptionInfoEncryptionInTransitArgs{
				ClientBroker: pulumi.String("TLS"),
				InCluster:    pulumi.Bool(true),
			},
		},
		ClientAuthentication: &msk.ClusterClientAuthenticationArgs{
			Sasl: &msk.ClusterClientAuthenticationSaslArgs{Iam: pulumi.Bool(true), Scram: pulumi.Bool(a.SCRAM)},
			// No client may connect without authenticating.
			Unauthenticated: pulumi.Bool(false),
		},
		ConfigurationInfo: &msk.ClusterConfigurationInfoArgs{Arn: config.Arn, Revision: config.LatestRevision},
		LoggingInfo: &msk.ClusterLoggingInfoArgs{BrokerLogs: &msk.ClusterLoggingInfoBrokerLogsArgs{
			CloudwatchLogs: &msk.ClusterLoggingInfoBrokerLogsCloudwatchLogsArgs{Enabled: pulumi.Bool(true), LogGroup: logs.Name},
		}},
		// DEFAULT-level metrics are free and hold every metric Signals watches ("Amazon MSK metrics
		// for monitoring with CloudWatch").
		EnhancedMonitoring: pulumi.String("DEFAULT"),
		Tags:               naming.Tags(a.Tags, clusterName),
	}, pulumi.Parent(s), pulumi.Protect(!a.Unprotected), pulumi.Timeouts(ClusterTimeouts()),
		pulumi.IgnoreChanges([]string{VolumeSizePath}))
	if err != nil {
		return nil, err
	}
	s.Cluster = cluster
	s.ARN, s.ClusterName = cluster.Arn, cluster.ClusterName
	s.BootstrapBrokers = cluster.BootstrapBrokersSaslIam
	s.BootstrapBrokersSCRAM = cluster.BootstrapBrokersSaslScram
	return cluster, nil
}

// buildStorageScaling lets Application Auto Scaling grow every broker's volume when disk use passes
// StorageTargetPercent, up to MaxVolumeGiB, never shrinking it ("Automatic scaling": scale-in is not
// supported; MSK scales at most once every six hours).
func (s *Streaming) buildStorageScaling(ctx *pulumi.Context, name string, a checkedArgs, cluster *msk.Cluster) error {
	target, err := appautoscaling.NewTarget(ctx, naming.Child(name, "storage"), &appautoscaling.TargetArgs{
		ServiceNamespace:  pulumi.String("kafka"),
		ScalableDimension: pulumi.String(StorageDimension),
		ResourceId:        cluster.Arn,
		// MSK ignores the minimum (it never shrinks a volume); 1 as AWS's own example.
		MinCapacity: pulumi.Int(1),
		MaxCapacity: pulumi.Int(a.MaxVolumeGiB),
		Tags:        naming.Tags(a.Tags, naming.Child(name, "storage")),
	}, pulumi.Parent(s))
	if err != nil {
		return err
	}
	_, err = appautoscaling.NewPolicy(ctx, naming.Child(name, "storage-target"), &appautoscaling.PolicyArgs{
		PolicyType:        pulumi.String("TargetTrackingScaling"),
		ServiceNamespace:  target.ServiceNamespace,
		ScalableDimension: target.ScalableDimension,
		ResourceId:        target.ResourceId,
		TargetTrackingScalingPolicyConfiguration: &appautoscaling.PolicyTargetTrackingScalingPolicyConfigurationArgs{
			TargetValue:    pulumi.Float64(float64(a.StorageTargetPercent)),
			DisableScaleIn: pulumi.Bool(true),
			PredefinedMetricSpecification: &appautoscaling.PolicyTargetTrackingScalingPolicyConfigurationPredefinedMetricSpecificationArgs{
				PredefinedMetricType: pulumi.String("KafkaBrokerStorageUtilization"),
			},
		},
	}, pulumi.Parent(s))
	return err
}

// StorageDimension is the scalable dimension of a provisioned cluster's broker storage.
const StorageDimension = "kafka:broker-storage:VolumeSize"

// ReplicationFactor is the default.replication.factor a provisioned cluster of args gets, its broker
// count known: ReplicationFactor, or min(Brokers, MaxReplicationFactor).
func ReplicationFactor(args Args) int {
	if args.ReplicationFactor > 0 {
		return args.ReplicationFactor
	}
	return min(max(args.Brokers, 2), MaxReplicationFactor)
}

// ServerProperties is a provisioned cluster's server.properties: new topics replicated
// ReplicationFactor ways with min.insync.replicas MinInSyncReplicas, no unclean leader election (an
// out-of-sync replica never becomes leader, so no acknowledged write is lost), and no topic made by
// a typo (auto.create.topics.enable false: the app creates its topics, as GrantTo allows). args are
// checked, defaults applied.
func ServerProperties(args Args) string {
	return strings.Join([]string{
		"auto.create.topics.enable=false",
		fmt.Sprintf("default.replication.factor=%d", ReplicationFactor(args)),
		fmt.Sprintf("min.insync.replicas=%d", args.MinInSyncReplicas),
		"unclean.leader.election.enable=false",
		"",
	}, "\n")
}
