package insights

import (
	"strings"

	"github.com/tierstack/tierstack/synth"
)

// at returns the value at a dotted path of inputs ("scalingConfig.desiredSize"), or nil.
func at(inputs map[string]any, path string) any {
	var v any = inputs
	for _, key := range strings.Split(path, ".") {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[key]
	}
	return v
}

// str returns the string at path, or "".
func str(inputs map[string]any, path string) string {
	s, _ := at(inputs, path).(string)
	return s
}

// num returns the number at path and whether there is one. Numbers recorded as strings ("16")
// count too.
func num(inputs map[string]any, path string) (float64, bool) {
	switch v := at(inputs, path).(type) {
	case float64:
		return v, true
	case int:
		return float64(v), true
	case string:
		var f float64
		var seen bool
		for _, c := range v {
			if c < '0' || c > '9' {
				return 0, false
			}
			f, seen = f*10+float64(c-'0'), true
		}
		return f, seen
	}
	return 0, false
}

// boolean returns the boolean at path and whether there is one. Booleans recorded as strings
// ("true") count too.
func boolean(inputs map[string]any, path string) (bool, bool) {
	switch v := at(inputs, path).(type) {
	case bool:
		return v, true
	case string:
		if v == "true" || v == "false" {
			return v == "true", true
		}
	}
	return false, false
}

// strs returns the strings of the list at path.
func strs(inputs map[string]any, path string) []string {
	list, _ := at(inputs, path).([]any)
	out := make([]string, 0, len(list))
	for _, v := range list {
		if s, ok := v.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

// list returns the list at path.
func list(inputs map[string]any, path string) []any {
	l, _ := at(inputs, path).([]any)
	return l
}

// index finds resources by URN and by physical ID (and ARN), as inputs reference them.
type index struct {
	byURN map[string]*synth.Resource
	byRef map[string]*synth.Resource
}

// newIndex indexes resources.
func newIndex(resources []synth.Resource) index {
	ix := index{byURN: make(map[string]*synth.Resource, len(resources)), byRef: make(map[string]*synth.Resource, 2*len(resources))}
	for i := range resources {
		r := &resources[i]
		ix.byURN[r.URN] = r
		if r.ID != "" && r.ID != synth.UnknownPlaceholder {
			ix.byRef[r.ID] = r
		}
		for _, k := range []string{"arn", "name", "identifier", "clusterIdentifier", "bucket"} {
			if s, ok := r.Outputs[k].(string); ok && s != "" {
				if _, taken := ix.byRef[s]; !taken {
					ix.byRef[s] = r
				}
			}
		}
	}
	return ix
}

// ref returns the resource of type typ that r's input value v names by ID, ARN or name, or nil.
// In a preview, where IDs are unknown, it is the dependency of r of that type, if r has one.
func (ix index) ref(r *synth.Resource, v, typ string) *synth.Resource {
	if x := ix.byRef[v]; x != nil && x.Type == typ {
		return x
	}
	if v != synth.UnknownPlaceholder {
		return nil
	}
	for _, d := range r.Dependencies {
		if dep := ix.byURN[d]; dep != nil && dep.Type == typ {
			return dep
		}
	}
	return nil
}

// shortName is the last part of a URN: the resource's logical name.
func shortName(urn string) string {
	if i := strings.LastIndex(urn, "::"); i >= 0 {
		return urn[i+2:]
	}
	return urn
}

// hasNum reports whether there is a number at path.
func hasNum(inputs map[string]any, path string) bool {
	_, ok := num(inputs, path)
	return ok
}
