package tests

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/secretsmanager"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/internals"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tierstack/tierstack/components/cachetier"
	"github.com/tierstack/tierstack/components/network"
	"github.com/tierstack/tierstack/synth"
)

// Resource types the cache tests ask about (prefixed, as other components' tests name their own).
const (
	cacheTypeComponent = cachetier.TypeToken
	cacheTypeGroup     = "aws:elasticache/replicationGroup:ReplicationGroup"
	cacheTypeSubnets   = "aws:elasticache/subnetGroup:SubnetGroup"
	cacheTypeParams    = "aws:elasticache/parameterGroup:ParameterGroup"
	cacheTypeRule      = "aws:ec2/securityGroupRule:SecurityGroupRule"
	cacheTypeKey       = "aws:kms/key:Key"
	cacheTypeSecret    = "aws:secretsmanager/secret:Secret"
	cacheTypeSecretVer = "aws:secretsmanager/secretVersion:SecretVersion"
	cacheTypePassword  = "random:index/randomPassword:RandomPassword"
	cacheClientSG      = "sg-0c11e47000000000a"
)

// cacheZones are the zones the cache tests pin their Network to.
var cacheZones = []string{"us-east-1a", "us-east-1b", "us-east-1c"}

// cacheProgram builds a three-zone Network "net" and a CacheTier "cache" from args and opts in it, then
// runs then (nil for nothing) on the cache; it hands back the cache's outputs as stack outputs.
func cacheProgram(args cachetier.Args, then func(*pulumi.Context, *cachetier.CacheTier) error, opts ...pulumi.ResourceOption) synth.Program {
	return func(ctx *pulumi.Context) (pulumi.Map, error) {
		net, err := network.New(ctx, "net", &network.Args{AvailabilityZones: cacheZones})
		if err != nil {
			return nil, err
		}
		args.Network = net
		c, err := cachetier.New(ctx, "cache", &args, opts...)
		if err != nil {
			return nil, err
		}
		if then != nil {
			if err := then(ctx, c); err != nil {
				return nil, err
			}
		}
		return pulumi.Map{
			"endpoint": c.Endpoint, "primary": c.PrimaryEndpoint, "reader": c.ReaderEndpoint,
			"configuration": c.ConfigurationEndpoint, "port": c.Port, "secretArn": c.SecretARN,
			"securityGroupId": c.SecurityGroupID, "kmsKeyArn": c.KMSKeyARN,
		}, nil
	}
}

// buildCache runs cacheProgram in us-east-1 and fails the test on error.
func buildCache(t *testing.T, args cachetier.Args) stack {
	t.Helper()
	s, err := runProgram(t, "us-east-1", nil, cacheProgram(args, nil))
	require.NoError(t, err)
	return s
}

// cacheGroup is the replication group of a recorded cache.
func cacheGroup(s stack) synth.Resource { return s.Named(cacheTypeGroup, "cache-group") }

// cacheBool reads a bool input, false when absent.
func cacheBool(r synth.Resource, path string) bool {
	b, _ := input(r, path).(bool)
	return b
}

// The zero value (with a Network) is one Valkey 8.0 node in cluster mode disabled, encrypted at rest
// with the cache's own key and in transit (required), behind an AUTH token, snapshotted daily.
func TestCacheTierDefaults(t *testing.T) {
	s := buildCache(t, cachetier.Args{})
	g := cacheGroup(s)
	key := s.Named(cacheTypeKey, "cache-key")

	assert.Equal(t, "valkey", str(g, "engine"))
	assert.Equal(t, "8.0", str(g, "engineVersion"))
	assert.Equal(t, "cache.t4g.small", str(g, "nodeType"))
	assert.Equal(t, "disabled", str(g, "clusterMode"))
	assert.Equal(t, 1, num(g, "numCacheClusters"))
	assert.Equal(t, cachetier.Port, num(g, "port"))
	assert.False(t, cacheBool(g, "automaticFailoverEnabled"), "a lone primary has nothing to fail over to")
	assert.False(t, cacheBool(g, "multiAzEnabled"))

	assert.True(t, cacheBool(g, "atRestEncryptionEnabled"))
	assert.Equal(t, key.Outputs["arn"], str(g, "kmsKeyId"), "encrypted with the cache's own key")
	assert.True(t, cacheBool(key, "enableKeyRotation"))
	assert.True(t, cacheBool(g, "transitEncryptionEnabled"))
	assert.Equal(t, "required", str(g, "transitEncryptionMode"))
	assert.Equal(t, synth.SecretPlaceholder, str(g, "authToken"))
	assert.False(t, cacheBool(g, "autoMinorVersionUpgrade"))
	assert.True(t, cacheBool(g, "applyImmediately"))

	subnets := s.Named(cacheTypeSubnets, "cache-subnets")
	assert.Equal(t, subnets.Outputs["name"], str(g, "subnetGroupName"))
	var dataSubnets []string
	for i := range cacheZones {
		dataSubnets = append(dataSubnets, s.Named(typeSubnet, fmt.Sprintf("net-data-%d", i)).ID)
	}
	assert.Equal(t, dataSubnets, strs(subnets, "subnetIds"), "the group lives in the Network's data subnets")
	sg := s.Named(typeSecurityGroup, "cache-sg")
	assert.Equal(t, []string{sg.ID}, strs(g, "securityGroupIds"))
	assert.Equal(t, s.Named(typeVPC, "net-vpc").ID, str(sg, "vpcId"))

	assert.Equal(t, cacheTypeComponent, s.ByURN(g.Parent).Type, "every child sits under the CacheTier")
	assert.Equal(t, 1, s.Count(cacheTypeComponent))
	assert.Equal(t, 1, s.Count(cacheTypeGroup))

	assert.True(t, strings.HasPrefix(s.Outputs["endpoint"].(string), "master."), "clients use the primary endpoint: %v", s.Outputs["endpoint"])
	assert.Equal(t, s.Outputs["primary"], s.Outputs["endpoint"])
	assert.Equal(t, float64(cachetier.Port), s.Outputs["port"])
	assert.Equal(t, s.Named(cacheTypeSecret, "cache-connection").Outputs["arn"], s.Outputs["secretArn"])
	assert.Equal(t, sg.ID, s.Outputs["securityGroupId"])
	assert.Equal(t, key.Outputs["arn"], s.Outputs["kmsKeyArn"])
}

