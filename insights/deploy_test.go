package insights

import (
	"slices"
	"strings"
	"testing"

	"github.com/tierstack/tierstack/synth"
)

// timed is a duration table of made-up types: each type's name is its seconds.
func timed() DurationTable {
	var t DurationTable
	t.Meta.DefaultSeconds = 1
	t.Types = map[string]TypeDuration{"t10": {Seconds: 10}, "t20": {Seconds: 20}, "t100": {Seconds: 100}, "t300": {Seconds: 300}}
	return t
}

func node(name, typ string, deps ...string) synth.Resource {
	r := res(typ, name, nil)
	for _, d := range deps {
		r.Dependencies = append(r.Dependencies, "urn:"+d)
	}
	return r
}

func TestEstimateDeployCriticalPath(t *testing.T) {
	cases := []struct {
		name       string
		resources  []synth.Resource
		explicit   map[string][]string // dependsOn, by resource
		want       float64
		chain      []string
		inputsOnly float64
		waits      int
	}{
		{"a chain adds up", []synth.Resource{node("a", "t10"), node("b", "t20", "a"), node("c", "t100", "b")}, nil,
			130, []string{"a", "b", "c"}, 130, 0},
		{"a diamond takes its longer side", []synth.Resource{
			node("top", "t10"), node("left", "t20", "top"), node("right", "t100", "top"), node("bottom", "t10", "left", "right")}, nil,
			120, []string{"top", "right", "bottom"}, 120, 0},
		{"independent branches run in parallel", []synth.Resource{node("a", "t300"), node("b", "t100"), node("c", "t20", "b")}, nil,
			300, []string{"a"}, 300, 0},
		{"false serialisation: the slow database waits for a slow cache it does not read", []synth.Resource{
			node("vpc", "t10"), node("cache", "t300", "vpc"), node("db", "t300", "vpc", "cache")},
			map[string][]string{"db": {"cache"}},
			610, []string{"vpc", "cache", "db"}, 310, 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			for i := range c.resources {
				for _, d := range c.explicit[c.resources[i].Name] {
					c.resources[i].DependsOn = append(c.resources[i].DependsOn, "urn:"+d)
				}
			}
			got, err := EstimateDeploy(c.resources, timed(), nil)
			if err != nil {
				t.Fatal(err)
			}
			if got.CriticalPathSeconds != c.want {
				t.Errorf("critical path = %gs, want %gs", got.CriticalPathSeconds, c.want)
			}
			var chain []string
			for _, u := range got.Chain {
				chain = append(chain, strings.TrimPrefix(u, "urn:"))
			}
			if !slices.Equal(chain, c.chain) {
				t.Errorf("chain = %v, want %v", chain, c.chain)
			}
			if got.UnavoidableSeconds != c.inputsOnly {
				t.Errorf("unavoidable = %gs, want %gs", got.UnavoidableSeconds, c.inputsOnly)
			}
			if got.SlowestNeedsSeconds > got.CriticalPathSeconds {
				t.Errorf("the slowest resource needs %gs, more than the critical path %gs", got.SlowestNeedsSeconds, got.CriticalPathSeconds)
			}
			if len(got.Waits) != c.waits {
				t.Errorf("waits = %+v, want %d", got.Waits, c.waits)
			}
			if c.name == "a diamond takes its longer side" {
				// Without top→right, right ends at 100 and bottom at 110; without bottom→right, bottom ends
				// at 40 but right still ends at 110: 10 s sooner either way.
				want := []Wait{{URN: "urn:right", On: "urn:top", Seconds: 10}, {URN: "urn:bottom", On: "urn:right", Seconds: 10}}
				if !slices.Equal(got.ChainWaits, want) {
					t.Errorf("chain waits = %+v, want %+v", got.ChainWaits, want)
				}
			}
			if c.waits > 0 && got.Waits[0].Seconds != c.want-c.inputsOnly {
				t.Errorf("the false wait costs %gs, want %gs", got.Waits[0].Seconds, c.want-c.inputsOnly)
			}
		})
	}
}

func TestEstimateDeployCoversOnlyWhatChanges(t *testing.T) {
	resources := []synth.Resource{node("vpc", "t10"), node("db", "t300", "vpc"), node("app", "t100", "vpc")}
	got, err := EstimateDeploy(resources, timed(), map[string]bool{"urn:app": true})
	if err != nil {
		t.Fatal(err)
	}
	if got.Slowest != "urn:app" || got.SlowestNeedsSeconds != 100 {
		t.Errorf("slowest = %s needing %gs, want urn:app needing 100s", got.Slowest, got.SlowestNeedsSeconds)
	}
	if got.CriticalPathSeconds != 100 || got.Resources != 1 {
		t.Errorf("got %gs over %d resources, want 100s over 1: the VPC and database exist already", got.CriticalPathSeconds, got.Resources)
	}
}

func TestEstimateDeployWaitsForAComponentsChildren(t *testing.T) {
	comp := synth.Resource{URN: "urn:comp", Type: "tierstack:index:X", Name: "comp"}
	child := node("child", "t300")
	child.Parent = "urn:comp"
	after := node("after", "t10", "comp")
	got, err := EstimateDeploy([]synth.Resource{comp, child, after}, timed(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if got.CriticalPathSeconds != 310 {
		t.Errorf("critical path = %gs, want 310s: depending on a component waits for what it holds", got.CriticalPathSeconds)
	}
}

func TestEstimateDeployRefusesALoop(t *testing.T) {
	if _, err := EstimateDeploy([]synth.Resource{node("a", "t10", "b"), node("b", "t10", "a")}, timed(), nil); err == nil {
		t.Error("a dependency loop must be an error")
	}
}

func TestEstimateDeployTimesARemoteComponent(t *testing.T) {
	durations := timed()
	durations.Types["eks:index:Cluster"] = TypeDuration{Seconds: 600}
	cluster := synth.Resource{URN: "urn:eks", Type: "eks:index:Cluster", Name: "eks"} // not custom: remote
	nodes := node("nodes", "t100", "eks")
	got, err := EstimateDeploy([]synth.Resource{cluster, nodes}, durations, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got.CriticalPathSeconds != 700 {
		t.Errorf("critical path = %gs, want 700s: the cluster takes its time though the mock does not expand it", got.CriticalPathSeconds)
	}
}
