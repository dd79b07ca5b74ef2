package insights

import (
	"math"
	"slices"
	"testing"

	"github.com/tierstack/tierstack/synth"
)

// res is a custom resource of a small hand-made plan.
func res(typ, name string, inputs map[string]any, deps ...string) synth.Resource {
	return synth.Resource{URN: "urn:" + name, ID: name + "-id", Type: typ, Name: name, Custom: true, Inputs: inputs, Dependencies: deps}
}

// testPrices is a price table with round figures, so that the expected dollars are checked by hand.
func testPrices() PriceTable {
	t := PriceTable{Prices: map[string]Price{
		"ec2.t4g.small.hour":               {Value: 0.02},
		"ebs.gp3.gb_month":                 {Value: 0.1},
		"vpc.public_ipv4.hour":             {Value: 0.005},
		"vpc.nat_gateway.hour":             {Value: 0.05},
		"vpc.nat_gateway.gb":               {Value: 0.05},
		"aurora.serverless_v2.acu_hour":    {Value: 0.1},
		"aurora.storage.standard.gb_month": {Value: 0.1},
		"aurora.io.standard.per_million":   {Value: 0.2},
		"kms.key.month":                    {Value: 1},
	}}
	t.Meta.Compiled = "test"
	return t
}

// testModel is 100 hours a month and round usage.
func testModel() CostModel {
	return CostModel{Users: 10, HoursPerMonth: 100, NATGB: 20, DatabaseGB: 10, DatabaseIOMillions: 5,
		DatabaseActiveHours: 40, AverageACU: 2, RootVolumeGB: 8}
}

func TestEstimateCostOnHandCheckedGraphs(t *testing.T) {
	cluster := func(minACU float64) synth.Resource {
		r := res("aws:rds/cluster:Cluster", "db", map[string]any{"engine": "aurora-mysql",
			"serverlessv2ScalingConfiguration": map[string]any{"minCapacity": minACU, "maxCapacity": 4.0}})
		r.Outputs = map[string]any{"clusterIdentifier": "db-cluster"}
		return r
	}
	writer := res("aws:rds/clusterInstance:ClusterInstance", "writer", map[string]any{"instanceClass": "db.serverless", "clusterIdentifier": "db-cluster"})
	cases := []struct {
		name      string
		resources []synth.Resource
		want      float64
	}{
		{"an instance with a 10 GB root volume: 100 h × $0.02 + 10 GB × $0.1",
			[]synth.Resource{res("aws:ec2/instance:Instance", "web", map[string]any{"instanceType": "t4g.small", "rootBlockDevice": map[string]any{"volumeSize": 10.0}})},
			3},
		{"an instance without a volume size takes the model's 8 GB: 2 + 0.8",
			[]synth.Resource{res("aws:ec2/instance:Instance", "web", map[string]any{"instanceType": "t4g.small"})},
			2.8},
		{"two NAT gateways share 20 GB: 2 × (100 h × $0.05 + 10 GB × $0.05) plus their addresses 2 × 100 h × $0.005",
			[]synth.Resource{
				res("aws:ec2/natGateway:NatGateway", "nat-0", nil), res("aws:ec2/natGateway:NatGateway", "nat-1", nil),
				res("aws:ec2/eip:Eip", "eip-0", nil), res("aws:ec2/eip:Eip", "eip-1", nil)},
			12},
		{"an always-on Serverless v2 writer: 2 ACU × 100 h × $0.1, storage 10 × $0.1, I/O 5 × $0.2, a key $1",
			[]synth.Resource{cluster(1), writer, res("aws:kms/key:Key", "key", nil)},
			20 + 1 + 1 + 1},
		{"a pausing writer runs databaseActiveHours: 2 ACU × 40 h × $0.1",
			[]synth.Resource{cluster(0), writer},
			8 + 2},
		{"free types cost nothing",
			[]synth.Resource{res("aws:ec2/vpc:Vpc", "vpc", nil), res("aws:iam/role:Role", "role", nil), res("kubernetes:apps/v1:Deployment", "app", nil)},
			0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := EstimateCost(c.resources, testModel(), testPrices())
			if err != nil {
				t.Fatal(err)
			}
			if math.Abs(got.MonthlyUSD-c.want) > 0.005 {
				t.Errorf("monthly = $%.2f, want $%.2f", got.MonthlyUSD, c.want)
			}
			if math.Abs(got.PerUserUSD-c.want/10) > 0.0001 {
				t.Errorf("per user = $%.4f, want $%.4f", got.PerUserUSD, c.want/10)
			}
			if len(got.Unknown) != 0 {
				t.Errorf("unknown = %v, want none", got.Unknown)
			}
		})
	}
}

