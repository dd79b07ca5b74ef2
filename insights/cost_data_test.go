package insights

import (
	"math"
	"strings"
	"testing"

	"github.com/tierstack/tierstack/synth"
)

// A database that may pause (minimum 0 ACUs) is priced for the whole month by default: an app's
// connection pool keeps connections open, and Aurora pauses only when none is, so the line says the
// assumption next to the figure.
func TestPausingDatabaseDefaultsToAPooledApp(t *testing.T) {
	model := DefaultCostModel(100)
	if model.DatabaseActiveHours != model.HoursPerMonth {
		t.Fatalf("databaseActiveHours = %g, want the whole month (%g): a pooled app never lets it pause", model.DatabaseActiveHours, model.HoursPerMonth)
	}
	cluster := res("aws:rds/cluster:Cluster", "db", map[string]any{"engine": "aurora-mysql",
		"serverlessv2ScalingConfiguration": map[string]any{"minCapacity": 0.0, "maxCapacity": 2.0}})
	cluster.Outputs = map[string]any{"clusterIdentifier": "db-cluster"}
	writer := res("aws:rds/clusterInstance:ClusterInstance", "writer", map[string]any{"instanceClass": "db.serverless", "clusterIdentifier": "db-cluster"})
	got, err := EstimateCost([]synth.Resource{cluster, writer}, model, testPrices())
	if err != nil {
		t.Fatal(err)
	}
	var line *Line
	for _, r := range got.Resources {
		if r.URN == "urn:writer" && len(r.Lines) == 1 {
			line = &r.Lines[0]
		}
	}
	if line == nil {
		t.Fatal("the writer has no ACU line")
	}
	if want := 0.5 * model.HoursPerMonth; line.Quantity != want {
		t.Errorf("ACU-hours = %g, want %g (0.5 ACU all month)", line.Quantity, want)
	}
	if !strings.Contains(line.Item, "connection pool") {
		t.Errorf("item %q does not state the pooled-app assumption", line.Item)
	}
}

// OpenSearch data nodes' gp3 volumes are priced (size × nodes × the gp3 GB-month), so the domain is
// no longer partly unknown; a volume type or provisioned performance the table lacks still is.
func TestOpenSearchStorageIsPriced(t *testing.T) {
	prices := testPrices()
	prices.Prices["opensearch.r7g.large.search.hour"] = Price{Value: 0.1}
	prices.Prices["opensearch.gp3.gb_month"] = Price{Value: 0.2}
	domain := func(ebs map[string]any) synth.Resource {
		return res("aws:opensearch/domain:Domain", "logs", map[string]any{
			"clusterConfig": map[string]any{"instanceType": "r7g.large.search", "instanceCount": 3.0},
			"ebsOptions":    ebs})
	}
	for _, c := range []struct {
		name    string
		ebs     map[string]any
		want    float64
		unknown bool
	}{
		{"3 nodes × 100 h × $0.1 + 3 × 100 GB × $0.2", map[string]any{"ebsEnabled": true, "volumeType": "gp3", "volumeSize": 100.0}, 30 + 60, false},
		{"gp2 is not in the table", map[string]any{"ebsEnabled": true, "volumeType": "gp2", "volumeSize": 100.0}, 30, true},
		{"provisioned IOPS are not in the table", map[string]any{"ebsEnabled": true, "volumeType": "gp3", "volumeSize": 100.0, "iops": 6000.0}, 30, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, err := EstimateCost([]synth.Resource{domain(c.ebs)}, testModel(), prices)
			if err != nil {
				t.Fatal(err)
			}
			if math.Abs(got.MonthlyUSD-c.want) > 0.005 {
				t.Errorf("monthly = $%.2f, want $%.2f", got.MonthlyUSD, c.want)
			}
			if unknown := len(got.Unknown) > 0 || got.Resources[0].Unknown != ""; unknown != c.unknown {
				t.Errorf("partly unknown = %v (%v, %q), want %v", unknown, got.Unknown, got.Resources[0].Unknown, c.unknown)
			}
		})
	}
}
