package tests

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tierstack/tierstack/tiers"
)

// Backtracking is an opt-in: off at every tier (a DR region's global database does not support
// it), on at creation when tierstack:data backtrackHours asks, and refused with a DR region before
// anything is registered.
func TestBacktrackIsAnOptInThatADRRegionRefuses(t *testing.T) {
	for _, tier := range tiers.All() {
		spec, err := tiers.SpecFor(tier)
		require.NoError(t, err)
		assert.Zero(t, spec.Data.BacktrackHours, "tier %s turns backtracking on by default", tier)
	}

	cfg := tierConfig(tiers.Tier10k)
	cfg["tierstack:data"] = `{"backtrackHours":24}`
	s := planTier(t, cfg)
	assert.Equal(t, 24*3600, num(s.Named(typeCluster, "data-cluster"), "backtrackWindow"), "the opt-in sets the window at creation")

	cfg["tierstack:drRegion"] = "us-west-2"
	refused, err := runProgram(t, "", cfg, tiers.Program)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "tierstack:data backtrackHours 24 is set with tierstack:drRegion us-west-2")
	assert.Contains(t, err.Error(), "allowed: backtrackHours 0 with a DR region")
	assert.Empty(t, refused.Resources, "refused before anything is registered")
}
