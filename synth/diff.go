package synth

import (
	"bytes"
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
	// Keys are the top-level inputs that differ (for update and replace), less those its
	// ignoreChanges option hides.
	Keys []string `json:"keys,omitempty"`
	// ReplacedBy are what forces the replacement: keys among Keys, "provider" when the resource moves
	// to another provider or its provider is replaced.
	ReplacedBy []string `json:"replacedBy,omitempty"`
	// Unknown is true when the type has no replacement rules, so an update may in truth replace.
	Unknown bool `json:"unknownRules,omitempty"`
	// RenamedFrom is the URN the resource had in the earlier plan, when it was matched by an alias.
	RenamedFrom string `json:"renamedFrom,omitempty"`
	// DeleteBeforeReplace is true when a replacement deletes the original before it creates the new
	// one (the resource's deleteBeforeReplace option): an outage while it happens.
	DeleteBeforeReplace bool `json:"deleteBeforeReplace,omitempty"`
	// Stateful is true when the type holds state that a replacement or deletion loses (see Stateful).
	Stateful bool `json:"stateful,omitempty"`
	// Retained is true when a deletion only drops the resource from the stack: its retainOnDelete
	// option keeps it in AWS.
	Retained bool `json:"retained,omitempty"`
	// Protected is true when the engine will refuse the replacement or deletion: the resource has the
	// protect option.
	Protected bool `json:"protected,omitempty"`
	// Refused says why AWS refuses to make the change in place (a one-way setting moved back, a
	// step skipped): pulumi up would fail part way.
	Refused []string `json:"refused,omitempty"`
	// RegisteredBy names the packaged component provider that registers the resource (see
	// Resource.RegisteredBy): empty for the program's own.
	RegisteredBy string `json:"registeredBy,omitempty"`
	// AfterUpdate are the steps the change needs after pulumi up before it takes effect (a reboot
	// for a static database parameter): pulumi up succeeds, but AWS keeps the old value until then.
	AfterUpdate []string `json:"afterUpdate,omitempty"`
	// Unsafe is true when the change replaces or deletes a stateful resource and loses its state,
	// replaces or deletes a protected resource (pulumi up refuses), or is refused by AWS: the
	// tier-change check fails on it.
	Unsafe bool `json:"unsafe,omitempty"`
}

// Rules says which inputs of each resource type force a replacement when they change.
type Rules struct {
	// Conventions explain the fields, for a reader of the JSON.
	Conventions string `json:"conventions"`
	// Source says where the rules come from.
	Source string `json:"source"`
	// Resources are the rules by type token.
	Resources map[string]TypeRules `json:"resources"`
}

// TypeRules are one type's replacement rules.
type TypeRules struct {
	// ForceNew are the top-level inputs whose change replaces the resource.
	ForceNew []string `json:"forceNew"`
	// ForceNewNested are paths inside inputs ("rootBlockDevice.encrypted", "hooks[].name") whose
	// change replaces it.
	ForceNewNested []string `json:"forceNewNested"`
	// Source says where the type's rules come from.
	Source string `json:"source"`
}

//go:embed replacements.json
var replacementsJSON []byte

// ReplacementRules returns the replacement rules tierstack ships: per pulumi-aws type, the inputs
// whose change replaces the resource, from the Terraform provider schemas pulumi-aws is built on.
func ReplacementRules() (Rules, error) {
	var r Rules
	dec := json.NewDecoder(bytes.NewReader(replacementsJSON))
	dec.DisallowUnknownFields() // a misspelt field would silently drop rules
	if err := dec.Decode(&r); err != nil {
		return Rules{}, fmt.Errorf("reading replacement rules: %w", err)
	}
	return r, nil
}

// Knows reports whether the rules cover a resource type.
func (r Rules) Knows(typ string) bool {
	_, ok := r.Resources[typ]
	return ok
}

// Inputs returns the input paths the rules say force a replacement of a type: its forceNew keys,
// then its nested paths.
func (r Rules) Inputs(typ string) []string {
	tr := r.Resources[typ]
	return append(slices.Clone(tr.ForceNew), tr.ForceNewNested...)
}

// Types returns the types the rules cover, sorted.
func (r Rules) Types() []string {
	types := make([]string, 0, len(r.Resources))
	for t := range r.Resources {
		types = append(types, t)
	}
	sort.Strings(types)
	return types
}