// Each mode builds its topology: one shard with replicas beside the primary (failover and Multi-AZ
// from one replica on, replicas in other zones), or shards of a primary and replicas each; and each
// mode's clients get the right endpoint.
func TestCacheTierTopologyPerMode(t *testing.T) {
	cases := []struct {
		name                  string
		args                  cachetier.Args
		nodes                 int
		failover, multiAZ     bool
		zones                 []string // one-shard groups: where each node goes
		shards, perShard      int      // cluster mode enabled
		endpoint              string   // the prefix of the endpoint clients use
		primary, configuraton bool     // which endpoints exist
	}{
		{"disabled, lone primary", cachetier.Args{}, 1, false, false, []string{"us-east-1a"}, 0, 0, "master.", true, false},
		{"disabled, 2 replicas", cachetier.Args{Replicas: 2}, 3, true, true, cacheZones, 0, 0, "master.", true, false},
		{"disabled, 5 replicas round the zones", cachetier.Args{Replicas: 5}, 6, true, true,
			[]string{"us-east-1a", "us-east-1b", "us-east-1c", "us-east-1a", "us-east-1b", "us-east-1c"}, 0, 0, "master.", true, false},
		{"compatible, 1 replica", cachetier.Args{Mode: cachetier.ModeCompatible, Replicas: 1}, 2, true, true, cacheZones[:2], 0, 0, "clustercfg.", true, true},
		{"enabled, 1 shard of 1+1", cachetier.Args{Mode: cachetier.ModeEnabled, ReplicasPerShard: 1}, 2, true, true, nil, 1, 1, "clustercfg.", false, true},
		{"enabled, 3 shards of 1+2", cachetier.Args{Mode: cachetier.ModeEnabled, Shards: 3, ReplicasPerShard: 2}, 9, true, true, nil, 3, 2, "clustercfg.", false, true},
		{"enabled, 2 lone primaries", cachetier.Args{Mode: cachetier.ModeEnabled, Shards: 2}, 2, true, false, nil, 2, 0, "clustercfg.", false, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var built *cachetier.CacheTier
			s, err := runProgram(t, "us-east-1", nil, cacheProgram(c.args, func(_ *pulumi.Context, ct *cachetier.CacheTier) error {
				built = ct
				return nil
			}))
			require.NoError(t, err)
			g := cacheGroup(s)
			mode := c.args.Mode
			if mode == "" {
				mode = cachetier.ModeDisabled
			}
			assert.Equal(t, string(mode), str(g, "clusterMode"))
			assert.Equal(t, c.nodes, built.Topology.Nodes)
			assert.Equal(t, c.failover, cacheBool(g, "automaticFailoverEnabled"))
			assert.Equal(t, c.multiAZ, cacheBool(g, "multiAzEnabled"))
			if mode == cachetier.ModeEnabled {
				assert.Equal(t, c.shards, num(g, "numNodeGroups"))
				assert.Equal(t, c.perShard, num(g, "replicasPerNodeGroup"))
				assert.Nil(t, input(g, "numCacheClusters"))
				assert.Nil(t, input(g, "preferredCacheClusterAzs"))
			} else {
				assert.Equal(t, c.nodes, num(g, "numCacheClusters"))
				assert.Equal(t, c.zones, strs(g, "preferredCacheClusterAzs"), "the primary in AZ slot 0, replicas in the next zones")
				assert.Nil(t, input(g, "numNodeGroups"))
			}
			assert.True(t, strings.HasPrefix(s.Outputs["endpoint"].(string), c.endpoint), "endpoint %v", s.Outputs["endpoint"])
			assert.Equal(t, c.primary, s.Outputs["primary"] != "", "primary endpoint")
			assert.Equal(t, c.configuraton, s.Outputs["configuration"] != "", "configuration endpoint")
		})
	}
}

// The AUTH token is generated (64 characters, letters and digits) and every credential the record
// holds — the token in the group, the secret's value, the password itself — is a secret.
func TestCacheTierCredentialsAreSecret(t *testing.T) {
	var token pulumi.StringPtrOutput
	s, err := runProgram(t, "us-east-1", nil, cacheProgram(cachetier.Args{Replicas: 1}, func(_ *pulumi.Context, c *cachetier.CacheTier) error {
		token = c.ReplicationGroup.AuthToken
		return nil
	}))
	require.NoError(t, err)
	pw := s.Named(cacheTypePassword, "cache-auth-token")
	assert.Equal(t, cachetier.AuthTokenLength, num(pw, "length"))
	assert.False(t, cacheBool(pw, "special"), "no punctuation: ElastiCache refuses / \" @ %")
	assert.Equal(t, synth.SecretPlaceholder, pw.Outputs["result"], "the generated value comes back secret")

	secret := s.Named(cacheTypeSecret, "cache-connection")
	assert.Equal(t, s.Named(cacheTypeKey, "cache-key").Outputs["arn"], str(secret, "kmsKeyId"), "the secret is encrypted with the cache's key")
	version := s.Named(cacheTypeSecretVer, "cache-connection-value")
	assert.Equal(t, synth.SecretPlaceholder, str(version, "secretString"))
	assert.Equal(t, secret.ID, str(version, "secretId"))

	credential := map[string]bool{"authToken": true, "secretString": true, "password": true, "masterPassword": true, "result": true}
	checked := 0
	for _, r := range s.Resources {
		for _, fields := range []map[string]any{r.Inputs, r.Outputs} {
			for k, v := range fields {
				if credential[k] {
					checked++
					assert.Equal(t, synth.SecretPlaceholder, v, "%s %s: %s is recorded in plain text", r.Type, r.Name, k)
				}
			}
		}
	}
	assert.GreaterOrEqual(t, checked, 3)

	// The token itself appears nowhere in the plan, however deep.
	res, err := internals.UnsafeAwaitOutput(context.Background(), token)
	require.NoError(t, err)
	assert.True(t, res.Secret, "the group's token is a secret output")
	value, _ := res.Value.(*string)
	require.NotNil(t, value)
	assert.Len(t, *value, cachetier.AuthTokenLength)
	assert.Regexp(t, `^[A-Za-z0-9]+$`, *value)
	raw, err := json.Marshal(s.Plan)
	require.NoError(t, err)
	assert.NotContains(t, string(raw), *value)
}

