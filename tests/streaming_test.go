package tests

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tierstack/tierstack/components/network"
	"github.com/tierstack/tierstack/components/streaming"
	"github.com/tierstack/tierstack/synth"
)

// Resource types the streaming tests ask about.
const (
	streamTypeComponent   = streaming.TypeToken
	streamTypeCluster     = "aws:msk/cluster:Cluster"
	streamTypeServerless  = "aws:msk/serverlessCluster:ServerlessCluster"
	streamTypeConfig      = "aws:msk/configuration:Configuration"
	streamTypeSCRAM       = "aws:msk/scramSecretAssociation:ScramSecretAssociation"
	streamTypeRolePolicy  = "aws:iam/rolePolicy:RolePolicy"
	streamTypeLogGroup    = "aws:cloudwatch/logGroup:LogGroup"
	streamTypeKey         = "aws:kms/key:Key"
	streamClientSG        = "sg-0c11e47000000000b"
	streamClientRoleARN   = "arn:aws:iam::123456789012:role/app/web-role-1234567"
	streamClientRoleName  = "web-role-1234567"
	streamClusterARNShape = "arn:aws:kafka:us-east-1:123456789012:cluster/"
)

// streamProgram builds a Network "net" over zones and a Streaming "streaming" from args in it, then
// runs then (nil for nothing) on it.
func streamProgram(zones []string, args streaming.Args, then func(*pulumi.Context, *streaming.Streaming) error) synth.Program {
	return func(ctx *pulumi.Context) (pulumi.Map, error) {
		net, err := network.New(ctx, "net", &network.Args{AvailabilityZones: zones})
		if err != nil {
			return nil, err
		}
		args.Network = net
		s, err := streaming.New(ctx, "streaming", &args)
		if err != nil {
			return nil, err
		}
		if then != nil {
			if err := then(ctx, s); err != nil {
				return nil, err
			}
		}
		return pulumi.Map{"arn": s.ARN, "brokers": s.BootstrapBrokers, "sg": s.SecurityGroupID}, nil
	}
}

// buildStream runs streamProgram on the three cache zones and fails the test on error.
func buildStream(t *testing.T, args streaming.Args, then func(*pulumi.Context, *streaming.Streaming) error) stack {
	t.Helper()
	s, err := runProgram(t, "us-east-1", nil, streamProgram(cacheZones, args, then))
	require.NoError(t, err)
	return s
}

// outStr is a recorded resource's output key as a string, "" when it has none.
func outStr(r synth.Resource, key string) string {
	v, _ := r.Outputs[key].(string)
	return v
}

// dataSubnetIDs are the IDs of a recorded Network's data subnets, in slot order.
func dataSubnetIDs(s stack, zones int) []string {
	var ids []string
	prefix := "net"
	if s.Has(typeSubnet, "network-data-0") {
		prefix = "network" // the tiers' Network
	}
	for i := 0; i < zones; i++ {
		ids = append(ids, s.Named(typeSubnet, prefix+"-data-"+string(rune('0'+i))).ID)
	}
	return ids
}

// The zero value is MSK Serverless in the data subnets of the zones, IAM authentication only, its own
// security group, protected; nothing of a provisioned cluster (no key, configuration or log group).
func TestStreamingServerlessByDefault(t *testing.T) {
	s := buildStream(t, streaming.Args{}, nil)
	assert.Equal(t, 1, s.Count(streamTypeComponent))
	assert.Equal(t, 1, s.Count(streamTypeServerless))
	assert.Zero(t, s.Count(streamTypeCluster))
	assert.Zero(t, s.Count(streamTypeConfig))
	c := s.Named(streamTypeServerless, "streaming-cluster")
	assert.True(t, c.Protect, "the cluster is protected")
	assert.Equal(t, true, input(c, "clientAuthentication.sasl.iam.enabled"))
	assert.ElementsMatch(t, dataSubnetIDs(s, 3), strs(c, "vpcConfigs.0.subnetIds"), "the data subnets of the three zones")
	sg := s.Named(typeSecurityGroup, "streaming-sg")
	assert.Equal(t, []string{sg.ID}, strs(c, "vpcConfigs.0.securityGroupIds"))
	assert.Nil(t, input(sg, "ingress"), "no inline ingress: clients come by AllowFrom")
	assert.Nil(t, input(sg, "egress"), "no egress")
	assert.Contains(t, s.Outputs["brokers"], ":9098", "the app connects over SASL/IAM with TLS")
}

