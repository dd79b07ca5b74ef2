package synth

import (
	"sort"
	"strconv"
	"strings"
)

// A path names values inside a resource's inputs, in the forms the replacement rules and Pulumi's
// ignoreChanges and replaceOnChanges options use: "tags.Name", "rootBlockDevice.encrypted",
// "ingress[0].fromPort", "ingress[*].cidrBlocks", "ingress[].cidrBlocks", `tags["kubernetes.io/role"]`.
// A "*" step ("tags.*", "tags[*]") names every key of an object or element of a list, as in Pulumi;
// "*" alone names every input.
type path []step

// step is one step of a path: a key of an object, an index into a list, or every element of a list.
type step struct {
	key   string
	index int // -1 for every element
	list  bool
}

// parsePath reads a path. It is lenient: anything it cannot read as an index is a key.
func parsePath(s string) path {
	var p path
	for len(s) > 0 {
		switch {
		case s[0] == '.':
			s = s[1:]
		case s[0] == '[':
			end := strings.IndexByte(s, ']')
			if end < 0 {
				return append(p, step{key: s})
			}
			inner := s[1:end]
			s = s[end+1:]
			switch {
			case inner == "":
				p = append(p, step{list: true, index: -1})
			case inner == "*":
				p = append(p, step{key: "*"})
			case len(inner) >= 2 && inner[0] == '"' && inner[len(inner)-1] == '"':
				p = append(p, step{key: inner[1 : len(inner)-1]})
			default:
				if i, err := strconv.Atoi(inner); err == nil {
					p = append(p, step{list: true, index: i})
				} else {
					p = append(p, step{key: inner})
				}
			}
		default:
			end := strings.IndexAny(s, ".[")
			if end < 0 {
				end = len(s)
			}
			p = append(p, step{key: s[:end]})
			s = s[end:]
		}
	}
	return p
}

// head is the top-level input a path starts at; "" for an empty path.
func (p path) head() string {
	if len(p) == 0 || p[0].list {
		return ""
	}
	return p[0].key
}

// valuesAt collects the values the path names inside v.
func valuesAt(v any, p path) []any {
	if len(p) == 0 {
		return []any{v}
	}
	st := p[0]
	if st.list {
		list, _ := v.([]any)
		if st.index >= 0 {
			if st.index < len(list) {
				return valuesAt(list[st.index], p[1:])
			}
			return nil
		}
		var out []any
		for _, e := range list {
			out = append(out, valuesAt(e, p[1:])...)
		}
		return out
	}
	if list, ok := v.([]any); ok && st.key == "*" {
		var out []any
		for _, e := range list {
			out = append(out, valuesAt(e, p[1:])...)
		}
		return out
	}
	obj, _ := v.(map[string]any)
	if obj == nil {
		return nil
	}
	if st.key == "*" {
		var out []any
		for _, k := range sortedKeys(obj) {
			out = append(out, valuesAt(obj[k], p[1:])...)
		}
		return out
	}
	child, ok := obj[st.key]
	if !ok {
		return nil
	}
	return valuesAt(child, p[1:])
}

// without returns a copy of v with what the path names removed; v itself is not changed.
func without(v any, p path) any {
	if len(p) == 0 {
		return nil
	}
	st := p[0]
	if st.list {
		list, ok := v.([]any)
		if !ok {
			return v
		}
		out := make([]any, len(list))
		for i, e := range list {
			if st.index < 0 || st.index == i {
				out[i] = without(e, p[1:])
			} else {
				out[i] = e
			}
		}
		return out
	}
	if list, ok := v.([]any); ok && st.key == "*" {
		out := make([]any, len(list))
		for i, e := range list {
			if len(p) > 1 {
				out[i] = without(e, p[1:])
			}
		}
		return out
	}
	obj, ok := v.(map[string]any)
	if !ok {
		return v
	}
	out := make(map[string]any, len(obj))
	for k, e := range obj {
		out[k] = e
	}
	if st.key == "*" {
		for k, e := range obj {
			if len(p) == 1 {
				delete(out, k)
			} else {
				out[k] = without(e, p[1:])
			}
		}
		return out
	}
	if len(p) == 1 {
		delete(out, st.key)
	} else if child, ok := obj[st.key]; ok {
		out[st.key] = without(child, p[1:])
	}
	return out
}

// withoutPaths returns inputs with every path in ignore removed.
func withoutPaths(inputs map[string]any, ignore []string) map[string]any {
	var v any = inputs
	for _, s := range ignore {
		if s == "*" {
			return map[string]any{}
		}
		v = without(v, parsePath(s))
	}
	out, _ := v.(map[string]any)
	return out
}

// sortedKeys returns an object's keys in order.
func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