// The connection secret holds what a client needs, for the mode's endpoint: host, port, the AUTH
// token, engine and cluster mode, as JSON. (Read through a transformation, as the record shows it only
// as "[secret]".)
func TestCacheTierConnectionSecret(t *testing.T) {
	cases := map[string]cachetier.Args{
		"valkey, disabled": {Replicas: 1},
		"redis, enabled":   {Mode: cachetier.ModeEnabled, Shards: 2, ReplicasPerShard: 1, Engine: cachetier.EngineRedis},
	}
	for name, args := range cases {
		t.Run(name, func(t *testing.T) {
			var value pulumi.StringPtrInput
			var token pulumi.StringPtrOutput
			capture := pulumi.Transformations([]pulumi.ResourceTransformation{func(a *pulumi.ResourceTransformationArgs) *pulumi.ResourceTransformationResult {
				if v, ok := a.Props.(*secretsmanager.SecretVersionArgs); ok && a.Type == cacheTypeSecretVer {
					value = v.SecretString
				}
				return nil
			}})
			s, err := runProgram(t, "us-east-1", nil, cacheProgram(args, func(_ *pulumi.Context, c *cachetier.CacheTier) error {
				token = c.ReplicationGroup.AuthToken
				return nil
			}, capture))
			require.NoError(t, err)
			require.NotNil(t, value)
			res, err := internals.UnsafeAwaitOutput(context.Background(), value.ToStringPtrOutput())
			require.NoError(t, err)
			assert.True(t, res.Secret)
			var conn map[string]any
			require.NoError(t, json.Unmarshal([]byte(*res.Value.(*string)), &conn))
			tok, err := internals.UnsafeAwaitOutput(context.Background(), token)
			require.NoError(t, err)

			wantEngine, wantMode := "valkey", "disabled"
			if args.Mode == cachetier.ModeEnabled {
				wantEngine, wantMode = "redis", "enabled"
			}
			assert.Equal(t, map[string]any{
				"host": s.Outputs["endpoint"], "port": float64(cachetier.Port), "authToken": *tok.Value.(*string),
				"engine": wantEngine, "clusterMode": wantMode,
			}, conn)
		})
	}
}

// The cache's security group has no inline rules and admits nobody; AllowFrom adds one rule resource
// per client: TCP on the cache's port only, from the client's security group, never a CIDR range.
func TestCacheTierSecurityGroupAndAllowFrom(t *testing.T) {
	closed := buildCache(t, cachetier.Args{})
	sg := closed.Named(typeSecurityGroup, "cache-sg")
	for _, inline := range []string{"ingress", "egress"} {
		assert.Empty(t, input(sg, inline), "no inline %s block", inline)
	}
	assert.Zero(t, closed.Count(cacheTypeRule), "no client until one is admitted")

	s, err := runProgram(t, "us-east-1", nil, cacheProgram(cachetier.Args{}, func(ctx *pulumi.Context, c *cachetier.CacheTier) error {
		_, err := c.AllowFrom(ctx, "web", pulumi.String(cacheClientSG))
		return err
	}))
	require.NoError(t, err)
	rule := s.Named(cacheTypeRule, "cache-allow-web")
	assert.Equal(t, "ingress", str(rule, "type"))
	assert.Equal(t, "tcp", str(rule, "protocol"))
	assert.Equal(t, cachetier.Port, num(rule, "fromPort"))
	assert.Equal(t, cachetier.Port, num(rule, "toPort"))
	assert.Equal(t, cacheClientSG, str(rule, "sourceSecurityGroupId"))
	assert.Equal(t, s.Named(typeSecurityGroup, "cache-sg").ID, str(rule, "securityGroupId"))
	assert.Nil(t, input(rule, "cidrBlocks"))
	assert.Equal(t, cacheTypeComponent, s.ByURN(rule.Parent).Type, "the rule is the CacheTier's child")
	assert.Equal(t, 1, s.Count(cacheTypeRule))

	refusals := []struct {
		name  string
		allow func(*pulumi.Context, *cachetier.CacheTier) error
		want  string
	}{
		{"a client twice", func(ctx *pulumi.Context, c *cachetier.CacheTier) error {
			if _, err := c.AllowFrom(ctx, "web", pulumi.String(cacheClientSG)); err != nil {
				return err
			}
			_, err := c.AllowFrom(ctx, "web", pulumi.String("sg-0c11e47000000000b"))
			return err
		}, `client "web" is already admitted`},
		{"an odd client name", func(ctx *pulumi.Context, c *cachetier.CacheTier) error {
			_, err := c.AllowFrom(ctx, "Web Servers", pulumi.String(cacheClientSG))
			return err
		}, `client name "Web Servers" is not allowed`},
		{"no security group", func(ctx *pulumi.Context, c *cachetier.CacheTier) error {
			_, err := c.AllowFrom(ctx, "web", nil)
			return err
		}, "CIDR ranges are never admitted"},
	}
	for _, r := range refusals {
		t.Run(r.name, func(t *testing.T) {
			_, err := runProgram(t, "us-east-1", nil, cacheProgram(cachetier.Args{}, r.allow))
			require.Error(t, err)
			assert.Contains(t, err.Error(), r.want)
		})
	}
}

