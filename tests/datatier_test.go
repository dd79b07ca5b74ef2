package tests

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tierstack/tierstack/components/datatier"
	"github.com/tierstack/tierstack/components/network"
	"github.com/tierstack/tierstack/synth"
	"github.com/tierstack/tierstack/tiers"
)

// dataTier builds a Network and a DataTier from args in us-east-1 and returns the record.
func dataTier(t *testing.T, args datatier.Args) stack {
	t.Helper()
	s, err := runDataTier(t, args)
	require.NoError(t, err)
	return s
}

func runDataTier(t *testing.T, args datatier.Args) (stack, error) {
	t.Helper()
	return runProgram(t, "us-east-1", nil, func(ctx *pulumi.Context) (pulumi.Map, error) {
		net, err := network.New(ctx, "net", &network.Args{AvailabilityZones: []string{"us-east-1a", "us-east-1b", "us-east-1c"}})
		if err != nil {
			return nil, err
		}
		a := args
		a.Network = net
		d, err := datatier.New(ctx, "data", &a)
		if err != nil {
			return nil, err
		}
		if _, err := d.AllowFrom(ctx, "web", net.DefaultSecurityGroupID); err != nil {
			return nil, err
		}
		return pulumi.Map{"secretArn": d.SecretARN, "writer": d.WriterEndpoint, "tables": d.TableNames, "port": d.Port}, nil
	})
}

// What each tier's database is: the writer and readers, their class, zones and scaling.
func TestDataTierPerTier(t *testing.T) {
	cases := []struct {
		tier           tiers.Tier
		readers        int
		minACU, maxACU float64
		autoPause      bool
		scaling        [2]int // min, max; zero when none
		insights       bool
		retention      int
		tables         []string
	}{
		{tiers.Tier100, 0, 0, 2, true, [2]int{}, false, 7, nil},
		{tiers.Tier10k, 1, 1, 16, false, [2]int{}, true, 7, nil},
		{tiers.Tier100k, 2, 2, 64, false, [2]int{2, 8}, true, 7, nil},
		{tiers.Tier1M, 3, 4, 128, false, [2]int{3, 14}, true, 35, []string{"carts", "sessions"}},
	}
	for _, c := range cases {
		t.Run(string(c.tier), func(t *testing.T) {
			// The primary's: from 1m a DR region holds secondary clusters too.
			s := planTier(t, tierConfig(c.tier)).primaryOnly()
			require.Equal(t, 1, s.Count(typeCluster))
			cluster := s.Named(typeCluster, "data-cluster")
			assert.Equal(t, "aurora-mysql", str(cluster, "engine"))
			assert.Equal(t, datatier.DefaultEngineVersion(datatier.EngineMySQL), str(cluster, "engineVersion"))
			assert.Equal(t, c.minACU, input(cluster, "serverlessv2ScalingConfiguration.minCapacity"))
			assert.Equal(t, c.maxACU, input(cluster, "serverlessv2ScalingConfiguration.maxCapacity"))
			if c.autoPause {
				assert.Equal(t, 1800, num(cluster, "serverlessv2ScalingConfiguration.secondsUntilAutoPause"))
			} else {
				assert.Nil(t, input(cluster, "serverlessv2ScalingConfiguration.secondsUntilAutoPause"))
			}
			assert.Equal(t, c.retention, num(cluster, "backupRetentionPeriod"))
			assert.Nil(t, input(cluster, "backtrackWindow"), "backtracking off at every tier: global databases do not support it")

			assert.Equal(t, 1+c.readers, s.Count(typeClusterInstance))
			zones := []string{"us-east-1a", "us-east-1b", "us-east-1c"}
			for i := 0; i <= c.readers; i++ {
				name := "data-writer"
				if i > 0 {
					name = fmt.Sprintf("data-reader-%d", i)
				}
				inst := s.Named(typeClusterInstance, name)
				assert.Equal(t, "db.serverless", str(inst, "instanceClass"))
				assert.Equal(t, cluster.ID, str(inst, "clusterIdentifier"))
				assert.Equal(t, zones[i%3], str(inst, "availabilityZone"), "%s's zone", name)
				assert.Equal(t, false, input(inst, "autoMinorVersionUpgrade"))
				assert.Equal(t, "sun:04:30-sun:05:30", str(inst, "preferredMaintenanceWindow"))
				assert.Equal(t, false, input(inst, "publiclyAccessible"))
				assert.Equal(t, c.insights, input(inst, "performanceInsightsEnabled") == true)
				if c.insights {
					assert.Equal(t, 60, num(inst, "monitoringInterval"))
					assert.Equal(t, s.Named(typeKey, "data-key").Outputs["arn"], input(inst, "performanceInsightsKmsKeyId"))
				}
			}
			if c.scaling == [2]int{} {
				assert.Zero(t, s.Count(typeScalingTarget))
			} else {
				target := s.Named(typeScalingTarget, "data-readers")
				assert.Equal(t, "rds:cluster:ReadReplicaCount", str(target, "scalableDimension"))
				assert.Equal(t, "cluster:"+str(cluster, "clusterIdentifier"), str(target, "resourceId"))
				assert.Equal(t, c.scaling[0], num(target, "minCapacity"))
				assert.Equal(t, c.scaling[1], num(target, "maxCapacity"))
				policy := s.Named(typeScalingPolicy, "data-readers-acu")
				assert.Equal(t, "TargetTrackingScaling", str(policy, "policyType"))
				assert.Equal(t, 60, num(policy, "targetTrackingScalingPolicyConfiguration.targetValue"))
			}
			var tables []string
			for _, tb := range s.All(typeTable) {
				tables = append(tables, strings.TrimPrefix(tb.Name, "data-table-"))
			}
			assert.ElementsMatch(t, c.tables, tables)
		})
	}
}

