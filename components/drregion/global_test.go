package drregion

import (
	"testing"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tierstack/tierstack/components/network"
	"github.com/tierstack/tierstack/tierstacktest"
)

// secondaryRun builds a DRRegion with one shard's secondary under strategy s, the primary running
// readers readers, and returns the registrations. Strategies not yet built whole are let through
// (buildable), so that their secondaries can be checked.
func secondaryRun(t *testing.T, s Strategy, readers int, forwarding bool) (*tierstacktest.Stack, *DRRegion, error) {
	t.Helper()
	saved := buildable
	buildable = Strategies
	defer func() { buildable = saved }()
	var d *DRRegion
	program := func(ctx *pulumi.Context) error {
		west, err := aws.NewProvider(ctx, "west", &aws.ProviderArgs{Region: pulumi.String("us-west-2")})
		if err != nil {
			return err
		}
		d, err = New(ctx, "dr", &Args{Strategy: s, Provider: west, PrimaryCIDR: "10.0.0.0/16",
			Network: network.Args{AvailabilityZones: []string{"us-west-2a", "us-west-2b", "us-west-2c"}},
			Database: &Database{Engine: "aurora-mysql", EngineVersion: "8.0.mysql_aurora.3.08.2", ParameterFamily: "aurora-mysql8.0",
				Parameters: [][2]string{{"time_zone", "UTC"}}, InstanceParameters: [][2]string{{"max_connections", "5069"}},
				MinACU: 8, MaxACU: 128, Readers: readers, PerformanceInsights: true, WriteForwarding: forwarding,
				Shards: []Shard{{Name: "shard-0", GlobalClusterID: pulumi.String("tierstack-plan-data-global")}}},
		})
		return err
	}
	st, err := tierstacktest.Run(program, tierstacktest.Options{})
	return st, d, err
}

// Each strategy runs in the secondary what it promises: pilotLight none (headless), warmStandby one
// reader, activeActive as many instances as the primary (its readers and its writer), spread over
// the DR zones, with the primary's instance parameters, on the DR provider. No Aurora Auto Scaling
// target is registered for a secondary: AWS does not support it there.
func TestSecondaryInstancesByStrategy(t *testing.T) {
	for _, c := range []struct {
		strategy Strategy
		want     int
	}{{StrategyPilotLight, 0}, {StrategyWarmStandby, 1}, {StrategyActiveActive, 4}} {
		t.Run(string(c.strategy), func(t *testing.T) {
			s, _, err := secondaryRun(t, c.strategy, 3, true)
			require.NoError(t, err)
			assert.Equal(t, c.want, SecondaryInstances(c.strategy, 3))
			instances := s.All("aws:rds/clusterInstance:ClusterInstance")
			require.Len(t, instances, c.want)
			provider, _ := s.Named("pulumi:providers:aws", "west")
			cluster, _ := s.Named("aws:rds/cluster:Cluster", "dr-db-shard-0")
			params, _ := s.Named("aws:rds/parameterGroup:ParameterGroup", "dr-db-instance-params")
			assert.Equal(t, provider.URN, params.Provider)
			assert.Equal(t, "5069", tierstacktest.Input(params, "parameters.0.value"), "the primary's max_connections")
			for i, r := range instances {
				assert.Equal(t, provider.URN, r.Provider, r.Name)
				assert.Equal(t, cluster.ID, tierstacktest.Input(r, "clusterIdentifier"), r.Name)
				assert.Equal(t, []string{"us-west-2a", "us-west-2b", "us-west-2c"}[i%3], tierstacktest.Input(r, "availabilityZone"), r.Name)
				assert.Equal(t, "db.serverless", tierstacktest.Input(r, "instanceClass"), r.Name)
				assert.Equal(t, false, tierstacktest.Input(r, "publiclyAccessible"), r.Name)
				assert.Contains(t, tierstacktest.Input(r, "performanceInsightsKmsKeyId"), ":us-west-2:", r.Name)
			}
			assert.Zero(t, s.Count("aws:appautoscaling/target:Target"), "no reader auto scaling on a secondary")
			assert.Zero(t, s.Count("aws:rds/globalCluster:GlobalCluster"), "the global cluster is the DataTier's")
			assert.Equal(t, "tierstack-plan-data-global", tierstacktest.Input(cluster, "globalClusterIdentifier"))
		})
	}
}

// Write forwarding is on only under activeActive, and activeActive is refused, before anything is
// registered, with an engine version that has none.
func TestSecondaryWriteForwarding(t *testing.T) {
	for _, c := range []struct {
		strategy Strategy
		want     any
	}{{StrategyPilotLight, nil}, {StrategyWarmStandby, nil}, {StrategyActiveActive, true}} {
		s, d, err := secondaryRun(t, c.strategy, 1, true)
		require.NoError(t, err)
		cluster, _ := s.Named("aws:rds/cluster:Cluster", "dr-db-shard-0")
		assert.Equal(t, c.want, tierstacktest.Input(cluster, "enableGlobalWriteForwarding"), c.strategy)
		env := d.Readers().ConnectionEnv()
		assert.Contains(t, env, "DATABASE_READER_HOST", c.strategy)
		assert.Equal(t, pulumi.String(map[bool]string{true: "true", false: "false"}[c.want == true]), env["DATABASE_WRITE_FORWARDING"], c.strategy)
	}
	s, _, err := secondaryRun(t, StrategyActiveActive, 1, false)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "strategy activeActive needs global write forwarding")
	for _, r := range s.Resources {
		assert.NotContains(t, r.URN, TypeToken, "nothing of the DRRegion is registered")
	}
}
