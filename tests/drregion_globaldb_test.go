package tests

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tierstack/tierstack/cli"
	"github.com/tierstack/tierstack/components/datatier"
	"github.com/tierstack/tierstack/synth"
	"github.com/tierstack/tierstack/tiers"
)

// changeOf returns the change of the named resource of a type in a diff, and whether there is one.
func changeOf(changes []synth.Change, typ, name string) (synth.Change, bool) {
	for _, c := range changes {
		if c.Type == typ && c.Name == name {
			return c, true
		}
	}
	return synth.Change{}, false
}

// With a DR region keeping live data the stack's database endpoint is the global writer endpoint,
// the app (here the EKS deployment) is told it, and the secrets are replicated to the DR region with
// a key of that region; without one, the cluster's own endpoint.
func TestGlobalDatabaseAppFollowsTheGlobalWriter(t *testing.T) {
	s := planTier(t, pilotConfig())
	global := s.Named(typeGlobalCluster, "data-global")
	assert.Equal(t, global.Outputs["endpoint"], s.Outputs["databaseEndpoint"], "the app's host follows the writer across regions")
	for _, name := range []string{"data-credentials", "data-app-credentials"} {
		secret := s.Named("aws:secretsmanager/secret:Secret", name)
		assert.Equal(t, "us-west-2", str(secret, "replicas.0.region"), name)
		assert.Contains(t, str(secret, "replicas.0.kmsKeyId"), ":us-west-2:", name)
	}
	plain := planTier(t, drConfig())
	assert.Equal(t, plain.Named(typeCluster, "data-cluster").Outputs["endpoint"], plain.Outputs["databaseEndpoint"])
	assert.Nil(t, input(plain.Named("aws:secretsmanager/secret:Secret", "data-app-credentials"), "replicas"), "no replica without a global database")
}

// The primary of a global database runs at least datatier.GlobalPrimaryMinACU, unless tierstack:data
// minAcu says otherwise; the secondary's range is the primary's.
func TestGlobalPrimaryCapacity(t *testing.T) {
	s := planTier(t, pilotConfig())
	assert.Equal(t, float64(datatier.GlobalPrimaryMinACU), input(s.Named(typeCluster, "data-cluster"), "serverlessv2ScalingConfiguration.minCapacity"))
	assert.Equal(t, float64(datatier.GlobalPrimaryMinACU), input(s.Named(typeCluster, "dr-db-shard-0"), "serverlessv2ScalingConfiguration.minCapacity"))
	assert.Equal(t, 4.0, input(planTier(t, drConfig()).Named(typeCluster, "data-cluster"), "serverlessv2ScalingConfiguration.minCapacity"), "no global database: the tier's")
	cfg := pilotConfig()
	cfg["tierstack:data"] = `{"minAcu":4}`
	assert.Equal(t, 4.0, input(planTier(t, cfg).Named(typeCluster, "data-cluster"), "serverlessv2ScalingConfiguration.minCapacity"), "minAcu set in config wins")
}