// A provisioned cluster: brokers one per zone in the data subnets, TLS only between clients and
// brokers and inside the cluster, its own KMS key at rest, IAM authentication and nothing
// unauthenticated, broker logs to an encrypted log group with a retention, a configuration with
// min.insync.replicas 2 below a replication factor of 3, protection, and storage ignored after
// creation (auto scaling grows it).
func TestStreamingProvisionedIsEncryptedAndAuthenticated(t *testing.T) {
	s := buildStream(t, streaming.Args{Mode: streaming.ModeProvisioned}, nil)
	c := s.Named(streamTypeCluster, "streaming-cluster")
	key := s.Named(streamTypeKey, "streaming-key")
	assert.Equal(t, 3, num(c, "numberOfBrokerNodes"), "one broker per zone")
	assert.Equal(t, dataSubnetIDs(s, 3), strs(c, "brokerNodeGroupInfo.clientSubnets"))
	assert.Equal(t, streaming.DefaultBrokerType, str(c, "brokerNodeGroupInfo.instanceType"))
	assert.Equal(t, streaming.DefaultKafkaVersion, str(c, "kafkaVersion"))
	assert.Equal(t, "TLS", str(c, "encryptionInfo.encryptionInTransit.clientBroker"))
	assert.Equal(t, true, input(c, "encryptionInfo.encryptionInTransit.inCluster"))
	assert.Equal(t, outStr(key, "arn"), str(c, "encryptionInfo.encryptionAtRestKmsKeyArn"), "encrypted at rest with its own key")
	assert.Equal(t, true, input(c, "clientAuthentication.sasl.iam"))
	assert.Equal(t, false, input(c, "clientAuthentication.sasl.scram"))
	assert.Equal(t, false, input(c, "clientAuthentication.unauthenticated"))
	assert.True(t, c.Protect)
	assert.True(t, key.Protect)
	assert.True(t, key.RetainOnDelete)
	assert.Equal(t, true, input(key, "enableKeyRotation"))
	assert.Equal(t, []string{streaming.VolumeSizePath}, c.IgnoreChanges)

	logs := s.Named(streamTypeLogGroup, "streaming-broker-logs")
	assert.Equal(t, streaming.DefaultLogRetentionDays, num(logs, "retentionInDays"))
	assert.Equal(t, outStr(key, "arn"), str(logs, "kmsKeyId"))
	assert.True(t, logs.RetainOnDelete)
	assert.Equal(t, true, input(c, "loggingInfo.brokerLogs.cloudwatchLogs.enabled"))
	assert.Equal(t, outStr(logs, "name"), str(c, "loggingInfo.brokerLogs.cloudwatchLogs.logGroup"))

	conf := s.Named(streamTypeConfig, "streaming-config")
	props := str(conf, "serverProperties")
	for _, want := range []string{"min.insync.replicas=2", "default.replication.factor=3", "unclean.leader.election.enable=false", "auto.create.topics.enable=false"} {
		assert.Contains(t, props, want)
	}
	assert.Equal(t, outStr(conf, "arn"), str(c, "configurationInfo.arn"))
	assert.Contains(t, s.Outputs["arn"], streamClusterARNShape)
}

