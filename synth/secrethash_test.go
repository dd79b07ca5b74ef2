package synth

import (
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// Each secret input, however deep, gets a hash at a path parsePath reads back (keys that a dotted
// path cannot hold are quoted), and withSecretHashes puts the hash beside the placeholder there
// without touching the inputs it was given.
func TestSecretHashPaths(t *testing.T) {
	key := secretKey("p", "s", "")
	secret := func(s string) resource.PropertyValue { return resource.MakeSecret(resource.NewProperty(s)) }
	inputs := resource.PropertyMap{
		"plain": resource.NewProperty("x"),
		"tags":  resource.NewProperty(resource.PropertyMap{"kubernetes.io/role": secret("a")}),
		"list":  resource.NewProperty([]resource.PropertyValue{resource.NewProperty("y"), secret("b")}),
		"later": resource.MakeSecret(resource.MakeComputed(resource.NewProperty(""))),
	}
	hashes := secretHashes(key, inputs)
	want := []string{`tags["kubernetes.io/role"]`, "list[1]"}
	if len(hashes) != len(want) {
		t.Fatalf("got %v, want paths %v (an unknown secret has none)", hashes, want)
	}
	plain := plainMap(inputs)
	seen := withSecretHashes(plain, hashes)
	for _, p := range want {
		got := valuesAt(seen, parsePath(p))
		if len(got) != 1 || got[0] != SecretPlaceholder+" "+hashes[p] {
			t.Errorf("%s: got %v, want the placeholder and %s", p, got, hashes[p])
		}
		if orig := valuesAt(plain, parsePath(p)); len(orig) != 1 || orig[0] != SecretPlaceholder {
			t.Errorf("%s: the original inputs changed: %v", p, orig)
		}
	}
	if a, b := hashes["list[1]"], secretHashes(secretKey("p", "other", ""), inputs)["list[1]"]; a == b {
		t.Errorf("another stack's key hashes alike: %s", a)
	}
}
