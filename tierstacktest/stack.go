package tierstacktest

import (
	"encoding/json"
	"fmt"
	"reflect"
	"sort"
	"strconv"
	"strings"
)

// Stack is what a program registered, sorted by URN, and the warnings it logged.
type Stack struct {
	// Resources are every registration, components and providers included.
	Resources []Resource
	// Warnings are what the program logged as warnings, in order.
	Warnings []Warning
}

// Props are expected inputs by dotted path ("storageEncrypted", "metadataOptions.httpTokens",
// "ingress.0.fromPort"); a value matches when it equals the input as plain JSON (numbers compare as
// numbers, whatever their Go type; lists and maps must match whole).
type Props map[string]any

// All returns the resources of a type token, such as aws:rds/cluster:Cluster or
// tierstack:index:DataTier.
func (s *Stack) All(typ string) []Resource {
	var out []Resource
	for _, r := range s.Resources {
		if r.Type == typ {
			out = append(out, r)
		}
	}
	return out
}

// Count returns how many resources of a type were registered.
func (s *Stack) Count(typ string) int { return len(s.All(typ)) }

// Named returns the resource of a type with a logical name.
func (s *Stack) Named(typ, name string) (Resource, bool) {
	for _, r := range s.Resources {
		if r.Type == typ && r.Name == name {
			return r, true
		}
	}
	return Resource{}, false
}

// Matching returns the resources of a type whose inputs match props.
func (s *Stack) Matching(typ string, props Props) []Resource {
	var out []Resource
	for _, r := range s.All(typ) {
		if Matches(r, props) == nil {
			out = append(out, r)
		}
	}
	return out
}

// Children returns the resources whose parent is parent.
func (s *Stack) Children(parent Resource) []Resource {
	var out []Resource
	for _, r := range s.Resources {
		if r.Parent == parent.URN && parent.URN != "" {
			out = append(out, r)
		}
	}
	return out
}

// Descendants returns the resources under parent, at any depth.
func (s *Stack) Descendants(parent Resource) []Resource {
	var out []Resource
	for _, r := range s.Resources {
		if s.isUnder(r, parent.URN) {
			out = append(out, r)
		}
	}
	return out
}

// isUnder reports whether r has ancestor urn.
func (s *Stack) isUnder(r Resource, urn string) bool {
	byURN := make(map[string]Resource, len(s.Resources))
	for _, x := range s.Resources {
		byURN[x.URN] = x
	}
	for p := r.Parent; p != "" && urn != ""; p = byURN[p].Parent {
		if p == urn {
			return true
		}
	}
	return false
}

// OnProvider returns the AWS resources (type aws:…) registered with the explicit provider of that
// logical name, or with the default provider when name is "".
func (s *Stack) OnProvider(name string) []Resource {
	var out []Resource
	for _, r := range s.Resources {
		if r.Custom && strings.HasPrefix(r.Type, "aws:") && providerName(r.Provider) == name {
			out = append(out, r)
		}
	}
	return out
}

// providerName is the logical name in a provider's URN; "" for the default provider (no URN, or a
// default_… provider the engine made).
func providerName(urn string) string {
	if urn == "" {
		return ""
	}
	name := urn[strings.LastIndex(urn, "::")+2:]
	if strings.HasPrefix(name, "default_") {
		return ""
	}
	return name
}

// Input reads an input by a dotted path ("metadataOptions.httpTokens", "ingress.0.fromPort"); nil
// when it is absent. Values are plain JSON: strings, float64, bool, []any, map[string]any.
func Input(r Resource, path string) any {
	var cur any = r.Inputs
	for _, part := range strings.Split(path, ".") {
		switch c := cur.(type) {
		case map[string]any:
			cur = c[part]
		case []any:
			i, err := strconv.Atoi(part)
			if err != nil || i < 0 || i >= len(c) {
				return nil
			}
			cur = c[i]
		default:
			return nil
		}
	}
	return cur
}

// Matches returns nil when r's inputs match props, else an error naming the first input that does
// not, with what it holds.
func Matches(r Resource, props Props) error {
	paths := make([]string, 0, len(props))
	for p := range props {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	for _, p := range paths {
		want, err := plain(props[p])
		if err != nil {
			return fmt.Errorf("%s: expected value of %s: %w", r.Name, p, err)
		}
		if got := Input(r, p); !reflect.DeepEqual(got, want) {
			return fmt.Errorf("%s %s: input %s is %s, want %s", r.Type, r.Name, p, show(got), show(want))
		}
	}
	return nil
}

// plain turns a Go value into the plain JSON value it encodes to, as inputs are recorded.
func plain(v any) (any, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	var out any
	err = json.Unmarshal(b, &out)
	return out, err
}

// show prints a plain value for a message.
func show(v any) string {
	if v == nil {
		return "absent"
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}
