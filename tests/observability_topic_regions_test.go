package tests

import (
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tierstack/tierstack/components/observability"
)

// A topic region without a provider is refused before anything is registered, naming the setting,
// the region and what is allowed.
func TestTopicRegionWithoutAProviderIsRefused(t *testing.T) {
	s, err := runProgram(t, "us-east-1", nil, func(ctx *pulumi.Context) (pulumi.Map, error) {
		_, err := observability.New(ctx, "observability", &observability.Args{TopicRegions: []string{"us-west-2"}})
		return nil, err
	})
	require.Error(t, err)
	for _, want := range []string{"topicRegions", "us-west-2", "regionProviders"} {
		assert.Contains(t, err.Error(), want)
	}
	assert.Empty(t, s.Resources)
}

// tierstack:alarms may override the DR region's signals, by ID or family, as any other: a
// pilotLight stack accepts them and its alarms take the override.
func TestDRSignalsTakeOverrides(t *testing.T) {
	cfg := pilotConfig()
	cfg["tierstack:alarms"] = `{"signals":{"dr-db-replication-lag":{"threshold":5000},"dr-backup-copy-failed":{"disabled":true}}}`
	s := planTier(t, cfg)
	alarms := drAlarms(s)
	assert.NotContains(t, alarms, "dr-backup-copy-failed")
	lag := s.Named(typeMetricAlarm, "observability-alarm-dr-db-shard-0-replication-lag")
	assert.Equal(t, 5000.0, input(lag, "threshold"))
	rpo := s.Named(typeMetricAlarm, "observability-alarm-dr-db-shard-0-rpo-lag")
	assert.Equal(t, 1000.0, input(rpo, "threshold"), "the other family keeps its threshold")
}
