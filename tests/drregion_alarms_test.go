package tests

import (
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tierstack/tierstack/tiers"
)

const (
	typeBackupVault       = "aws:backup/vault:Vault"
	typeReplicationConfig = "aws:s3/bucketReplicationConfig:BucketReplicationConfig"
	typeKMSKey            = "aws:kms/key:Key"
)

// drAlarms are the stack's alarms over the DR region, by signal ID.
func drAlarms(s stack) map[string]synthAlarm {
	out := map[string]synthAlarm{}
	for _, r := range s.All(typeMetricAlarm) {
		if id, ok := strings.CutPrefix(r.Name, "observability-alarm-"); ok && strings.HasPrefix(id, "dr-") {
			out[id] = synthAlarm{name: r.Name, provider: r.Provider, actions: strs(r, "alarmActions"), ok: strs(r, "okActions"),
				namespace: str(r, "namespace"), metric: str(r, "metricName"), dims: stringMap(input(r, "dimensions"))}
		}
	}
	return out
}

// synthAlarm is what the tests read of a planned metric alarm.
type synthAlarm struct {
	name, provider, namespace, metric string
	actions, ok                       []string
	dims                              map[string]string
}

// stringMap reads a planned map input of strings.
func stringMap(v any) map[string]string {
	out := map[string]string{}
	if m, ok := v.(map[string]any); ok {
		for k, x := range m {
			out[k], _ = x.(string)
		}
	}
	return out
}

