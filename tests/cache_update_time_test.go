package tests

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tierstack/tierstack/components/cachetier"
	"github.com/tierstack/tierstack/insights"
	"github.com/tierstack/tierstack/synth"
	"github.com/tierstack/tierstack/tiers"
)

// 100k → 1m reshards the cache (2 → 4 shards), adds a replica to every shard and changes the node
// type in one update. The deploy estimate times that update by its steps, not as a creation, and
// the group's customTimeouts cover it whole (the provider's default, 40 minutes, does not).
func TestCacheUpdateIsTimedAndFitsItsTimeout(t *testing.T) {
	durations, err := insights.Durations()
	require.NoError(t, err)
	created, _ := durations.Seconds(cacheTypeGroup)
	before := planTier(t, tierConfig(tiers.Tier100k)).Plan
	after := planTier(t, tierConfig(tiers.Tier1M)).Plan
	changes := synth.Diff(before, after, mustRules(t))
	report, err := insights.AnalyzeChange(before, after, insights.DefaultCostModel(1000000), changes)
	require.NoError(t, err)

	var timed *insights.TimedUpdate
	for i, u := range report.Deploy.Updates {
		if cacheGroup(stack{Plan: after, t: t}).URN == u.URN {
			timed = &report.Deploy.Updates[i]
		}
	}
	require.NotNil(t, timed, "the group's update is timed as an update: %+v", report.Deploy.Updates)
	require.Len(t, timed.Steps, 3, "reshard, replicas, node type: %v", timed.Steps)
	assert.Contains(t, timed.Steps[0], "numNodeGroups 2 → 4 (2 × shard added or removed)")
	assert.Greater(t, timed.Seconds, created, "an update with resharding takes longer than the group's creation")
	assert.Greater(t, timed.Seconds, 40*60.0, "longer than the provider's default update timeout")
	assert.Equal(t, cachetier.GroupUpdateTimeout.Seconds(), timed.TimeoutSeconds, "the group's own customTimeouts apply")
	assert.True(t, timed.WithinTimeout, "%s for %s", timed.Steps, cachetier.GroupUpdateTimeout)
	assert.GreaterOrEqual(t, report.Deploy.CriticalPathSeconds, timed.Seconds, "the estimate shows the update")

	group := cacheGroup(stack{Plan: after, t: t})
	require.NotNil(t, group.CustomTimeouts)
	assert.Equal(t, synth.CustomTimeouts{Create: "1h30m0s", Update: "3h0m0s", Delete: "1h30m0s"}, *group.CustomTimeouts)
}
