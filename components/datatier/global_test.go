package datatier

import (
	"encoding/json"
	"strings"
	"sync"
	"testing"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tierstack/tierstack/components/network"
	"github.com/tierstack/tierstack/tierstacktest"
)

// globalRun builds a two-shard DataTier in us-east-1 whose clusters are global, with its secrets
// replicated to us-west-2, and returns the registrations, the tier and the app secret's value.
func globalRun(t *testing.T, global Global) (*tierstacktest.Stack, *DataTier, map[string]any) {
	t.Helper()
	var d *DataTier
	var mu sync.Mutex
	doc := map[string]any{}
	program := func(ctx *pulumi.Context) error {
		net, err := network.New(ctx, "net", &network.Args{AvailabilityZones: []string{"us-east-1a", "us-east-1b"}})
		if err != nil {
			return err
		}
		west, err := aws.NewProvider(ctx, "west", &aws.ProviderArgs{Region: pulumi.String("us-west-2")})
		if err != nil {
			return err
		}
		g := global
		g.Provider = west
		if d, err = New(ctx, "data", &Args{Network: net, Shards: 2, Global: &g}); err != nil {
			return err
		}
		d.appDocument.ApplyT(func(s string) error {
			mu.Lock()
			defer mu.Unlock()
			return json.Unmarshal([]byte(s), &doc)
		})
		return nil
	}
	s, err := tierstacktest.Run(program, tierstacktest.Options{})
	require.NoError(t, err)
	return s, d, doc
}

// With a global database the app's secret names each shard's global writer endpoint as host and
// shardHosts, so that a switchover or a failover needs no change of the app; readerHost stays the
// primary region's reader endpoint. Without one, host is the cluster's own endpoint.
func TestGlobalSecretHostIsTheGlobalWriterEndpoint(t *testing.T) {
	s, _, doc := globalRun(t, Global{Region: "us-west-2"})
	g0, ok := s.Named("aws:rds/globalCluster:GlobalCluster", "data-global")
	require.True(t, ok)
	g1, ok := s.Named("aws:rds/globalCluster:GlobalCluster", "data-shard-1-global")
	require.True(t, ok)
	c0, _ := s.Named("aws:rds/cluster:Cluster", "data-cluster")
	require.Contains(t, g0.Outputs["endpoint"], ".global.rds.", "the fake engine gives a global writer endpoint")
	assert.Equal(t, g0.Outputs["endpoint"], doc["host"], "host is shard 0's global writer endpoint")
	assert.Equal(t, []any{g0.Outputs["endpoint"], g1.Outputs["endpoint"]}, doc["shardHosts"])
	assert.Equal(t, c0.Outputs["readerEndpoint"], doc["readerHost"], "a reader endpoint is regional: the primary's")

	plain := func(ctx *pulumi.Context) error {
		net, err := network.New(ctx, "net", &network.Args{AvailabilityZones: []string{"us-east-1a", "us-east-1b"}})
		if err != nil {
			return err
		}
		d, err := New(ctx, "data", &Args{Network: net})
		if err != nil {
			return err
		}
		d.appDocument.ApplyT(func(v string) error { return json.Unmarshal([]byte(v), &doc) })
		return nil
	}
	s, err := tierstacktest.Run(plain, tierstacktest.Options{})
	require.NoError(t, err)
	c0, _ = s.Named("aws:rds/cluster:Cluster", "data-cluster")
	assert.Equal(t, c0.Outputs["endpoint"], doc["host"], "without a global database, the cluster's own endpoint")
	assert.Zero(t, s.Count("aws:rds/globalCluster:GlobalCluster"))
}

// Each shard's global cluster is built from its own cluster, in the tier's region: the source is
// the cluster's ARN, forceDestroy is on, and none of the inputs AWS takes from the source is set
// (engineVersion neither, until Global.EngineVersion asks for an upgrade).
func TestGlobalClustersAreBuiltFromTheShards(t *testing.T) {
	s, _, _ := globalRun(t, Global{Region: "us-west-2"})
	for _, shard := range []string{"data", "data-shard-1"} {
		g, ok := s.Named("aws:rds/globalCluster:GlobalCluster", shard+"-global")
		require.True(t, ok, shard)
		c, _ := s.Named("aws:rds/cluster:Cluster", shard+"-cluster")
		assert.Equal(t, c.Outputs["arn"], tierstacktest.Input(g, "sourceDbClusterIdentifier"), shard)
		assert.Equal(t, true, tierstacktest.Input(g, "forceDestroy"), shard)
		for _, k := range []string{"engine", "engineVersion", "databaseName", "storageEncrypted"} {
			assert.Nil(t, tierstacktest.Input(g, k), "%s: AWS takes %s from the source", shard, k)
		}
		assert.Equal(t, GlobalClusterIdentifier("tierstack", "plan", shard), tierstacktest.Input(g, "globalClusterIdentifier"))
		assert.Contains(t, g.Dependencies, c.URN, "the global cluster is deleted before its primary leaves it")
		assert.Subset(t, c.IgnoreChanges, GlobalIgnoredFields(), shard)
	}
	s, _, _ = globalRun(t, Global{Region: "us-west-2", EngineVersion: DefaultEngineVersion(EngineMySQL)})
	g, _ := s.Named("aws:rds/globalCluster:GlobalCluster", "data-global")
	assert.Equal(t, DefaultEngineVersion(EngineMySQL), tierstacktest.Input(g, "engineVersion"), "an upgrade goes through the global cluster")
}

