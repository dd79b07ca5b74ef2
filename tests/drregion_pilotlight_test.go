package tests

import (
	"encoding/json"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tierstack/tierstack/cli"
	"github.com/tierstack/tierstack/components/datatier"
	"github.com/tierstack/tierstack/components/drregion"
	"github.com/tierstack/tierstack/insights"
	"github.com/tierstack/tierstack/synth"
	"github.com/tierstack/tierstack/tiers"
)

const typeGlobalCluster = "aws:rds/globalCluster:GlobalCluster"
const typeTableReplica = "aws:dynamodb/tableReplica:TableReplica"

// pilotConfig is drConfig with the pilotLight strategy.
func pilotConfig() map[string]string {
	cfg := drConfig()
	cfg["tierstack:dr"] = `{"strategy":"pilotLight","availabilityZones":["us-west-2a","us-west-2b","us-west-2c"]}`
	return cfg
}

// pilotLight places each new resource by the region it lives in: the global cluster on the
// primary's provider (it is created from the primary cluster, in its region), the secondary
// cluster, its key, subnet group, security group and parameter group, and the table replicas with
// their key on the DR provider; the primary-region pieces are exactly the listed ones.
func TestDRPilotLightPlacesEveryResourceByRegion(t *testing.T) {
	s := planTier(t, pilotConfig())
	provider := s.Named("pulumi:providers:aws", "dr-region")
	var primary []string
	for _, r := range underDR(s) {
		if r.Custom && r.Provider != provider.URN {
			primary = append(primary, r.Name)
		}
	}
	slices.Sort(primary)
	want := drregion.PrimaryRegionChildren("dr", "shard-0")
	slices.Sort(want)
	assert.Equal(t, want, primary, "the primary-region pieces are the listed ones, the global cluster among them")
	for _, name := range []string{"dr-db-shard-0"} {
		assert.Equal(t, provider.URN, s.Named(typeCluster, name).Provider, name)
	}
	for _, typ := range []string{"aws:rds/subnetGroup:SubnetGroup", "aws:ec2/securityGroup:SecurityGroup", "aws:rds/clusterParameterGroup:ClusterParameterGroup"} {
		name := map[string]string{"aws:rds/subnetGroup:SubnetGroup": "dr-db-subnets", "aws:ec2/securityGroup:SecurityGroup": "dr-db-sg", "aws:rds/clusterParameterGroup:ClusterParameterGroup": "dr-db-params"}[typ]
		assert.Equal(t, provider.URN, s.Named(typ, name).Provider, name)
	}
	for _, key := range []string{"dr-db-key", "dr-tables-key"} {
		assert.Equal(t, provider.URN, s.Named("aws:kms/key:Key", key).Provider, key)
	}
	global := s.Named(typeGlobalCluster, "dr-global-shard-0")
	assert.NotEqual(t, provider.URN, global.Provider, "the global cluster is created in the primary cluster's region")
	replicas := s.All(typeTableReplica)
	require.Len(t, replicas, s.Count(typeTable), "a replica of every table")
	for _, r := range replicas {
		assert.Equal(t, provider.URN, r.Provider, r.Name)
	}
	assert.Equal(t, "pilotLight", s.Outputs["drStrategy"])
}