// Diff returns what an update from plan before to plan after would do, resource by resource, sorted
// by URN. Resources are matched as the engine matches them: by URN, else by one of the new
// resource's aliases. A resource is replaced when an input the rules or its replaceOnChanges option
// name changes (after its ignoreChanges option hides what it hides), when it moves to another
// provider, or when its provider is replaced. Components are left out: they have no cloud state.
//
// Secrets are compared by their keyed hashes (Resource.SecretHashes) when both plans were hashed
// with the same key, so a secret whose value changes is a change, although neither plan holds it.
//
// Resources are judged dependencies first. A reference to a resource that stays (its ID, ARN or
// generated name in another's inputs) is compared as the value it had in plan before, so plans
// made by different versions of the fake engine still compare; a reference to a replaced resource
// changes, and the replacement cascades as in a real update.
func Diff(before, after *Plan, rules Rules) []Change {
	old := map[string]Resource{}
	for _, r := range before.Resources {
		if r.Custom {
			old[r.URN] = r
		}
	}
	var (
		changes []Change
		kept    = map[string][]substitution{} // URN -> how its values in after read in before
		renewed = map[string]bool{}           // URN -> created or replaced: a new physical resource
		was     = map[string]string{}         // URN in after -> the URN it had in before
		network = newNetworkIndex(before, after)
	)
	// The default provider is not recorded; a change of the stack's region replaces what it manages.
	renewed[""] = before.Region != "" && after.Region != "" && before.Region != after.Region
	secretsCompare := before.SecretHashKey != "" && before.SecretHashKey == after.SecretHashKey
	for _, r := range dependencyOrder(after) {
		prev, ok := old[r.URN]
		renamed := ""
		if !ok {
			for _, a := range r.Aliases {
				if p, found := old[a]; found {
					prev, ok, renamed = p, true, a
					break
				}
			}
		}
		if !ok {
			renewed[r.URN] = true
			changes = append(changes, Change{URN: r.URN, Type: r.Type, Name: r.Name, Action: Create})
			continue
		}
		delete(old, prev.URN)
		was[r.URN] = prev.URN
		seen := r
		seen.Inputs = substitute(r.Inputs, r.Dependencies, kept)
		if secretsCompare {
			seen.Inputs = withSecretHashes(seen.Inputs, r.SecretHashes)
			prev.Inputs = withSecretHashes(prev.Inputs, prev.SecretHashes)
		}
		// A provider renamed with an alias is the same provider.
		seen.Provider = r.Provider
		if old, ok := was[r.Provider]; ok {
			seen.Provider = old
		}
		c := compare(prev, seen, rules, renewed[r.Provider])
		network.refuseClusterMove(&c, prev, r, renewed, was)
		c.RenamedFrom = renamed
		if c.Action == Replace {
			renewed[r.URN] = true
		} else {
			kept[r.URN] = substitutions(r, prev)
		}
		if c.Action != "" {
			changes = append(changes, c)
		}
	}
	for _, r := range old {
		c := Change{URN: r.URN, Type: r.Type, Name: r.Name, Action: Delete, Retained: r.RetainOnDelete, Protected: r.Protect}
		if why := deleteRefused(r); why != "" && !r.RetainOnDelete {
			c.Refused = append(c.Refused, why)
		}
		judge(&c)
		changes = append(changes, c)
	}
	markRegisteredBy(changes, before, after)
	sort.Slice(changes, func(i, j int) bool { return changes[i].URN < changes[j].URN })
	return changes
}

// dependencyOrder returns the plan's custom resources, each after its dependencies and its provider.
func dependencyOrder(p *Plan) []Resource {
	byURN := map[string]Resource{}
	for _, r := range p.Resources {
		if r.Custom {
			byURN[r.URN] = r
		}
	}
	var order []Resource
	state := map[string]int{} // 1 visiting, 2 done
	var visit func(urn string)
	visit = func(urn string) {
		r, ok := byURN[urn]
		if !ok || state[urn] != 0 {
			return
		}
		state[urn] = 1
		for _, d := range append(slices.Clone(r.Dependencies), r.Provider) {
			visit(d)
		}
		state[urn] = 2
		order = append(order, r)
	}
	for _, r := range p.Resources { // sorted by URN, so the order is stable
		visit(r.URN)
	}
	return order
}

// substitution is a value a kept resource has in the new plan and the value it had in the old one.
type substitution struct{ new, old string }

// substitutions lists how a kept resource's ID and computed outputs read in the old plan.
func substitutions(r, prev Resource) []substitution {
	var out []substitution
	if r.ID != "" && prev.ID != "" && r.ID != prev.ID {
		out = append(out, substitution{r.ID, prev.ID})
	}
	for k, v := range r.Outputs {
		nv, _ := v.(string)
		ov, _ := prev.Outputs[k].(string)
		if nv != "" && ov != "" && nv != ov {
			out = append(out, substitution{nv, ov})
		}
	}
	return out
}

