package tests

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tierstack/tierstack/components/datatier"
	"github.com/tierstack/tierstack/tiers"
)

const tracking = "targetTrackingScalingPolicyConfiguration."

// Serverless v2 readers scale out on their average ACU utilisation, which moves as they grow; CPU
// is a share of the CPU at MaxACU and reaches a 60 % target only near MaxACU. A provisioned class
// keeps the readers' average CPU.
func TestReaderScalingTracksWhatMoves(t *testing.T) {
	s := planTier(t, tierConfig(tiers.Tier100k))
	cluster := s.Named(typeCluster, "data-cluster")
	require.False(t, s.Has(typeScalingPolicy, "data-readers-cpu"), "no CPU policy on Serverless v2")
	policy := s.Named(typeScalingPolicy, "data-readers-acu")
	assert.Nil(t, input(policy, tracking+"predefinedMetricSpecification"))
	m := tracking + "customizedMetricSpecification."
	assert.Equal(t, "AWS/RDS", str(policy, m+"namespace"))
	assert.Equal(t, "ACUUtilization", str(policy, m+"metricName"))
	assert.Equal(t, "Average", str(policy, m+"statistic"))
	assert.Equal(t, "DBClusterIdentifier", str(policy, m+"dimensions.0.name"))
	assert.Equal(t, str(cluster, "clusterIdentifier"), str(policy, m+"dimensions.0.value"))
	assert.Equal(t, "Role", str(policy, m+"dimensions.1.name"))
	assert.Equal(t, "READER", str(policy, m+"dimensions.1.value"), "the readers' average, not the writer's")
	assert.Equal(t, 60, num(policy, tracking+"targetValue"))

	cfg := tierConfig(tiers.Tier100k)
	cfg["tierstack:data"] = `{"readerScaling":{"min":2,"max":8,"targetAcu":45}}`
	assert.Equal(t, 45, num(planTier(t, cfg).Named(typeScalingPolicy, "data-readers-acu"), tracking+"targetValue"))

	provisioned := dataTier(t, datatier.Args{InstanceClass: "db.r7g.large", Readers: 1, ReaderScaling: &datatier.ReaderScaling{Min: 1, Max: 3, TargetCPU: 50}})
	cpu := provisioned.Named(typeScalingPolicy, "data-readers-cpu")
	assert.Equal(t, "RDSReaderAverageCPUUtilization", str(cpu, tracking+"predefinedMetricSpecification.predefinedMetricType"))
	assert.Equal(t, 50, num(cpu, tracking+"targetValue"))

	_, err := runDataTier(t, datatier.Args{Readers: 1, ReaderScaling: &datatier.ReaderScaling{Min: 1, Max: 3, TargetACU: 95}})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "targetAcu 95")
}