// The global cluster is built from the existing primary and never replaces it: its source is the
// primary's ARN, forceDestroy is on, and it sets none of the inputs AWS takes from the source. The
// secondary copies the engine and version, has no master credentials and no instance, takes the
// DR region's key and the global cluster's identifier, and the primary's cluster parameters.
func TestDRPilotLightBuildsAGlobalDatabaseFromThePrimary(t *testing.T) {
	s := planTier(t, pilotConfig())
	primary := s.Named(typeCluster, "data-cluster")
	global := s.Named(typeGlobalCluster, "dr-global-shard-0")
	assert.Equal(t, primary.Outputs["arn"], str(global, "sourceDbClusterIdentifier"))
	assert.Equal(t, true, input(global, "forceDestroy"))
	for _, k := range []string{"engine", "engineVersion", "databaseName", "storageEncrypted"} {
		assert.Nil(t, input(global, k), "the global cluster takes %s from its source", k)
	}
	assert.Contains(t, str(global, "globalClusterIdentifier"), "dr-shard-0", "named by project, stack, component and shard")

	secondary := s.Named(typeCluster, "dr-db-shard-0")
	assert.Equal(t, str(primary, "engine"), str(secondary, "engine"))
	assert.Equal(t, str(primary, "engineVersion"), str(secondary, "engineVersion"))
	assert.Equal(t, str(global, "globalClusterIdentifier"), str(secondary, "globalClusterIdentifier"))
	for _, k := range []string{"masterUsername", "masterPassword", "databaseName"} {
		assert.Nil(t, input(secondary, k), "a secondary has no %s", k)
	}
	assert.Contains(t, str(secondary, "kmsKeyId"), ":us-west-2:", "the secondary's key is of the DR region")
	assert.Contains(t, secondary.Dependencies, global.URN, "the secondary is deleted before the global cluster")
	assert.Contains(t, global.Dependencies, primary.URN, "the global cluster is deleted before the primary leaves it")
	assert.False(t, secondary.Protect, "pilotLight -> backupRestore can delete the secondary")
	assert.Subset(t, secondary.IgnoreChanges, drregion.SecondaryIgnoredFields())
	for _, r := range underDR(s) {
		assert.NotEqual(t, typeClusterInstance, r.Type, "pilot light's secondary is headless: %s", r.Name)
		assert.NotEqual(t, "aws:autoscaling/group:Group", r.Type, "no web capacity runs in the DR region: %s", r.Name)
		assert.NotEqual(t, typeNAT, r.Type, "nothing in the DR region needs a way out: %s", r.Name)
	}
	primaryParams := input(s.Named("aws:rds/clusterParameterGroup:ClusterParameterGroup", "data-params"), "parameters")
	drParams := input(s.Named("aws:rds/clusterParameterGroup:ClusterParameterGroup", "dr-db-params"), "parameters")
	assert.Equal(t, primaryParams, drParams, "the secondary's parameters are the primary's")
	assert.Equal(t, str(s.Named("aws:rds/clusterParameterGroup:ClusterParameterGroup", "data-params"), "family"),
		str(s.Named("aws:rds/clusterParameterGroup:ClusterParameterGroup", "dr-db-params"), "family"))
}

// Every table has a replica in the DR region with point-in-time recovery, deletion protection, a
// key of the DR region and timeouts long enough to copy a large table; the tables ignore replicas.
func TestDRPilotLightReplicatesEveryTable(t *testing.T) {
	s := planTier(t, pilotConfig())
	byTable := map[string]synth.Resource{}
	for _, r := range s.All(typeTableReplica) {
		byTable[str(r, "globalTableArn")] = r
	}
	for _, tbl := range s.All(typeTable) {
		r, ok := byTable[tbl.Outputs["arn"].(string)]
		require.True(t, ok, "table %s has a replica", tbl.Name)
		assert.Equal(t, true, input(r, "pointInTimeRecovery"), r.Name)
		assert.Equal(t, true, input(r, "deletionProtectionEnabled"), r.Name)
		assert.Contains(t, str(r, "kmsKeyArn"), ":us-west-2:", r.Name)
		require.NotNil(t, r.CustomTimeouts, r.Name)
		assert.Equal(t, drregion.TableReplicaTimeout, r.CustomTimeouts.Create, r.Name)
		assert.Contains(t, tbl.IgnoreChanges, "replicas", "table %s leaves its replicas to the DRRegion", tbl.Name)
		assert.Equal(t, true, input(tbl, "streamEnabled"))
		assert.Equal(t, "NEW_AND_OLD_IMAGES", str(tbl, "streamViewType"))
	}
}