func TestDataTierParameterGroup(t *testing.T) {
	s := dataTier(t, datatier.Args{TimeZone: "Europe/Paris", Parameters: map[string]string{"max_connections": "500", "long_query_time": "2"}})
	pg := s.Named(typeClusterParams, "data-params")
	assert.Equal(t, "aurora-mysql8.0", str(pg, "family"))
	params := map[string]string{}
	list, _ := input(pg, "parameters").([]any)
	for i := range list {
		p := fmt.Sprintf("parameters.%d", i)
		params[str(pg, p+".name")] = str(pg, p+".value")
		assert.Equal(t, "pending-reboot", str(pg, p+".applyMethod"), "a parameter change never restarts the database by itself")
	}
	assert.Equal(t, "utf8mb4", params["character_set_server"])
	assert.Equal(t, "utf8mb4_0900_ai_ci", params["collation_server"])
	assert.Equal(t, "Europe/Paris", params["time_zone"])
	assert.Equal(t, "ON", params["require_secure_transport"], "TLS in transit")
	assert.NotContains(t, params, "max_connections", "an instance-level parameter in Aurora MySQL")
	instanceParams := s.Named(typeInstanceParams, "data-instance-params")
	assert.Equal(t, "max_connections", str(instanceParams, "parameters.0.name"))
	assert.Equal(t, "500", str(instanceParams, "parameters.0.value"), "config sets the instances' limit")
	assert.Equal(t, "2", params["long_query_time"], "config overrides")
	assert.Equal(t, pg.Outputs["name"], str(s.Named(typeCluster, "data-cluster"), "dbClusterParameterGroupName"))

	pgs := dataTier(t, datatier.Args{Engine: datatier.EnginePostgreSQL})
	cluster := pgs.Named(typeCluster, "data-cluster")
	assert.Equal(t, "aurora-postgresql16", str(pgs.Named(typeClusterParams, "data-params"), "family"))
	assert.Equal(t, []string{"postgresql"}, strs(cluster, "enabledCloudwatchLogsExports"))
	assert.Nil(t, input(cluster, "backtrackWindow"), "PostgreSQL has no backtrack")
	raw, err := json.Marshal(input(pgs.Named(typeClusterParams, "data-params"), "parameters"))
	require.NoError(t, err)
	for _, want := range []string{`"timezone"`, `"client_encoding"`, `"rds.force_ssl"`} {
		assert.Contains(t, string(raw), want)
	}
	assert.Equal(t, 5432.0, pgs.Outputs["port"])
}

