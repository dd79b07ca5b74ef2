package tests

import (
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tierstack/tierstack/components/cachetier"
	"github.com/tierstack/tierstack/components/datatier"
	"github.com/tierstack/tierstack/components/network"
	"github.com/tierstack/tierstack/components/observability"
	"github.com/tierstack/tierstack/internal/signals"
	"github.com/tierstack/tierstack/tierstacktest"
)

// twoOfAKind builds DataTiers "data" and "orders" and CacheTiers "cache" and "sessions" under one
// Observability with overrides, each tier's signals from its own Signals().
func twoOfAKind(overrides map[string]observability.Override) (*tierstacktest.Stack, error) {
	return tierstacktest.Run(func(ctx *pulumi.Context) error {
		net, err := network.New(ctx, "net", &network.Args{AvailabilityZones: []string{"us-east-1a", "us-east-1b"}})
		if err != nil {
			return err
		}
		var list []observability.Signal
		for _, name := range []string{"data", "orders"} {
			d, err := datatier.New(ctx, name, &datatier.Args{Network: net})
			if err != nil {
				return err
			}
			sigs, err := d.Signals()
			if err != nil {
				return err
			}
			list = append(list, sigs...)
		}
		for _, name := range []string{"cache", "sessions"} {
			c, err := cachetier.New(ctx, name, &cachetier.Args{Network: net})
			if err != nil {
				return err
			}
			sigs, err := c.Signals()
			if err != nil {
				return err
			}
			list = append(list, sigs...)
		}
		_, err = observability.New(ctx, "obs", &observability.Args{Signals: list, Overrides: overrides})
		return err
	}, tierstacktest.Options{})
}

// Two DataTiers and two CacheTiers share one Observability: a signal ID carries its component's
// name, except for the components named after their kind ("data", "cache", as the tiers name
// them), which keep the tiers' IDs; an override by ID reaches one component, one by family all of
// the kind; each alarm watches its own component's resource.
func TestTwoOfAKindShareOneObservability(t *testing.T) {
	seventy, fifty := 70.0, 50.0
	s, err := twoOfAKind(map[string]observability.Override{
		"orders-cpu": {Threshold: &seventy}, // one DataTier's
		"cache-cpu":  {Threshold: &fifty},   // a family: both CacheTiers'
	})
	require.NoError(t, err)
	dataCPU := s.AssertNamed(t, typeMetricAlarmT, "obs-alarm-data-cpu")
	ordersCPU := s.AssertNamed(t, typeMetricAlarmT, "obs-alarm-orders-cpu")
	assert.Equal(t, 85.0, tierstacktest.Input(dataCPU, "threshold"), "the tier's own ID and default stay")
	assert.Equal(t, 70.0, tierstacktest.Input(ordersCPU, "threshold"), "an override by ID reaches that DataTier only")
	assert.Contains(t, tierstacktest.Input(ordersCPU, "alarmDescription"), "of orders")
	for _, id := range []string{"cache-node1-cpu", "sessions-node1-cpu"} {
		a := s.AssertNamed(t, typeMetricAlarmT, "obs-alarm-"+id)
		assert.Equal(t, 50.0, tierstacktest.Input(a, "threshold"), "%s: an override by family reaches every CacheTier", id)
	}
	// Each alarm watches its own cluster.
	for _, name := range []string{"data", "orders"} {
		tier := s.AssertNamed(t, typeDataResource, name)
		var clusterID any
		for _, r := range s.Descendants(tier) {
			if r.Type == typeCluster {
				clusterID = tierstacktest.Input(r, "clusterIdentifier") // fixed by the DataTier's name
			}
		}
		require.NotNil(t, clusterID, name)
		alarm := s.AssertNamed(t, typeMetricAlarmT, "obs-alarm-"+name+"-cpu")
		assert.Equal(t, clusterID, tierstacktest.Input(alarm, "dimensions.DBClusterIdentifier"), name)
	}
	// An ID no component has is still refused, naming the families.
	_, err = twoOfAKind(map[string]observability.Override{"billing-cpu": {Threshold: &fifty}})
	require.Error(t, err)
	assert.Contains(t, err.Error(), `"billing-cpu" is not a signal of this stack`)
}

// typeMetricAlarmT is a CloudWatch metric alarm's type token.
const typeMetricAlarmT = "aws:cloudwatch/metricAlarm:MetricAlarm"

// Scoped names a component's signals: unchanged when it is named after its kind, its name in place
// of the kind otherwise, families kept.
func TestSignalsScopedByComponentName(t *testing.T) {
	list := []signals.Signal{{ID: "data-cpu", Family: "data-cpu", Title: "Database CPU", Resource: "Aurora cluster (shard 0)"},
		{ID: "data-shard1-cpu", Family: "data-cpu", Title: "Database CPU", Resource: "Aurora cluster (shard 1)"}}
	cases := []struct {
		name, kind string
		ids        []string
		title      string
	}{
		{"data", "data", []string{"data-cpu", "data-shard1-cpu"}, "Database CPU"},
		{"orders", "data", []string{"orders-cpu", "orders-shard1-cpu"}, "Database CPU (orders)"},
		{"Orders", "data", []string{"orders-cpu", "orders-shard1-cpu"}, "Database CPU (Orders)"},
		{"sessions", "cache", []string{"sessions-data-cpu", "sessions-data-shard1-cpu"}, "Database CPU (sessions)"},
	}
	for _, c := range cases {
		got := signals.Scoped(list, c.kind, c.name)
		for i, s := range got {
			assert.Equal(t, c.ids[i], s.ID, "%s/%s", c.kind, c.name)
			assert.Equal(t, "data-cpu", s.Family, "the family stays")
			assert.Equal(t, c.title, s.Title)
		}
	}
	assert.Equal(t, "data-cpu", list[0].ID, "the list given is left alone")
}