// Storage grows by Application Auto Scaling on the brokers' volume, tracking disk use, never scaling
// in, up to MaxVolumeGiB.
func TestStreamingStorageScales(t *testing.T) {
	s := buildStream(t, streaming.Args{Mode: streaming.ModeProvisioned, VolumeGiB: 200, MaxVolumeGiB: 4000, StorageTargetPercent: 55}, nil)
	c := s.Named(streamTypeCluster, "streaming-cluster")
	assert.Equal(t, 200, num(c, "brokerNodeGroupInfo.storageInfo.ebsStorageInfo.volumeSize"))
	target := s.Named(typeScalingTarget, "streaming-storage")
	assert.Equal(t, "kafka", str(target, "serviceNamespace"))
	assert.Equal(t, "kafka:broker-storage:VolumeSize", str(target, "scalableDimension"))
	assert.Equal(t, outStr(c, "arn"), str(target, "resourceId"))
	assert.Equal(t, 4000, num(target, "maxCapacity"))
	policy := s.Named(typeScalingPolicy, "streaming-storage-target")
	assert.Equal(t, "TargetTrackingScaling", str(policy, "policyType"))
	cfg := "targetTrackingScalingPolicyConfiguration."
	assert.Equal(t, "KafkaBrokerStorageUtilization", str(policy, cfg+"predefinedMetricSpecification.predefinedMetricType"))
	assert.Equal(t, 55, num(policy, cfg+"targetValue"))
	assert.Equal(t, true, input(policy, cfg+"disableScaleIn"))
}

// Brokers are spread evenly over the zones: a multiple of the zone count (up to three zones) is
// taken, anything else refused; on two zones the default of one broker per zone leaves no room
// for min.insync.replicas 2 below the replication factor, and four brokers do.
func TestStreamingSpreadsBrokersOverTheZones(t *testing.T) {
	six := buildStream(t, streaming.Args{Mode: streaming.ModeProvisioned, Brokers: 6}, nil)
	assert.Equal(t, 6, num(six.Named(streamTypeCluster, "streaming-cluster"), "numberOfBrokerNodes"))
	perZone := buildStream(t, streaming.Args{Mode: streaming.ModeProvisioned, BrokersPerZone: 2}, nil)
	assert.Equal(t, 6, num(perZone.Named(streamTypeCluster, "streaming-cluster"), "numberOfBrokerNodes"))

	four := []string{"us-east-1a", "us-east-1b", "us-east-1c", "us-east-1d"}
	s, err := runProgram(t, "us-east-1", nil, streamProgram(four, streaming.Args{Mode: streaming.ModeProvisioned}, nil))
	require.NoError(t, err)
	c := s.Named(streamTypeCluster, "streaming-cluster")
	assert.Equal(t, dataSubnetIDs(s, 3), strs(c, "brokerNodeGroupInfo.clientSubnets"), "the first three zones' slots: MSK takes at most three")

	_, err = runProgram(t, "us-east-1", nil, streamProgram(cacheZones, streaming.Args{Mode: streaming.ModeProvisioned, Brokers: 4}, nil))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "brokers 4 is not a multiple of the 3 zones")

	two := cacheZones[:2]
	_, err = runProgram(t, "us-east-1", nil, streamProgram(two, streaming.Args{Mode: streaming.ModeProvisioned}, nil))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "minInSyncReplicas 2 is not below the replication factor 2")
	s, err = runProgram(t, "us-east-1", nil, streamProgram(two, streaming.Args{Mode: streaming.ModeProvisioned, Brokers: 4}, nil))
	require.NoError(t, err)
	assert.Contains(t, str(s.Named(streamTypeConfig, "streaming-config"), "serverProperties"), "default.replication.factor=3")
}