// The cluster, its storage and backups, its Performance Insights, its secret and its tables are
// encrypted with the tier's own key; nothing is public; the credentials exist only as secrets.
func TestDataTierSecurity(t *testing.T) {
	s := dataTier(t, datatier.Args{Readers: 1, PerformanceInsights: true, MonitoringInterval: 60, Tables: []datatier.Table{
		{Name: "carts", HashKey: "userId", Attributes: map[string]string{"userId": "S"}},
	}})
	key := s.Named(typeKey, "data-key")
	keyARN := key.Outputs["arn"]
	assert.Equal(t, true, input(key, "enableKeyRotation"))
	assert.Equal(t, 30, num(key, "deletionWindowInDays"))
	var policy struct {
		Statement []struct {
			Principal map[string]string
		}
	}
	require.NoError(t, json.Unmarshal([]byte(str(key, "policy")), &policy))
	require.Len(t, policy.Statement, 2, "the account through IAM, and CloudWatch Logs for the exported logs")
	assert.Equal(t, "arn:aws:iam::"+synth.FakeAccountID+":root", policy.Statement[0].Principal["AWS"], "only this account, through IAM")
	assert.Equal(t, "logs.us-east-1.amazonaws.com", policy.Statement[1].Principal["Service"])

	cluster := s.Named(typeCluster, "data-cluster")
	assert.Equal(t, true, input(cluster, "storageEncrypted"))
	assert.Equal(t, keyARN, input(cluster, "kmsKeyId"))
	assert.Equal(t, true, input(cluster, "deletionProtection"))
	assert.Equal(t, false, input(cluster, "skipFinalSnapshot"))
	assert.Equal(t, "tierstack-plan-data-cluster-final", str(cluster, "finalSnapshotIdentifier"))
	assert.Equal(t, true, input(cluster, "copyTagsToSnapshot"))
	assert.Equal(t, synth.SecretPlaceholder, str(cluster, "masterPassword"))
	assert.Nil(t, input(cluster, "manageMasterUserPassword"), "RDS-managed passwords do not work in a global database")
	subnets := s.Named(typeDBSubnetGroup, "data-subnets")
	var dataSubnets []string
	for az := 0; az < 3; az++ {
		dataSubnets = append(dataSubnets, s.Named(typeSubnet, fmt.Sprintf("net-data-%d", az)).ID)
	}
	assert.Equal(t, dataSubnets, strs(subnets, "subnetIds"), "the data subnets, which have no route out")

	sg := s.Named(typeSecurityGroup, "data-sg")
	assert.Nil(t, input(sg, "ingress"))
	assert.Nil(t, input(sg, "egress"), "the database starts no connection")
	assert.Equal(t, []string{sg.ID}, strs(cluster, "vpcSecurityGroupIds"))
	rule := s.Named(typeSGRule, "data-allow-web")
	assert.Equal(t, "ingress", str(rule, "type"))
	assert.Equal(t, 3306, num(rule, "fromPort"))
	assert.Equal(t, 3306, num(rule, "toPort"))
	assert.Equal(t, sg.ID, str(rule, "securityGroupId"))
	assert.Equal(t, s.Named(typeDefaultSG, "net-default-sg").ID, str(rule, "sourceSecurityGroupId"))
	assert.Nil(t, input(rule, "cidrBlocks"), "sources are security groups, never ranges")

	secret := s.Named(typeSecret, "data-credentials")
	assert.Equal(t, keyARN, input(secret, "kmsKeyId"))
	assert.Equal(t, 30, num(secret, "recoveryWindowInDays"))
	version := s.Named(typeSecretVersion, "data-credentials-value")
	assert.Equal(t, synth.SecretPlaceholder, str(version, "secretString"))
	appSecret := s.Named(typeSecret, "data-app-credentials")
	assert.Equal(t, keyARN, input(appSecret, "kmsKeyId"))
	assert.Equal(t, synth.SecretPlaceholder, str(s.Named(typeSecretVersion, "data-app-credentials-value"), "secretString"))
	assert.Equal(t, appSecret.Outputs["arn"], s.Outputs["secretArn"], "the application is given its own user's secret")

	table := s.Named(typeTable, "data-table-carts")
	assert.Equal(t, true, input(table, "serverSideEncryption.enabled"))
	assert.Equal(t, keyARN, input(table, "serverSideEncryption.kmsKeyArn"))

	role := s.Named(typeRole, "data-monitoring-role")
	assert.Contains(t, str(role, "assumeRolePolicy"), `"Service":"monitoring.rds.amazonaws.com"`)
	assert.Contains(t, str(role, "assumeRolePolicy"), `"aws:SourceAccount":"`+synth.FakeAccountID+`"`)

	// No generated value appears in clear anywhere in the record.
	raw, err := json.Marshal(s.Plan)
	require.NoError(t, err)
	for _, r := range s.All(typePassword) {
		assert.Equal(t, synth.SecretPlaceholder, r.Outputs["result"])
	}
	assert.NotContains(t, string(raw), synth.FakePassword(s.Named(typePassword, "data-master-password").ID, resource.NewProperty(32.0)), "the generated password never appears in clear")
}

