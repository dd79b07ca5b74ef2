package synth

// sentInputs are the inputs the engine sends the provider on an update: the new inputs, except at
// the paths of the resource's ignoreChanges option, which keep their old values (Pulumi's
// ignoreChanges: "the old value of the property is used"). Paths of object keys only are carried
// over ("scalingConfig.desiredSize"); a path through a list or "*" is left out, as withoutPaths
// leaves it.
func sentInputs(old, new map[string]any, ignore []string) map[string]any {
	sent := withoutPaths(new, ignore)
	for _, s := range ignore {
		p := parsePath(s)
		if !keysOnly(p) {
			continue
		}
		if v, ok := valueAt(old, p); ok {
			sent = withValue(sent, p, v)
		}
	}
	return sent
}

// keysOnly reports whether a path steps through object keys only, none of them "*".
func keysOnly(p path) bool {
	if len(p) == 0 {
		return false
	}
	for _, st := range p {
		if st.list || st.key == "*" {
			return false
		}
	}
	return true
}

// valueAt is the value at a path of object keys, and whether it is there.
func valueAt(obj map[string]any, p path) (any, bool) {
	var v any = obj
	for _, st := range p {
		m, ok := v.(map[string]any)
		if !ok {
			return nil, false
		}
		if v, ok = m[st.key]; !ok {
			return nil, false
		}
	}
	return v, true
}

// withValue returns a copy of obj with v at a path of object keys, copying the objects on the way
// (obj itself is not changed) and making those missing.
func withValue(obj map[string]any, p path, v any) map[string]any {
	out := make(map[string]any, len(obj)+1)
	for k, e := range obj {
		out[k] = e
	}
	if len(p) == 1 {
		out[p[0].key] = v
		return out
	}
	child, _ := obj[p[0].key].(map[string]any)
	out[p[0].key] = withValue(child, p[1:], v)
	return out
}