// The primary cluster ignores what AWS changes through the global database only when the stack has
// one: without live data in the DR region, engine upgrades still go through its own engineVersion.
func TestDRPilotLightPrimaryIgnoresGlobalFieldsOnlyWithIt(t *testing.T) {
	with := planTier(t, pilotConfig()).Named(typeCluster, "data-cluster")
	assert.Subset(t, with.IgnoreChanges, datatier.GlobalIgnoredFields())
	for _, cfg := range []map[string]string{drConfig(), tierConfig(tiers.Tier100k)} {
		without := planTier(t, cfg)
		assert.NotContains(t, without.Named(typeCluster, "data-cluster").IgnoreChanges, "engineVersion")
		for _, tbl := range without.All(typeTable) {
			assert.NotContains(t, tbl.IgnoreChanges, "replicas")
		}
	}
}

// 1m with backupRestore → 1m with pilotLight creates and updates: the primary's stateful resources
// (clusters, tables) are neither replaced nor deleted, and `plan --from` exits 0. The way back
// deletes the secondary and the global cluster, and is refused by the table replicas' deletion
// protection (said in docs/dr-region.md): `plan --from` flags it.
func TestDRPilotLightFromBackupRestore(t *testing.T) {
	rules := mustRules(t)
	before, after := planTier(t, drConfig()), planTier(t, pilotConfig())
	for _, c := range synth.Diff(before.Plan, after.Plan, rules) {
		assert.Contains(t, []synth.Action{synth.Create, synth.Update}, c.Action, "%s %s %s", c.Action, c.Type, c.Name)
		if c.Type == typeCluster && c.Name == "data-cluster" || c.Type == typeTable {
			t.Errorf("the primary's %s %s changes (%s %v)", c.Type, c.Name, c.Action, c.Keys)
		}
	}

	dir := t.TempDir()
	write := func(sub, strategy string) string {
		require.NoError(t, os.Mkdir(filepath.Join(dir, sub), 0o700))
		p := filepath.Join(dir, sub, "Pulumi.prod.yaml") // the same stack in both: --from matches by URN
		body := strings.Join([]string{"config:", "  aws:region: us-east-1", "  tierstack:tier: 1m", "  tierstack:drRegion: us-west-2",
			"  tierstack:network:", "    availabilityZones: [us-east-1a, us-east-1b, us-east-1c]",
			"  tierstack:dr:", "    strategy: " + strategy, "    availabilityZones: [us-west-2a, us-west-2b, us-west-2c]",
			"  tierstack:cache:", "    clusterMode: enabled", ""}, "\n")
		require.NoError(t, os.WriteFile(p, []byte(body), 0o600))
		return p
	}
	backup, pilot := write("backup", "backupRestore"), write("pilot", "pilotLight")
	planFile := func(cfg string) string {
		code, out, stderr := runPlan("--config", cfg, "--format", "json")
		require.Equal(t, 0, code, stderr)
		p := cfg + ".json"
		require.NoError(t, os.WriteFile(p, []byte(out), 0o600))
		return p
	}
	code, out, stderr := runPlan("--config", pilot, "--from", planFile(backup))
	assert.Equal(t, cli.ExitOK, code, stderr+out)

	code, out, stderr = runPlan("--config", backup, "--from", planFile(pilot), "--format", "json")
	require.Equal(t, cli.ExitUnsafe, code, stderr)
	var doc struct{ Unsafe []synth.Change }
	require.NoError(t, json.Unmarshal([]byte(out), &doc))
	flagged := map[string]bool{}
	for _, c := range doc.Unsafe {
		flagged[c.Name] = true
	}
	for _, name := range []string{"dr-db-shard-0", "dr-global-shard-0"} {
		assert.True(t, flagged[name], "the downgrade deletes %s: flagged", name)
	}
	for _, c := range doc.Unsafe {
		if c.Type == typeTableReplica {
			assert.NotEmpty(t, c.Refused, "%s: AWS refuses to delete a replica with deletion protection", c.Name)
			delete(flagged, c.Name)
		}
	}
	assert.Len(t, doc.Unsafe, 2+after.Count(typeTable), "the secondary, the global cluster and every table replica, nothing of the primary: %v", doc.Unsafe)
}