// Protect and RetainOnDelete where the data is: the cluster, the writer, the tables and the key
// are protected; the cluster, the tables, the key and the secret stay in AWS when they leave the stack.
func TestDataTierSafetyOptions(t *testing.T) {
	s := planTier(t, tierConfig(tiers.Tier1M))
	protected := map[string]bool{"data-cluster": true, "data-writer": true, "data-key": true, "data-table-carts": true, "data-table-sessions": true}
	retained := map[string]bool{"data-cluster": true, "data-key": true, "data-table-carts": true, "data-table-sessions": true,
		"data-credentials": true, "data-credentials-value": true, "data-log-error": true, "data-log-slowquery": true,
		"data-app-credentials": true, "data-app-credentials-value": true}
	for _, r := range s.Resources {
		if !strings.HasPrefix(r.Name, "data-") || !r.Custom {
			continue
		}
		assert.Equal(t, protected[r.Name], r.Protect, "protect on %s", r.Name)
		assert.Equal(t, retained[r.Name], r.RetainOnDelete, "retainOnDelete on %s", r.Name)
		assert.False(t, r.DeleteBeforeReplace, "%s", r.Name)
	}

	_, err := runProgram(t, "", tierConfig(tiers.Tier10k), tiers.Program)
	require.NoError(t, err)
	cfg := tierConfig(tiers.Tier10k)
	cfg["tierstack:data"] = `{"protectData":false}`
	refused, err := runProgram(t, "", cfg, tiers.Program)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "tierstack:data protectData false at tier 10k")
	assert.Contains(t, err.Error(), "acknowledgeDataLoss: true")
	assert.Empty(t, refused.Resources)
	cfg["tierstack:data"] = `{"protectData":false,"acknowledgeDataLoss":true}`
	unprotected := planTier(t, cfg)
	assert.False(t, unprotected.Named(typeCluster, "data-cluster").Protect)
	assert.True(t, unprotected.Named(typeCluster, "data-cluster").RetainOnDelete, "kept in AWS all the same")
	assert.Equal(t, true, input(unprotected.Named(typeCluster, "data-cluster"), "deletionProtection"), "AWS deletion protection stays")
	// At 100 too: a stack going down from 10k with protection off would delete its cache.
	dev := map[string]string{"tierstack:tier": "100", "aws:region": "us-east-1", "tierstack:data": `{"protectData":false}`}
	_, err = runProgram(t, "", dev, tiers.Program)
	assert.ErrorContains(t, err, "acknowledgeDataLoss: true")
	dev["tierstack:data"] = `{"protectData":false,"acknowledgeDataLoss":true}`
	assert.False(t, planTier(t, dev).Named(typeCluster, "data-cluster").Protect)
}