// AllowFrom admits a client's security group on the IAM port only (and the SCRAM port with SCRAM),
// never a CIDR range; GrantTo gives the client's role kafka-cluster actions on this cluster, its
// topics and its groups, and nothing else.
func TestStreamingAdmitsAndGrantsOnlyItsClients(t *testing.T) {
	both := func(ctx *pulumi.Context, st *streaming.Streaming) error {
		if _, err := st.AllowFrom(ctx, "web", pulumi.String(streamClientSG)); err != nil {
			return err
		}
		_, err := st.GrantTo(ctx, "web", pulumi.String(streamClientRoleARN))
		return err
	}
	for _, mode := range []streaming.Mode{streaming.ModeServerless, streaming.ModeProvisioned} {
		t.Run(string(mode), func(t *testing.T) {
			s := buildStream(t, streaming.Args{Mode: mode}, both)
			rules := s.All(typeSGRule)
			require.Len(t, rules, 1)
			rule := rules[0]
			assert.Equal(t, "streaming-allow-web", rule.Name)
			assert.Equal(t, "ingress", str(rule, "type"))
			assert.Equal(t, streaming.PortIAM, num(rule, "fromPort"))
			assert.Equal(t, streaming.PortIAM, num(rule, "toPort"))
			assert.Equal(t, streamClientSG, str(rule, "sourceSecurityGroupId"))
			assert.Nil(t, input(rule, "cidrBlocks"))
			assert.Equal(t, s.Named(typeSecurityGroup, "streaming-sg").ID, str(rule, "securityGroupId"))

			grant := s.Named(streamTypeRolePolicy, "streaming-grant-web")
			assert.Equal(t, streamClientRoleName, str(grant, "role"))
			var doc struct {
				Statement []struct {
					Action   []string
					Resource string
				}
			}
			require.NoError(t, json.Unmarshal([]byte(str(grant, "policy")), &doc))
			arn := s.Outputs["arn"].(string)
			resources := map[string][]string{}
			for _, st := range doc.Statement {
				resources[st.Resource] = st.Action
				for _, a := range st.Action {
					assert.True(t, strings.HasPrefix(a, "kafka-cluster:"), "%s", a)
					assert.NotContains(t, a, "*")
					assert.NotContains(t, a, "Delete")
				}
			}
			topics := strings.Replace(arn, ":cluster/", ":topic/", 1) + "/*"
			groups := strings.Replace(arn, ":cluster/", ":group/", 1) + "/*"
			assert.Equal(t, map[string][]string{
				arn:    {"kafka-cluster:Connect", "kafka-cluster:DescribeCluster", "kafka-cluster:WriteDataIdempotently"},
				topics: {"kafka-cluster:CreateTopic", "kafka-cluster:DescribeTopic", "kafka-cluster:ReadData", "kafka-cluster:WriteData"},
				groups: {"kafka-cluster:AlterGroup", "kafka-cluster:DescribeGroup"},
			}, resources)
		})
	}
	scram := buildStream(t, streaming.Args{Mode: streaming.ModeProvisioned, SCRAM: true}, both)
	ports := map[string]int{}
	for _, r := range scram.All(typeSGRule) {
		ports[r.Name] = num(r, "fromPort")
	}
	assert.Equal(t, map[string]int{"streaming-allow-web": streaming.PortIAM, "streaming-allow-web-scram": streaming.PortSCRAM}, ports)

	_, err := runProgram(t, "us-east-1", nil, streamProgram(cacheZones, streaming.Args{}, func(ctx *pulumi.Context, st *streaming.Streaming) error {
		if err := both(ctx, st); err != nil {
			return err
		}
		_, err := st.AllowFrom(ctx, "web", pulumi.String(streamClientSG))
		return err
	}))
	require.Error(t, err)
	assert.Contains(t, err.Error(), `client "web" is already admitted`)
	_, err = runProgram(t, "us-east-1", nil, streamProgram(cacheZones, streaming.Args{}, func(ctx *pulumi.Context, st *streaming.Streaming) error {
		_, err := st.GrantTo(ctx, "Web", pulumi.String(streamClientRoleARN))
		return err
	}))
	require.Error(t, err)
	assert.Contains(t, err.Error(), `client name "Web" is not allowed`)
}

