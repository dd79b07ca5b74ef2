package tests

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tierstack/tierstack/components/datatier"
	"github.com/tierstack/tierstack/synth"
	"github.com/tierstack/tierstack/tiers"
)

// RDS publishes each exported log of a cluster to /aws/rds/cluster/<cluster identifier>/<log>, and
// creates that group itself (never expiring, no key) unless it exists. The DataTier creates every
// one of them first, for every engine's exports and every shard, with a retention and the tier's
// key, and the cluster waits for them.
func TestDataTierCreatesRDSLogGroupsFirst(t *testing.T) {
	for _, c := range []struct {
		engine datatier.Engine
		logs   []string // what RDS exports for the engine (Aurora User Guide, "Publishing ... logs to Amazon CloudWatch Logs")
	}{
		{datatier.EngineMySQL, []string{"error", "slowquery"}},
		{datatier.EnginePostgreSQL, []string{"postgresql"}},
	} {
		t.Run(string(c.engine), func(t *testing.T) {
			s := dataTier(t, datatier.Args{Engine: c.engine, Shards: 2, LogRetentionDays: 90})
			key := s.Named(typeKey, "data-key")
			for shard, prefix := range []string{"data", "data-shard-1"} {
				cluster := s.Named(typeCluster, prefix+"-cluster")
				id := str(cluster, "clusterIdentifier")
				require.NotEmpty(t, id, "shard %d: the identifier is fixed before the cluster exists", shard)
				assert.Equal(t, c.logs, strs(cluster, "enabledCloudwatchLogsExports"))
				for _, log := range c.logs {
					group := s.Named(typeLogGroup, prefix+"-log-"+log)
					assert.Equal(t, "/aws/rds/cluster/"+id+"/"+log, str(group, "name"), "the group RDS writes %s to", log)
					assert.Equal(t, 90, num(group, "retentionInDays"))
					assert.Equal(t, key.Outputs["arn"], input(group, "kmsKeyId"), "encrypted with the tier's key")
					assert.True(t, group.RetainOnDelete, "kept with the cluster")
					assert.True(t, slices.Contains(cluster.Dependencies, group.URN), "%s waits for %s", cluster.Name, group.Name)
				}
			}
			var dataGroups int
			for _, g := range s.All(typeLogGroup) {
				if strings.HasPrefix(g.Name, "data-") && strings.Contains(g.Name, "-log-") {
					dataGroups++
				}
			}
			assert.Equal(t, 2*len(c.logs), dataGroups, "one group per exported log and shard, no other")
		})
	}
}

// The tier's key lets CloudWatch Logs of its region encrypt the account's log groups, and nothing
// else: without it a log group with the key cannot be created.
func TestDataTierKeyLetsCloudWatchLogsEncrypt(t *testing.T) {
	s := dataTier(t, datatier.Args{})
	var policy struct {
		Statement []struct {
			Principal map[string]string
			Condition map[string]map[string]string
		}
	}
	require.NoError(t, json.Unmarshal([]byte(str(s.Named(typeKey, "data-key"), "policy")), &policy))
	var found bool
	for _, st := range policy.Statement {
		if st.Principal["Service"] == "logs.us-east-1.amazonaws.com" {
			found = true
			assert.Equal(t, "arn:aws:logs:us-east-1:"+synth.FakeAccountID+":log-group:*", st.Condition["ArnLike"]["kms:EncryptionContext:aws:logs:arn"])
		}
	}
	assert.True(t, found, "no CloudWatch Logs grant in the key policy")
}

// Cluster identifiers are valid RDS identifiers, unique per project and stack, at most 63
// characters, whatever the names.
func TestClusterIdentifier(t *testing.T) {
	for _, c := range []struct{ name, project, stack, cluster, want string }{
		{"plain", "tierstack", "prod", "data-cluster", "tierstack-prod-data-cluster"},
		{"odd characters", "My_App", "dev.1", "data-shard-2-cluster", "my-app-dev-1-data-shard-2-cluster"},
		{"digit first", "1app", "s", "data-cluster", "db-1app-s-data-cluster"},
	} {
		t.Run(c.name, func(t *testing.T) {
			assert.Equal(t, c.want, datatier.ClusterIdentifier(c.project, c.stack, c.cluster))
		})
	}
	long1 := datatier.ClusterIdentifier("a-very-long-project-name-for-tests", "a-long-stack-name-too", "data-shard-15-cluster")
	long2 := datatier.ClusterIdentifier("a-very-long-project-name-for-tests", "a-long-stack-name-too", "data-shard-14-cluster")
	assert.LessOrEqual(t, len(long1), 63)
	assert.NotEqual(t, long1, long2, "a truncated identifier keeps shards apart")
	assert.Regexp(t, `^[a-z](-?[a-z0-9])*$`, long1)
}

// The log retention follows the stack's (tierstack:alarms logRetentionDays, else the tier's), and
// tierstack:data logRetentionDays sets it apart; a retention CloudWatch Logs refuses is refused.
func TestDataTierLogRetentionConfig(t *testing.T) {
	s := planTier(t, tierConfig(tiers.Tier10k))
	assert.Equal(t, 30, num(s.Named(typeLogGroup, "data-log-error"), "retentionInDays"), "the 10k tier keeps logs 30 days")
	cfg := tierConfig(tiers.Tier10k)
	cfg["tierstack:data"] = `{"logRetentionDays":365}`
	s = planTier(t, cfg)
	assert.Equal(t, 365, num(s.Named(typeLogGroup, "data-log-slowquery"), "retentionInDays"))
	cfg["tierstack:data"] = `{"logRetentionDays":42}`
	_, err := runProgram(t, "", cfg, tiers.Program)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "logRetentionDays")
	assert.Contains(t, err.Error(), "42")
	_, err = runDataTier(t, datatier.Args{LogRetentionDays: 2})
	require.Error(t, err)
	assert.Contains(t, err.Error(), fmt.Sprint(2))
}
