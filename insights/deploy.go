package insights

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"

	"github.com/tierstack/tierstack/synth"
)

// Deploy is the estimated wall time of pulumi up: the `deploy` object of `plan --format json`.
type Deploy struct {
	// CriticalPathSeconds is how long pulumi up takes when every resource starts as soon as what it
	// waits for exists.
	CriticalPathSeconds float64 `json:"criticalPathSeconds"`
	// Chain is the longest chain of waits, first to last, the URNs of custom resources.
	Chain []string `json:"chain"`
	// ChainSeconds are the creation times of Chain's resources, in order.
	ChainSeconds []float64 `json:"chainSeconds"`
	// UnavoidableSeconds is the critical path without explicit dependsOn waits: what the data each
	// resource reads from another forces.
	UnavoidableSeconds float64 `json:"unavoidableSeconds"`
	// Slowest is the resource that takes longest to create, and SlowestNeedsSeconds when it can be
	// done at the earliest: its time after the chain of data it reads. No deployment beats that; the
	// critical path's excess over it is serialisation to look at.
	Slowest             string  `json:"slowest"`
	SlowestNeedsSeconds float64 `json:"slowestNeedsSeconds"`
	// Waits are explicit dependsOn waits that lengthen pulumi up: candidates for false
	// serialisation, longest first.
	Waits []Wait `json:"waits"`
	// ChainWaits are the links of Chain whose removal alone would shorten pulumi up, and by how
	// much: where to look for false serialisation through data a resource reads (an input) as well
	// as through dependsOn.
	ChainWaits []Wait `json:"chainWaits"`
	// Resources is how many resources the estimate creates or updates.
	Resources int `json:"resources"`
	// Defaulted are the types the duration table does not list, timed at its default.
	Defaulted []string `json:"defaulted"`
	// Updates are the in-place updates timed as updates (the duration table's updates), with their
	// steps and whether their timeout covers them; the other updates are timed as creations.
	Updates []TimedUpdate `json:"updates,omitempty"`
}

// Wait is an explicit dependency whose removal would shorten pulumi up.
type Wait struct {
	// URN is the resource that waits.
	URN string `json:"urn"`
	// On is what it waits for without reading from it.
	On string `json:"on"`
	// Seconds is how much sooner pulumi up would finish without this wait alone.
	Seconds float64 `json:"seconds"`
	// Explicit is true when the wait is a dependsOn, false when the resource reads an output of On.
	Explicit bool `json:"explicit"`
}

// graph is a plan's creation order: what each custom resource waits for, and how long it takes.
type graph struct {
	urns     []string
	seconds  map[string]float64
	waits    map[string][]string // every wait, explicit ones included
	explicit map[string]map[string]bool
	created  int // custom resources the estimate creates or updates
}

