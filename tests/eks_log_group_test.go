package tests

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tierstack/tierstack/components/webtier"
	"github.com/tierstack/tierstack/synth"
	"github.com/tierstack/tierstack/tiers"
)

// The control plane's log group outlives the cluster: it exists from 10k (mode autoscaling) with
// its retention and key, so that on 100k → 10k it stays in the stack (EKS writes into it while it
// deletes the cluster, where a deleted group would be made again without a retention) and on
// 10k → 100k it is already there: no create that a group of the same name in AWS would fail.
func TestEKSControlPlaneLogGroupOutlivesTheCluster(t *testing.T) {
	s10k, s100k := planTier(t, tierConfig(tiers.Tier10k)), planTier(t, tierConfig(tiers.Tier100k))
	const group, key = "web-eks-logs", "web-eks-key"
	for _, s := range []stack{s10k, s100k} {
		require.True(t, s.Has(typeLogGroup, group), "tier %s keeps the control plane's log group", s.Outputs["tier"])
		g := s.Named(typeLogGroup, group)
		assert.Equal(t, webtier.ControlPlaneLogGroupName(webtier.ClusterName("web", "plan")), str(g, "name"))
		assert.Equal(t, 90, num(g, "retentionInDays"))
		assert.Equal(t, s.Named(typeKey, key).Outputs["arn"], str(g, "kmsKeyId"))
	}
	for _, step := range []struct {
		from, to stack
	}{{s10k, s100k}, {s100k, s10k}} {
		changes := diffOf(t, step.from.Plan, step.to.Plan)
		for _, r := range []synth.Resource{step.to.Named(typeLogGroup, group), step.to.Named(typeKey, key)} {
			_, changed := changes[r.URN]
			assert.False(t, changed, "%s → %s: %s is kept as it is", step.from.Outputs["tier"], step.to.Outputs["tier"], r.Name)
		}
	}
	// Down to 10k the cluster's nodes go and the group stays.
	changes := diffOf(t, s100k.Plan, s10k.Plan)
	assert.Equal(t, synth.Delete, changes[s100k.Named(eksTypeNodeGroup, "web-nodes-0").URN].Action)
	// The 100 tier has no load balancer and no cluster to come back to.
	assert.False(t, planTier(t, tierConfig(tiers.Tier100)).Has(typeLogGroup, group))
}
