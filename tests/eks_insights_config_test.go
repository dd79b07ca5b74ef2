package tests

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tierstack/tierstack/components/webtier"
	"github.com/tierstack/tierstack/tiers"
)

// Container Insights is configured, not left to the add-on's defaults: the agent collects the
// enhanced Container Insights metrics and no Application Signals (no application_signals section,
// and the operator instruments no workload), Fluent Bit ships the containers' and nodes' logs, and
// each of the four log groups it writes exists first with a retention.
func TestContainerInsightsIsConfiguredDeliberately(t *testing.T) {
	s := planTier(t, tierConfig(tiers.Tier100k))
	addon := s.Named(eksTypeAddon, "web-addon-"+webtier.ObservabilityAddon)
	raw := str(addon, "configurationValues")
	require.NotEmpty(t, raw, "the add-on is configured")
	var cfg struct {
		Agent struct {
			Config struct {
				Logs struct {
					MetricsCollected map[string]map[string]any `json:"metrics_collected"`
				} `json:"logs"`
				Traces map[string]any `json:"traces"`
			} `json:"config"`
		} `json:"agent"`
		Manager struct {
			ApplicationSignals struct {
				AutoMonitor map[string]any `json:"autoMonitor"`
			} `json:"applicationSignals"`
		} `json:"manager"`
		ContainerLogs struct {
			Enabled *bool `json:"enabled"`
		} `json:"containerLogs"`
	}
	require.NoError(t, json.Unmarshal([]byte(raw), &cfg))
	collected := cfg.Agent.Config.Logs.MetricsCollected
	assert.Equal(t, true, collected["kubernetes"]["enhanced_container_insights"], "Container Insights' metrics")
	assert.NotContains(t, collected, "application_signals", "no Application Signals metrics")
	assert.Nil(t, cfg.Agent.Config.Traces, "no Application Signals traces")
	assert.Equal(t, false, cfg.Manager.ApplicationSignals.AutoMonitor["monitorAllServices"], "no workload is instrumented")
	require.NotNil(t, cfg.ContainerLogs.Enabled)
	assert.True(t, *cfg.ContainerLogs.Enabled, "Fluent Bit ships the logs")

	for _, kind := range []string{"application", "dataplane", "host", "performance"} {
		g := s.Named(typeLogGroup, "web-insights-"+kind)
		assert.Equal(t, webtier.ContainerInsightsLogGroup("web-plan", kind), str(g, "name"))
		assert.NotZero(t, num(g, "retentionInDays"), kind)
		assert.Contains(t, addon.Dependencies, g.URN, "the add-on writes into %s once it exists", kind)
	}
}

// An add-on version older than the one whose settings and journal-reading Fluent Bit tierstack
// relies on is refused before anything is registered, pinned or not; that version and later pass.
func TestContainerInsightsRefusesAnOlderAddon(t *testing.T) {
	old := `{"addonVersions":{"` + webtier.ObservabilityAddon + `":"v4.5.0-eksbuild.1"}}`
	s, err := runProgram(t, "", webConfig(tiers.Tier100k, old, ""), tiers.Program)
	require.Error(t, err)
	assert.Contains(t, err.Error(), `addonVersions amazon-cloudwatch-observability "v4.5.0-eksbuild.1" is older than v4.6.0 (allowed: v4.6.0 or later`)
	assert.Empty(t, s.Resources, "nothing registered")

	for _, ok := range []string{"v4.6.0-eksbuild.1", "v4.10.3-eksbuild.2", "v6.4.0-eksbuild.1"} {
		s := planTier(t, webConfig(tiers.Tier100k, `{"addonVersions":{"`+webtier.ObservabilityAddon+`":"`+ok+`"}}`, ""))
		assert.Equal(t, ok, str(s.Named(eksTypeAddon, "web-addon-"+webtier.ObservabilityAddon), "addonVersion"))
	}
}