// Two parameter groups of the engine version's family, cluster-enabled no and yes, both with the
// user's parameters; the mode picks which the group uses.
func TestCacheTierParameterGroups(t *testing.T) {
	families := []struct {
		engine  cachetier.Engine
		version string
		family  string
	}{
		{"", "", "valkey8"},
		{cachetier.EngineValkey, "7.2", "valkey7"},
		{cachetier.EngineValkey, "8.1", "valkey8"},
		{cachetier.EngineRedis, "", "redis7"},
		{cachetier.EngineRedis, "7.0", "redis7"},
	}
	for _, f := range families {
		t.Run(fmt.Sprintf("%s %s", f.engine, f.version), func(t *testing.T) {
			s := buildCache(t, cachetier.Args{Engine: f.engine, EngineVersion: f.version})
			assert.Equal(t, 2, s.Count(cacheTypeParams))
			for _, pg := range s.All(cacheTypeParams) {
				assert.Equal(t, f.family, str(pg, "family"), pg.Name)
			}
		})
	}

	for _, mode := range cachetier.ClusterModes() {
		t.Run(string(mode), func(t *testing.T) {
			args := cachetier.Args{Mode: mode, Parameters: map[string]string{"maxmemory-policy": "volatile-lru"}}
			if mode == cachetier.ModeEnabled {
				args.ReplicasPerShard = 1
			} else {
				args.Replicas = 1
			}
			s := buildCache(t, args)
			plain := s.Named(cacheTypeParams, "cache-params")
			cluster := s.Named(cacheTypeParams, "cache-cluster-params")
			for pg, enabled := range map[*synth.Resource]string{&plain: "no", &cluster: "yes"} {
				params := map[string]string{}
				for i := range len(input(*pg, "parameters").([]any)) {
					params[str(*pg, fmt.Sprintf("parameters.%d.name", i))] = str(*pg, fmt.Sprintf("parameters.%d.value", i))
				}
				assert.Equal(t, map[string]string{"cluster-enabled": enabled, "maxmemory-policy": "volatile-lru"}, params, pg.Name)
			}
			want := cluster
			if mode == cachetier.ModeDisabled {
				want = plain
			}
			assert.Equal(t, want.Outputs["name"], str(cacheGroup(s), "parameterGroupName"))
		})
	}
}

// Daily snapshots with a retention and a window, a maintenance window apart from it, a stable final
// snapshot, and both logs delivered to log groups with a retention.
func TestCacheTierSnapshotsAndLogs(t *testing.T) {
	s := buildCache(t, cachetier.Args{})
	g := cacheGroup(s)
	assert.Equal(t, cachetier.DefaultSnapshotRetentionDays, num(g, "snapshotRetentionLimit"))
	assert.Equal(t, cachetier.DefaultSnapshotWindow, str(g, "snapshotWindow"))
	assert.Equal(t, cachetier.DefaultMaintenanceWindow, str(g, "maintenanceWindow"))
	assert.Equal(t, "cache-tierstack-plan-final", str(g, "finalSnapshotIdentifier"), "from the component, project and stack names")
	assert.Equal(t, cachetier.FinalSnapshotIdentifier("tierstack", "plan", "cache"), str(g, "finalSnapshotIdentifier"))

	deliveries := map[string]string{}
	for i := range 2 {
		p := fmt.Sprintf("logDeliveryConfigurations.%d.", i)
		assert.Equal(t, "cloudwatch-logs", str(g, p+"destinationType"))
		assert.Equal(t, "json", str(g, p+"logFormat"))
		deliveries[str(g, p+"logType")] = str(g, p+"destination")
	}
	for _, logType := range []string{"slow-log", "engine-log"} {
		group := s.Named(typeLogGroup, "cache-"+logType)
		assert.Equal(t, group.Outputs["name"], deliveries[logType], logType)
		assert.Equal(t, cachetier.DefaultLogRetentionDays, num(group, "retentionInDays"))
		assert.True(t, group.RetainOnDelete, "%s is kept when the cache goes", logType)
	}

	custom := cacheGroup(buildCache(t, cachetier.Args{SnapshotRetentionDays: 35, SnapshotWindow: "22:30-23:30",
		MaintenanceWindow: "sat:23:45-sun:01:00", LogRetentionDays: 90}))
	assert.Equal(t, 35, num(custom, "snapshotRetentionLimit"))
	assert.Equal(t, "22:30-23:30", str(custom, "snapshotWindow"))
	assert.Equal(t, "sat:23:45-sun:01:00", str(custom, "maintenanceWindow"))

	for _, w := range [][2]string{{"23:30-00:30", "sun:05:00-sun:06:00"}, {"03:00-04:00", "sat:23:30-sun:00:30"}, {"04:00-05:00", "sun:05:00-sun:06:00"}} {
		assert.NoError(t, (&cachetier.Args{SnapshotWindow: w[0], MaintenanceWindow: w[1]}).Validate(), "%s and %s share no minute", w[0], w[1])
	}

	off := cacheGroup(buildCache(t, cachetier.Args{DisableSnapshots: true}))
	assert.Equal(t, 0, num(off, "snapshotRetentionLimit"), "retention 0 turns snapshots off")
	assert.Nil(t, input(off, "snapshotWindow"))
	assert.NotEmpty(t, str(off, "finalSnapshotIdentifier"), "the final snapshot is taken even so")
}

// The group and its key are protected unless Unprotected; the key is kept in AWS either way. Nothing
// is deleted before its replacement exists.
func TestCacheTierProtection(t *testing.T) {
	for _, unprotected := range []bool{false, true} {
		t.Run(fmt.Sprintf("unprotected=%v", unprotected), func(t *testing.T) {
			s := buildCache(t, cachetier.Args{Unprotected: unprotected})
			g, key := cacheGroup(s), s.Named(cacheTypeKey, "cache-key")
			assert.Equal(t, !unprotected, g.Protect)
			assert.Equal(t, !unprotected, key.Protect)
			assert.True(t, key.RetainOnDelete, "snapshots outlive the stack, so does their key")
			assert.False(t, g.DeleteBeforeReplace, "a replacement group would be created before the old one goes")
		})
	}
}

