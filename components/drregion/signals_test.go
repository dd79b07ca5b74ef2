package drregion

import (
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"

	"github.com/tierstack/tierstack/internal/signals"
)

// Each piece the DR region has brings its signals and nothing else; only the secondaries' lag
// metrics live in the DR region; every signal is whole and valid.
func TestSignalsFollowWhatIsBuilt(t *testing.T) {
	ids := func(list []signals.Signal) []string {
		var out []string
		for _, s := range list {
			out = append(out, s.ID)
		}
		return out
	}
	none := Signals(SignalInputs{Region: "us-west-2"})
	assert.Empty(t, none)

	v := pulumi.String("x")
	backupRestore := Signals(SignalInputs{Region: "us-west-2", SourceVaultName: v,
		Assets: &AssetSignalInputs{SourceBucket: v, DestinationBucket: v, RuleID: replicationRuleID("us-west-2")}})
	assert.Equal(t, []string{"dr-backup-copy-failed", "dr-assets-replication-failed"}, ids(backupRestore))

	pilot := Signals(SignalInputs{Region: "us-west-2", SourceVaultName: v,
		Secondaries: []SecondarySignalInputs{{Shard: "shard-0", ClusterIdentifier: v}, {Shard: "shard-1", ClusterIdentifier: v}},
		Tables:      []TableSignalInputs{{Name: "carts", TableName: v}}})
	assert.Equal(t, []string{"dr-backup-copy-failed",
		"dr-db-shard-0-replication-lag", "dr-db-shard-0-rpo-lag", "dr-db-shard-1-replication-lag", "dr-db-shard-1-rpo-lag",
		"dr-table-0-replication-latency"}, ids(pilot))
	for _, s := range pilot {
		want := ""
		if s.Metric.Namespace == "AWS/RDS" {
			want = "us-west-2"
			assert.Equal(t, signals.Milliseconds, s.Kind, s.ID)
		}
		assert.Equal(t, want, s.Metric.Region, "%s lives in the region of its metric", s.ID)
	}
	for _, list := range [][]signals.Signal{backupRestore, pilot} {
		var whole []signals.Signal
		for _, s := range list {
			whole = append(whole, s.WithDefaults())
		}
		assert.NoError(t, signals.CheckAll(whole))
	}
}

// A table's DynamoDB name is the last part of its ARN.
func TestTableNameOf(t *testing.T) {
	assert.Equal(t, "prod-carts-1a2b", TableNameOf("arn:aws:dynamodb:us-east-1:123456789012:table/prod-carts-1a2b"))
	assert.Equal(t, "plain", TableNameOf("plain"))
}