// Refused before anything is registered: more readers than the primary of a global database may
// have (15 minus the one secondary region), backtracking with a DR region, and a DR region without
// Aurora global databases.
func TestDRPilotLightRefusals(t *testing.T) {
	cases := []struct {
		name string
		edit func(map[string]string)
		want []string
	}{
		{"reader scaling to 15 with a global database", func(c map[string]string) {
			c["tierstack:data"] = `{"readerScaling":{"min":3,"max":15}}`
		}, []string{"readerScaling max 15", "allowed: up to 14", "Configuration requirements of an Amazon Aurora global database"}},
		{"backtracking with a DR region", func(c map[string]string) { c["tierstack:data"] = `{"backtrackHours":24}` },
			[]string{"backtrackHours 24", "do not support backtracking"}},
		{"a DR region without Aurora global databases", func(c map[string]string) {
			c["tierstack:drRegion"] = "ap-southeast-7"
			c["tierstack:dr"] = `{"strategy":"pilotLight","availabilityZones":["ap-southeast-7a","ap-southeast-7b","ap-southeast-7c"]}`
		}, []string{"ap-southeast-7 has no Aurora global database"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cfg := pilotConfig()
			c.edit(cfg)
			s, err := runProgram(t, "us-east-1", cfg, tiers.Program)
			require.Error(t, err)
			for _, w := range c.want {
				assert.Contains(t, err.Error(), w)
			}
			assert.Empty(t, s.Resources, "nothing is registered")
		})
	}
	// With backupRestore there is no global database: 15 readers stay allowed.
	cfg := drConfig()
	cfg["tierstack:data"] = `{"readerScaling":{"min":3,"max":15}}`
	_, err := runProgram(t, "us-east-1", cfg, tiers.Program)
	assert.NoError(t, err)
}

// The component's own checks: database and tables go with a strategy that keeps live data, an
// engine version without global databases is refused, a region pair without them too.
func TestDRPilotLightArgsValidate(t *testing.T) {
	assert.Equal(t, []drregion.Strategy{drregion.StrategyBackupRestore, drregion.StrategyPilotLight}, drregion.BuiltStrategies())
	assert.True(t, drregion.GlobalDatabaseEngine("aurora-mysql", "8.0.mysql_aurora.3.08.2"))
	assert.True(t, drregion.GlobalDatabaseEngine("aurora-postgresql", "16.4"))
	assert.False(t, drregion.GlobalDatabaseEngine("aurora-mysql", "5.7.mysql_aurora.2.11.2"))
	assert.False(t, drregion.GlobalDatabaseEngine("mysql", "8.0.35"))
	require.Error(t, drregion.CheckGlobalDatabaseRegions("aurora-mysql", "8.0.mysql_aurora.3.08.2", "us-east-1", "ap-east-2"))
	err := drregion.CheckGlobalDatabaseRegions("aurora-mysql", "8.0.mysql_aurora.3.03.1", "us-east-1", "ap-southeast-5")
	require.Error(t, err)
	assert.Contains(t, err.Error(), "3.04.0 and later")
	assert.NoError(t, drregion.CheckGlobalDatabaseRegions("aurora-mysql", "8.0.mysql_aurora.3.08.2", "us-east-1", "us-west-2"))
	west := &aws.Provider{}
	for _, c := range []struct {
		args drregion.Args
		want string
	}{
		{drregion.Args{Provider: west, PrimaryCIDR: "10.0.0.0/16", Strategy: drregion.StrategyPilotLight}, "database is required with strategy pilotLight"},
		{drregion.Args{Provider: west, PrimaryCIDR: "10.0.0.0/16", Strategy: drregion.StrategyPilotLight, Database: &drregion.Database{
			Engine: "aurora-mysql", EngineVersion: "5.7.mysql_aurora.2.11.2", ParameterFamily: "aurora-mysql5.7", Shards: []drregion.Shard{{Name: "shard-0", ClusterARN: pulumi.String("arn")}}}},
			"database engine aurora-mysql 5.7.mysql_aurora.2.11.2 has no Aurora global database"},
		{drregion.Args{Provider: west, PrimaryCIDR: "10.0.0.0/16", Tables: []drregion.Table{{Name: "t", ARN: pulumi.String("arn")}}},
			"database and tables are set with strategy backupRestore"},
	} {
		err := c.args.Validate()
		require.Error(t, err, c.want)
		assert.Contains(t, err.Error(), c.want)
	}
	assert.Len(t, drregion.GlobalClusterIdentifier(strings.Repeat("p", 40), strings.Repeat("s", 40), "dr", "shard-15"), 63)
}