// newGraph builds the waits of a plan. A resource waits for its dependencies and its parent; a
// dependency on a component stands for every resource inside it. Resources not in only (when only
// is not nil) exist already and take no time; a resource in updates takes the seconds it gives.
func newGraph(resources []synth.Resource, durations DurationTable, only map[string]bool, updates map[string]float64) (*graph, []string) {
	ix := newIndex(resources)
	children := map[string][]string{}
	for _, r := range resources {
		children[r.Parent] = append(children[r.Parent], r.URN)
	}
	var inside func(urn string, out *[]string)
	inside = func(urn string, out *[]string) {
		for _, c := range children[urn] {
			*out = append(*out, c)
			inside(c, out)
		}
	}
	g := &graph{seconds: map[string]float64{}, waits: map[string][]string{}, explicit: map[string]map[string]bool{}}
	defaulted := map[string]bool{}
	for _, r := range resources {
		g.urns = append(g.urns, r.URN)
		secs := 0.0
		// A remote component listed without its children (a plan made before the offline engine
		// expanded pulumi-eks's cluster) takes the time of what it creates; expanded, they do.
		_, remote := durations.Types[r.Type]
		remote = remote && len(children[r.URN]) == 0
		if (r.Custom || remote) && !strings.HasPrefix(r.Type, "pulumi:providers:") && (only == nil || only[r.URN]) {
			g.created++
			var listed bool
			secs, listed = durations.Seconds(durationKey(ix, &r))
			if s, timed := updates[r.URN]; timed {
				secs, listed = s, true
			}
			if !listed {
				defaulted[r.Type] = true
			}
		}
		g.seconds[r.URN] = secs
		explicit := map[string]bool{}
		for _, d := range r.DependsOn {
			explicit[d] = true
		}
		var deps []string
		add := func(d string, isExplicit bool) {
			if ix.byURN[d] == nil {
				return
			}
			deps = append(deps, d)
			if isExplicit {
				explicit[d] = true
			}
			if !ix.byURN[d].Custom {
				var in []string
				inside(d, &in)
				for _, c := range in {
					deps = append(deps, c)
					if isExplicit {
						explicit[c] = true
					}
				}
			}
		}
		for _, d := range r.Dependencies {
			add(d, explicit[d])
		}
		if p := ix.byURN[r.Parent]; p != nil && p.Custom {
			add(r.Parent, false)
		}
		// A component is registered once what it depends on exists (the SDK awaits a resource's
		// dependencies before it registers it), and its children only after it: they wait for its
		// dependencies too. pulumi-eks's children wait so for what its cluster depends on.
		for p := ix.byURN[r.Parent]; p != nil && !p.Custom; p = ix.byURN[p.Parent] {
			parentExplicit := map[string]bool{}
			for _, d := range p.DependsOn {
				parentExplicit[d] = true
			}
			for _, d := range p.Dependencies {
				add(d, parentExplicit[d])
			}
		}
		slices.Sort(deps)
		g.waits[r.URN] = slices.Compact(deps)
		g.explicit[r.URN] = explicit
	}
	out := make([]string, 0, len(defaulted))
	for t := range defaulted {
		out = append(out, t)
	}
	sort.Strings(out)
	return g, out
}

// finish computes when each resource is created: its seconds after the last of its waits, less the
// waits skip drops. It returns the finish times and, for each resource, the wait that finished last.
func (g *graph) finish(skip func(urn, on string) bool) (map[string]float64, map[string]string, error) {
	done := make(map[string]float64, len(g.urns))
	last := make(map[string]string, len(g.urns))
	state := make(map[string]int, len(g.urns)) // 0 new, 1 visiting, 2 done
	var visit func(u string) error
	visit = func(u string) error {
		switch state[u] {
		case 1:
			return fmt.Errorf("insights: the plan's dependencies loop through %s", u)
		case 2:
			return nil
		}
		state[u] = 1
		start := 0.0
		for _, d := range g.waits[u] {
			if skip != nil && skip(u, d) {
				continue
			}
			if err := visit(d); err != nil {
				return err
			}
			if done[d] > start || (done[d] == start && last[u] == "" && g.seconds[d] > 0) {
				start, last[u] = done[d], d
			}
		}
		done[u] = start + g.seconds[u]
		state[u] = 2
		return nil
	}
	for _, u := range g.urns {
		if err := visit(u); err != nil {
			return nil, nil, err
		}
	}
	return done, last, nil
}

// EstimateDeploy estimates pulumi up's wall time from the plan's dependency graph and the duration
// table: the critical path, its chain, the time the data flow alone forces, and the explicit waits
// that cost time. With only set, resources outside it exist already (a tier change creates or
// updates only those in it).
func EstimateDeploy(resources []synth.Resource, durations DurationTable, only map[string]bool) (Deploy, error) {
	return estimateDeploy(resources, durations, only, nil)
}

// EstimateUpdate estimates pulumi up's wall time for the update from plan before to plan after
// that changes makes (synth.Diff): only what it creates, replaces or updates takes time, and an
// in-place update of a type the duration table times as an update (a replication group's reshard)
// takes the time of its steps rather than its creation's. before may be nil (a per-unit step then
// counts one unit).
func EstimateUpdate(before, after *synth.Plan, durations DurationTable, changes []synth.Change) (Deploy, error) {
	only := map[string]bool{}
	for _, c := range changes {
		if c.Action != synth.Delete {
			only[c.URN] = true
		}
	}
	prev := map[string]synth.Resource{}
	if before != nil {
		for _, r := range before.Resources {
			prev[r.URN] = r
		}
	}
	seconds, timed := timeUpdates(after.Resources, prev, changes, durations)
	d, err := estimateDeploy(after.Resources, durations, only, seconds)
	d.Updates = timed
	return d, err
}

