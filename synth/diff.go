package synth

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"sort"
	"strings"
)

// Action is what an update does to one resource.
type Action string

// The actions, as `pulumi preview` names them.
const (
	Create  Action = "create"
	Update  Action = "update"
	Replace Action = "replace"
	Delete  Action = "delete"
)

// Change is one resource that an update from one plan to another touches.
type Change struct {
	// URN identifies the resource.
	URN string `json:"urn"`
	// Type is its type token.
	Type string `json:"type"`
	// Name is its logical name.
	Name string `json:"name"`
	// Action is what happens to it.
	Action Action `json:"action"`
	// Keys are the top-level inputs that differ (for update and replace).
	Keys []string `json:"keys,omitempty"`
	// ReplacedBy are the keys among Keys that force the replacement.
	ReplacedBy []string `json:"replacedBy,omitempty"`
	// Unknown is true when the type has no replacement rules, so an update may in truth replace.
	Unknown bool `json:"unknownRules,omitempty"`
}

// Rules says which inputs of each resource type force a replacement when they change.
type Rules struct {
	// Source says where the rules come from.
	Source    string               `json:"source"`
	Resources map[string]typeRules `json:"resources"`
}

type typeRules struct {
	ForceNew       []string `json:"forceNew"`
	ForceNewNested []string `json:"forceNewNested"`
	Source         string   `json:"source"`
}

//go:embed replacements.json
var replacementsJSON []byte

// ReplacementRules returns the replacement rules tierstack ships: per pulumi-aws type, the inputs
// whose change replaces the resource, from the Terraform provider schemas pulumi-aws is built on.
func ReplacementRules() (Rules, error) {
	var r Rules
	if err := json.Unmarshal(replacementsJSON, &r); err != nil {
		return Rules{}, fmt.Errorf("reading replacement rules: %w", err)
	}
	return r, nil
}

// Knows reports whether the rules cover a resource type.
func (r Rules) Knows(typ string) bool {
	_, ok := r.Resources[typ]
	return ok
}

// Diff returns what an update from plan before to plan after would do, resource by resource, sorted
// by URN: resources are matched by URN, as the engine matches them. Components are left out: they
// have no cloud state.
func Diff(before, after *Plan, rules Rules) []Change {
	old := map[string]Resource{}
	for _, r := range before.Resources {
		if r.Custom {
			old[r.URN] = r
		}
	}
	var changes []Change
	for _, r := range after.Resources {
		if !r.Custom {
			continue
		}
		prev, ok := old[r.URN]
		delete(old, r.URN)
		if !ok {
			changes = append(changes, Change{URN: r.URN, Type: r.Type, Name: r.Name, Action: Create})
			continue
		}
		keys := changedKeys(prev.Inputs, r.Inputs, r.IgnoreChanges)
		if len(keys) == 0 {
			continue
		}
		c := Change{URN: r.URN, Type: r.Type, Name: r.Name, Action: Update, Keys: keys}
		tr, known := rules.Resources[r.Type]
		c.Unknown = !known
		for _, k := range keys {
			if tr.forcesNew(k, prev.Inputs[k], r.Inputs[k]) {
				c.ReplacedBy = append(c.ReplacedBy, k)
			}
		}
		if len(c.ReplacedBy) > 0 {
			c.Action = Replace
		}
		changes = append(changes, c)
	}
	for _, r := range old {
		changes = append(changes, Change{URN: r.URN, Type: r.Type, Name: r.Name, Action: Delete})
	}
	sort.Slice(changes, func(i, j int) bool { return changes[i].URN < changes[j].URN })
	return changes
}

// forcesNew reports whether top-level input key, changing from old to new, replaces the resource:
// the key itself forces a replacement, or a nested path under it that does differs. A nested path
// that is a block replaces on any change inside it.
func (t typeRules) forcesNew(key string, old, new any) bool {
	if slices.Contains(t.ForceNew, key) {
		return true
	}
	for _, path := range t.ForceNewNested {
		parts := strings.Split(path, ".")
		head := strings.TrimSuffix(parts[0], "[]")
		if head != key {
			continue
		}
		rest := parts[1:]
		if strings.HasSuffix(parts[0], "[]") {
			rest = append([]string{"[]"}, rest...)
		}
		if !reflect.DeepEqual(valuesAt(old, rest), valuesAt(new, rest)) {
			return true
		}
	}
	return false
}

// valuesAt collects the values at a path inside v: "name" steps into an object, "x[]" into every
// element of list x ("[]" alone: every element of v).
func valuesAt(v any, path []string) []any {
	if len(path) == 0 {
		return []any{v}
	}
	step := path[0]
	if step == "[]" {
		list, _ := v.([]any)
		var out []any
		for _, e := range list {
			out = append(out, valuesAt(e, path[1:])...)
		}
		return out
	}
	obj, _ := v.(map[string]any)
	if strings.HasSuffix(step, "[]") {
		return valuesAt(obj[strings.TrimSuffix(step, "[]")], append([]string{"[]"}, path[1:]...))
	}
	return valuesAt(obj[step], path[1:])
}

// changedKeys returns the top-level keys whose values differ, sorted, leaving out the keys the
// resource's ignoreChanges option tells the engine to ignore.
func changedKeys(a, b map[string]any, ignore []string) []string {
	var keys []string
	differs := func(k string) bool {
		v, inA := a[k]
		w, inB := b[k]
		return inA != inB || !reflect.DeepEqual(v, w)
	}
	for _, k := range sortedUnion(a, b) {
		if differs(k) && !slices.Contains(ignore, k) {
			keys = append(keys, k)
		}
	}
	return keys
}

// sortedUnion returns the keys of a and b, once each, sorted.
func sortedUnion(a, b map[string]any) []string {
	seen := map[string]bool{}
	var keys []string
	for _, m := range []map[string]any{a, b} {
		for k := range m {
			if !seen[k] {
				seen[k] = true
				keys = append(keys, k)
			}
		}
	}
	sort.Strings(keys)
	return keys
}
