package synth

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"regexp"
	"sort"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// A plan never holds a secret's text: inputs show SecretPlaceholder. So that a changed secret still
// shows in a diff (a connection secret whose host moves, a rotated token), a plan keeps beside each
// known secret input a keyed hash of its value (Resource.SecretHashes), and Diff compares those.
//
// The key is HMAC-SHA256(team key, "tierstack plan secrets" ‖ project ‖ stack). Two plans of the same
// stack made with the same team key therefore hash a secret alike and compare; plans of other stacks
// do not (the CLI already refuses --from across stacks). The team key is Options.SecretHashKey (the
// CLI reads it from TIERSTACK_PLAN_KEY); without it the key rests on the project and stack names only.
//
// What it protects against: a plan file lets no one read a secret, and the hashes cannot be looked
// up in a table computed once for every plan (they are keyed per stack, and the same secret in two
// stacks hashes differently). With a team key kept secret, a plan file alone does not even let anyone
// test guesses of a secret. What it does not protect against: without a team key, anyone holding a
// plan file knows its project and stack, so a short or guessable secret (a word, a PIN) can be found
// by trying candidates offline; generated secrets (tierstack's are 32 to 64 random letters and
// digits) are out of reach. And a hash tells, by design, whether a secret changed between two plans
// and whether two secrets of one stack are equal.

// SecretHashPrefix starts every value of Resource.SecretHashes: the algorithm, then the first 128
// bits of the HMAC in hex.
const SecretHashPrefix = "hmac-sha256:"

// secretKey derives the HMAC key of a stack's plans from the team key (may be empty).
func secretKey(project, stack, teamKey string) []byte {
	m := hmac.New(sha256.New, []byte(teamKey))
	fmt.Fprintf(m, "tierstack plan secrets\x00%s\x00%s", project, stack)
	return m.Sum(nil)
}

// secretKeyID names a key without revealing it, so that a diff knows whether two plans' hashes can
// be compared: the first 64 bits of the HMAC of a fixed text.
func secretKeyID(key []byte) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte("tierstack plan secret key id"))
	return hex.EncodeToString(m.Sum(nil))[:16]
}

// secretHashes returns, by input path ("secretString", "origins[0].customHeaders[0].value"), the
// keyed hash of every secret input whose value is known. A secret that holds an unknown (a preview)
// has none.
func secretHashes(key []byte, inputs resource.PropertyMap) map[string]string {
	out := map[string]string{}
	for _, k := range sortedPropertyKeys(inputs) {
		collectSecretHashes(key, string(k), inputs[k], out)
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// collectSecretHashes walks one value, adding the hash of each secret it finds at its path.
func collectSecretHashes(key []byte, path string, v resource.PropertyValue, out map[string]string) {
	switch {
	case v.IsSecret():
		if h, ok := hashSecret(key, v.SecretValue().Element); ok {
			out[path] = h
		}
	case v.IsOutput():
		o := v.OutputValue()
		switch {
		case !o.Known:
		case o.Secret:
			if h, ok := hashSecret(key, o.Element); ok {
				out[path] = h
			}
		default:
			collectSecretHashes(key, path, o.Element, out)
		}
	case v.IsArray():
		for i, e := range v.ArrayValue() {
			collectSecretHashes(key, fmt.Sprintf("%s[%d]", path, i), e, out)
		}
	case v.IsObject():
		obj := v.ObjectValue()
		for _, k := range sortedPropertyKeys(obj) {
			collectSecretHashes(key, childPath(path, string(k)), obj[k], out)
		}
	}
}

// childPath is the path of an object's key k under path: dotted when k is a plain name, quoted in
// brackets otherwise (a tag key such as "kubernetes.io/role"), as parsePath reads it.
func childPath(path, k string) string {
	if plainKey.MatchString(k) {
		return path + "." + k
	}
	return path + `["` + k + `"]`
}

// plainKey is an object key a dotted path can hold.
var plainKey = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// hashSecret hashes a secret's value, as canonical JSON; false when part of it is unknown.
func hashSecret(key []byte, v resource.PropertyValue) (string, bool) {
	plain, known := revealValue(v)
	if !known {
		return "", false
	}
	b, err := json.Marshal(plain) // map keys are sorted: the same value always marshals alike
	if err != nil {
		return "", false
	}
	m := hmac.New(sha256.New, key)
	m.Write(b)
	return SecretHashPrefix + hex.EncodeToString(m.Sum(nil))[:32], true
}

// revealValue is plainValue with secrets opened (to be hashed, never stored); false when part of the
// value is unknown.
func revealValue(v resource.PropertyValue) (any, bool) {
	switch {
	case v.IsSecret():
		return revealValue(v.SecretValue().Element)
	case v.IsComputed():
		return nil, false
	case v.IsOutput():
		o := v.OutputValue()
		if !o.Known {
			return nil, false
		}
		return revealValue(o.Element)
	case v.IsArray():
		arr := v.ArrayValue()
		out := make([]any, len(arr))
		for i, e := range arr {
			x, ok := revealValue(e)
			if !ok {
				return nil, false
			}
			out[i] = x
		}
		return out, true
	case v.IsObject():
		obj := v.ObjectValue()
		out := make(map[string]any, len(obj))
		for k, e := range obj {
			x, ok := revealValue(e)
			if !ok {
				return nil, false
			}
			out[string(k)] = x
		}
		return out, true
	default:
		return plainValue(v), true
	}
}

// sortedPropertyKeys returns a property map's keys in order.
func sortedPropertyKeys(m resource.PropertyMap) []resource.PropertyKey {
	keys := make([]resource.PropertyKey, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return keys[i] < keys[j] })
	return keys
}

// withSecretHashes returns inputs with the secret placeholder at each hashed path read as the
// placeholder followed by its hash, so that comparing two resources' inputs sees a changed secret.
// The inputs are copied where they change; the original is left as it was.
func withSecretHashes(inputs map[string]any, hashes map[string]string) map[string]any {
	if len(hashes) == 0 {
		return inputs
	}
	var out any = inputs
	paths := make([]string, 0, len(hashes))
	for p := range hashes {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	for _, p := range paths {
		out = replaceAt(out, parsePath(p), SecretPlaceholder, SecretPlaceholder+" "+hashes[p])
	}
	m, _ := out.(map[string]any)
	return m
}

// replaceAt returns v with the value at path p replaced by to when it equals from, copying the
// maps and lists on the way.
func replaceAt(v any, p path, from, to string) any {
	if len(p) == 0 {
		if s, ok := v.(string); ok && s == from {
			return to
		}
		return v
	}
	st := p[0]
	switch x := v.(type) {
	case map[string]any:
		if st.list {
			return v
		}
		e, ok := x[st.key]
		if !ok {
			return v
		}
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = e
		}
		out[st.key] = replaceAt(e, p[1:], from, to)
		return out
	case []any:
		if !st.list || st.index < 0 || st.index >= len(x) {
			return v
		}
		out := append([]any{}, x...)
		out[st.index] = replaceAt(x[st.index], p[1:], from, to)
		return out
	default:
		return v
	}
}
