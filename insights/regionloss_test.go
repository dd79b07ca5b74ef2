package insights

import (
	"strings"
	"testing"
	"time"

	"github.com/tierstack/tierstack/synth"
)

func TestRegionLossOnHandMadePlans(t *testing.T) {
	cluster := res(clusterType, "db", map[string]any{})
	cluster.Outputs = map[string]any{"arn": "arn:aws:rds:us-east-1:1:cluster:db"}
	table := res(tableType, "carts", map[string]any{})
	table.Outputs = map[string]any{"arn": "arn:aws:dynamodb:us-east-1:1:table/carts"}
	plan := func(dest string) synth.Resource {
		return res(backupPlanType, "plan", map[string]any{"rules": []any{map[string]any{
			"schedule": "cron(0 6 ? * * *)", "completionWindow": 180.0,
			"copyActions": []any{map[string]any{"destinationVaultArn": "arn:aws:backup:" + dest + ":1:backup-vault:v"}},
		}}})
	}
	selection := func(arns ...any) synth.Resource {
		return res(backupSelectionType, "sel", map[string]any{"planId": "plan-id", "resources": arns})
	}
	replication := res(replicationConfigType, "repl", map[string]any{"rules": []any{map[string]any{"destination": map[string]any{"bucket": "arn:aws:s3:::replica"}}}})
	cases := []struct {
		name      string
		resources []synth.Resource
		survives  bool
		rpo       string
		why       []string
	}{
		{"nothing copied", []synth.Resource{cluster, table}, false, "", []string{"lives only in us-east-1", "tierstack:drRegion"}},
		{"everything copied away", []synth.Resource{cluster, table, plan("us-west-2"), selection(cluster.Outputs["arn"], table.Outputs["arn"]), replication}, true, "27h",
			[]string{"copied to us-west-2", "up to 27h", "assets are replicated", "nothing serves from there"}},
		{"a table left out", []synth.Resource{cluster, table, plan("us-west-2"), selection(cluster.Outputs["arn"])}, false, "", []string{"not copied out of us-east-1: carts"}},
		{"copies kept in the region", []synth.Resource{cluster, plan("us-east-1"), selection(cluster.Outputs["arn"])}, false, "", []string{"lives only in us-east-1"}},
		{"no data at all", nil, true, "", []string{"no database or table"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := RegionLossOf("us-east-1", c.resources)
			if got.Survives != c.survives || got.RPO != c.rpo {
				t.Errorf("survives %v, RPO %q; want %v, %q (%s)", got.Survives, got.RPO, c.survives, c.rpo, got.Why)
			}
			for _, w := range c.why {
				if !strings.Contains(got.Why, w) {
					t.Errorf("why %q lacks %q", got.Why, w)
				}
			}
			if got.Serves {
				t.Error("a backup copy serves nothing")
			}
		})
	}
}

func TestScheduleInterval(t *testing.T) {
	cases := []struct {
		schedule string
		want     time.Duration
		ok       bool
	}{
		{"cron(0 6 ? * * *)", 24 * time.Hour, true},
		{"cron(30 2 * * ? *)", 24 * time.Hour, true},
		{"cron(0 * ? * * *)", time.Hour, true},
		{"cron(0 6 ? * MON *)", 0, false},
		{"rate(12 hours)", 0, false},
	}
	for _, c := range cases {
		got, ok := scheduleInterval(c.schedule)
		if got != c.want || ok != c.ok {
			t.Errorf("scheduleInterval(%q) = %v, %v; want %v, %v", c.schedule, got, ok, c.want, c.ok)
		}
	}
}

// The service serves from another region only where a load balancer there has capacity running
// behind it: a group at zero (a pilot light's) does not count, nor a group in the stack's region.
func TestServingRegions(t *testing.T) {
	provider := res("pulumi:providers:aws", "dr", map[string]any{"region": "us-west-2"})
	inDR := func(r synth.Resource) synth.Resource { r.Provider = provider.URN; return r }
	lb := inDR(res(loadBalancerType, "dr-lb", map[string]any{}))
	group := func(min float64) synth.Resource {
		return inDR(res(autoScalingGroupType, "dr-asg", map[string]any{"minSize": min}))
	}
	nodes := inDR(res(eksNodeGroupType, "dr-nodes", map[string]any{"scalingConfig": map[string]any{"minSize": 1.0}}))
	home := res(autoScalingGroupType, "asg", map[string]any{"minSize": 2.0})
	homeLB := res(loadBalancerType, "lb", map[string]any{})
	cases := []struct {
		name      string
		resources []synth.Resource
		want      []string
	}{
		{"warm group behind a load balancer", []synth.Resource{provider, lb, group(1)}, []string{"us-west-2"}},
		{"node group behind a load balancer", []synth.Resource{provider, lb, nodes}, []string{"us-west-2"}},
		{"group at zero", []synth.Resource{provider, lb, group(0)}, nil},
		{"no load balancer there", []synth.Resource{provider, group(2)}, nil},
		{"only the stack's own region", []synth.Resource{home, homeLB}, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rl := RegionLossOf("us-east-1", c.resources)
			if strings.Join(rl.ServedFrom, ",") != strings.Join(c.want, ",") || rl.Serves != (len(c.want) > 0) {
				t.Errorf("ServedFrom = %v, Serves = %v; want %v", rl.ServedFrom, rl.Serves, c.want)
			}
		})
	}
}
