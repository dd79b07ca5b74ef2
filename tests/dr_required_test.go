package tests

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tierstack/tierstack/components/datatier"
	"github.com/tierstack/tierstack/components/drregion"
	"github.com/tierstack/tierstack/insights"
	"github.com/tierstack/tierstack/tiers"
)

// From 1m the service runs in two regions: pulumi up refuses a 1m stack without
// tierstack:drRegion before anything is registered, naming the setting, the primary region and a
// region to set.
func TestTier1MRefusesToRunWithoutADRRegion(t *testing.T) {
	cfg := tierConfig(tiers.Tier1M)
	delete(cfg, "tierstack:drRegion")
	delete(cfg, "tierstack:dr")
	s, err := runProgram(t, "", cfg, tiers.Program)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "tier 1m: tierstack:drRegion is not set")
	assert.Contains(t, err.Error(), "a region other than us-east-1, such as us-west-2")
	assert.Empty(t, s.Resources, "nothing is registered")

	// Below 1m a DR region stays optional.
	_, err = runProgram(t, "", tierConfig(tiers.Tier100k), tiers.Program)
	assert.NoError(t, err)
}

// An offline plan of 1m without a DR region picks the default one, says so in a warning, and
// builds it with the tier's strategy.
func TestPlanOf1MPicksADefaultDRRegionAndWarns(t *testing.T) {
	cfg := tierConfig(tiers.Tier1M)
	delete(cfg, "tierstack:drRegion")
	delete(cfg, "tierstack:dr")
	s, err := runProgram(t, "", cfg, tiers.PlanProgram)
	require.NoError(t, err)
	require.Equal(t, 1, s.Count(drregion.TypeToken), "the plan builds a DR region")
	provider := s.Named("pulumi:providers:aws", "dr-region")
	assert.Equal(t, "us-west-2", str(provider, "region"))
	warned := false
	for _, w := range s.Warnings {
		if assertContainsAll(w.Message, "tierstack:drRegion is not set", "this plan assumes us-west-2") {
			warned = true
		}
	}
	assert.True(t, warned, "the plan warns that it picked the DR region: %v", s.Warnings)
	spec, err := tiers.SpecFor(tiers.Tier1M)
	require.NoError(t, err)
	assert.Equal(t, string(spec.DRStrategy), s.Outputs["drStrategy"], "the tier's default strategy")
}

// assertContainsAll reports whether s holds every part.
func assertContainsAll(s string, parts ...string) bool {
	for _, p := range parts {
		if !strings.Contains(s, p) {
			return false
		}
	}
	return true
}

// DefaultDRRegion keeps to the primary's geography where it has a second region with Aurora
// global databases, never picks the primary, and skips a region without global databases.
func TestDefaultDRRegion(t *testing.T) {
	mysql := datatier.DefaultEngineVersion(datatier.EngineMySQL)
	cases := []struct{ name, primary, want string }{
		{"us east", "us-east-1", "us-west-2"},
		{"us west", "us-west-2", "us-east-1"},
		{"europe", "eu-west-1", "eu-central-1"},
		{"tokyo", "ap-northeast-1", "ap-northeast-3"},
		{"unknown region falls back", "xx-nowhere-1", "us-east-1"},
		{"the fallback's own pair", "us-east-1", "us-west-2"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := tiers.DefaultDRRegion(c.primary, datatier.EngineMySQL, mysql)
			assert.Equal(t, c.want, got)
			assert.NotEqual(t, c.primary, got)
			assert.NoError(t, drregion.CheckGlobalDatabaseRegions(string(datatier.EngineMySQL), mysql, c.primary, got))
		})
	}
	// A primary without global databases has none to pair with; the pick is still another region.
	got := tiers.DefaultDRRegion("ap-southeast-7", datatier.EngineMySQL, mysql)
	assert.NotEqual(t, "ap-southeast-7", got)
}

// A global database's secondary is timed as a copy of the primary's volume, not as an empty
// cluster: with pilotLight it is the slowest resource of a 1m deploy.
func TestGlobalSecondaryIsTimedAsACopyOfTheVolume(t *testing.T) {
	table, err := insights.Durations()
	require.NoError(t, err)
	secondary, listed := table.Seconds("aws:rds/cluster:Cluster#globalSecondary")
	require.True(t, listed)
	plain, _ := table.Seconds(typeCluster)
	require.Greater(t, secondary, plain)

	s := planTier(t, pilotConfig())
	d, err := insights.EstimateDeploy(s.Resources, table, nil)
	require.NoError(t, err)
	assert.Equal(t, s.Named(typeCluster, "dr-db-shard-0").URN, d.Slowest)
	assert.GreaterOrEqual(t, d.CriticalPathSeconds, secondary)
	without, err := insights.EstimateDeploy(planTier(t, drConfig()).Resources, table, nil)
	require.NoError(t, err)
	assert.Less(t, without.CriticalPathSeconds, secondary, "backupRestore has no secondary to wait for")
}