// Bad input is refused before anything of the cache is registered, with an error naming the field,
// the value and what is allowed; Validate gives the same answer without an engine.
func TestCacheTierRefusesBadInput(t *testing.T) {
	networkOnly, err := runProgram(t, "us-east-1", nil, func(ctx *pulumi.Context) (pulumi.Map, error) {
		_, err := network.New(ctx, "net", &network.Args{AvailabilityZones: cacheZones})
		return nil, err
	})
	require.NoError(t, err)
	cases := []struct {
		name string
		args cachetier.Args
		want []string
	}{
		{"unknown engine", cachetier.Args{Engine: "memcached"}, []string{`engine "memcached"`, "valkey, redis"}},
		{"unknown version", cachetier.Args{EngineVersion: "6.2"}, []string{`engineVersion "6.2"`, "7.2, 8.0, 8.1, 8.2"}},
		{"redis version on valkey", cachetier.Args{EngineVersion: "7.1"}, []string{`engineVersion "7.1"`, "engine valkey"}},
		{"unknown mode", cachetier.Args{Mode: "sharded"}, []string{`mode "sharded"`, "disabled, compatible, enabled"}},
		{"too many replicas", cachetier.Args{Replicas: 6}, []string{"replicas 6", "0 to 5"}},
		{"negative replicas", cachetier.Args{Replicas: -1}, []string{"replicas -1", "0 to 5"}},
		{"too many replicas per shard", cachetier.Args{Mode: cachetier.ModeEnabled, ReplicasPerShard: 6}, []string{"replicasPerShard 6", "0 to 5"}},
		{"too many shards", cachetier.Args{Mode: cachetier.ModeEnabled, Shards: 501}, []string{"shards 501", "1 to 500"}},
		{"shards in mode disabled", cachetier.Args{Shards: 2}, []string{"shards 2 in mode disabled", "always has one shard"}},
		{"replicasPerShard in mode disabled", cachetier.Args{ReplicasPerShard: 1}, []string{"replicasPerShard 1 in mode disabled", "allowed: 0"}},
		{"replicas in mode enabled", cachetier.Args{Mode: cachetier.ModeEnabled, Replicas: 2}, []string{"replicas 2 in mode enabled", "replicasPerShard"}},
		{"compatible without a replica", cachetier.Args{Mode: cachetier.ModeCompatible}, []string{"replicas 0 in mode compatible", "at least one replica"}},
		{"over AWS's node ceiling", cachetier.Args{Mode: cachetier.ModeEnabled, Shards: 100, ReplicasPerShard: 5}, []string{"600 nodes", "at most 500"}},
		{"not a cache node type", cachetier.Args{NodeType: "t4g.small"}, []string{`nodeType "t4g.small"`, "cache.<family>.<size>"}},
		{"unknown node family", cachetier.Args{NodeType: "cache.x9z.large"}, []string{`nodeType "cache.x9z.large"`, "family x9z", "t4g"}},
		{"data tiering family", cachetier.Args{NodeType: "cache.r6gd.xlarge"}, []string{"family r6gd", "allowed families"}},
		{"cluster-enabled by hand", cachetier.Args{Parameters: map[string]string{"cluster-enabled": "yes"}}, []string{`parameters "cluster-enabled"`, "set by the mode"}},
		{"empty parameter", cachetier.Args{Parameters: map[string]string{"maxmemory-policy": ""}}, []string{`parameters "maxmemory-policy"`, "a parameter name and a value"}},
		{"retention too long", cachetier.Args{SnapshotRetentionDays: 36}, []string{"snapshotRetentionDays 36", "1 to 35"}},
		{"negative retention", cachetier.Args{SnapshotRetentionDays: -1}, []string{"snapshotRetentionDays -1", "1 to 35"}},
		{"retention with snapshots off", cachetier.Args{DisableSnapshots: true, SnapshotRetentionDays: 7}, []string{"snapshotRetentionDays 7 with disableSnapshots", "0 when snapshots are off"}},
		{"malformed snapshot window", cachetier.Args{SnapshotWindow: "3:00-4:00"}, []string{`snapshotWindow "3:00-4:00"`, "hh24:mi-hh24:mi"}},
		{"short snapshot window", cachetier.Args{SnapshotWindow: "03:00-03:30"}, []string{`snapshotWindow "03:00-03:30" lasts 30 minutes`, "at least 60 minutes"}},
		{"malformed maintenance window", cachetier.Args{MaintenanceWindow: "Sun:05:00-Sun:06:00"}, []string{`maintenanceWindow "Sun:05:00-Sun:06:00"`, "ddd:hh24:mi-ddd:hh24:mi"}},
		{"maintenance window over a day", cachetier.Args{MaintenanceWindow: "sun:05:00-mon:06:00"}, []string{"lasts 1500 minutes", "60 minutes to 24 hours"}},
		{"overlapping windows", cachetier.Args{SnapshotWindow: "05:30-06:30"}, []string{`snapshotWindow "05:30-06:30" overlaps maintenanceWindow "sun:05:00-sun:06:00"`, "share no minute"}},
		{"overlap across the week's end", cachetier.Args{SnapshotWindow: "23:00-01:00", MaintenanceWindow: "sun:00:00-sun:02:00"}, []string{"overlaps", "share no minute"}},
		{"bad log retention", cachetier.Args{LogRetentionDays: 10}, []string{"logRetentionDays 10", "CloudWatch Logs retention"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s, err := runProgram(t, "us-east-1", nil, cacheProgram(c.args, nil))
			require.Error(t, err)
			for _, w := range c.want {
				assert.Contains(t, err.Error(), w)
			}
			assert.Len(t, s.Resources, len(networkOnly.Resources), "nothing of the cache is registered")
			assert.Zero(t, s.Count(cacheTypeComponent))
			verr := c.args.Validate()
			require.Error(t, verr, "Validate refuses it too")
			assert.Equal(t, err.Error(), verr.Error())
		})
	}

	_, err = runProgram(t, "us-east-1", nil, func(ctx *pulumi.Context) (pulumi.Map, error) {
		_, err := cachetier.New(ctx, "cache", &cachetier.Args{})
		return nil, err
	})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "network is required")
	assert.NoError(t, (&cachetier.Args{}).Validate(), "Validate leaves the Network to New")

	longest := strings.Repeat("c", 40-8-len("-group"))
	names := []struct {
		name string
		want []string
	}{
		{longest + "c", []string{fmt.Sprintf("has %d characters", len(longest)+1), fmt.Sprintf("at most %d", len(longest)), "40-character limit"}},
		{"my--cache", []string{`"my--cache"`, "no two in a row"}},
		{"cache-", []string{`"cache-"`, "no hyphen at the end"}},
		{"1cache", []string{`"1cache"`, "a letter, then"}},
	}
	for _, n := range names {
		s, err := runProgram(t, "us-east-1", nil, func(ctx *pulumi.Context) (pulumi.Map, error) {
			net, err := network.New(ctx, "net", &network.Args{AvailabilityZones: cacheZones})
			if err != nil {
				return nil, err
			}
			_, err = cachetier.New(ctx, n.name, &cachetier.Args{Network: net})
			return nil, err
		})
		require.Error(t, err, n.name)
		for _, w := range n.want {
			assert.Contains(t, err.Error(), w)
		}
		assert.Len(t, s.Resources, len(networkOnly.Resources), "%q: nothing of the cache is registered", n.name)
	}
	ok, err := runProgram(t, "us-east-1", nil, func(ctx *pulumi.Context) (pulumi.Map, error) {
		net, err := network.New(ctx, "net", &network.Args{AvailabilityZones: cacheZones})
		if err != nil {
			return nil, err
		}
		_, err = cachetier.New(ctx, longest, &cachetier.Args{Network: net})
		return nil, err
	})
	require.NoError(t, err)
	id, _ := ok.Named(cacheTypeGroup, longest+"-group").Outputs["replicationGroupId"].(string)
	assert.Len(t, id, 40, "the longest name fills AWS's limit exactly")
}

