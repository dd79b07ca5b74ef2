package insights

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tierstack/tierstack/synth"
)

// An in-place update of a type the table times adds up the steps its changed inputs start, per unit
// where a step counts units; an update that starts no step takes the table's other seconds; a type
// the table does not time is left to its creation time.
func TestUpdateSeconds(t *testing.T) {
	table, err := Durations()
	require.NoError(t, err)
	const group = "aws:elasticache/replicationGroup:ReplicationGroup"
	cases := []struct {
		name          string
		keys          []string
		before, after map[string]any
		want          float64
		steps         int
	}{
		{"one shard added", []string{"numNodeGroups"}, map[string]any{"numNodeGroups": 2.0}, map[string]any{"numNodeGroups": 3.0}, 600, 1},
		{"three shards removed", []string{"numNodeGroups"}, map[string]any{"numNodeGroups": 5.0}, map[string]any{"numNodeGroups": 2.0}, 1800, 1},
		{"reshard, replicas and node type", []string{"nodeType", "numNodeGroups", "replicasPerNodeGroup"},
			map[string]any{"numNodeGroups": 2.0}, map[string]any{"numNodeGroups": 4.0}, 1200 + 600 + 1200, 3},
		{"a window only", []string{"maintenanceWindow"}, nil, nil, 60, 1},
		{"to cluster mode, same replicas", []string{"clusterMode", "numCacheClusters", "replicasPerNodeGroup"},
			map[string]any{"numCacheClusters": 2.0}, map[string]any{"replicasPerNodeGroup": 1.0}, 300, 1},
		{"replicas 1 → 2 in cluster mode", []string{"replicasPerNodeGroup"},
			map[string]any{"replicasPerNodeGroup": 1.0}, map[string]any{"replicasPerNodeGroup": 2.0}, 600, 1},
	}
	for _, c := range cases {
		got, steps, ok := table.UpdateSeconds(group, c.keys, c.before, c.after)
		require.True(t, ok, c.name)
		assert.Equal(t, c.want, got, c.name)
		assert.Len(t, steps, c.steps, c.name)
	}
	_, _, ok := table.UpdateSeconds("aws:ec2/vpc:Vpc", []string{"tags"}, nil, nil)
	assert.False(t, ok, "a type without update timings")
}

// The deploy estimate of a tier change uses a timed update's seconds and says whether the
// resource's update timeout (customTimeouts, else the provider's default) covers it.
func TestEstimateUpdateTimesUpdates(t *testing.T) {
	table, err := Durations()
	require.NoError(t, err)
	const group = "aws:elasticache/replicationGroup:ReplicationGroup"
	old := synth.Resource{URN: "urn:g", Type: group, Custom: true, Inputs: map[string]any{"numNodeGroups": 2.0}}
	grown := synth.Resource{URN: "urn:g", Type: group, Custom: true, Inputs: map[string]any{"numNodeGroups": 8.0, "nodeType": "b"}}
	changes := []synth.Change{{URN: "urn:g", Type: group, Action: synth.Update, Keys: []string{"nodeType", "numNodeGroups"}}}
	d, err := EstimateUpdate(&synth.Plan{Resources: []synth.Resource{old}}, &synth.Plan{Resources: []synth.Resource{grown}}, table, changes)
	require.NoError(t, err)
	require.Len(t, d.Updates, 1)
	assert.Equal(t, 6*600+1200.0, d.CriticalPathSeconds)
	assert.Equal(t, 2400.0, d.Updates[0].TimeoutSeconds, "the provider's default")
	assert.False(t, d.Updates[0].WithinTimeout)

	grown.CustomTimeouts = &synth.CustomTimeouts{Update: "3h0m0s"}
	d, err = EstimateUpdate(nil, &synth.Plan{Resources: []synth.Resource{grown}}, table, changes)
	require.NoError(t, err)
	assert.Equal(t, 600+1200.0, d.CriticalPathSeconds, "without the earlier plan a per-unit step counts one unit")
	assert.Equal(t, 3*3600.0, d.Updates[0].TimeoutSeconds)
	assert.True(t, d.Updates[0].WithinTimeout)
}
