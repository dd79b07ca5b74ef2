package tests

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/tierstack/tierstack/tiers"
)

// The TargetGroupBinding shares the target group of 10k: the load balancer controller deregisters
// only the targets it registered (the nodes), never the Auto Scaling group's instances, which serve
// until the group is deleted. So the binding need not wait for the pods: the nodes it registers early
// count once they pass the health checks.
func TestEKSBindingLeavesTheInstancesOfTheTargetGroupAlone(t *testing.T) {
	s := planTier(t, tierConfig(tiers.Tier100k))
	binding := s.Named(eksTypeBinding, "web-binding")
	assert.Equal(t, true, input(binding, "spec.multiClusterTargetGroup"), "the controller touches only the targets it registered")
	assert.Contains(t, binding.Dependencies, s.Named(eksTypeRelease, "web-lbc").URN, "the controller defines and admits the kind")
	assert.NotContains(t, binding.Dependencies, s.Named(eksTypeDeployment, "web-deployment").URN, "the nodes' health checks start while the pods start")
}
