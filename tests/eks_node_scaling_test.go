package tests

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tierstack/tierstack/cli"
	"github.com/tierstack/tierstack/synth"
	"github.com/tierstack/tierstack/tiers"
)

// 100k → 1m changes no node group's scaling: a new min or max would be sent with the desired size
// recorded at creation (ignoreChanges), which EKS refuses below the new min and which resets the
// autoscaler's count; the pods raise the count instead.
func TestEKSNodeGroupScalingHoldsFrom100kTo1m(t *testing.T) {
	before, after := planTier(t, tierConfig(tiers.Tier100k)), planTier(t, tierConfig(tiers.Tier1M))
	changes := diffOf(t, before.Plan, after.Plan)
	groups := after.All(eksTypeNodeGroup)
	require.NotEmpty(t, groups)
	for _, g := range groups {
		c, changed := changes[g.URN]
		if !changed {
			continue
		}
		assert.NotContains(t, c.Keys, "scalingConfig", "%s: 100k → 1m sends EKS a new min or max", g.Name)
		assert.Empty(t, c.Refused, "%s", g.Name)
	}

	code, out, stderr := runPlan("--tier", "1m", "--from", "100k")
	assert.Equal(t, cli.ExitOK, code, stderr)
	assert.NotContains(t, out, "node group min")
}

const nodeScalingStack = `config:
  aws:region: us-east-1
  tierstack:tier: 100k
  tierstack:cache:
    clusterMode: enabled
  tierstack:network:
    availabilityZones: [us-east-1a, us-east-1b, us-east-1c]
  tierstack:web:
    nodesPerZone: %s
`

// plan --from refuses what EKS refuses: a node group's min raised above the desired size the
// provider sends with it (the old one: desiredSize is ignored after creation), or its max lowered
// below it. A max raised alone passes.
func TestPlanFromRefusesANodeGroupMinAboveItsDesiredSize(t *testing.T) {
	cases := []struct {
		name, from, to, refused string
	}{
		{"min above the recorded desired size", `{min: 1, desired: 1, max: 4}`, `{min: 2, desired: 2, max: 4}`, "node group min 2 above the desired size 1 sent with it"},
		{"max below the recorded desired size", `{min: 1, desired: 3, max: 6}`, `{min: 1, desired: 1, max: 2}`, "node group max 2 below the desired size 3 sent with it"},
		{"max raised", `{min: 1, desired: 1, max: 4}`, `{min: 1, desired: 1, max: 12}`, ""},
		{"min raised to the recorded desired size", `{min: 1, desired: 2, max: 4}`, `{min: 2, desired: 2, max: 4}`, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			stackFile := writeStackFile(t, dir, "prod", sprintf(nodeScalingStack, c.from))
			last := savePlan(t, dir, "--config", stackFile)
			writeStackFile(t, dir, "prod", sprintf(nodeScalingStack, c.to))
			code, out, stderr := runPlan("--config", stackFile, "--from", last)
			if c.refused == "" {
				assert.Equal(t, cli.ExitOK, code, stderr)
				assert.NotContains(t, out, "refused by AWS")
				return
			}
			assert.Equal(t, cli.ExitUnsafe, code, stderr)
			assert.Contains(t, out, c.refused)
			// One refusal per zone's node group, and nothing else unsafe.
			code, out, stderr = runPlan("--config", stackFile, "--from", last, "--format", "json")
			require.Equal(t, cli.ExitUnsafe, code, stderr)
			var doc struct {
				Unsafe []synth.Change `json:"unsafe"`
			}
			require.NoError(t, json.Unmarshal([]byte(out), &doc))
			require.Len(t, doc.Unsafe, 3)
			for _, u := range doc.Unsafe {
				assert.Equal(t, eksTypeNodeGroup, u.Type)
				require.Len(t, u.Refused, 1)
				assert.Contains(t, u.Refused[0], c.refused)
			}
		})
	}
}