// The cluster mode rule: stay, or one step forward; never two at once, never back.
func TestCheckModeChange(t *testing.T) {
	const (
		d = cachetier.ModeDisabled
		c = cachetier.ModeCompatible
		e = cachetier.ModeEnabled
	)
	cases := []struct {
		from, to cachetier.ClusterMode
		want     []string // nil: allowed
	}{
		{d, d, nil}, {c, c, nil}, {e, e, nil},
		{"", d, nil}, {"", c, nil},
		{d, c, nil},
		{c, e, nil},
		{d, e, []string{"disabled → enabled cannot be one pulumi up", "set mode compatible", "pulumi up", "configuration endpoint", "shards 1", "Raise shards"}},
		{"", e, []string{"disabled → enabled cannot be one pulumi up"}},
		{c, d, []string{"compatible → disabled is not possible", "cannot revert"}},
		{e, c, []string{"enabled → compatible is not possible", "cannot revert"}},
		{e, d, []string{"enabled → disabled is not possible", "restored from a snapshot"}},
		{d, "sharded", []string{`mode "sharded" is not known`, "disabled, compatible, enabled"}},
		{"on", e, []string{`mode "on" is not known`}},
	}
	for _, tc := range cases {
		t.Run(fmt.Sprintf("%q→%q", tc.from, tc.to), func(t *testing.T) {
			err := cachetier.CheckModeChange(tc.from, tc.to)
			if tc.want == nil {
				assert.NoError(t, err)
				return
			}
			require.Error(t, err)
			for _, w := range tc.want {
				assert.Contains(t, err.Error(), w)
			}
		})
	}
}

// The whole check between two settings: the mode rule, the engine and its version, and AWS's "no
// other change with the mode" and "nothing while compatible".
func TestCheckChange(t *testing.T) {
	disabled := cachetier.Args{Replicas: 1}
	compatible := cachetier.Args{Mode: cachetier.ModeCompatible, Replicas: 1}
	enabled1 := cachetier.Args{Mode: cachetier.ModeEnabled, Shards: 1, ReplicasPerShard: 1}
	enabled3 := cachetier.Args{Mode: cachetier.ModeEnabled, Shards: 3, ReplicasPerShard: 1}
	with := func(a cachetier.Args, f func(*cachetier.Args)) cachetier.Args { f(&a); return a }
	cases := []struct {
		name     string
		from, to cachetier.Args
		want     []string
	}{
		{"no change", disabled, disabled, nil},
		{"a replica in mode disabled", cachetier.Args{}, disabled, nil},
		{"disabled → compatible", disabled, compatible, nil},
		{"compatible → enabled, 1 shard", compatible, enabled1, nil},
		{"more shards in mode enabled", enabled1, enabled3, nil},
		{"bigger nodes in mode enabled", enabled3, with(enabled3, func(a *cachetier.Args) { a.NodeType = "cache.r7g.large" }), nil},
		{"engine upgrade in mode disabled", disabled, with(disabled, func(a *cachetier.Args) { a.EngineVersion = "8.1" }), nil},
		{"redis → valkey", cachetier.Args{Engine: cachetier.EngineRedis}, cachetier.Args{}, nil},
		{"disabled → enabled", disabled, enabled1, []string{"disabled → enabled cannot be one pulumi up"}},
		{"back to disabled", compatible, disabled, []string{"compatible → disabled is not possible"}},
		{"a replica with the mode", cachetier.Args{}, compatible, []string{"mode disabled → compatible with replicas changed", "the mode change alone"}},
		{"3 shards with the mode", compatible, enabled3, []string{"mode compatible → enabled with shards changed"}},
		{"scaling while compatible", compatible, with(compatible, func(a *cachetier.Args) { a.NodeType = "cache.m7g.large" }), []string{"nodeType changed in mode compatible", "no scaling or engine change"}},
		{"an upgrade while compatible", compatible, with(compatible, func(a *cachetier.Args) { a.EngineVersion = "8.1" }), []string{"engineVersion changed in mode compatible"}},
		{"valkey → redis", cachetier.Args{}, cachetier.Args{Engine: cachetier.EngineRedis}, []string{"engine valkey → redis replaces the replication group"}},
		{"a downgrade", cachetier.Args{EngineVersion: "8.1"}, cachetier.Args{EngineVersion: "8.0"}, []string{"engineVersion 8.1 → 8.0 is a downgrade", "8.1 or later"}},
		{"bad new settings", disabled, cachetier.Args{Replicas: 9}, []string{"replicas 9"}},
		{"bad old settings", cachetier.Args{Replicas: 9}, disabled, []string{"the earlier settings", "replicas 9"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := cachetier.CheckChange(&c.from, &c.to)
			if c.want == nil {
				assert.NoError(t, err)
				return
			}
			require.Error(t, err)
			for _, w := range c.want {
				assert.Contains(t, err.Error(), w)
			}
		})
	}
}

