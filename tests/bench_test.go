package tests

import (
	"io"
	"testing"

	"github.com/tierstack/tierstack/cli"
	"github.com/tierstack/tierstack/insights"
	"github.com/tierstack/tierstack/synth"
	"github.com/tierstack/tierstack/tiers"
)

// BenchmarkPlanTier measures one offline plan of each tier: the mock engine, the program and the
// record, as `tierstack plan` runs them (without printing). It reports the resources per tier.
func BenchmarkPlanTier(b *testing.B) {
	for _, tier := range tiers.All() {
		b.Run(string(tier), func(b *testing.B) {
			cfg := tierConfig(tier)
			b.ReportAllocs()
			n := 0
			for b.Loop() {
				p, err := synth.Run(tiers.Program, synth.Options{Config: cfg})
				if err != nil {
					b.Fatal(err)
				}
				n = len(p.Resources)
			}
			b.ReportMetric(float64(n), "resources")
		})
	}
}

// BenchmarkAnalyze measures the cost, deploy and safety report of each tier's plan alone.
func BenchmarkAnalyze(b *testing.B) {
	for _, tier := range tiers.All() {
		b.Run(string(tier), func(b *testing.B) {
			p, err := synth.Run(tiers.Program, synth.Options{Config: tierConfig(tier)})
			if err != nil {
				b.Fatal(err)
			}
			model := insights.DefaultCostModel(tier.Users())
			b.ReportAllocs()
			for b.Loop() {
				if _, err := insights.Analyze(p, model, nil); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkPlanCommand measures `tierstack plan --tier T --format json` end to end, in process, and
// `plan --tier all`.
func BenchmarkPlanCommand(b *testing.B) {
	for _, tier := range append(tiers.All(), cli.TierAll) {
		b.Run(string(tier), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if code := cli.Plan([]string{"--tier", string(tier), "--format", "json"}, io.Discard, io.Discard); code != cli.ExitOK {
					b.Fatalf("exit %d", code)
				}
			}
		})
	}
}