// The upgrade path, up and down between every pair of tiers: no stateful resource of the data tier
// is replaced or deleted, judged by the replacement rules (so a new input is covered as it lands).
// Going down from 1m keeps its tables only if the stack declares them: it does here, as a real stack
// must (without them, the check fails, as the next test shows).
func TestDataTierUpgradePathReplacesNothing(t *testing.T) {
	rules := mustRules(t)
	tables := `{"tables":[{"name":"sessions","hashKey":"sessionId","attributes":{"sessionId":"S"},"ttlAttribute":"expiresAt"},{"name":"carts","hashKey":"userId","rangeKey":"itemId","attributes":{"userId":"S","itemId":"S"}}]}`
	plans := map[tiers.Tier]*synth.Plan{}
	for _, tier := range tiers.All() {
		cfg := tierConfig(tier)
		cfg["tierstack:data"] = tables
		plans[tier] = planTier(t, cfg).Plan
	}
	for _, from := range tiers.All() {
		for _, to := range tiers.All() {
			if from == to {
				continue
			}
			for _, c := range synth.Diff(plans[from], plans[to], rules) {
				if !strings.Contains(c.URN, "tierstack:index:DataTier") {
					continue
				}
				assert.True(t, rules.Knows(c.Type), "%s: no replacement rules", c.Type)
				assert.False(t, c.Unsafe, "%s → %s: %s %s %s (by %v)", from, to, c.Action, c.Type, c.Name, c.ReplacedBy)
				assert.NotEqual(t, synth.Replace, c.Action, "%s → %s: %s %s replaced by %v", from, to, c.Type, c.Name, c.ReplacedBy)
			}
		}
	}
}

// The check fails on what does lose data: another engine, another database name; and on tables
// dropped from config, which are kept in AWS but protected, so pulumi up would stop.
func TestDataTierCheckCatchesReplacingChanges(t *testing.T) {
	rules := mustRules(t)
	base := planTier(t, tierConfig(tiers.Tier1M))
	cases := []struct {
		data string
		want string // the stateful resource lost
	}{
		{`{"engine":"aurora-postgresql"}`, "data-cluster"},
		{`{"databaseName":"shop"}`, "data-cluster"},
		{`{"tables":[]}`, "data-table-carts"},
	}
	for _, c := range cases {
		cfg := tierConfig(tiers.Tier1M)
		cfg["tierstack:data"] = c.data
		lost := map[string]bool{}
		for _, ch := range synth.Unsafe(synth.Diff(base.Plan, planTier(t, cfg).Plan, rules)) {
			lost[ch.Name] = true
		}
		assert.True(t, lost[c.want], "%s must lose %s: lost %v", c.data, c.want, lost)
	}
}

// Shards add clusters with stable names; adding a shard only adds.
func TestDataTierShards(t *testing.T) {
	one := dataTier(t, datatier.Args{Readers: 1})
	three := dataTier(t, datatier.Args{Readers: 1, Shards: 3})
	assert.Equal(t, 3, three.Count(typeCluster))
	for _, name := range []string{"data-cluster", "data-shard-1-cluster", "data-shard-2-cluster"} {
		assert.True(t, three.Has(typeCluster, name), name)
	}
	assert.True(t, three.Has(typeClusterInstance, "data-shard-2-reader-1"))
	assert.Equal(t, 1, three.Count(typeKey), "one key for every shard")
	for _, c := range synth.Diff(one.Plan, three.Plan, mustRules(t)) {
		if c.Type == typeSecretVersion {
			assert.Equal(t, synth.Replace, c.Action, "a new version of the same secret lists the new shards")
			continue
		}
		if c.Name == "data-app-user-policy" {
			assert.Equal(t, synth.Update, c.Action, "the app user function may run statements on the new shards too")
			continue
		}
		assert.Equal(t, synth.Create, c.Action, "%s %s", c.Action, c.Name)
	}
}

