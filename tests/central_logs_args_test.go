package tests

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/tierstack/tierstack/components/network"
	"github.com/tierstack/tierstack/components/observability"
)

// The log domain's settings follow OpenSearch's rules: zone awareness over 2 or 3 zones, data
// nodes spread evenly over them, real instance types and versions.
func TestCentralLogsArgsFollowOpenSearchRules(t *testing.T) {
	net := &network.Network{}
	cases := []struct {
		name string
		args observability.CentralLogsArgs
		ok   bool
	}{
		{"defaults", observability.CentralLogsArgs{Network: net}, true},
		{"two zones, four nodes", observability.CentralLogsArgs{Network: net, ZoneCount: 2, InstanceCount: 4}, true},
		{"dedicated masters", observability.CentralLogsArgs{Network: net, DedicatedMasters: true, MasterInstanceType: "m7g.large.search"}, true},
		{"no network", observability.CentralLogsArgs{}, false},
		{"one zone", observability.CentralLogsArgs{Network: net, ZoneCount: 1}, false},
		{"four zones", observability.CentralLogsArgs{Network: net, ZoneCount: 4}, false},
		{"uneven nodes", observability.CentralLogsArgs{Network: net, ZoneCount: 3, InstanceCount: 4}, false},
		{"type without .search", observability.CentralLogsArgs{Network: net, InstanceType: "r7g.large"}, false},
		{"made-up size", observability.CentralLogsArgs{Network: net, InstanceType: "r7g.huge.search"}, false},
		{"burstable", observability.CentralLogsArgs{Network: net, InstanceType: "t3.small.search"}, false},
		{"master type", observability.CentralLogsArgs{Network: net, DedicatedMasters: true, MasterInstanceType: "m7g.large"}, false},
		{"Elasticsearch", observability.CentralLogsArgs{Network: net, EngineVersion: "Elasticsearch_7.10"}, false},
		{"tiny volume", observability.CentralLogsArgs{Network: net, VolumeGiB: 5}, false},
	}
	for _, c := range cases {
		args := c.args
		err := (&observability.Args{CentralLogs: &args}).Validate()
		assert.Equal(t, c.ok, err == nil, "%s: %v", c.name, err)
	}
}
