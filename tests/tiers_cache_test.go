package tests

import (
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tierstack/tierstack/cli"
	"github.com/tierstack/tierstack/components/drregion"
	"github.com/tierstack/tierstack/synth"
	"github.com/tierstack/tierstack/tiers"
)

// What each tier's cache is: none at 100, a primary and a replica at 10k, shards from 100k.
func TestCachePerTier(t *testing.T) {
	cases := []struct {
		tier     tiers.Tier
		present  bool
		mode     string
		nodes    int // numCacheClusters in cluster mode disabled
		shards   int
		perShard int
		nodeType string
	}{
		{tiers.Tier100, false, "", 0, 0, 0, ""},
		{tiers.Tier10k, true, "disabled", 2, 0, 0, "cache.t4g.small"},
		{tiers.Tier100k, true, "enabled", 0, 2, 1, "cache.m7g.large"},
		{tiers.Tier1M, true, "enabled", 0, 4, 2, "cache.r7g.large"},
	}
	for _, c := range cases {
		t.Run(string(c.tier), func(t *testing.T) {
			s := planTier(t, tierConfig(c.tier))
			if !c.present {
				assert.Zero(t, s.Count(cacheTypeGroup))
				assert.NotContains(t, s.Outputs, "cacheEndpoint")
				return
			}
			g := s.Named(cacheTypeGroup, "cache-group")
			assert.Equal(t, c.mode, str(g, "clusterMode"))
			assert.Equal(t, "valkey", str(g, "engine"))
			assert.Equal(t, c.nodeType, str(g, "nodeType"))
			assert.Equal(t, true, input(g, "automaticFailoverEnabled"))
			assert.Equal(t, true, input(g, "multiAzEnabled"))
			if c.mode == "disabled" {
				assert.Equal(t, c.nodes, num(g, "numCacheClusters"))
			} else {
				assert.Equal(t, c.shards, num(g, "numNodeGroups"))
				assert.Equal(t, c.perShard, num(g, "replicasPerNodeGroup"))
			}
			assert.Equal(t, c.mode, s.Outputs["cacheClusterMode"])
			assert.NotEmpty(t, s.Outputs["cacheEndpoint"])
			assert.Equal(t, s.Named(cacheTypeSecret, "cache-connection").Outputs["arn"], s.Outputs["cacheSecretArn"])
		})
	}
}

// From 100k up the cache runs in cluster mode, which AWS reaches from a running group one step per
// pulumi up: pulumi up refuses to guess whether the group is new or grown from 10k, and says the
// steps; a plan assumes enabled and warns.
func TestCacheClusterModeMustBeStated(t *testing.T) {
	for _, tier := range []tiers.Tier{tiers.Tier100k, tiers.Tier1M} {
		cfg := tierConfig(tier)
		delete(cfg, "tierstack:cache")
		s, err := runProgram(t, "", cfg, tiers.Program)
		require.Error(t, err, "tier %s", tier)
		for _, want := range []string{"tierstack:cache clusterMode is not set", "allowed: enabled for a new stack", "compatible, then enabled", "1) with at least 1 replica", "pulumi up"} {
			assert.Contains(t, err.Error(), want)
		}
		assert.Empty(t, s.Resources, "tier %s: nothing registered", tier)

		plan, err := runProgram(t, "", cfg, tiers.PlanProgram)
		require.NoError(t, err)
		assert.Equal(t, "enabled", plan.Outputs["cacheClusterMode"])
		assert.True(t, hasWarning(plan.Plan, "", "a plan assumes enabled"))
	}
	// The direct jump replaces nothing, but AWS refuses it: the check says so and fails.
	code, out, _ := runPlan("--tier", "100k", "--from", "10k")
	require.Equal(t, cli.ExitUnsafe, code)
	assert.Regexp(t, `~ update\s+elasticache\.ReplicationGroup\s+cache-group\s+clusterMode,.*refused by AWS: cluster mode disabled → enabled: AWS goes through compatible`, out)
	assert.NotRegexp(t, `\+- replace\s+elasticache`, out, "no replacement of the group")
}

// The walk from 10k to 100k that AWS allows, one config change and one pulumi up at a time, updates
// the group in place at every step and never replaces or deletes anything stateful. The connection
// secret gets a new version (the engine replaces a secret version whose text changes) at the two
// mode steps, where its host or mode changes, and at no other.
func TestCacheWalkToClusterModeInPlace(t *testing.T) {
	steps := []struct {
		tier   tiers.Tier
		cache  string
		mode   string
		keys   []string // the group's inputs that change at this step
		secret bool     // the connection secret's text changes
	}{
		{tiers.Tier10k, ``, "disabled", nil, false},
		{tiers.Tier100k, `{"clusterMode":"compatible"}`, "compatible", []string{"clusterMode", "parameterGroupName"}, true},
		{tiers.Tier100k, `{"clusterMode":"enabled","shards":1,"replicasPerShard":1,"nodeType":"cache.t4g.small"}`, "enabled", []string{"clusterMode", "numCacheClusters", "numNodeGroups", "preferredCacheClusterAzs", "replicasPerNodeGroup"}, true},
		{tiers.Tier100k, `{"clusterMode":"enabled"}`, "enabled", []string{"nodeType", "numNodeGroups"}, false},
	}
	rules := mustRules(t)
	var prev *synth.Plan
	for i, st := range steps {
		cfg := tierConfig(st.tier)
		delete(cfg, "tierstack:cache")
		if st.cache != "" {
			cfg["tierstack:cache"] = st.cache
		}
		s := planTier(t, cfg)
		assert.Equal(t, st.mode, str(s.Named(cacheTypeGroup, "cache-group"), "clusterMode"), "step %d", i)
		if prev != nil {
			secretReplaced := false
			for _, c := range synth.Diff(prev, s.Plan, rules) {
				if !strings.Contains(c.URN, "CacheTier") {
					continue
				}
				assert.False(t, c.Unsafe, "step %d: %s %s %s", i, c.Action, c.Type, c.Name)
				if c.Name == "cache-connection-value" {
					secretReplaced = c.Action == synth.Replace && slices.Equal(c.ReplacedBy, []string{"secretString"})
					continue
				}
				assert.NotEqual(t, synth.Replace, c.Action, "step %d: %s replaced by %v", i, c.Name, c.ReplacedBy)
				if c.Name == "cache-group" {
					assert.Equal(t, st.keys, c.Keys, "step %d changes only these", i)
				}
			}
			assert.Equal(t, st.secret, secretReplaced, "step %d: the connection secret's new version", i)
		}
		prev = s.Plan
	}
}