// Bad input is refused before anything is registered, naming the setting, the value and what is
// allowed.
func TestDataTierRefusesBadInput(t *testing.T) {
	noType := datatier.Table{Name: "carts", HashKey: "userId", RangeKey: "itemId", Attributes: map[string]string{"userId": "S"}}
	cases := []struct {
		name string
		args datatier.Args
		want []string
	}{
		{"unknown engine", datatier.Args{Engine: "oracle"}, []string{"engine", `"oracle"`, "aurora-mysql, aurora-postgresql"}},
		{"version of another engine", datatier.Args{Engine: datatier.EnginePostgreSQL, EngineVersion: "8.0.mysql_aurora.3.08.2"}, []string{"engineVersion", `"8.0.mysql_aurora.3.08.2"`, "16.6"}},
		{"min ACU above max", datatier.Args{MinACU: 8, MaxACU: 4}, []string{"minAcu 8", "maxAcu 4", "at most maxAcu"}},
		{"max ACU beyond AWS", datatier.Args{MaxACU: 512}, []string{"maxAcu 512", "1 to 256"}},
		{"ACU not a half step", datatier.Args{MinACU: 0.75}, []string{"minAcu 0.75", "steps of 0.5"}},
		{"auto-pause on a version without it", datatier.Args{EngineVersion: "8.0.mysql_aurora.3.05.2"}, []string{"minAcu 0", "3.05.2", "Aurora MySQL 3.08+"}},
		{"pause too soon", datatier.Args{SecondsUntilAutoPause: 60}, []string{"secondsUntilAutoPause 60", "300 to 86400"}},
		{"sixteen readers", datatier.Args{MinACU: 1, Readers: 16}, []string{"readers 16", "0 to 15"}},
		{"scaling beyond 15", datatier.Args{MinACU: 1, Readers: 1, ReaderScaling: &datatier.ReaderScaling{Min: 1, Max: 20}}, []string{"readerScaling max 20", "up to 15"}},
		{"scaling min above max", datatier.Args{MinACU: 1, Readers: 1, ReaderScaling: &datatier.ReaderScaling{Min: 5, Max: 3}}, []string{"readerScaling min 5", "max 3"}},
		{"scaling below the tier's readers", datatier.Args{MinACU: 1, Readers: 3, ReaderScaling: &datatier.ReaderScaling{Min: 1, Max: 5}}, []string{"readerScaling min 1", "readers 3"}},
		{"shards below one", datatier.Args{Shards: -1}, []string{"shards -1", "1 to 16"}},
		{"retention beyond 35", datatier.Args{BackupRetentionDays: 36}, []string{"backupRetentionDays 36", "1 to 35"}},
		{"backtrack on PostgreSQL", datatier.Args{Engine: datatier.EnginePostgreSQL, BacktrackHours: 24}, []string{"backtrackHours 24", "aurora-postgresql", "only Aurora MySQL"}},
		{"backtrack beyond 72 hours", datatier.Args{BacktrackHours: 96}, []string{"backtrackHours 96", "0 to 72"}},
		{"parameter name with a space", datatier.Args{Parameters: map[string]string{"max connections": "5"}}, []string{"parameters", `"max connections"`, "no spaces"}},
		{"monitoring interval", datatier.Args{MonitoringInterval: 45}, []string{"monitoringInterval 45", "1 5 10 15 30 60"}},
		{"reserved user", datatier.Args{MasterUsername: "admin"}, []string{"masterUsername", `"admin"`, "not one of"}},
		{"database name", datatier.Args{DatabaseName: "my-app"}, []string{"databaseName", `"my-app"`, "letters, digits and underscores"}},
		{"maintenance window", datatier.Args{MaintenanceWindow: "sunday 4am"}, []string{"maintenanceWindow", `"sunday 4am"`, "ddd:hh24:mi-ddd:hh24:mi"}},
		{"table without a hash key", datatier.Args{Tables: []datatier.Table{{Name: "carts"}}}, []string{`tables: "carts"`, "no hashKey"}},
		{"range key without a type", datatier.Args{Tables: []datatier.Table{noType}}, []string{`"carts"`, `rangeKey "itemId" has no type`, "S, N or B"}},
		{"index key without a type", datatier.Args{Tables: []datatier.Table{{Name: "carts", HashKey: "userId", Attributes: map[string]string{"userId": "S"},
			Indexes: []datatier.Index{{Name: "by-sku", HashKey: "sku"}}}}}, []string{"index by-sku hashKey", `"sku"`, "no type"}},
		{"duplicate table", datatier.Args{Tables: []datatier.Table{{Name: "carts", HashKey: "id", Attributes: map[string]string{"id": "S"}}, {Name: "carts", HashKey: "id", Attributes: map[string]string{"id": "S"}}}}, []string{`"carts"`, "declared twice"}},
		{"attribute that is no key", datatier.Args{Tables: []datatier.Table{{Name: "carts", HashKey: "id", Attributes: map[string]string{"id": "S", "total": "N"}}}}, []string{`attribute "total"`, "key attributes only"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s, err := runDataTier(t, c.args)
			require.Error(t, err)
			for _, w := range c.want {
				assert.Contains(t, err.Error(), w)
			}
			for _, r := range s.Resources {
				assert.NotContains(t, r.URN, "tierstack:index:DataTier", "nothing of the DataTier is registered")
			}
			a := c.args
			a.Network = &network.Network{}
			assert.Error(t, a.Validate(), "Validate refuses it too")
		})
	}
	_, err := runDataTier(t, datatier.Args{})
	require.NoError(t, err, "the zero value works")
	// Validate leaves out the Network, which a composing program builds later (as the CacheTier's
	// does); New checks it: TestHandFilledNetworkNeverPanics.
	var nothing datatier.Args
	assert.NoError(t, nothing.Validate())
}

