package synth

import (
	"reflect"
	"testing"
)

// sentInputs is what the engine sends on an update: the new inputs, the ignored paths at their old
// values; the inputs given are not changed.
func TestSentInputs(t *testing.T) {
	old := map[string]any{"scalingConfig": map[string]any{"minSize": 1.0, "desiredSize": 3.0, "maxSize": 4.0}, "ami": "ami-old", "tags": map[string]any{"a": "1"}}
	cases := []struct {
		name   string
		new    map[string]any
		ignore []string
		want   map[string]any
	}{
		{"a nested path keeps its old value",
			map[string]any{"scalingConfig": map[string]any{"minSize": 2.0, "desiredSize": 2.0, "maxSize": 4.0}},
			[]string{"scalingConfig.desiredSize"},
			map[string]any{"scalingConfig": map[string]any{"minSize": 2.0, "desiredSize": 3.0, "maxSize": 4.0}}},
		{"a top-level path keeps its old value",
			map[string]any{"ami": "ami-new", "instanceType": "t4g.small"},
			[]string{"ami"},
			map[string]any{"ami": "ami-old", "instanceType": "t4g.small"}},
		{"a path the old inputs lack stays out",
			map[string]any{"userData": "new"},
			[]string{"userData"},
			map[string]any{}},
		{"a path through a wildcard stays out, as the diff leaves it",
			map[string]any{"tags": map[string]any{"a": "2"}},
			[]string{"tags.*"},
			map[string]any{"tags": map[string]any{}}},
		{"nothing ignored", map[string]any{"ami": "ami-new"}, nil, map[string]any{"ami": "ami-new"}},
	}
	for _, c := range cases {
		before := deepCopy(c.new)
		got := sentInputs(old, c.new, c.ignore)
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s: sentInputs = %v, want %v", c.name, got, c.want)
		}
		if !reflect.DeepEqual(c.new, before) {
			t.Errorf("%s: the new inputs were changed: %v", c.name, c.new)
		}
	}
}

func deepCopy(m map[string]any) map[string]any {
	out := map[string]any{}
	for k, v := range m {
		if sub, ok := v.(map[string]any); ok {
			out[k] = deepCopy(sub)
		} else {
			out[k] = v
		}
	}
	return out
}
