package synth

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"sort"
)

// replacementIdentity is what a resource's physical identity rests on: its URN, its provider, and the
// values of the inputs whose change replaces it (by the rules and by its replaceOnChanges option),
// less what its ignoreChanges option hides from the engine. The fake ID is derived from it, so a
// change that replaces a resource gives it a new ID, and every resource that references the ID sees
// its own input change, as in a real update: replacements cascade.
func replacementIdentity(urn, provider string, inputs map[string]any, tr TypeRules, replaceOnChanges, ignore []string) string {
	visible := withoutPaths(inputs, ignore)
	parts := map[string]any{"urn": urn, "provider": provider}
	for _, k := range tr.ForceNew {
		if v, ok := visible[k]; ok {
			parts["in:"+k] = v
		}
	}
	for _, p := range tr.ForceNewNested {
		parts["nested:"+p] = valuesAt(visible, parsePath(p))
	}
	for _, p := range replaceOnChanges {
		if p == "*" {
			parts["all"] = visible
			continue
		}
		parts["roc:"+p] = valuesAt(visible, parsePath(p))
	}
	keys := make([]string, 0, len(parts))
	for k := range parts {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	h := sha256.New()
	for _, k := range keys {
		b, _ := json.Marshal(parts[k]) // plain JSON values always marshal
		h.Write([]byte(k))
		h.Write(b)
	}
	return hex.EncodeToString(h.Sum(nil))
}