// The move to cluster mode never replaces or deletes the replication group, nor anything stateful:
// disabled (one replica) → compatible → enabled with one shard → enabled with three shards, each step
// one pulumi up that CheckChange allows, judged by the engine's replacement rules. Going straight
// from disabled to enabled is refused.
func TestCacheTierModePathNeverReplacesTheGroup(t *testing.T) {
	rules, err := synth.ReplacementRules()
	require.NoError(t, err)
	path := []struct {
		name   string
		args   cachetier.Args
		keys   []string // what changes on the group in this step
		secret bool     // the connection secret's text changes (host or mode): a new version
	}{
		{"disabled, lone primary", cachetier.Args{}, nil, false},
		{"disabled, 1 replica", cachetier.Args{Replicas: 1}, []string{"automaticFailoverEnabled", "multiAzEnabled", "numCacheClusters", "preferredCacheClusterAzs"}, false},
		{"compatible", cachetier.Args{Mode: cachetier.ModeCompatible, Replicas: 1}, []string{"clusterMode", "parameterGroupName"}, true},
		{"enabled, 1 shard", cachetier.Args{Mode: cachetier.ModeEnabled, Shards: 1, ReplicasPerShard: 1}, []string{"clusterMode", "numCacheClusters", "numNodeGroups", "preferredCacheClusterAzs", "replicasPerNodeGroup"}, true},
		{"enabled, 3 shards", cachetier.Args{Mode: cachetier.ModeEnabled, Shards: 3, ReplicasPerShard: 1}, []string{"numNodeGroups"}, false},
	}
	plans := make([]*synth.Plan, len(path))
	for i, step := range path {
		plans[i] = buildCache(t, step.args).Plan
		for _, r := range plans[i].Resources {
			if r.Custom {
				assert.True(t, rules.Knows(r.Type), "no replacement rules for %s", r.Type)
			}
		}
	}
	for i := 1; i < len(path); i++ {
		t.Run(path[i-1].name+" → "+path[i].name, func(t *testing.T) {
			require.NoError(t, cachetier.CheckChange(&path[i-1].args, &path[i].args))
			changes := synth.Diff(plans[i-1], plans[i], rules)
			assert.Empty(t, synth.Unsafe(changes), "nothing stateful loses its state")
			var group *synth.Change
			secretReplaced := false
			for j, c := range changes {
				if c.Name == "cache-connection-value" {
					secretReplaced = c.Action == synth.Replace
					continue
				}
				assert.NotEqual(t, synth.Replace, c.Action, "%s %s is replaced by %v", c.Type, c.Name, c.ReplacedBy)
				assert.NotEqual(t, synth.Delete, c.Action, "%s %s is deleted", c.Type, c.Name)
				assert.False(t, c.Unknown, "%s has no replacement rules", c.Type)
				if c.Type == cacheTypeGroup {
					group = &changes[j]
				}
			}
			assert.Equal(t, path[i].secret, secretReplaced, "a new version of the connection secret")
			require.NotNil(t, group, "the step changes the group")
			assert.Equal(t, synth.Update, group.Action)
			assert.Equal(t, path[i].keys, group.Keys)
			assert.Empty(t, group.ReplacedBy)
		})
	}
	// From the first plan to the last in one diff (as plan --from would compare them), the group is
	// still only updated; but the modes say no to skipping the compatible step.
	for _, c := range synth.Diff(plans[0], plans[len(plans)-1], rules) {
		if c.Type == cacheTypeGroup {
			assert.Equal(t, synth.Update, c.Action)
		}
	}
	err = cachetier.CheckModeChange(cachetier.ModeDisabled, cachetier.ModeEnabled)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "cannot be one pulumi up")
	assert.Error(t, cachetier.CheckChange(&path[1].args, &path[3].args))
}

// The CacheTier warns, on itself, when its nodes pass the default quota, and while it is in the
// compatible step.
func TestCacheTierWarnings(t *testing.T) {
	big := buildCache(t, cachetier.Args{Mode: cachetier.ModeEnabled, Shards: 20, ReplicasPerShard: 4})
	component := big.Named(cacheTypeComponent, "cache")
	assert.True(t, hasWarning(big.Plan, component.URN, "100 nodes, over the default quota of 90"), "%v", big.Warnings)
	quota := buildCache(t, cachetier.Args{Mode: cachetier.ModeEnabled, Shards: 15, ReplicasPerShard: 5})
	assert.False(t, hasWarning(quota.Plan, "", "default quota"), "90 nodes fit the default quota")

	compatible := buildCache(t, cachetier.Args{Mode: cachetier.ModeCompatible, Replicas: 2})
	assert.True(t, hasWarning(compatible.Plan, compatible.Named(cacheTypeComponent, "cache").URN, "set mode enabled (shards 1, replicasPerShard 2)"))
	assert.False(t, hasWarning(buildCache(t, cachetier.Args{}).Plan, "", "cachetier"), "a plain cache warns of nothing")
}