// Through config too, before any resource is registered.
func TestDataConfigIsStrict(t *testing.T) {
	cases := map[string][]string{
		`{"readers":"two"}`:    {"tierstack:data", "readers", "allowed fields: engine"},
		`{"replicas":2}`:       {"tierstack:data", `unknown field "replicas"`},
		`{"engine":"mariadb"}`: {"tierstack:data engine", `"mariadb"`, "aurora-mysql"},
		`{"readers":2,"readerScaling":{"min":1,"max":4}}`: {"tierstack:data readerScaling min 1", "readers 2"},
	}
	for data, want := range cases {
		cfg := tierConfig(tiers.Tier10k)
		cfg["tierstack:data"] = data
		s, err := runProgram(t, "", cfg, tiers.Program)
		require.Error(t, err, data)
		for _, w := range want {
			assert.Contains(t, err.Error(), w, data)
		}
		assert.Empty(t, s.Resources, data)
	}
	cfg := tierConfig(tiers.Tier10k)
	cfg["tierstack:data"] = `{"engine":"aurora-postgresql","readers":2,"minAcu":0.5,"tables":[{"name":"carts","hashKey":"userId","attributes":{"userId":"S"}}]}`
	s := planTier(t, cfg)
	assert.Equal(t, "aurora-postgresql", str(s.Named(typeCluster, "data-cluster"), "engine"))
	assert.Nil(t, input(s.Named(typeCluster, "data-cluster"), "backtrackWindow"), "the tier's backtrack is MySQL's")
	assert.Equal(t, 3, s.Count(typeClusterInstance))
	assert.Equal(t, 1, s.Count(typeTable))
}

