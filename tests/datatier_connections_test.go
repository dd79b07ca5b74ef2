package tests

import (
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tierstack/tierstack/components/datatier"
	"github.com/tierstack/tierstack/components/network"
	"github.com/tierstack/tierstack/synth"
	"github.com/tierstack/tierstack/tiers"
)

const typeInstanceParams = "aws:rds/parameterGroup:ParameterGroup"

// instanceMaxConnections is the max_connections an instance parameter group sets, "" when none.
func instanceMaxConnections(r synth.Resource) string {
	list, _ := input(r, "parameters").([]any)
	for i := range list {
		p := "parameters." + strconv.Itoa(i)
		if str(r, p+".name") == "max_connections" {
			return str(r, p+".value")
		}
	}
	return ""
}

// alarmNamed finds the metric alarm of a signal.
func alarmNamed(t *testing.T, s stack, signal string) synth.Resource {
	t.Helper()
	for _, r := range s.All(typeMetricAlarm) {
		if strings.HasSuffix(r.Name, "-alarm-"+signal) {
			return r
		}
	}
	require.Failf(t, "no alarm", "signal %s", signal)
	return synth.Resource{}
}

// On Aurora Serverless v2 every instance runs with the max_connections the tier promises, set
// explicitly in the instances' parameter group, and the connections alarm fires at 80 % of exactly
// that value, at every tier.
func TestDataTierConnectionLimitIsExplicit(t *testing.T) {
	for _, tier := range tiers.All() {
		t.Run(string(tier), func(t *testing.T) {
			spec, err := tiers.SpecFor(tier)
			require.NoError(t, err)
			spec.Data.Network = &network.Network{}
			want, err := datatier.ConnectionLimit(spec.Data)
			require.NoError(t, err)
			s := planTier(t, tierConfig(tier))
			params := s.Named(typeInstanceParams, "data-instance-params")
			assert.Equal(t, strconv.Itoa(want), instanceMaxConnections(params))
			assert.Equal(t, "pending-reboot", str(params, "parameters.0.applyMethod"))
			assert.Equal(t, str(s.Named(typeClusterParams, "data-params"), "family"), str(params, "family"))
			for _, inst := range s.primaryOnly().All(typeClusterInstance) { // the DR readers have a parameter group of their region
				assert.Equal(t, params.Outputs["name"], input(inst, "dbParameterGroupName"), "%s runs with the tier's parameter group", inst.Name)
			}
			alarm := alarmNamed(t, s, "data-connections")
			assert.Equal(t, math.Floor(float64(want)*0.8), input(alarm, "threshold"), "80 %% of the limit in the parameter group")
		})
	}
}

// The limit follows MaxACU by the engine's formula, Aurora PostgreSQL's cap of 2,000 below a
// 1-ACU minimum, and an explicit parameters.max_connections; the cluster parameter group never
// carries it (Aurora MySQL refuses it there).
func TestConnectionLimit(t *testing.T) {
	for _, c := range []struct {
		name string
		args datatier.Args
		want int
	}{
		{"MySQL 2 ACU", datatier.Args{MaxACU: 2}, 108},
		{"MySQL 16 ACU", datatier.Args{MinACU: 1, MaxACU: 16}, 2069},
		{"MySQL 128 ACU", datatier.Args{MinACU: 4, MaxACU: 128}, 5069},
		{"PostgreSQL 16 ACU", datatier.Args{Engine: datatier.EnginePostgreSQL, MinACU: 1, MaxACU: 16}, 3604},
		{"PostgreSQL 16 ACU pausing", datatier.Args{Engine: datatier.EnginePostgreSQL, MinACU: 0, MaxACU: 16}, 2000},
		{"PostgreSQL 128 ACU", datatier.Args{Engine: datatier.EnginePostgreSQL, MinACU: 4, MaxACU: 128}, 5000},
		{"set in parameters", datatier.Args{MaxACU: 2, Parameters: map[string]string{"max_connections": "300"}}, 300},
	} {
		t.Run(c.name, func(t *testing.T) {
			c.args.Network = &network.Network{}
			got, err := datatier.ConnectionLimit(c.args)
			require.NoError(t, err)
			assert.Equal(t, c.want, got)
		})
	}
	_, err := runDataTier(t, datatier.Args{Parameters: map[string]string{"max_connections": "lots"}})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "max_connections")
	assert.Contains(t, err.Error(), "lots")
}

// A tier change that raises max_connections is an in-place update of the parameter group that
// holds the old value until each instance reboots: plan --from names that step, in text and JSON.
func TestPlanFromNamesTheRebootForMaxConnections(t *testing.T) {
	before := planTier(t, tierConfig(tiers.Tier100)).Plan
	after := planTier(t, tierConfig(tiers.Tier10k)).Plan
	var change *synth.Change
	for _, c := range synth.Diff(before, after, mustRules(t)) {
		if c.Name == "data-instance-params" {
			change = &c
		}
	}
	require.NotNil(t, change, "the instances' parameter group changes from 100 to 10k")
	assert.Equal(t, synth.Update, change.Action)
	require.Len(t, change.AfterUpdate, 1)
	assert.Contains(t, change.AfterUpdate[0], "reboot")
	assert.Contains(t, change.AfterUpdate[0], "max_connections 108 → 2069")
	var text strings.Builder
	require.NoError(t, synth.WriteChanges(&text, before, after, synth.Diff(before, after, mustRules(t))))
	assert.Contains(t, text.String(), "After pulumi up:")
	assert.Contains(t, text.String(), "data-instance-params: reboot each instance")
}