// estimateDeploy is EstimateDeploy with the seconds of timed updates.
func estimateDeploy(resources []synth.Resource, durations DurationTable, only map[string]bool, updates map[string]float64) (Deploy, error) {
	g, defaulted := newGraph(resources, durations, only, updates)
	done, last, err := g.finish(nil)
	if err != nil {
		return Deploy{}, err
	}
	d := Deploy{Chain: []string{}, ChainSeconds: []float64{}, Waits: []Wait{}, ChainWaits: []Wait{}, Defaulted: defaulted}
	end := ""
	d.Resources = g.created
	for _, u := range g.urns {
		if done[u] > d.CriticalPathSeconds || (done[u] == d.CriticalPathSeconds && end != "" && u < end) {
			d.CriticalPathSeconds, end = done[u], u
		}
	}
	for u := end; u != ""; u = last[u] {
		if g.seconds[u] > 0 {
			d.Chain = append(d.Chain, u)
			d.ChainSeconds = append(d.ChainSeconds, g.seconds[u])
		}
	}
	slices.Reverse(d.Chain)
	slices.Reverse(d.ChainSeconds)

	inputsOnly := func(u, on string) bool { return g.explicit[u][on] }
	free, _, err := g.finish(inputsOnly)
	if err != nil {
		return Deploy{}, err
	}
	for _, u := range g.urns {
		d.UnavoidableSeconds = math.Max(d.UnavoidableSeconds, free[u])
		if s := g.seconds[u]; s > 0 && (d.Slowest == "" || s > g.seconds[d.Slowest] ||
			(s == g.seconds[d.Slowest] && free[u] > d.SlowestNeedsSeconds)) {
			d.Slowest, d.SlowestNeedsSeconds = u, free[u]
		}
	}
	// Each link of the chain: the resource and the one before it that it waited for.
	for u := end; last[u] != ""; u = last[u] {
		on := last[u]
		if saved := d.CriticalPathSeconds - g.longestWithout(u, on); saved > 0 {
			d.ChainWaits = append(d.ChainWaits, Wait{URN: u, On: on, Seconds: saved, Explicit: g.explicit[u][on]})
		}
	}
	slices.Reverse(d.ChainWaits)
	for _, u := range g.urns {
		for on := range g.explicit[u] {
			if !slices.Contains(g.waits[u], on) {
				continue
			}
			if saved := d.CriticalPathSeconds - g.longestWithout(u, on); saved > 0 {
				d.Waits = append(d.Waits, Wait{URN: u, On: on, Seconds: saved, Explicit: true})
			}
		}
	}
	sort.Slice(d.Waits, func(i, j int) bool {
		if d.Waits[i].Seconds != d.Waits[j].Seconds {
			return d.Waits[i].Seconds > d.Waits[j].Seconds
		}
		if d.Waits[i].URN != d.Waits[j].URN {
			return d.Waits[i].URN < d.Waits[j].URN
		}
		return d.Waits[i].On < d.Waits[j].On
	})
	return d, nil
}

// longestWithout is the critical path with one wait removed. (The graph has no loop: finish
// succeeded on it whole, so it succeeds on less.)
func (g *graph) longestWithout(urn, on string) float64 {
	done, _, _ := g.finish(func(a, b string) bool { return a == urn && b == on })
	best := 0.0
	for _, t := range done {
		best = math.Max(best, t)
	}
	return best
}

// durationKey is the key of a resource in the creation-time table: its type, with a variant where
// one type takes very different times: an Aurora cluster that joins a global database as a
// secondary ("#globalSecondary") copies the primary's volume first.
func durationKey(ix index, r *synth.Resource) string {
	if r.Type == clusterType && str(r.Inputs, "masterUsername") == "" {
		for _, d := range r.Dependencies {
			if g := ix.byURN[d]; g != nil && g.Type == globalClusterType {
				return r.Type + "#globalSecondary"
			}
		}
	}
	return r.Type
}