// ClientPolicy and RoleName refuse what is not an MSK cluster ARN or an IAM role ARN.
func TestStreamingPolicyInputs(t *testing.T) {
	_, err := streaming.ClientPolicy("arn:aws:msk:us-east-1:123456789012:cluster/x")
	require.Error(t, err)
	assert.Contains(t, err.Error(), "is not an MSK cluster ARN")
	name, err := streaming.RoleName(streamClientRoleARN)
	require.NoError(t, err)
	assert.Equal(t, streamClientRoleName, name)
	_, err = streaming.RoleName("arn:aws:iam::123456789012:user/bob")
	assert.Error(t, err)
}

// SASL/SCRAM, when asked for on a provisioned cluster: a generated password in a secret whose name
// starts AmazonMSK_ (MSK takes no other), encrypted with the Streaming's own key, associated with the
// cluster, whose SCRAM listener is then on.
func TestStreamingSCRAMSecret(t *testing.T) {
	s := buildStream(t, streaming.Args{Mode: streaming.ModeProvisioned, SCRAM: true}, nil)
	secret := s.Named(typeSecret, "streaming-scram")
	assert.True(t, strings.HasPrefix(str(secret, "namePrefix"), "AmazonMSK_"), str(secret, "namePrefix"))
	assert.Equal(t, outStr(s.Named(streamTypeKey, "streaming-key"), "arn"), str(secret, "kmsKeyId"))
	assoc := s.Named(streamTypeSCRAM, "streaming-scram-users")
	c := s.Named(streamTypeCluster, "streaming-cluster")
	assert.Equal(t, outStr(c, "arn"), str(assoc, "clusterArn"))
	assert.Equal(t, []string{outStr(secret, "arn")}, strs(assoc, "secretArnLists"))
	assert.Equal(t, true, input(c, "clientAuthentication.sasl.scram"))
	value := s.Named(typeSecretVersion, "streaming-scram-value")
	assert.True(t, value.Inputs["secretString"] == nil || !strings.Contains(str(value, "secretString"), "password\":\""), "the password never shows in the plan")
}

