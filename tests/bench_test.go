package tests

import (
	"testing"

	"github.com/tierstack/tierstack/synth"
	"github.com/tierstack/tierstack/tiers"
)

// BenchmarkPlanTier measures one offline plan of each tier: the mock engine, the program and the
// record, as `tierstack plan` runs them (without printing).
func BenchmarkPlanTier(b *testing.B) {
	for _, tier := range tiers.All() {
		b.Run(string(tier), func(b *testing.B) {
			cfg := tierConfig(tier)
			for b.Loop() {
				if _, err := synth.Run(tiers.Program, synth.Options{Config: cfg}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
