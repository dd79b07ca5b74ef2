package tests

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tierstack/tierstack/components/datatier"
	"github.com/tierstack/tierstack/tiers"
)

// policyStatements decodes an IAM policy document.
func policyStatements(t *testing.T, doc string) []map[string]any {
	t.Helper()
	var p struct{ Statement []map[string]any }
	require.NoError(t, json.Unmarshal([]byte(doc), &p))
	return p.Statement
}

// asList turns a policy's Resource (a string or a list) into a list.
func asList(v any) []string {
	switch r := v.(type) {
	case string:
		return []string{r}
	case []any:
		var out []string
		for _, x := range r {
			s, _ := x.(string)
			out = append(out, s)
		}
		return out
	}
	return nil
}

// The application reads its own database user's secret, never the master's: at every tier the
// app's role may read the app secret and not the master secret, and the stack's databaseSecretArn
// is the app's.
func TestAppReadsItsOwnDatabaseUserNotTheMaster(t *testing.T) {
	for _, tier := range tiers.All() {
		t.Run(string(tier), func(t *testing.T) {
			s := planTier(t, tierConfig(tier))
			app := s.Named(typeSecret, "data-app-credentials").Outputs["arn"].(string)
			master := s.Named(typeSecret, "data-credentials").Outputs["arn"].(string)
			assert.Equal(t, app, s.Outputs["databaseSecretArn"])
			assert.Equal(t, master, s.Outputs["databaseMasterSecretArn"])
			var readable []string
			for _, p := range s.All(typeRolePolicy) {
				if !strings.HasPrefix(p.Name, "web-") {
					continue
				}
				for _, st := range policyStatements(t, str(p, "policy")) {
					if slices.Contains(asList(st["Action"]), "secretsmanager:GetSecretValue") {
						readable = append(readable, asList(st["Resource"])...)
					}
				}
			}
			assert.Contains(t, readable, app, "the app reads its own user's secret")
			assert.NotContains(t, readable, master, "the app never reads the master credentials")
		})
	}
}

// The tier creates the application's user on every shard through the RDS Data API: the clusters
// have the HTTP endpoint, one invocation per cluster runs after its writer and the app secret's
// value, carrying ARNs and names only; the function's role runs statements on the tier's clusters
// only and reads exactly the two secrets.
func TestAppUserIsCreatedThroughTheDataAPI(t *testing.T) {
	s := dataTier(t, datatier.Args{Shards: 2, Readers: 1})
	fn := s.Named(typeFunction, "data-app-user")
	assert.Equal(t, datatier.AppUserRuntime, str(fn, "runtime"))
	assert.Nil(t, input(fn, "vpcConfig"), "the Data API is an AWS endpoint: the function needs no VPC")
	appValue := s.Named(typeSecretVersion, "data-app-credentials-value")
	clusters := map[string]string{}
	for shard, prefix := range []string{"data", "data-shard-1"} {
		cluster := s.Named(typeCluster, prefix+"-cluster")
		clusters[cluster.Outputs["arn"].(string)] = prefix
		assert.Equal(t, true, input(cluster, "enableHttpEndpoint"), "shard %d: the Data API is on", shard)
		inv := s.Named(typeInvocation, prefix+"-app-user")
		assert.Equal(t, fn.Outputs["name"], input(inv, "functionName"))
		var in map[string]string
		require.NoError(t, json.Unmarshal([]byte(str(inv, "input")), &in))
		assert.Equal(t, cluster.Outputs["arn"], in["clusterArn"])
		assert.Equal(t, s.Named(typeSecret, "data-credentials").Outputs["arn"], in["masterSecretArn"])
		assert.Equal(t, s.Named(typeSecret, "data-app-credentials").Outputs["arn"], in["appSecretArn"])
		assert.Equal(t, "app", in["database"])
		assert.NotContains(t, str(inv, "input"), "password", "no credential in the invocation (it is kept in state)")
		writer := s.Named(typeClusterInstance, prefix+"-writer")
		assert.Contains(t, inv.Dependencies, writer.URN, "the Data API needs the writer")
		assert.Equal(t, writer.Outputs["identifier"], in["writerInstance"])
		assert.Contains(t, inv.Dependencies, appValue.URN, "the password is in the app's secret first")
	}

	var policy string
	for _, p := range s.All(typeRolePolicy) {
		if p.Name == "data-app-user-policy" {
			policy = str(p, "policy")
		}
	}
	require.NotEmpty(t, policy)
	for _, st := range policyStatements(t, policy) {
		actions := asList(st["Action"])
		for _, a := range actions {
			assert.NotContains(t, a, "*", "no wildcard action")
		}
		switch {
		case slices.Contains(actions, "rds-data:ExecuteStatement"):
			assert.ElementsMatch(t, maps2list(clusters), asList(st["Resource"]), "the tier's clusters only")
		case slices.Contains(actions, "secretsmanager:GetSecretValue"):
			assert.ElementsMatch(t, []string{s.Named(typeSecret, "data-credentials").Outputs["arn"].(string),
				s.Named(typeSecret, "data-app-credentials").Outputs["arn"].(string)}, asList(st["Resource"]))
		}
	}

	_, err := runDataTier(t, datatier.Args{AppUsername: "dbadmin"})
	require.Error(t, err)
	assert.Contains(t, err.Error(), `appUsername "dbadmin"`)
}

func maps2list(m map[string]string) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

// An engine version without the RDS Data API is refused before anything is registered, naming the
// version and what is allowed.
func TestDataTierRefusesAVersionWithoutTheDataAPI(t *testing.T) {
	s, err := runDataTier(t, datatier.Args{MinACU: 0.5, EngineVersion: "8.0.mysql_aurora.3.05.2"})
	require.Error(t, err)
	assert.Contains(t, err.Error(), `engineVersion "8.0.mysql_aurora.3.05.2"`)
	assert.Contains(t, err.Error(), "Aurora MySQL 3.07 or later")
	assert.Zero(t, s.Count(typeCluster), "nothing registered")
}
