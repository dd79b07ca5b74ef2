package synth

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"reflect"
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
		keys := changedKeys(prev.Inputs, r.Inputs)
		if len(keys) == 0 {
			continue
		}
		c := Change{URN: r.URN, Type: r.Type, Name: r.Name, Action: Update, Keys: keys}
		tr, known := rules.Resources[r.Type]
		c.Unknown = !known
		for _, k := range keys {
			if tr.forcesNew(k) {
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

// forcesNew reports whether a change to top-level input key replaces the resource: the key itself
// forces it, or a block under it does (treated as replacing whatever changed inside the block).
func (t typeRules) forcesNew(key string) bool {
	for _, k := range t.ForceNew {
		if k == key {
			return true
		}
	}
	for _, path := range t.ForceNewNested {
		if strings.HasPrefix(path, key+".") || strings.HasPrefix(path, key+"[].") {
			return true
		}
	}
	return false
}

// changedKeys returns the top-level keys whose values differ, sorted.
func changedKeys(a, b map[string]any) []string {
	var keys []string
	for k, v := range a {
		if w, ok := b[k]; !ok || !reflect.DeepEqual(v, w) {
			keys = append(keys, k)
		}
	}
	for k := range b {
		if _, ok := a[k]; !ok {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	return keys
}
