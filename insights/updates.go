package insights

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/tierstack/tierstack/synth"
)

// UpdateDuration is how long an in-place update of one type takes: the steps the provider runs for
// the inputs that change, one after another.
type UpdateDuration struct {
	// Source says where the order of the steps and the timeout come from.
	Source string `json:"source"`
	// TimeoutSeconds is the provider's default update timeout, which applies without customTimeouts.
	TimeoutSeconds float64 `json:"timeoutSeconds"`
	// OtherSeconds times an update that starts none of the Steps.
	OtherSeconds float64 `json:"otherSeconds"`
	// OtherHow says where OtherSeconds comes from.
	OtherHow string `json:"otherHow"`
	// Steps are the long steps, in the provider's order.
	Steps []UpdateStep `json:"steps"`
}

// UpdateStep is one step of an update, started when any of its Keys changes.
type UpdateStep struct {
	// Keys are the top-level inputs whose change starts the step.
	Keys []string `json:"keys"`
	// Seconds is the step's time.
	Seconds float64 `json:"seconds,omitempty"`
	// PerUnitSeconds is added for each unit the first key's number changes by (each shard added).
	PerUnitSeconds float64 `json:"perUnitSeconds,omitempty"`
	// Unit names what PerUnitSeconds counts.
	Unit string `json:"unit,omitempty"`
	// AbsentMeans is the number an absent input stands for (a replication group without
	// numNodeGroups has one shard), so that naming the count for the first time is no unit.
	AbsentMeans *float64 `json:"absentMeans,omitempty"`
	// SameCount, when set, is how each of Keys reads as one count (the value plus the offset:
	// replicas are replicasPerNodeGroup, or numCacheClusters less the primary). When the count of
	// the first key present is the same before and after, the step does nothing: the inputs only
	// name it another way (a group moving to cluster mode).
	SameCount map[string]float64 `json:"sameCount,omitempty"`
	// Evidence is the id of the sourced figure the step's time rests on, if any.
	Evidence string `json:"evidence,omitempty"`
	// How says how the time follows from the evidence, or that it is an assumption.
	How string `json:"how"`
}

// TimedUpdate is an in-place update the deploy estimate times as an update rather than a creation:
// the `deploy.updates` entries of `plan --from --format json`.
type TimedUpdate struct {
	// URN is the updated resource.
	URN string `json:"urn"`
	// Seconds is the update's estimated time, the sum of its steps.
	Seconds float64 `json:"seconds"`
	// Steps say what the update does and how long each part takes, in order.
	Steps []string `json:"steps"`
	// TimeoutSeconds is how long the provider waits for each step: the resource's customTimeouts
	// update, else the provider's default.
	TimeoutSeconds float64 `json:"timeoutSeconds"`
	// WithinTimeout is true when the timeout covers the whole estimated update, so that no step can
	// exhaust it even if the estimate's parts are off in one step.
	WithinTimeout bool `json:"withinTimeout"`
}

// UpdateSeconds times an in-place update of a resource of typ whose top-level inputs keys change
// from before to after (before nil when unknown: a per-unit step then counts one unit). It returns
// false when the table does not time the type's updates (the estimate then uses its creation time).
func (t DurationTable) UpdateSeconds(typ string, keys []string, before, after map[string]any) (float64, []string, bool) {
	u, ok := t.Updates.Types[typ]
	if !ok {
		return 0, nil, false
	}
	total := 0.0
	var steps []string
	for _, st := range u.Steps {
		changed := slices.ContainsFunc(st.Keys, func(k string) bool { return slices.Contains(keys, k) })
		if !changed {
			continue
		}
		if before != nil && st.sameCount(before, after) {
			continue
		}
		secs := st.Seconds
		what := strings.Join(st.Keys, "/")
		if st.PerUnitSeconds > 0 {
			units, from, to := 1.0, "?", "?"
			if before != nil {
				b, bok := st.count(before)
				a, aok := st.count(after)
				if bok && aok {
					units = math.Abs(a - b)
					from, to = fmt.Sprint(b), fmt.Sprint(a)
				}
			}
			secs += units * st.PerUnitSeconds
			what = fmt.Sprintf("%s %s → %s (%g × %s)", st.Keys[0], from, to, units, st.Unit)
			if secs == 0 {
				continue // the count is the same, only named another way
			}
		}
		total += secs
		steps = append(steps, fmt.Sprintf("%s: %s", what, minutes(secs)))
	}
	if len(steps) == 0 {
		total = u.OtherSeconds
		steps = append(steps, fmt.Sprintf("%s: %s", strings.Join(keys, ", "), minutes(total)))
	}
	return total, steps, true
}

// sameCount reports whether the step's count (SameCount) reads alike in before and after.
func (st UpdateStep) sameCount(before, after map[string]any) bool {
	if len(st.SameCount) == 0 {
		return false
	}
	read := func(inputs map[string]any) (float64, bool) {
		for _, k := range st.Keys {
			if v, ok := inputs[k].(float64); ok {
				return v + st.SameCount[k], true
			}
		}
		return 0, false
	}
	b, bok := read(before)
	a, aok := read(after)
	return bok && aok && a == b
}

// count reads the step's first key as a number from inputs, or AbsentMeans when it is absent.
func (st UpdateStep) count(inputs map[string]any) (float64, bool) {
	switch v := inputs[st.Keys[0]].(type) {
	case float64:
		return v, true
	case nil:
		if st.AbsentMeans != nil {
			return *st.AbsentMeans, true
		}
	}
	return 0, false
}

// updateTimeout is how long the provider waits on each step of r's update.
func (t DurationTable) updateTimeout(r synth.Resource) float64 {
	if r.CustomTimeouts != nil && r.CustomTimeouts.Update != "" {
		if d, err := time.ParseDuration(r.CustomTimeouts.Update); err == nil {
			return d.Seconds()
		}
	}
	return t.Updates.Types[r.Type].TimeoutSeconds
}

// timeUpdates works out, for each in-place update the table times, its seconds: what the deploy
// estimate uses instead of the creation time. before are the earlier plan's resources by URN (nil
// when unknown: a per-unit step then counts one unit).
func timeUpdates(after []synth.Resource, before map[string]synth.Resource, changes []synth.Change, t DurationTable) (map[string]float64, []TimedUpdate) {
	byURN := map[string]synth.Resource{}
	for _, r := range after {
		byURN[r.URN] = r
	}
	seconds := map[string]float64{}
	var timed []TimedUpdate
	for _, c := range changes {
		if c.Action != synth.Update {
			continue
		}
		r := byURN[c.URN]
		prev := before[c.URN]
		if c.RenamedFrom != "" {
			prev = before[c.RenamedFrom]
		}
		secs, steps, ok := t.UpdateSeconds(c.Type, c.Keys, prev.Inputs, r.Inputs)
		if !ok {
			continue
		}
		seconds[c.URN] = secs
		timeout := t.updateTimeout(r)
		timed = append(timed, TimedUpdate{URN: c.URN, Seconds: secs, Steps: steps, TimeoutSeconds: timeout, WithinTimeout: secs <= timeout})
	}
	return seconds, timed
}