// sortedIDs are a map's keys, sorted.
func sortedIDs(m map[string]synthAlarm) []string {
	var ids []string
	for id := range m {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids
}

// backupRestore watches what it builds, from the primary region: the Backup copy jobs of the
// source vault and the asset bucket's replication failures, both alarms on the stack's provider
// notifying the stack's topic; the DR region has its topic all the same. The replication rule
// turns on the replication metrics the alarm reads. A 1m stack without a DR region has no DR alarm.
func TestDRBackupRestoreAlarmsWatchTheCopiesAndTheReplicationFromThePrimary(t *testing.T) {
	s := planTier(t, drConfig())
	require.Equal(t, "backupRestore", s.Outputs["drStrategy"])
	dr := s.Named("pulumi:providers:aws", "dr-region")
	alarms := drAlarms(s)
	assert.Equal(t, []string{"dr-assets-replication-failed", "dr-backup-copy-failed"}, sortedIDs(alarms))
	home := s.Named(typeTopic, "observability-topic")
	for id, a := range alarms {
		assert.NotEqual(t, dr.URN, a.provider, "%s reads a metric of the primary region", id)
		assert.Equal(t, []string{home.Outputs["arn"].(string)}, a.actions, id)
	}
	drTopic := s.Named(typeTopic, "observability-topic-us-west-2")
	assert.Equal(t, dr.URN, drTopic.Provider, "the DR region has its topic with every strategy, so that it does not come and go with one")

	copies := alarms["dr-backup-copy-failed"]
	assert.Equal(t, "AWS/Backup", copies.namespace)
	assert.Equal(t, "NumberOfCopyJobsFailed", copies.metric)
	assert.Equal(t, map[string]string{"BackupVaultName": s.Named(typeBackupVault, "dr-backup-source-vault").Outputs["name"].(string)}, copies.dims)

	repl := s.Named(typeReplicationConfig, "dr-assets-replication")
	rule := input(repl, "rules").([]any)[0].(map[string]any)
	assets := alarms["dr-assets-replication-failed"]
	assert.Equal(t, "AWS/S3", assets.namespace)
	assert.Equal(t, "OperationsFailedReplication", assets.metric)
	assert.Equal(t, map[string]string{"SourceBucket": str(repl, "bucket"), "DestinationBucket": s.Outputs["drReplicaBucket"].(string),
		"RuleId": rule["id"].(string)}, assets.dims)
	assert.Equal(t, "Enabled", str(repl, "rules.0.destination.metrics.status"), "the alarm's metric exists only with replication metrics on")

	without := planTier(t, tierConfig(tiers.Tier100k))
	assert.Empty(t, drAlarms(without), "no DR region, no DR alarm")
}

// pilotLight adds, per secondary cluster, AuroraGlobalDBReplicationLag and AuroraGlobalDBRPOLag
// in the DR region (on its provider, notifying a topic there, encrypted with a key there, with
// the same email subscriber), and per table DynamoDB's ReplicationLatency towards the DR region in
// the primary region. The dashboard graphs each in its alarm's region.
func TestDRPilotLightAlarmsWatchTheLagInTheRegionOfEachMetric(t *testing.T) {
	cfg := pilotConfig()
	cfg["tierstack:alarmEmail"] = "ops@example.com"
	s := planTier(t, cfg)
	dr := s.Named("pulumi:providers:aws", "dr-region")
	alarms := drAlarms(s)
	want := []string{"dr-assets-replication-failed", "dr-backup-copy-failed", "dr-db-shard-0-replication-lag", "dr-db-shard-0-rpo-lag"}
	tables := s.All(typeTable)
	require.NotEmpty(t, tables)
	for i := range tables {
		want = append(want, "dr-table-"+strconv.Itoa(i)+"-replication-latency")
	}
	slices.Sort(want)
	assert.Equal(t, want, sortedIDs(alarms))

	drTopic := s.Named(typeTopic, "observability-topic-us-west-2")
	assert.Equal(t, dr.URN, drTopic.Provider, "the DR region's topic is in the DR region")
	drKey := s.Named(typeKMSKey, "observability-key-us-west-2")
	assert.Equal(t, dr.URN, drKey.Provider)
	assert.Equal(t, drKey.Outputs["arn"], str(drTopic, "kmsMasterKeyId"), "encrypted with a key of its region")
	email := s.Named(typeSubscription, "observability-email-us-west-2")
	assert.Equal(t, dr.URN, email.Provider)
	assert.Equal(t, drTopic.Outputs["arn"], str(email, "topic"), "the same people hear of the DR region")

	secondary := s.Named(typeCluster, "dr-db-shard-0")
	for _, id := range []string{"dr-db-shard-0-replication-lag", "dr-db-shard-0-rpo-lag"} {
		a := alarms[id]
		assert.Equal(t, dr.URN, a.provider, "%s: the secondary's lag is measured in the DR region", id)
		assert.Equal(t, []string{drTopic.Outputs["arn"].(string)}, a.actions, id)
		assert.Equal(t, []string{drTopic.Outputs["arn"].(string)}, a.ok, id)
		assert.Equal(t, "AWS/RDS", a.namespace, id)
		assert.Equal(t, map[string]string{"DBClusterIdentifier": str(secondary, "clusterIdentifier")}, a.dims, id)
	}
	assert.Equal(t, "AuroraGlobalDBReplicationLag", alarms["dr-db-shard-0-replication-lag"].metric)
	assert.Equal(t, "AuroraGlobalDBRPOLag", alarms["dr-db-shard-0-rpo-lag"].metric)

	var names []string
	for _, tb := range tables {
		names = append(names, tb.Outputs["name"].(string))
	}
	var watched []string
	home := s.Named(typeTopic, "observability-topic")
	for i := range tables {
		a := alarms["dr-table-"+strconv.Itoa(i)+"-replication-latency"]
		assert.NotEqual(t, dr.URN, a.provider, "DynamoDB emits ReplicationLatency in the source replica's region")
		assert.Equal(t, []string{home.Outputs["arn"].(string)}, a.actions)
		assert.Equal(t, "AWS/DynamoDB", a.namespace)
		assert.Equal(t, "ReplicationLatency", a.metric)
		assert.Equal(t, "us-west-2", a.dims["ReceivingRegion"])
		watched = append(watched, a.dims["TableName"])
	}
	slices.Sort(names)
	slices.Sort(watched)
	assert.Equal(t, names, watched, "one alarm per table, by its DynamoDB name")

	var body struct {
		Widgets []struct {
			Properties struct {
				Region      string
				Annotations struct {
					Horizontal []struct{ Label string }
				}
			}
		}
	}
	require.NoError(t, json.Unmarshal([]byte(str(s.Named(typeDashboard, "observability-dashboard"), "dashboardBody")), &body))
	regions := map[string]string{}
	for _, w := range body.Widgets {
		for _, h := range w.Properties.Annotations.Horizontal {
			regions[strings.TrimPrefix(h.Label, "alarm ")] = w.Properties.Region
		}
	}
	for id := range alarms {
		wantRegion := "us-east-1"
		if strings.HasPrefix(id, "dr-db-") {
			wantRegion = "us-west-2"
		}
		assert.Equal(t, wantRegion, regions[id], "%s is graphed in its metric's region", id)
	}
}