// Bad input is refused before anything of the Streaming is registered, with an error naming the
// field, the value and what is allowed; Validate gives the same answer without an engine.
func TestStreamingRefusesBadInput(t *testing.T) {
	networkOnly, err := runProgram(t, "us-east-1", nil, func(ctx *pulumi.Context) (pulumi.Map, error) {
		_, err := network.New(ctx, "net", &network.Args{AvailabilityZones: cacheZones})
		return nil, err
	})
	require.NoError(t, err)
	p := streaming.ModeProvisioned
	cases := []struct {
		name string
		args streaming.Args
		want []string
	}{
		{"unknown mode", streaming.Args{Mode: "dedicated"}, []string{`mode "dedicated"`, "serverless, provisioned"}},
		{"brokers with serverless", streaming.Args{Brokers: 3}, []string{"brokers is set with mode serverless", "mode provisioned"}},
		{"scram with serverless", streaming.Args{SCRAM: true}, []string{"scram is set with mode serverless", "IAM only"}},
		{"version with serverless", streaming.Args{KafkaVersion: "3.9.x"}, []string{"kafkaVersion is set with mode serverless"}},
		{"not a broker type", streaming.Args{Mode: p, BrokerType: "m7g.large"}, []string{`brokerType "m7g.large"`, "kafka.m7g.large"}},
		{"express broker", streaming.Args{Mode: p, BrokerType: "express.m7g.large"}, []string{`brokerType "express.m7g.large"`, "Standard"}},
		{"unsupported version", streaming.Args{Mode: p, KafkaVersion: "2.8.1"}, []string{`kafkaVersion "2.8.1"`, "3.9.x.kraft"}},
		{"negative brokers", streaming.Args{Mode: p, Brokers: -3}, []string{"brokers -3"}},
		{"too many brokers (KRaft)", streaming.Args{Mode: p, Brokers: 63}, []string{"brokers 63", "at most 60"}},
		{"too many brokers (ZooKeeper)", streaming.Args{Mode: p, Brokers: 33, KafkaVersion: "3.9.x"}, []string{"brokers 33", "at most 30"}},
		{"brokers not a multiple of the zones", streaming.Args{Mode: p, Brokers: 5}, []string{"brokers 5 is not a multiple of the 3 zones", "3, 6, 9"}},
		{"brokers and per zone", streaming.Args{Mode: p, Brokers: 3, BrokersPerZone: 1}, []string{"brokersPerZone 1 is not allowed with brokers 3"}},
		{"volume too big", streaming.Args{Mode: p, VolumeGiB: 20000}, []string{"volumeGiB 20000", "1 to 16384"}},
		{"max volume below volume", streaming.Args{Mode: p, VolumeGiB: 500, MaxVolumeGiB: 400}, []string{"maxVolumeGiB 400", "500 to 16384"}},
		{"storage target too high", streaming.Args{Mode: p, StorageTargetPercent: 90}, []string{"storageTargetPercent 90", "10 to 80"}},
		{"one in-sync replica", streaming.Args{Mode: p, MinInSyncReplicas: 1}, []string{"minInSyncReplicas 1 is below 2"}},
		{"in-sync replicas at the replication factor", streaming.Args{Mode: p, MinInSyncReplicas: 3}, []string{"minInSyncReplicas 3 is not below the replication factor 3", "2 to 2"}},
		{"replication above brokers", streaming.Args{Mode: p, Brokers: 3, ReplicationFactor: 4}, []string{"replicationFactor 4 is above brokers 3"}},
		{"bad log retention", streaming.Args{Mode: p, LogRetentionDays: 10}, []string{"logRetentionDays 10", "CloudWatch Logs accepts"}},
		{"negative partitions", streaming.Args{Partitions: -1}, []string{"partitions -1"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s, err := runProgram(t, "us-east-1", nil, streamProgram(cacheZones, c.args, nil))
			require.Error(t, err)
			for _, w := range c.want {
				assert.Contains(t, err.Error(), w)
			}
			assert.Len(t, s.Resources, len(networkOnly.Resources), "nothing of the Streaming is registered")
			assert.Zero(t, s.Count(streamTypeComponent))
			verr := c.args.ValidateFor(len(cacheZones))
			require.Error(t, verr, "ValidateFor refuses it too")
			assert.Equal(t, err.Error(), verr.Error())
		})
	}
	_, err = runProgram(t, "us-east-1", nil, func(ctx *pulumi.Context) (pulumi.Map, error) {
		_, err := streaming.New(ctx, "streaming", &streaming.Args{})
		return nil, err
	})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "network is required")
	s, err := runProgram(t, "us-east-1", nil, func(ctx *pulumi.Context) (pulumi.Map, error) {
		net, err := network.New(ctx, "net", &network.Args{AvailabilityZones: cacheZones})
		if err != nil {
			return nil, err
		}
		_, err = streaming.New(ctx, strings.Repeat("k", 50), &streaming.Args{Network: net})
		return nil, err
	})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "64-character limit")
	assert.Zero(t, s.Count(streamTypeComponent))
}

// A provisioned cluster's signals: disk use and offline partitions for the cluster, and per broker
// under-replicated partitions, partitions under min ISR and CPU, each by its metric's dimensions;
// a serverless cluster has none.
func TestStreamingSignals(t *testing.T) {
	list := streaming.PlannedSignals(streaming.Args{Mode: streaming.ModeProvisioned, Brokers: 3}, pulumi.String("c"))
	var ids []string
	for _, sig := range list {
		ids = append(ids, sig.ID)
		assert.Equal(t, "AWS/Kafka", sig.Metric.Namespace)
		assert.Contains(t, sig.Metric.Dimensions, "Cluster Name")
	}
	for _, want := range []string{"streaming-disk-used", "streaming-offline-partitions", "streaming-broker1-under-replicated", "streaming-broker3-under-min-isr", "streaming-broker2-cpu"} {
		assert.Contains(t, ids, want)
	}
	assert.Len(t, list, 2+3*3)
	assert.Empty(t, streaming.PlannedSignals(streaming.Args{}, pulumi.String("c")))
}