func TestEstimateCostNamesWhatItCannotPrice(t *testing.T) {
	resources := []synth.Resource{
		res("aws:ec2/instance:Instance", "known", map[string]any{"instanceType": "t4g.small", "rootBlockDevice": map[string]any{"volumeSize": 0.0}}),
		res("aws:ec2/instance:Instance", "exotic", map[string]any{"instanceType": "x2iedn.32xlarge"}),
		res("aws:made/up:Thing", "thing", nil),
		res("aws:ec2/subnet:Subnet", "subnet", nil),
	}
	got, err := EstimateCost(resources, testModel(), testPrices())
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"aws:ec2/instance:Instance", "aws:made/up:Thing"}
	if !slices.Equal(got.Unknown, want) {
		t.Errorf("unknown = %v, want %v", got.Unknown, want)
	}
	if got.MonthlyUSD != 2 {
		t.Errorf("monthly = $%.2f, want $2.00: only the known instance, never a guess for the others", got.MonthlyUSD)
	}
	for _, rc := range got.Resources {
		switch rc.URN {
		case "urn:exotic", "urn:thing":
			if rc.Unknown == "" || rc.MonthlyUSD != 0 {
				t.Errorf("%s: unknown %q, $%.2f; want a reason and no dollars", rc.URN, rc.Unknown, rc.MonthlyUSD)
			}
		case "urn:subnet":
			if rc.Free == "" || rc.Unknown != "" {
				t.Errorf("subnet: free %q unknown %q; want free, not unknown", rc.Free, rc.Unknown)
			}
		}
	}
}

func TestEveryPricedTypeReadsIdsTheTableHas(t *testing.T) {
	table, err := Prices()
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"ec2.t4g.small.hour", "vpc.nat_gateway.hour", "aurora.serverless_v2.acu_hour", "elb.alb.hour",
		"elasticache.valkey.cache.t4g.small.hour", "eks.cluster.hour", "cloudwatch.logs.ingest.gb", "cloudwatch.dashboard.month",
		"opensearch.r7g.large.search.hour", "sns.requests.per_million", "sqs.standard.per_million", "lambda.requests.per_million"} {
		p, ok := table.Lookup(id)
		if !ok {
			t.Errorf("price %s missing", id)
			continue
		}
		if p.Value <= 0 || len(p.Sources) == 0 || p.AsOf == "" || p.Confidence == "" {
			t.Errorf("price %s lacks a value, source, date or confidence: %+v", id, p)
		}
	}
}

func TestCostModelValidate(t *testing.T) {
	for _, c := range []struct {
		name string
		edit func(*CostModel)
		ok   bool
	}{
		{"defaults", func(*CostModel) {}, true},
		{"no users", func(m *CostModel) { m.Users = 0 }, false},
		{"negative requests", func(m *CostModel) { m.Requests = -1 }, false},
		{"more active hours than the month", func(m *CostModel) { m.DatabaseActiveHours = 800 }, false},
	} {
		m := DefaultCostModel(100)
		c.edit(&m)
		if err := m.Validate(); (err == nil) != c.ok {
			t.Errorf("%s: Validate() = %v, want ok %v", c.name, err, c.ok)
		}
	}
}

// The types other components are adding are priced from the embedded table when they land.
func TestEstimateCostOfComingTypes(t *testing.T) {
	table, err := Prices()
	if err != nil {
		t.Fatal(err)
	}
	price := func(id string) float64 {
		p, ok := table.Lookup(id)
		if !ok {
			t.Fatalf("price %s missing", id)
		}
		return p.Value
	}
	m := DefaultCostModel(100_000)
	h := m.HoursPerMonth
	cases := []struct {
		name     string
		resource synth.Resource
		want     float64
	}{
		{"an EKS control plane", res("eks:index:Cluster", "eks", nil), h * price("eks.cluster.hour")},
		{"an EKS control plane registered as a remote component", func() synth.Resource {
			r := res("eks:index:Cluster", "eks", nil)
			r.Custom = false
			return r
		}(), h * price("eks.cluster.hour")},
		{"a managed node group: desiredSize nodes of the first type, 20 GB disks",
			res("eks:index:ManagedNodeGroup", "nodes", map[string]any{"instanceTypes": []any{"m7g.large", "m7g.xlarge"},
				"scalingConfig": map[string]any{"desiredSize": 3.0, "minSize": 2.0, "maxSize": 9.0}}),
			3*h*price("ec2.m7g.large.hour") + 3*20*price("ebs.gp3.gb_month")},
		{"an OpenSearch domain without EBS", res("aws:opensearch/domain:Domain", "search", map[string]any{"clusterConfig": map[string]any{"instanceType": "r7g.large.search", "instanceCount": 2.0}}),
			2 * h * price("opensearch.r7g.large.search.hour")},
		{"a dashboard", res("aws:cloudwatch/dashboard:Dashboard", "dash", nil), price("cloudwatch.dashboard.month")},
		{"a standard alarm", res("aws:cloudwatch/metricAlarm:MetricAlarm", "alarm", map[string]any{"period": 60.0}), price("cloudwatch.alarm.standard.month")},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := EstimateCost([]synth.Resource{c.resource}, m, table)
			if err != nil {
				t.Fatal(err)
			}
			if math.Abs(got.MonthlyUSD-c.want) > 0.01 || len(got.Unknown) != 0 {
				t.Errorf("monthly = $%.2f unknown %v, want $%.2f and none unknown", got.MonthlyUSD, got.Unknown, c.want)
			}
		})
	}
	got, err := EstimateCost([]synth.Resource{res("aws:opensearch/domain:Domain", "search", map[string]any{
		"clusterConfig": map[string]any{"instanceType": "r7g.large.search"}, "ebsOptions": map[string]any{"ebsEnabled": true, "volumeSize": 100.0}})}, m, table)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got.Unknown, []string{"aws:opensearch/domain:Domain"}) {
		t.Errorf("an OpenSearch domain's EBS storage is not in the table, so the type is partly unknown; got %v", got.Unknown)
	}
}