// Instances publish Enhanced Monitoring only once their role has its policy, and reader auto scaling
// registers only once the instances exist: the ordering AWS needs.
func TestDataTierOrdering(t *testing.T) {
	s := planTier(t, tierConfig(tiers.Tier100k))
	attachment := s.Named(typeRolePolicyAttach, "data-monitoring").URN
	for _, inst := range s.All(typeClusterInstance) {
		assert.Contains(t, inst.Dependencies, attachment, "%s waits for the monitoring policy", inst.Name)
	}
	target := s.Named(typeScalingTarget, "data-readers")
	for _, inst := range s.All(typeClusterInstance) {
		assert.Contains(t, target.Dependencies, inst.URN, "reader scaling waits for %s", inst.Name)
	}
	assert.Equal(t, true, input(s.Named(typeCluster, "data-cluster"), "allowMajorVersionUpgrade"), "an engine version edit may be a major upgrade")
}

// Backtracking is the tier's where Aurora has it; elsewhere the tier leaves it off, and asking for
// it is refused before anything is registered.
func TestDataTierBacktrackByRegion(t *testing.T) {
	stockholm := map[string]string{"tierstack:tier": "100", "aws:region": "eu-north-1"}
	s := planTier(t, stockholm)
	assert.Nil(t, input(s.Named(typeCluster, "data-cluster"), "backtrackWindow"), "no backtracking in eu-north-1")
	stockholm["tierstack:data"] = `{"backtrackHours":24}`
	refused, err := runProgram(t, "", stockholm, tiers.Program)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "tierstack:data backtrackHours 24 is set in eu-north-1, where Aurora has no backtracking (allowed: 0 there)")
	assert.Empty(t, refused.Resources)
	code, out, stderr := runPlan("--tier", "10k", "--region", "us-gov-west-1", "--format", "json")
	require.Equal(t, 0, code, stderr)
	assert.NotContains(t, out, `"backtrackWindow"`)
}

func TestDataTierPurePlanners(t *testing.T) {
	autoPause := []struct {
		engine  datatier.Engine
		version string
		want    bool
	}{
		{datatier.EngineMySQL, "8.0.mysql_aurora.3.08.0", true},
		{datatier.EngineMySQL, "8.0.mysql_aurora.3.07.1", false},
		{datatier.EngineMySQL, "8.0.mysql_aurora.3.10.0", true},
		{datatier.EnginePostgreSQL, "16.3", true},
		{datatier.EnginePostgreSQL, "16.2", false},
		{datatier.EnginePostgreSQL, "15.7", true},
		{datatier.EnginePostgreSQL, "14.11", false},
		{datatier.EnginePostgreSQL, "17.4", true},
	}
	for _, c := range autoPause {
		assert.Equal(t, c.want, datatier.SupportsAutoPause(c.engine, c.version), "%s %s", c.engine, c.version)
	}
	family, err := datatier.ParameterGroupFamily(datatier.EnginePostgreSQL, "15.7")
	require.NoError(t, err)
	assert.Equal(t, "aurora-postgresql15", family)
	_, err = datatier.ParameterGroupFamily(datatier.EngineMySQL, "5.7.mysql_aurora.2.11.2")
	assert.Error(t, err)

	for in, want := range map[string]string{
		"data-cluster":         "tierstack-prod-data-cluster-final",
		"data-shard-1-cluster": "tierstack-prod-data-shard-1-cluster-final",
	} {
		assert.Equal(t, want, datatier.FinalSnapshotIdentifier("tierstack", "prod", in))
	}
	assert.Equal(t, "shop-my-stack-data-cluster-final", datatier.FinalSnapshotIdentifier("shop", "My_Stack", "data-cluster"), "lowercase, single hyphens")
	assert.Equal(t, "db-1shop-dev-data-cluster-final", datatier.FinalSnapshotIdentifier("1shop", "dev", "data-cluster"), "a letter first")

	assert.False(t, datatier.BacktrackAvailable("eu-north-1"))
	assert.False(t, datatier.BacktrackAvailable("us-gov-west-1"))
	assert.True(t, datatier.BacktrackAvailable("us-east-1"))
}
