package insights

import (
	"math"
	"strings"
	"testing"

	"github.com/tierstack/tierstack/synth"
)

// mskPlan is a provisioned cluster on subnets of zones, with a configuration replicating rf ways with
// min.insync.replicas minISR.
func mskPlan(zones []string, rf, minISR int) []synth.Resource {
	var out []synth.Resource
	var ids []any
	for i, z := range zones {
		name := "data-" + string(rune('a'+i))
		out = append(out, subnet(name, z))
		ids = append(ids, name+"-id")
	}
	conf := res("aws:msk/configuration:Configuration", "config", map[string]any{
		"serverProperties": "default.replication.factor=" + string(rune('0'+rf)) + "\nmin.insync.replicas=" + string(rune('0'+minISR)) + "\n"})
	conf.Outputs = map[string]any{"arn": "arn:aws:kafka:us-east-1:1:configuration/c/u"}
	return append(out, conf, res("aws:msk/cluster:Cluster", "kafka", map[string]any{
		"numberOfBrokerNodes": float64(len(zones)), "brokerNodeGroupInfo": map[string]any{"clientSubnets": ids},
		"configurationInfo": map[string]any{"arn": "arn:aws:kafka:us-east-1:1:configuration/c/u"}}))
}

// A provisioned cluster survives a zone's loss when each partition keeps min.insync.replicas copies
// in the other zones, and not otherwise; a serverless cluster needs subnets in two zones.
func TestAZLossOfKafka(t *testing.T) {
	cases := []struct {
		name      string
		resources []synth.Resource
		survives  bool
		why       string
	}{
		{"three zones, 3 copies, min ISR 2", mskPlan([]string{"az-a", "az-b", "az-c"}, 3, 2), true, "min.insync.replicas"},
		{"two zones, 2 copies, min ISR 2", mskPlan([]string{"az-a", "az-b"}, 2, 2), false, "keeps 1 of each partition's 2 copies"},
		{"three zones, 3 copies, min ISR 3", mskPlan([]string{"az-a", "az-b", "az-c"}, 3, 3), false, "under min.insync.replicas 3"},
		{"serverless in two zones", []synth.Resource{subnet("s-a", "az-a"), subnet("s-b", "az-b"),
			res("aws:msk/serverlessCluster:ServerlessCluster", "kafka", map[string]any{"vpcConfigs": []any{map[string]any{"subnetIds": []any{"s-a-id", "s-b-id"}}}})}, true, "AWS replicates"},
		{"serverless in one zone", []synth.Resource{subnet("s-a", "az-a"), subnet("other", "az-b"),
			res("aws:msk/serverlessCluster:ServerlessCluster", "kafka", map[string]any{"vpcConfigs": []any{map[string]any{"subnetIds": []any{"s-a-id"}}}})}, false, "subnets in that zone only"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			v := AZLoss(c.resources)["az-a"].Checks["streaming"]
			if v.Survives != c.survives || !strings.Contains(v.Why, c.why) {
				t.Errorf("losing az-a: %+v, want survives %v with %q", v, c.survives, c.why)
			}
		})
	}
}

// A provisioned cluster costs its brokers' hours and volumes; a serverless one its hour, the model's
// partitions all month, the data in, out (twice) and a week of it kept.
func TestEstimateCostOfKafka(t *testing.T) {
	prices := testPrices()
	for id, v := range map[string]float64{"msk.kafka.m7g.large.hour": 0.2, "msk.storage.gb_month": 0.1, "msk_serverless.cluster.hour": 1,
		"msk_serverless.partition.hour": 0.01, "msk_serverless.data_in.gb": 0.1, "msk_serverless.data_out.gb": 0.05, "msk_serverless.storage.gb_month": 0.3} {
		prices.Prices[id] = Price{Value: v}
	}
	model := testModel()
	model.StreamingPartitions, model.StreamingGB = 10, 300
	provisioned := res("aws:msk/cluster:Cluster", "kafka", map[string]any{"numberOfBrokerNodes": 3.0,
		"brokerNodeGroupInfo": map[string]any{"instanceType": "kafka.m7g.large", "storageInfo": map[string]any{"ebsStorageInfo": map[string]any{"volumeSize": 100.0}}}})
	serverless := res("aws:msk/serverlessCluster:ServerlessCluster", "kafka", nil)
	for _, c := range []struct {
		name string
		r    synth.Resource
		want float64
	}{
		// 3 brokers × 100 h × 0.2 + 300 GB × 0.1
		{"provisioned", provisioned, 60 + 30},
		// 100 h × 1 + 10 × 100 h × 0.01 + 300 × 0.1 + 600 × 0.05 + 70 GB-month × 0.3
		{"serverless", serverless, 100 + 10 + 30 + 30 + 21},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, err := EstimateCost([]synth.Resource{c.r}, model, prices)
			if err != nil {
				t.Fatal(err)
			}
			if math.Abs(got.MonthlyUSD-c.want) > 1e-6 || len(got.Unknown) > 0 {
				t.Errorf("cost %v (unknown %v), want %v", got.MonthlyUSD, got.Unknown, c.want)
			}
		})
	}
}
