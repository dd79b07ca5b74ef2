package tests

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/diag"
	"github.com/pulumi/pulumi/sdk/v3/go/common/diag/colors"
	"github.com/pulumi/pulumi/sdk/v3/go/common/workspace"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tierstack/tierstack/cli"
	"github.com/tierstack/tierstack/tiers"
)

// root is the repository root, one level above this package.
const root = ".."

// Pulumi.yaml passes Pulumi's own project schema and declares exactly the settings the program
// reads, with the same types and defaults.
func TestPulumiYamlDeclaresEverySetting(t *testing.T) {
	project, err := workspace.LoadProject(filepath.Join(root, "Pulumi.yaml"))
	require.NoError(t, err, "Pulumi.yaml must pass Pulumi's schema")
	assert.Equal(t, "tierstack", string(project.Name))
	assert.Equal(t, "go", project.Runtime.Name())

	var declared []string
	for k := range project.Config {
		declared = append(declared, k)
	}
	var read []string
	for _, k := range tiers.ConfigKeys() {
		read = append(read, k.Name)
		decl, ok := project.Config[k.Name]
		if !assert.True(t, ok, "Pulumi.yaml does not declare %s", k.Name) {
			continue
		}
		require.NotNil(t, decl.Type, "%s has no type", k.Name)
		assert.Equal(t, k.Type, *decl.Type, "type of %s", k.Name)
		assert.Equal(t, k.Description, decl.Description, "description of %s", k.Name)
		assert.Equal(t, k.Default, configText(t, decl.Default), "default of %s", k.Name)
	}
	sort.Strings(declared)
	sort.Strings(read)
	assert.Equal(t, read, declared, "Pulumi.yaml declares settings the program does not read")
}

// The declared defaults, passed to the program as Pulumi passes them, build the 100 tier.
func TestDeclaredDefaultsBuildTheSmallestTier(t *testing.T) {
	project, err := workspace.LoadProject(filepath.Join(root, "Pulumi.yaml"))
	require.NoError(t, err)
	cfg := map[string]string{"aws:region": "us-east-1"}
	for k, decl := range project.Config {
		cfg["tierstack:"+k] = configText(t, decl.Default)
	}
	s := planTier(t, cfg)
	assert.Equal(t, "100", s.Outputs["tier"])
}

// configText renders a declared default the way config reaches the program: objects as JSON.
func configText(t *testing.T, v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case map[string]any, []any:
		b, err := json.Marshal(x)
		require.NoError(t, err)
		return string(b)
	default:
		return fmt.Sprint(x)
	}
}

// The stack files load as Pulumi loads them, every tierstack value has the type Pulumi.yaml
// declares, and each file plans cleanly.
func TestStackFilesAreValidAndPlan(t *testing.T) {
	project, err := workspace.LoadProject(filepath.Join(root, "Pulumi.yaml"))
	require.NoError(t, err)
	sink := diag.DefaultSink(io.Discard, io.Discard, diag.FormatOptions{Color: colors.Never})
	for _, c := range []struct{ file, stack, tier, region string }{
		{"Pulumi.dev.yaml", "dev", "100", "eu-west-1"},
		{"Pulumi.prod.yaml", "prod", "1m", "us-east-1"},
	} {
		t.Run(c.file, func(t *testing.T) {
			path := filepath.Join(root, c.file)
			ps, err := workspace.LoadProjectStack(sink, project, path)
			require.NoError(t, err, "Pulumi cannot load %s", c.file)
			for key, value := range ps.Config {
				if key.Namespace() != tiers.Namespace {
					continue
				}
				decl, ok := project.Config[key.Name()]
				require.True(t, ok, "%s sets %s, which Pulumi.yaml does not declare", c.file, key)
				v, err := value.ToObject()
				require.NoError(t, err)
				assert.Equal(t, *decl.Type, pulumiType(v), "%s: type of %s", c.file, key)
			}

			sf, err := cli.ReadStackFile(path, tiers.Namespace)
			require.NoError(t, err)
			assert.Equal(t, c.stack, sf.Stack)
			settings, err := tiers.ParseSettings(sf.Config)
			require.NoError(t, err)
			assert.Equal(t, tiers.Tier(c.tier), settings.Tier)
			assert.Equal(t, c.region, settings.Region)

			s, err := runProgram(t, "", sf.Config, tiers.Program)
			require.NoError(t, err)
			assert.Equal(t, c.tier, s.Outputs["tier"])
		})
	}
}