// The types pilotLight adds are priced or declared free, and timed: the estimate counts the
// replicas' replicated writes and storage and the secondary's volume.
func TestDRPilotLightIsPricedAndTimed(t *testing.T) {
	cost := planCostWith(t, pilotConfig())
	assert.Empty(t, cost.Unknown, "types the price table does not know")
	replicas := 0
	for _, rc := range cost.Resources {
		if rc.Type == typeTableReplica {
			replicas++
			assert.Greater(t, rc.MonthlyUSD, 0.0, "%s stores the table again and takes every write again", rc.URN)
		}
	}
	assert.Equal(t, len(defaultTableNames(t)), replicas)
	durations, err := insights.Durations()
	require.NoError(t, err)
	for _, typ := range []string{typeGlobalCluster, typeTableReplica} {
		_, listed := durations.Seconds(typ)
		assert.True(t, listed, "%s has no creation time", typ)
	}
}

// defaultTableNames are the 1m tier's tables.
func defaultTableNames(t *testing.T) []string {
	var names []string
	for _, tbl := range planTier(t, tierConfig(tiers.Tier1M)).All(typeTable) {
		names = append(names, tbl.Name)
	}
	return names
}

// The region-loss verdict knows live copies: with pilotLight every cluster and table is replicated
// to the DR region within about a second, and the secondary itself is not data the primary region
// loses.
func TestDRPilotLightRegionLoss(t *testing.T) {
	s := planTier(t, pilotConfig())
	rl := insights.RegionLossOf("us-east-1", s.Resources)
	assert.True(t, rl.Survives, rl.Why)
	assert.Equal(t, "1s", rl.RPO, rl.Why)
	assert.Equal(t, []string{"us-west-2"}, rl.CopiedTo)
	assert.Contains(t, rl.Why, "Aurora global database")
	backup := insights.RegionLossOf("us-east-1", planTier(t, drConfig()).Resources)
	assert.Equal(t, "27h", backup.RPO, "backupRestore keeps its backup RPO")
}

// The safety check knows a global database's secondary: no error for its missing final snapshot
// (its data is the primary's while it is one); it ships with deletion protection on, as after a
// failover it is the only copy, and one without it is a warning that says so.
func TestDRPilotLightSecondarySafetyFinding(t *testing.T) {
	s := planTier(t, pilotConfig())
	secondary := s.Named(typeCluster, "dr-db-shard-0")
	assert.Equal(t, true, input(secondary, "deletionProtection"), "the secondary ships protected")
	assert.Contains(t, secondary.IgnoreChanges, "deletionProtection", "pulumi up never turns the operator's protection off")
	findingsOf := func(resources []synth.Resource) []insights.Finding {
		var found []insights.Finding
		for _, f := range insights.CheckSafety(resources, nil).Findings {
			if f.URN == secondary.URN {
				found = append(found, f)
			}
		}
		return found
	}
	assert.Empty(t, findingsOf(s.Resources))
	unprotected := slices.Clone(s.Resources)
	for i, r := range unprotected {
		if r.URN == secondary.URN {
			inputs := maps.Clone(r.Inputs)
			inputs["deletionProtection"] = false
			unprotected[i].Inputs = inputs
		}
	}
	found := findingsOf(unprotected)
	require.Len(t, found, 1, "%v", found)
	assert.Equal(t, insights.SeverityWarning, found[0].Severity)
	assert.Contains(t, found[0].Message, "only copy")
	primary := s.Named(typeCluster, "data-cluster")
	for _, f := range insights.CheckSafety(s.Resources, nil).Findings {
		assert.NotEqual(t, primary.URN, f.URN, "the primary keeps its protection and final snapshot: %s", f.Message)
	}
}
