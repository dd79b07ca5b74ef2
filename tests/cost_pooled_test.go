package tests

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/tierstack/tierstack/insights"
	"github.com/tierstack/tierstack/tiers"
)

// planCostWith is the cost estimate of a stack config: the tier's plan priced with the cost model
// the config sets, as plan prints it.
func planCostWith(t *testing.T, cfg map[string]string) insights.Cost {
	t.Helper()
	settings, err := tiers.ParseSettings(cfg)
	require.NoError(t, err)
	s := planTier(t, cfg)
	prices, err := insights.Prices()
	require.NoError(t, err)
	cost, err := insights.EstimateCost(s.Resources, settings.CostModel, prices)
	require.NoError(t, err)
	return cost
}