// Every pair of tiers with a cache, up and down: no stateful resource of the cache is replaced or
// deleted. Going down from cluster mode keeps it (AWS cannot go back): a stack at 10k that came
// down says clusterMode enabled; one that did not is refused by the check. Going down to 100 drops
// the cache, which the check reports too.
func TestCacheUpgradePath(t *testing.T) {
	rules := mustRules(t)
	plans := map[tiers.Tier]*synth.Plan{}
	for _, tier := range tiers.All() {
		plans[tier] = planTier(t, tierConfig(tier)).Plan
	}
	cameDown := tierConfig(tiers.Tier10k)
	cameDown["tierstack:cache"] = `{"clusterMode":"enabled"}`
	tenKInClusterMode := planTier(t, cameDown).Plan
	for _, from := range []tiers.Tier{tiers.Tier100k, tiers.Tier1M} {
		for _, to := range []tiers.Tier{tiers.Tier100k, tiers.Tier1M} {
			if from != to {
				assertCacheKept(t, string(from)+" → "+string(to), synth.Diff(plans[from], plans[to], rules))
			}
		}
		assertCacheKept(t, string(from)+" → 10k", synth.Diff(plans[from], tenKInClusterMode, rules))
		refused := false
		for _, c := range synth.Diff(plans[from], plans[tiers.Tier10k], rules) {
			refused = refused || (c.Name == "cache-group" && c.Unsafe && len(c.Refused) > 0)
		}
		assert.True(t, refused, "%s → 10k without clusterMode enabled would revert cluster mode", from)
	}
	lost := synth.Unsafe(synth.Diff(plans[tiers.Tier10k], plans[tiers.Tier100], rules))
	names := map[string]bool{}
	for _, c := range lost {
		names[c.Name] = true
	}
	assert.True(t, names["cache-group"], "going down to 100 drops the cache, and the check says so")
}

// assertCacheKept fails on any change of the cache that replaces, deletes or is refused.
func assertCacheKept(t *testing.T, step string, changes []synth.Change) {
	t.Helper()
	for _, c := range changes {
		// The primary's cache: a DR region's cache goes with its strategy (docs/dr-region.md).
		if strings.Contains(c.URN, "CacheTier") && !strings.Contains(c.URN, drregion.TypeToken) {
			assert.NotEqual(t, synth.Replace, c.Action, "%s: %s %s by %v", step, c.Type, c.Name, c.ReplacedBy)
			assert.NotEqual(t, synth.Delete, c.Action, "%s: %s %s", step, c.Type, c.Name)
			assert.Empty(t, c.Refused, "%s: %s %s", step, c.Type, c.Name)
		}
	}
}

func TestCacheConfig(t *testing.T) {
	dev := map[string]string{"tierstack:tier": "100", "aws:region": "us-east-1", "tierstack:cache": `{"enabled":true}`}
	s := planTier(t, dev)
	assert.Equal(t, 1, s.Count(cacheTypeGroup), "a cache at 100 when asked for")
	off := tierConfig(tiers.Tier10k)
	off["tierstack:cache"] = `{"enabled":false}`
	assert.Zero(t, planTier(t, off).Count(cacheTypeGroup))
	redis := tierConfig(tiers.Tier10k)
	redis["tierstack:cache"] = `{"engine":"redis","replicas":2}`
	r := planTier(t, redis)
	assert.Equal(t, "redis", str(r.Named(cacheTypeGroup, "cache-group"), "engine"))
	assert.Equal(t, 3, num(r.Named(cacheTypeGroup, "cache-group"), "numCacheClusters"))
	unprotected := tierConfig(tiers.Tier10k)
	unprotected["tierstack:data"] = `{"protectData":false,"acknowledgeDataLoss":true}`
	assert.False(t, planTier(t, unprotected).Named(cacheTypeGroup, "cache-group").Protect, "protectData covers the cache too")

	bad := map[string][]string{
		`{"clusterMode":"sharded"}`:         {"tierstack:cache", `"sharded"`, "disabled, compatible, enabled"},
		`{"shard":2}`:                       {"tierstack:cache", `unknown field "shard"`, "allowed fields: enabled"},
		`{"engine":"memcached"}`:            {"tierstack:cache", `"memcached"`, "valkey"},
		`{"replicas":6}`:                    {"tierstack:cache", "replicas 6", "0 to 5"},
		`{"parameters":{"max memory":"1"}}`: {"tierstack:cache", `"max memory"`, "no spaces"},
	}
	for cache, want := range bad {
		cfg := tierConfig(tiers.Tier10k)
		cfg["tierstack:cache"] = cache
		s, err := runProgram(t, "", cfg, tiers.Program)
		require.Error(t, err, cache)
		for _, w := range want {
			assert.Contains(t, err.Error(), w, cache)
		}
		assert.Empty(t, s.Resources, cache)
	}
}