// substitute returns inputs with every value of a kept dependency read as it was in the old plan.
func substitute(inputs map[string]any, deps []string, kept map[string][]substitution) map[string]any {
	var subs []substitution
	for _, d := range deps {
		subs = append(subs, kept[d]...)
	}
	if len(subs) == 0 {
		return inputs
	}
	// Longest first, in one pass: an ARN is read before the ID inside it, and a value already read
	// as its old self is not read again.
	sort.SliceStable(subs, func(i, j int) bool { return len(subs[i].new) > len(subs[j].new) })
	pairs := make([]string, 0, 2*len(subs))
	for _, s := range subs {
		pairs = append(pairs, s.new, s.old)
	}
	out, _ := substituteValue(inputs, strings.NewReplacer(pairs...)).(map[string]any)
	return out
}

func substituteValue(v any, r *strings.Replacer) any {
	switch x := v.(type) {
	case string:
		return r.Replace(x)
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = substituteValue(e, r)
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = substituteValue(e, r)
		}
		return out
	default:
		return v
	}
}

// compare judges one resource present in both plans; an empty Action means no change.
// providerRenewed says whether the resource's provider is created or replaced by the update.
func compare(prev, r Resource, rules Rules, providerRenewed bool) Change {
	c := Change{URN: r.URN, Type: r.Type, Name: r.Name, DeleteBeforeReplace: r.DeleteBeforeReplace, Protected: r.Protect}
	tr, known := rules.Resources[r.Type]
	c.Unknown = !known && !isProvider(r.Type)
	before, after := withoutPaths(prev.Inputs, r.IgnoreChanges), withoutPaths(r.Inputs, r.IgnoreChanges)
	c.Keys = changedKeys(before, after)
	for _, k := range c.Keys {
		if tr.forcesNew(k, before[k], after[k]) {
			c.ReplacedBy = append(c.ReplacedBy, k)
		}
	}
	// The conditions judge what the provider is sent: ignored paths keep their old values.
	applyConditions(&c, before, sentInputs(prev.Inputs, r.Inputs, r.IgnoreChanges))
	applyIgnoredConditions(&c, prev.Inputs, r.Inputs, r.IgnoreChanges)
	for _, p := range r.ReplaceOnChanges {
		if p == "*" && len(c.Keys) > 0 {
			c.ReplacedBy = append(c.ReplacedBy, c.Keys...)
			continue
		}
		pp := parsePath(p)
		if !reflect.DeepEqual(valuesAt(before, pp), valuesAt(after, pp)) && !slices.Contains(c.ReplacedBy, pp.head()) {
			c.ReplacedBy = append(c.ReplacedBy, pp.head())
		}
	}
	if prev.Provider != r.Provider || providerRenewed {
		c.ReplacedBy = append(c.ReplacedBy, "provider")
	}
	sort.Strings(c.ReplacedBy)
	c.ReplacedBy = slices.Compact(c.ReplacedBy)
	switch {
	case len(c.ReplacedBy) > 0:
		c.Action = Replace
	case len(c.Keys) > 0 || prev.URN != r.URN:
		c.Action = Update
	}
	judge(&c)
	return c
}

// judge marks whether a change is stateful and whether it is unsafe: it loses state, or pulumi up
// refuses it because the resource is protected.
func judge(c *Change) {
	_, c.Stateful = Stateful(c.Type)
	switch c.Action {
	case Replace:
		c.Unsafe = c.Stateful || c.Protected
	case Delete:
		c.Unsafe = (c.Stateful && !c.Retained) || c.Protected || len(c.Refused) > 0
	case Update:
		c.Unsafe = len(c.Refused) > 0
	}
}

// Unsafe returns the changes that lose a stateful resource's state or that pulumi up refuses.
func Unsafe(changes []Change) []Change {
	var out []Change
	for _, c := range changes {
		if c.Unsafe {
			out = append(out, c)
		}
	}
	return out
}

// isProvider reports whether a type token is a provider's.
func isProvider(typ string) bool { return len(typ) > 17 && typ[:17] == "pulumi:providers:" }

// forcesNew reports whether top-level input key, changing from old to new, replaces the resource:
// the key itself forces a replacement, or a nested path under it that does differs.
func (t TypeRules) forcesNew(key string, old, new any) bool {
	if slices.Contains(t.ForceNew, key) {
		return true
	}
	for _, nested := range t.ForceNewNested {
		p := parsePath(nested)
		if p.head() != key {
			continue
		}
		if !reflect.DeepEqual(valuesAt(map[string]any{key: old}, p), valuesAt(map[string]any{key: new}, p)) {
			return true
		}
	}
	return false
}

// changedKeys returns the top-level keys whose values differ, sorted.
func changedKeys(a, b map[string]any) []string {
	var keys []string
	for _, k := range sortedUnion(a, b) {
		v, inA := a[k]
		w, inB := b[k]
		if inA != inB || !reflect.DeepEqual(v, w) {
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
