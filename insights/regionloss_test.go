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