// pulumiType names a decoded config value's type as Pulumi.yaml does.
func pulumiType(v any) string {
	switch v.(type) {
	case string:
		return "string"
	case bool:
		return "boolean"
	case int, int64, float64:
		return "integer"
	case []any:
		return "array"
	case map[string]any:
		return "object"
	default:
		return fmt.Sprintf("%T", v)
	}
}

func TestProdStackHasWhatTheIssueAsks(t *testing.T) {
	sf, err := cli.ReadStackFile(filepath.Join(root, "Pulumi.prod.yaml"), tiers.Namespace)
	require.NoError(t, err)
	s, err := tiers.ParseSettings(sf.Config)
	require.NoError(t, err)
	assert.Equal(t, tiers.Tier1M, s.Tier)
	assert.NotEmpty(t, s.DRRegion)
	assert.NotEqual(t, s.Region, s.DRRegion)
	assert.NotEmpty(t, s.Domain)
	assert.NotEmpty(t, s.AlarmEmail)
}

func TestReadStackFileKeepsSecretsOut(t *testing.T) {
	path := filepath.Join(t.TempDir(), "Pulumi.staging.yaml")
	require.NoError(t, os.WriteFile(path, []byte(`config:
  tier: 10k
  tierstack:alarmEmail: ops@example.com
  tierstack:slackWebhook:
    secure: AAABAKz7fakeciphertext==
  tierstack:network:
    azCount: 2
    bastionAllowedCidrs: [203.0.113.0/24]
`), 0o600))
	sf, err := cli.ReadStackFile(path, tiers.Namespace)
	require.NoError(t, err)
	assert.Equal(t, "staging", sf.Stack)
	assert.Equal(t, "10k", sf.Config["tierstack:tier"], "keys without a namespace belong to the project")
	assert.Equal(t, []string{"tierstack:slackWebhook"}, sf.SecretKeys)
	assert.NotContains(t, sf.Config["tierstack:slackWebhook"], "AAAB", "ciphertext is not passed on")
	var network map[string]any
	require.NoError(t, json.Unmarshal([]byte(sf.Config["tierstack:network"]), &network), "objects reach the program as JSON")
	assert.Equal(t, float64(2), network["azCount"])
}

// The configuration reference (docs/configuration.md) documents every setting, the README links to
// it and leads with the two commands a user runs, and stays a front page.
func TestReadmeDocumentsEverySetting(t *testing.T) {
	ref, err := os.ReadFile(filepath.Join(root, "docs", "configuration.md"))
	require.NoError(t, err)
	for _, k := range tiers.ConfigKeys() {
		assert.Contains(t, string(ref), "`tierstack:"+k.Name+"`", "the configuration reference lacks %s", k.Name)
	}
	raw, err := os.ReadFile(filepath.Join(root, "README.md"))
	require.NoError(t, err)
	readme := string(raw)
	assert.Contains(t, readme, "(docs/configuration.md)", "the README links the configuration reference")
	assert.Less(t, strings.Count(readme, "\n"), 400, "the README is a front page; the reference lives in docs/")
	plan := strings.Index(readme, "go run . plan --tier 10k")
	test := strings.Index(readme, "go test ./...")
	require.GreaterOrEqual(t, plan, 0)
	require.GreaterOrEqual(t, test, 0)
	assert.Less(t, plan, 1500, "the plan command comes first")
}