// An engine upgrade of a global database: a major version is refused (plan --from exits 3) with
// the procedure's place; a minor version tells that it goes through the global cluster, which
// tierstack:dr globalEngineVersion gives it (an in-place update). Without a global database a major
// version stays an in-place upgrade.
func TestGlobalEngineUpgradeIsFlagged(t *testing.T) {
	rules := mustRules(t)
	before := planTier(t, pilotConfig())
	upgraded := func(base map[string]string, data string) stack {
		cfg := map[string]string{}
		for k, v := range base {
			cfg[k] = v
		}
		cfg["tierstack:data"] = data
		return planTier(t, cfg)
	}

	major := synth.Diff(before.Plan, upgraded(pilotConfig(), `{"engineVersion":"8.4.5"}`).Plan, rules)
	c, ok := changeOf(major, typeCluster, "data-cluster")
	require.True(t, ok)
	require.NotEmpty(t, c.Refused)
	assert.Contains(t, c.Refused[0], "major upgrade of a global database")
	assert.Contains(t, c.Refused[0], "Upgrading the engine of a global database")
	assert.True(t, c.Unsafe)

	minor := synth.Diff(before.Plan, upgraded(pilotConfig(), `{"engineVersion":"8.0.mysql_aurora.3.09.0"}`).Plan, rules)
	c, ok = changeOf(minor, typeCluster, "data-cluster")
	require.True(t, ok)
	assert.Empty(t, c.Refused)
	require.NotEmpty(t, c.AfterUpdate)
	assert.Contains(t, strings.Join(c.AfterUpdate, " "), "goes through the global cluster")
	withGlobal := pilotConfig()
	withGlobal["tierstack:dr"] = `{"strategy":"pilotLight","availabilityZones":["us-west-2a","us-west-2b","us-west-2c"],"globalEngineVersion":"8.0.mysql_aurora.3.09.0"}`
	through := synth.Diff(before.Plan, upgraded(withGlobal, `{"engineVersion":"8.0.mysql_aurora.3.09.0"}`).Plan, rules)
	g, ok := changeOf(through, typeGlobalCluster, "data-global")
	require.True(t, ok)
	assert.Equal(t, synth.Update, g.Action)
	assert.Equal(t, []string{"engineVersion"}, g.Keys)
	assert.Empty(t, synth.Unsafe(through), "a minor upgrade through the global cluster is safe")

	plainMajor := synth.Diff(planTier(t, drConfig()).Plan, upgraded(drConfig(), `{"engineVersion":"8.4.5"}`).Plan, rules)
	c, ok = changeOf(plainMajor, typeCluster, "data-cluster")
	require.True(t, ok)
	assert.Contains(t, c.Keys, "engineVersion")
	assert.Empty(t, c.Refused, "a cluster of its own upgrades its major version in place")

	// And the CLI exits 3 on it.
	dir := t.TempDir()
	write := func(sub, data string) string {
		require.NoError(t, os.Mkdir(filepath.Join(dir, sub), 0o700))
		p := filepath.Join(dir, sub, "Pulumi.prod.yaml")
		body := strings.Join([]string{"config:", "  aws:region: us-east-1", "  tierstack:tier: 1m", "  tierstack:drRegion: us-west-2",
			"  tierstack:network:", "    availabilityZones: [us-east-1a, us-east-1b, us-east-1c]",
			"  tierstack:dr:", "    strategy: pilotLight", "    availabilityZones: [us-west-2a, us-west-2b, us-west-2c]",
			"  tierstack:cache:", "    clusterMode: enabled", "  tierstack:data:", "    engineVersion: " + data, ""}, "\n")
		require.NoError(t, os.WriteFile(p, []byte(body), 0o600))
		return p
	}
	old, next := write("old", "8.0.mysql_aurora.3.08.2"), write("new", "8.4.5")
	code, out, stderr := runPlan("--config", old, "--format", "json")
	require.Equal(t, 0, code, stderr)
	planFile := old + ".json"
	require.NoError(t, os.WriteFile(planFile, []byte(out), 0o600))
	code, out, stderr = runPlan("--config", next, "--from", planFile)
	assert.Equal(t, cli.ExitUnsafe, code, stderr+out)
	assert.Contains(t, out, "major upgrade of a global database")
}

// A secret's replica is billed as a secret of its own: with a DR region keeping live data each of
// the DataTier's two secrets costs twice what it costs alone.
func TestGlobalSecretReplicasArePriced(t *testing.T) {
	usd := func(cfg map[string]string) float64 {
		for _, rc := range planCostWith(t, cfg).Resources {
			if rc.Type == "aws:secretsmanager/secret:Secret" && strings.HasSuffix(rc.URN, "::data-app-credentials") {
				return rc.MonthlyUSD
			}
		}
		t.Fatal("no data-app-credentials in the estimate")
		return 0
	}
	alone := usd(drConfig())
	assert.Greater(t, alone, 0.0)
	assert.InDelta(t, 2*alone, usd(pilotConfig()), 1e-9)
}

// Refused before anything is registered: globalEngineVersion other than the tier's engine version,
// and globalEngineVersion with a strategy that has no global database.
func TestGlobalEngineVersionRefusals(t *testing.T) {
	for _, c := range []struct {
		name string
		dr   string
		want string
	}{
		{"another version than the tier's", `{"strategy":"pilotLight","availabilityZones":["us-west-2a","us-west-2b","us-west-2c"],"globalEngineVersion":"8.0.mysql_aurora.3.09.0"}`,
			`global engineVersion "8.0.mysql_aurora.3.09.0" differs from engineVersion`},
		{"no global database", `{"strategy":"backupRestore","availabilityZones":["us-west-2a","us-west-2b","us-west-2c"],"globalEngineVersion":"8.0.mysql_aurora.3.08.2"}`,
			"globalEngineVersion \"8.0.mysql_aurora.3.08.2\" is set with strategy backupRestore"},
	} {
		t.Run(c.name, func(t *testing.T) {
			cfg := pilotConfig()
			cfg["tierstack:dr"] = c.dr
			s, err := runProgram(t, "us-east-1", cfg, tiers.Program)
			require.Error(t, err)
			assert.Contains(t, err.Error(), c.want)
			assert.Empty(t, s.Resources, "nothing is registered")
		})
	}
}
