package tests

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// outsideModule is a program in a module of its own that uses the components as an adopting team
// would, with a replace directive to this module: .ci/run runs its tests.
var outsideModule = filepath.Join(root, "examples", "outside")

// The outside module compiles, its tests included, against the components as they are: a type it
// needs that is internal, or a changed exported API, fails here. (go vet type-checks without
// linking; the dependencies come from the build cache this module's own build fills.)
func TestOutsideModuleCompiles(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go vet in examples/outside")
	}
	mod, err := os.ReadFile(filepath.Join(outsideModule, "go.mod"))
	require.NoError(t, err)
	assert.Contains(t, string(mod), "replace github.com/tierstack/tierstack => ../..", "it builds against this checkout")
	cmd := exec.Command("go", "vet", "./...")
	cmd.Dir = outsideModule
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "go vet in examples/outside (after an API or dependency change, run go mod tidy there):\n%s", out)
	// On a cold module cache the go command first says what it downloads (the outside module's
	// graph names a few go.mod files the main module's does not); vet's findings are the rest.
	var findings []string
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		if line != "" && !strings.HasPrefix(line, "go: downloading ") {
			findings = append(findings, line)
		}
	}
	assert.Empty(t, findings, "go vet in examples/outside")
}