// Both secrets are replicated to the DR region, encrypted with a key of that region made through its
// provider (kept on delete), overwriting a same-named secret there; the replica backend points at
// the replica's ARN and that key, and leaves the reader host to the DR region.
func TestGlobalSecretsAreReplicatedWithADRKey(t *testing.T) {
	s, d, _ := globalRun(t, Global{Region: "us-west-2"})
	provider := ""
	for _, r := range s.All("pulumi:providers:aws") {
		if r.Name == "west" {
			provider = r.URN
		}
	}
	key, ok := s.Named("aws:kms/key:Key", DRRegionChildren("data")[0])
	require.True(t, ok)
	assert.Equal(t, provider, key.Provider, "the replicas' key is made through the DR provider")
	assert.Contains(t, key.Outputs["arn"], ":us-west-2:")
	assert.True(t, key.RetainOnDelete, "kept when it leaves the stack")
	for _, name := range []string{"data-credentials", "data-app-credentials"} {
		secret, ok := s.Named("aws:secretsmanager/secret:Secret", name)
		require.True(t, ok, name)
		assert.Equal(t, "us-west-2", tierstacktest.Input(secret, "replicas.0.region"), name)
		assert.Equal(t, key.Outputs["arn"], tierstacktest.Input(secret, "replicas.0.kmsKeyId"), name)
		assert.Equal(t, true, tierstacktest.Input(secret, "forceOverwriteReplicaSecret"), name)
	}

	r, err := d.ReplicaBackend("us-west-2")
	require.NoError(t, err)
	env := r.ConnectionEnv()
	assert.NotContains(t, env, "DATABASE_READER_HOST", "a reader endpoint is regional: the DR region gives its own")
	for _, k := range []string{"DATABASE_HOST", "DATABASE_SECRET_ARN", "DATABASE_PORT", "DATABASE_NAME", "DATABASE_ENGINE"} {
		assert.Contains(t, env, k)
	}
	_, err = d.ReplicaBackend("eu-west-1")
	require.Error(t, err)
	assert.Contains(t, err.Error(), "allowed: us-west-2")
	assert.Equal(t, "arn:aws:secretsmanager:us-west-2:1:secret:app-a1b2c3", ARNInRegion("arn:aws:secretsmanager:us-east-1:1:secret:app-a1b2c3", "us-west-2"))
}

// Refused before anything is registered: a global region that is no region name, the tier's own
// region, a provider of another region, no provider, and a global engine version that is not the
// tier's.
func TestGlobalRefusals(t *testing.T) {
	for _, c := range []struct {
		name     string
		global   Global
		provider string
		want     string
	}{
		{"not a region", Global{Region: "west"}, "us-west-2", `global region "west" is not a region name`},
		{"the tier's own region", Global{Region: "us-east-1"}, "us-east-1", "global region us-east-1 is the tier's own region"},
		{"a provider of another region", Global{Region: "us-west-2"}, "eu-west-1", "global provider is for eu-west-1, not the global region us-west-2"},
		{"no provider", Global{Region: "us-west-2"}, "", "global provider is required"},
		{"another engine version", Global{Region: "us-west-2", EngineVersion: "8.0.mysql_aurora.3.09.0"}, "us-west-2", "allowed: \"\" while the global databases are created"},
	} {
		t.Run(c.name, func(t *testing.T) {
			program := func(ctx *pulumi.Context) error {
				net, err := network.New(ctx, "net", &network.Args{AvailabilityZones: []string{"us-east-1a", "us-east-1b"}})
				if err != nil {
					return err
				}
				g := c.global
				if c.provider != "" {
					if g.Provider, err = aws.NewProvider(ctx, "dr", &aws.ProviderArgs{Region: pulumi.String(c.provider)}); err != nil {
						return err
					}
				}
				_, err = New(ctx, "data", &Args{Network: net, Global: &g})
				return err
			}
			s, err := tierstacktest.Run(program, tierstacktest.Options{})
			require.Error(t, err)
			assert.Contains(t, err.Error(), c.want)
			for _, r := range s.Resources {
				assert.False(t, strings.Contains(r.URN, TypeToken), "nothing of the DataTier is registered: %s", r.URN)
			}
		})
	}
}

// Global write forwarding, by engine version, as the Aurora User Guide lists it.
func TestGlobalWriteForwardingVersions(t *testing.T) {
	for _, c := range []struct {
		engine  Engine
		version string
		want    bool
	}{
		{EngineMySQL, "8.0.mysql_aurora.3.01.0", true},
		{EngineMySQL, DefaultEngineVersion(EngineMySQL), true},
		{EngineMySQL, "8.4.5", true},
		{EnginePostgreSQL, "13.20", false},
		{EnginePostgreSQL, "14.8", false},
		{EnginePostgreSQL, "14.9", true},
		{EnginePostgreSQL, "15.3", false},
		{EnginePostgreSQL, "15.4", true},
		{EnginePostgreSQL, "16.1", true},
		{EnginePostgreSQL, "17.4", true},
	} {
		assert.Equal(t, c.want, GlobalWriteForwarding(c.engine, c.version), "%s %s", c.engine, c.version)
	}
}