// In GovCloud and China the key policy, the ARNs and the endpoints use the region's partition.
func TestCacheTierUsesTheRegionsPartition(t *testing.T) {
	for region, partition := range map[string]string{"cn-north-1": "aws-cn", "us-gov-west-1": "aws-us-gov"} {
		t.Run(region, func(t *testing.T) {
			zones := []string{region + "a", region + "b"}
			if region == "cn-north-1" {
				zones = []string{"cn-north-1a", "cn-north-1b"}
			}
			s, err := runProgram(t, region, nil, func(ctx *pulumi.Context) (pulumi.Map, error) {
				net, err := network.New(ctx, "net", &network.Args{AvailabilityZones: zones})
				if err != nil {
					return nil, err
				}
				c, err := cachetier.New(ctx, "cache", &cachetier.Args{Network: net, Replicas: 1})
				if err != nil {
					return nil, err
				}
				return pulumi.Map{"endpoint": c.Endpoint}, nil
			})
			require.NoError(t, err)
			assert.Contains(t, str(s.Named(cacheTypeKey, "cache-key"), "policy"), "arn:"+partition+":iam::")
			assert.True(t, strings.HasPrefix(str(cacheGroup(s), "kmsKeyId"), "arn:"+partition+":kms:"))
			if region == "cn-north-1" {
				assert.True(t, strings.HasSuffix(s.Outputs["endpoint"].(string), ".amazonaws.com.cn"), "%v", s.Outputs["endpoint"])
			}
		})
	}
}

// A preview, where IDs and computed values are unknown: the AUTH token and the connection secret are
// secrets whose value is unknown, which the offline engine carries as the real engine does.
func TestCacheTierPreview(t *testing.T) {
	update := buildCache(t, cachetier.Args{Replicas: 1})
	preview, err := synth.Run(cacheProgram(cachetier.Args{Replicas: 1}, nil), synth.Options{Region: "us-east-1", Preview: true})
	require.NoError(t, err)
	require.Len(t, preview.Resources, len(update.Resources))
	for i, r := range preview.Resources {
		assert.Equal(t, update.Resources[i].URN, r.URN)
	}
	p := stack{Plan: preview, t: t}
	assert.Equal(t, synth.SecretPlaceholder, str(p.Named(typeSecretVersion, "cache-connection-value"), "secretString"))
	assert.Equal(t, synth.UnknownPlaceholder, preview.Outputs["endpoint"])
}

// The pure planners: topology, node placement, the final snapshot's name, engine families and the
// names users type.
func TestCacheTierPlanners(t *testing.T) {
	topologies := []struct {
		mode                       cachetier.ClusterMode
		replicas, shards, perShard int
		want                       cachetier.Topology
	}{
		{cachetier.ModeDisabled, 0, 0, 0, cachetier.Topology{Shards: 1, Nodes: 1}},
		{cachetier.ModeDisabled, 2, 0, 0, cachetier.Topology{Shards: 1, ReplicasPerShard: 2, Nodes: 3, AutomaticFailover: true, MultiAZ: true}},
		{cachetier.ModeCompatible, 1, 0, 0, cachetier.Topology{Shards: 1, ReplicasPerShard: 1, Nodes: 2, AutomaticFailover: true, MultiAZ: true}},
		{cachetier.ModeEnabled, 0, 0, 0, cachetier.Topology{Shards: 1, Nodes: 1, AutomaticFailover: true}},
		{cachetier.ModeEnabled, 0, 500, 0, cachetier.Topology{Shards: 500, Nodes: 500, AutomaticFailover: true}},
		{cachetier.ModeEnabled, 0, 15, 5, cachetier.Topology{Shards: 15, ReplicasPerShard: 5, Nodes: 90, AutomaticFailover: true, MultiAZ: true}},
	}
	for _, c := range topologies {
		got := cachetier.PlanTopology(c.mode, c.replicas, c.shards, c.perShard)
		assert.Equal(t, c.want, got, "%s %d/%d/%d", c.mode, c.replicas, c.shards, c.perShard)
	}

	zones := []string{"a", "b"}
	assert.Equal(t, []string{"a"}, cachetier.PlaceNodes(zones, 0))
	assert.Equal(t, []string{"a", "b", "a", "b"}, cachetier.PlaceNodes(zones, 3))
	assert.Nil(t, cachetier.PlaceNodes(nil, 2))

	snapshots := []struct{ project, stack, name, want string }{
		{"tierstack", "prod", "cache", "cache-tierstack-prod-final"},
		{"my_shop", "Prod.EU", "Cache", "cache-my-shop-prod-eu-final"},
		{"shop", "org/team--dev", "c", "c-shop-org-team-dev-final"},
	}
	for _, c := range snapshots {
		assert.Equal(t, c.want, cachetier.FinalSnapshotIdentifier(c.project, c.stack, c.name))
		assert.Equal(t, c.want, cachetier.FinalSnapshotIdentifier(c.project, c.stack, c.name), "stable")
	}

	for _, e := range cachetier.Engines() {
		assert.Contains(t, cachetier.EngineVersions(e), cachetier.DefaultEngineVersion(e), "%s's default is a version it accepts", e)
	}
	assert.Equal(t, "valkey8", cachetier.ParameterGroupFamily(cachetier.EngineValkey, "8.0"))
	assert.Equal(t, "redis7", cachetier.ParameterGroupFamily(cachetier.EngineRedis, "7.1"))
	assert.Empty(t, cachetier.ParameterGroupFamily(cachetier.EngineRedis, "8.0"))

	mode, err := cachetier.ParseClusterMode("Enabled")
	require.NoError(t, err)
	assert.Equal(t, cachetier.ModeEnabled, mode)
	_, err = cachetier.ParseClusterMode("on")
	assert.ErrorContains(t, err, `mode "on" is not known (allowed: disabled, compatible, enabled)`)
	engine, err := cachetier.ParseEngine("VALKEY")
	require.NoError(t, err)
	assert.Equal(t, cachetier.EngineValkey, engine)
	_, err = cachetier.ParseEngine("memcached")
	assert.ErrorContains(t, err, `engine "memcached" is not known (allowed: valkey, redis)`)
}
