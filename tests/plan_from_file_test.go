package tests

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tierstack/tierstack/cli"
	"github.com/tierstack/tierstack/synth"
)

// writeStackFile writes a stack settings file named Pulumi.<stack>.yaml in dir and returns its path.
func writeStackFile(t *testing.T, dir, stack, body string) string {
	t.Helper()
	path := filepath.Join(dir, "Pulumi."+stack+".yaml")
	require.NoError(t, os.WriteFile(path, []byte(body), 0o600))
	return path
}

// savePlan runs `plan --format json` with args and saves the output as a file in dir.
func savePlan(t *testing.T, dir string, args ...string) string {
	t.Helper()
	code, out, stderr := runPlan(append(args, "--format", "json")...)
	require.Equal(t, cli.ExitOK, code, stderr)
	path := filepath.Join(dir, "last-plan.json")
	require.NoError(t, os.WriteFile(path, []byte(out), 0o600))
	return path
}

const stagingStack = `config:
  aws:region: us-east-1
  tierstack:tier: 10k
  tierstack:network:
    cidr: %s
    availabilityZones: [us-east-1a, us-east-1b, us-east-1c]
`

// Yesterday's plan JSON against today's config: a change that replaces the VPC fails the check with
// exit code 3, and the same config passes it.
func TestPlanFromAPlanFileGatesOnStatefulLosses(t *testing.T) {
	dir := t.TempDir()
	stackFile := writeStackFile(t, dir, "staging", sprintf(stagingStack, "10.30.0.0/16"))
	last := savePlan(t, dir, "--config", stackFile)

	code, out, stderr := runPlan("--config", stackFile, "--from", last)
	assert.Equal(t, cli.ExitOK, code, stderr)
	assert.Contains(t, out, "0 to create, 0 to update in place, 0 to replace, 0 to delete")
	assert.Contains(t, out, "No stateful resource is replaced or deleted.")

	writeStackFile(t, dir, "staging", sprintf(stagingStack, "10.31.0.0/16"))
	code, out, stderr = runPlan("--config", stackFile, "--from", last)
	assert.Equal(t, cli.ExitUnsafe, code, stderr)
	assert.Contains(t, out, "+- replace  ec2.Vpc")
	assert.Regexp(t, `-\+ replace\s+ec2\.Subnet\s+network-data-0\s+replaced by a change to cidrBlock, vpcId; deleted before its replacement is created`, out)
	assert.Contains(t, out, "UNSAFE: 10 resources would lose state or stop pulumi up:")

	code, out, stderr = runPlan("--config", stackFile, "--from", last, "--format", "json")
	assert.Equal(t, cli.ExitUnsafe, code, stderr)
	var doc struct {
		Changes []synth.Change `json:"changes"`
		Unsafe  []synth.Change `json:"unsafe"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &doc))
	assert.Len(t, doc.Unsafe, 10)
	for _, c := range doc.Unsafe {
		assert.True(t, c.Stateful && c.Unsafe, "%s", c.URN)
	}
	assert.Greater(t, len(doc.Changes), len(doc.Unsafe), "the cascade replaces more than the stateful resources")
}

func TestPlanFromAPlanFileRefusesWhatCannotCompare(t *testing.T) {
	dir := t.TempDir()
	stackFile := writeStackFile(t, dir, "staging", sprintf(stagingStack, "10.30.0.0/16"))
	last := savePlan(t, dir, "--config", stackFile)

	// A plan of another stack: no URN would match.
	code, _, stderr := runPlan("--tier", "10k", "--from", last)
	assert.Equal(t, cli.ExitUsage, code)
	assert.Contains(t, stderr, "is a plan of stack tierstack/staging, this one of tierstack/plan")

	// A preview plan: its IDs are unknown.
	code, out, stderr := runPlan("--config", stackFile, "--preview", "--format", "json")
	require.Equal(t, cli.ExitOK, code, stderr)
	preview := filepath.Join(dir, "preview.json")
	require.NoError(t, os.WriteFile(preview, []byte(out), 0o600))
	code, _, stderr = runPlan("--config", stackFile, "--from", preview)
	assert.Equal(t, cli.ExitUsage, code)
	assert.Contains(t, stderr, "was made with --preview")

	// Not a plan, and no such file.
	junk := filepath.Join(dir, "junk.json")
	require.NoError(t, os.WriteFile(junk, []byte(`{"hello": 1}`), 0o600))
	code, _, stderr = runPlan("--config", stackFile, "--from", junk)
	assert.Equal(t, cli.ExitUsage, code)
	assert.Contains(t, stderr, "is not a `plan --format json` document")
	code, _, stderr = runPlan("--config", stackFile, "--from", filepath.Join(dir, "missing.json"))
	assert.Equal(t, cli.ExitUsage, code)
	assert.Contains(t, stderr, "reading plan")

	code, _, stderr = runPlan("--tier", "10k", "--from", "100", "--preview")
	assert.Equal(t, cli.ExitUsage, code)
	assert.Contains(t, stderr, "--from or --preview, not both")
}

// sprintf is fmt.Sprintf, short for stack file templates.
func sprintf(format string, args ...any) string { return fmt.Sprintf(format, args...) }
