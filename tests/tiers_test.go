package tests

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tierstack/tierstack/components/network"
	"github.com/tierstack/tierstack/synth"
	"github.com/tierstack/tierstack/tiers"
)

func TestParseTierAcceptsEveryAlias(t *testing.T) {
	cases := map[string]tiers.Tier{
		"100": tiers.Tier100, " 100 ": tiers.Tier100,
		"10k": tiers.Tier10k, "10K": tiers.Tier10k, "10000": tiers.Tier10k,
		"100k": tiers.Tier100k, "100K": tiers.Tier100k, "100000": tiers.Tier100k,
		"1m": tiers.Tier1M, "1M": tiers.Tier1M, "1000000": tiers.Tier1M,
	}
	for in, want := range cases {
		got, err := tiers.ParseTier(in)
		require.NoError(t, err, "%q", in)
		assert.Equal(t, want, got, "%q", in)
	}
}

func TestParseTierRefusesEveryBadValue(t *testing.T) {
	for _, in := range []string{"", "1", "1k", "10", "1000", "5k", "10 k", "1b", "10m", "one hundred", "-100", "100kk"} {
		_, err := tiers.ParseTier(in)
		require.Error(t, err, "%q", in)
		assert.Equal(t, fmt.Sprintf("tier %q is not a tier (allowed: 100, 10k, 100k, 1m, or auto to pick by expectedUsers)", in), err.Error())
	}
}

func TestForUsersPicksTheSmallestTierThatServes(t *testing.T) {
	cases := []struct {
		users int
		want  tiers.Tier
	}{
		{1, tiers.Tier100}, {100, tiers.Tier100}, {101, tiers.Tier10k}, {10_000, tiers.Tier10k},
		{10_001, tiers.Tier100k}, {100_000, tiers.Tier100k}, {100_001, tiers.Tier1M},
		{1_000_000, tiers.Tier1M}, {50_000_000, tiers.Tier1M},
	}
	for _, c := range cases {
		got, err := tiers.ForUsers(c.users)
		require.NoError(t, err)
		assert.Equal(t, c.want, got, "%d users", c.users)
	}
	_, err := tiers.ForUsers(0)
	require.EqualError(t, err, "expectedUsers 0 is not a positive number of users")
}

func TestSettingsPickTheTier(t *testing.T) {
	cases := []struct {
		name string
		cfg  map[string]string
		want tiers.Tier
	}{
		{"nothing set", map[string]string{}, tiers.Tier100},
		{"tier set", map[string]string{"tierstack:tier": "100K"}, tiers.Tier100k},
		{"expected users", map[string]string{"tierstack:expectedUsers": "25000"}, tiers.Tier100k},
		{"expected users with underscores", map[string]string{"tierstack:expectedUsers": "2_000"}, tiers.Tier10k},
		{"auto picks by expected users", map[string]string{"tierstack:tier": "Auto", "tierstack:expectedUsers": "90"}, tiers.Tier100},
		{"the declared defaults", map[string]string{"tierstack:tier": "auto", "tierstack:expectedUsers": "0", "tierstack:network": "{}", "tierstack:drRegion": ""}, tiers.Tier100},
		{"tier wins over expected users", map[string]string{"tierstack:tier": "10k", "tierstack:expectedUsers": "900000"}, tiers.Tier10k},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s, err := tiers.ParseSettings(c.cfg)
			require.NoError(t, err)
			assert.Equal(t, c.want, s.Tier)
		})
	}
}

func TestSpecForEveryTier(t *testing.T) {
	for _, tier := range tiers.All() {
		spec, err := tiers.SpecFor(tier)
		require.NoError(t, err)
		assert.Equal(t, tier, spec.Tier)
		assert.NoError(t, spec.Validate(), "tier %s's own spec must be valid", tier)
	}
	_, err := tiers.SpecFor("2k")
	require.EqualError(t, err, `tier "2k" is not a tier (allowed: 100, 10k, 100k, 1m)`)
}

// The growth rules, over the four tiers in order: what one tier has, the next keeps or grows.
func TestTiersOnlyGrow(t *testing.T) {
	var prev stack
	for i, tier := range tiers.All() {
		// The primary region's: from 1m a DR region holds a Network of its own.
		s := planTier(t, tierConfig(tier)).primaryOnly()
		spec, err := tiers.SpecFor(tier)
		require.NoError(t, err)
		azs := spec.Network.AZCount

		// Invariants of every tier.
		assert.Equal(t, 1, s.Count(typeVPC), "tier %s", tier)
		assert.Equal(t, 3*azs, s.Count(typeSubnet), "tier %s: three subnets per zone", tier)
		assert.GreaterOrEqual(t, azs, 2, "tier %s: a DB subnet group needs two zones", tier)
		for _, in := range s.All(typeInstance) {
			assert.NotContains(t, in.Name, "bastion", "tier %s: no bastion unless asked for", tier)
		}
		// Only the groups that face users have inline rules; every other admission is a rule that
		// names the client's security group, never a range.
		for _, sg := range s.All(typeSecurityGroup) {
			if sg.Name != "web-public-sg" && sg.Name != "web-alb-sg" {
				assert.Nil(t, input(sg, "ingress"), "tier %s: %s has no inline rule", tier, sg.Name)
			}
		}
		for _, rule := range s.All(typeSGRule) {
			if str(rule, "type") == "egress" || input(rule, "self") == true {
				// Not an admission from outside the group: pulumi-eks's own node group (which no
				// instance uses) lets its members out and to each other.
				continue
			}
			if strings.HasPrefix(rule.Name, "web-alb-") && input(rule, "sourceSecurityGroupId") == nil {
				// The load balancer's clients: CloudFront's prefix list (the default from 10k).
				assert.NotEmpty(t, strs(rule, "prefixListIds"), "tier %s: %s admits CloudFront", tier, rule.Name)
				assert.Nil(t, input(rule, "cidrBlocks"), "tier %s: %s names no range", tier, rule.Name)
				continue
			}
			assert.NotNil(t, input(rule, "sourceSecurityGroupId"), "tier %s: %s names its client's group", tier, rule.Name)
			assert.Nil(t, input(rule, "cidrBlocks"), "tier %s: %s names no range", tier, rule.Name)
		}

		// Growth over the tier before.
		if i > 0 {
			assert.GreaterOrEqual(t, s.Count(typeSubnet), prev.Count(typeSubnet), "tier %s has fewer subnets than the one before", tier)
			assert.GreaterOrEqual(t, s.Count(typeNAT), prev.Count(typeNAT), "tier %s has fewer NAT gateways", tier)
			assert.GreaterOrEqual(t, s.Count(typeFlowLog), prev.Count(typeFlowLog), "tier %s drops flow logs", tier)
			assert.Equal(t, azs, s.Count(typeNAT), "tier %s: one NAT per zone from 10k up", tier)
			assert.Equal(t, 1, s.Count(typeFlowLog), "tier %s: flow logs on from 10k up", tier)
		}
		prev = s
	}
}

// In every tier, with a bastion asked for, the whole internet is admitted on HTTP and HTTPS only
// (by the web server or the load balancer), and SSH from the listed ranges only.
func TestNoTierOpensSSHToTheInternet(t *testing.T) {
	for _, tier := range tiers.All() {
		cfg := tierConfig(tier, `"bastionAllowedCidrs":["203.0.113.0/24"]`)
		s := planTier(t, cfg)
		require.NotZero(t, s.Count(typeSecurityGroup), "tier %s", tier)
		// Rule resources: the internet only on HTTP and HTTPS.
		for _, rule := range s.All(typeSGRule) {
			if str(rule, "type") == "egress" {
				continue // a way out admits nothing
			}
			for _, cidr := range strs(rule, "cidrBlocks") {
				if cidr == "0.0.0.0/0" {
					assert.Contains(t, []int{80, 443}, num(rule, "fromPort"), "tier %s: %s", tier, rule.Name)
					assert.Equal(t, num(rule, "fromPort"), num(rule, "toPort"), "tier %s: %s", tier, rule.Name)
				}
			}
			assert.Empty(t, strs(rule, "ipv6CidrBlocks"), "tier %s: %s admits IPv6", tier, rule.Name)
		}
		for _, sg := range s.All(typeSecurityGroup) {
			rules, _ := input(sg, "ingress").([]any)
			for i := range rules {
				path := fmt.Sprintf("ingress.%d", i)
				for _, cidr := range strs(sg, path+".cidrBlocks") {
					if cidr == "0.0.0.0/0" {
						port := num(sg, path+".fromPort")
						assert.Contains(t, []int{80, 443}, port, "tier %s: %s rule %d opens port %v to the internet", tier, sg.Name, i, port)
						assert.Equal(t, port, num(sg, path+".toPort"), "tier %s: %s rule %d opens a port range to the internet", tier, sg.Name, i)
					}
				}
				assert.Empty(t, strs(sg, path+".ipv6CidrBlocks"), "tier %s: %s rule %d admits IPv6", tier, sg.Name, i)
				if num(sg, path+".fromPort") <= 22 && num(sg, path+".toPort") >= 22 {
					assert.Equal(t, []string{"203.0.113.0/24"}, strs(sg, path+".cidrBlocks"), "tier %s: SSH from elsewhere", tier)
				}
			}
		}
	}
}

func TestTier100IsTwoZonesWithoutNat(t *testing.T) {
	s := planTier(t, tierConfig(tiers.Tier100))
	assert.Equal(t, 6, s.Count(typeSubnet))
	assert.Zero(t, s.Count(typeNAT))
	eips := s.All(typeEIP)
	require.Len(t, eips, 1, "no NAT address, the web server's only")
	assert.Equal(t, "web-eip", eips[0].Name)
	assert.Zero(t, s.Count(typeFlowLog))
	assert.Equal(t, "100", s.Outputs["tier"])
}

func TestTier10kIsThreeZonesWithNatPerZone(t *testing.T) {
	s := planTier(t, tierConfig(tiers.Tier10k))
	assert.Equal(t, 9, s.Count(typeSubnet))
	assert.Equal(t, 3, s.Count(typeNAT))
	assert.Equal(t, 1, s.Count(typeFlowLog))
	assert.Len(t, s.Outputs["natGatewayIds"], 3)
	assert.Equal(t, []any{"us-east-1a", "us-east-1b", "us-east-1c"}, s.Outputs["availabilityZones"])
}

// Moving up one tier at a time replaces nothing and deletes nothing but the compute of the mode
// below: the single web server of tier 100 at 10k, the Auto Scaling group of 10k at 100k (where
// pods behind the same load balancer take over): the architecture grows in place.
// Replacement is judged by the replacement rules shipped with synth, and every type a tier creates
// must have rules, so that a change of an unknown type cannot slip through as an update.
func TestUpgradingATierReplacesAndDeletesNothing(t *testing.T) {
	rules, err := synth.ReplacementRules()
	require.NoError(t, err)
	for i := 0; i+1 < len(tiers.All()); i++ {
		from, to := tiers.All()[i], tiers.All()[i+1]
		t.Run(fmt.Sprintf("%s-to-%s", from, to), func(t *testing.T) {
			before := planTier(t, tierConfig(from))
			after := planTier(t, tierConfig(to))
			created, deleted := 0, []string(nil)
			for _, c := range synth.Diff(before.Plan, after.Plan, rules) {
				assert.True(t, rules.Knows(c.Type), "no replacement rules for %s", c.Type)
				if c.Name == "cache-connection-value" && c.Action == synth.Replace {
					// The cache's host and mode change with cluster mode: a new version of the
					// same secret (nothing stateful; the secret itself stays).
					assert.Equal(t, []string{"secretString"}, c.ReplacedBy)
					continue
				}
				assert.NotEqual(t, synth.Replace, c.Action, "%s %s is replaced (by %v)", c.Type, c.Name, c.ReplacedBy)
				if c.Action == synth.Delete {
					assert.False(t, c.Unsafe, "%s %s is deleted unsafely", c.Type, c.Name)
					if c.Type == typeMetricAlarm {
						// An alarm goes with what it watched (the single server's); checked
						// in TestTierChangesKeepTheTopicAndOnlyAddOrRemoveAlarms.
						continue
					}
					deleted = append(deleted, c.Name)
				}
				if c.Action == synth.Create {
					created++
				}
			}
			if from == tiers.Tier100 {
				assert.Greater(t, created, 0, "10k adds NATs, a zone and flow logs")
			}
			// Only the compute of the mode below goes: the single server at 10k, the Auto Scaling
			// group at 100k; nothing from 100k to 1m.
			assert.ElementsMatch(t, computeGoneAt[to], deleted, "only the compute of the tier below goes")
		})
	}
}

func TestEveryTypeTheTiersCreateHasReplacementRules(t *testing.T) {
	rules, err := synth.ReplacementRules()
	require.NoError(t, err)
	cfg := tierConfig(tiers.Tier1M, `"bastionAllowedCidrs":["203.0.113.0/24"]`)
	cfg["tierstack:domain"], cfg["tierstack:hostedZoneId"] = "app.example.com", "Z0123456789EXAMPLE01"
	s := planTier(t, cfg)
	require.True(t, s.Has("aws:acm/certificate:Certificate", "edge-cert"), "the edge is in the plan")
	for _, r := range s.Resources {
		if r.Custom {
			assert.True(t, rules.Knows(r.Type), "no replacement rules for %s", r.Type)
		}
	}
}

func TestNetworkOverridesFromConfig(t *testing.T) {
	cfg := tierConfig(tiers.Tier10k, `"cidr":"10.50.0.0/20","azCount":4,"natStrategy":"single","flowLogRetentionDays":7,"bastionAllowedCidrs":["198.51.100.0/24"],"s3EndpointExtraBuckets":["partner-feed"]`)
	s := planTier(t, cfg)
	assert.Equal(t, "10.50.0.0/20", str(s.Named(typeVPC, "network-vpc"), "cidrBlock"))
	assert.Equal(t, 12, s.Count(typeSubnet))
	assert.Equal(t, 1, s.Count(typeNAT))
	assert.Equal(t, 7, num(s.Named(typeLogGroup, "network-flow-logs"), "retentionInDays"))
	assert.Equal(t, 1, s.Count(typeInstance))
	assert.Contains(t, str(s.Named(typeEndpoint, "network-s3-endpoint"), "policy"), `"arn:aws:s3:::partner-feed/*"`)

	pinned := tierConfig(tiers.Tier10k, `"availabilityZones":["us-east-1d","us-east-1b","us-east-1f"],"flowLogs":false`)
	p := planTier(t, pinned)
	assert.Equal(t, "us-east-1d", str(p.Named(typeSubnet, "network-public-0"), "availabilityZone"))
	assert.Equal(t, "us-east-1f", str(p.Named(typeSubnet, "network-data-2"), "availabilityZone"))
	assert.Zero(t, p.Count(typeFlowLog))
}

// Bad configuration fails before any resource is registered, naming the setting, the bad value and
// what is allowed.
func TestBadConfigIsRefusedBeforeRegistering(t *testing.T) {
	cases := []struct {
		name string
		cfg  map[string]string
		want []string
	}{
		{"unknown tier", map[string]string{"tierstack:tier": "2k"}, []string{"tierstack:tier", `"2k"`, "100, 10k, 100k, 1m"}},
		{"expected users not a number", map[string]string{"tierstack:expectedUsers": "lots"}, []string{"tierstack:expectedUsers", `"lots"`, "25000"}},
		{"expected users negative", map[string]string{"tierstack:expectedUsers": "-5"}, []string{"tierstack:expectedUsers", "-5", "positive"}},
		{"misspelt network field", map[string]string{"tierstack:network": `{"cidrBlock":"10.0.0.0/16"}`}, []string{"tierstack:network", "cidrBlock", "cidr, azCount"}},
		{"network not an object", map[string]string{"tierstack:network": `10.0.0.0/16`}, []string{"tierstack:network", "10.0.0.0/16", "allowed fields"}},
		{"bad cidr", map[string]string{"tierstack:network": `{"cidr":"10.0.0.0/12"}`}, []string{"cidr", `"10.0.0.0/12"`, "/16 to /24"}},
		{"bad nat strategy", map[string]string{"tierstack:tier": "10k", "tierstack:network": `{"natStrategy":"many"}`}, []string{"natStrategy", `"many"`, "none, single, perAz"}},
		{"no NAT at 10k", map[string]string{"tierstack:tier": "10k", "tierstack:network": `{"natStrategy":"none"}`}, []string{"natStrategy none", "10k", "single, perAz"}},
		{"one zone", map[string]string{"tierstack:tier": "10k", "tierstack:network": `{"azCount":1}`}, []string{"azCount", "1", "2 to 6"}},
		{"too few pinned zones for the tier", map[string]string{"tierstack:tier": "10k", "tierstack:network": `{"availabilityZones":["us-east-1a","us-east-1b"]}`}, []string{"availabilityZones", "2 zones", "10k spans 3"}},
		{"too many zones for the region", map[string]string{"tierstack:tier": "10k", "aws:region": "us-west-1"}, []string{"azCount", "3", "us-west-1", "us-west-1a, us-west-1c"}},
		{"DR region equals the primary", map[string]string{"tierstack:drRegion": "us-east-1"}, []string{"tierstack:drRegion", `"us-east-1"`, "any region but us-east-1"}},
		{"DR region not a region", map[string]string{"tierstack:drRegion": "west"}, []string{"tierstack:drRegion", `"west"`, "us-west-2"}},
		{"domain without a zone", map[string]string{"tierstack:domain": "app.example.com"}, []string{"tierstack:domain", `"app.example.com"`, "tierstack:hostedZoneId"}},
		{"domain not a name", map[string]string{"tierstack:domain": "-bad-.com", "tierstack:hostedZoneId": "Z123"}, []string{"tierstack:domain", `"-bad-.com"`, "app.example.com"}},
		{"zone without a domain", map[string]string{"tierstack:hostedZoneId": "Z0123456789EXAMPLE01"}, []string{"tierstack:hostedZoneId", `"Z0123456789EXAMPLE01"`, "tierstack:domain"}},
		{"zone ID malformed", map[string]string{"tierstack:domain": "example.com", "tierstack:hostedZoneId": "zone-1"}, []string{"tierstack:hostedZoneId", `"zone-1"`, "Z0123456789ABCDEFGHIJ"}},
		{"bucket name malformed", map[string]string{"tierstack:network": `{"s3EndpointExtraBuckets":["Partner Feed"]}`}, []string{"s3EndpointExtraBuckets", `"Partner Feed"`, "lowercase letters"}},
		{"alarm email malformed", map[string]string{"tierstack:alarmEmail": "ops at example"}, []string{"tierstack:alarmEmail", `"ops at example"`, "ops@example.com"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cfg := map[string]string{"aws:region": "us-east-1"}
			for k, v := range c.cfg {
				cfg[k] = v
			}
			s, err := runProgram(t, "", cfg, tiers.Program)
			require.Error(t, err)
			for _, w := range c.want {
				assert.Contains(t, err.Error(), w)
			}
			assert.Empty(t, s.Resources, "nothing may be registered before the config is checked")
		})
	}
}

func TestNatStrategyOverrideIgnoresCase(t *testing.T) {
	cfg := tierConfig(tiers.Tier10k, `"natStrategy":"SINGLE"`)
	assert.Equal(t, 1, planTier(t, cfg).Count(typeNAT))
	spec, err := tiers.Resolve(tiers.Settings{Tier: tiers.Tier10k, Network: tiers.NetworkOverrides{NATStrategy: "perAZ"}})
	require.NoError(t, err)
	assert.Equal(t, network.NATPerAZ, spec.Network.NATStrategy)
}

// A setting the program does not read is most often a typo: it is refused, under the engine (which
// passes every key in PULUMI_CONFIG) as in a plan.
func TestMisspeltSettingIsRefused(t *testing.T) {
	_, err := tiers.ParseSettings(map[string]string{"tierstack:teir": "10k"})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "config tierstack:teir is not a tierstack setting (allowed: tierstack:tier, ")

	// As the engine runs the program: a monitor address and every key in PULUMI_CONFIG.
	t.Setenv("PULUMI_MONITOR", "127.0.0.1:1")
	t.Setenv("PULUMI_CONFIG", `{"tierstack:teir":"10k","aws:region":"us-east-1"}`)
	s, err := runProgram(t, "", map[string]string{"aws:region": "us-east-1"}, tiers.Program)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "config tierstack:teir is not a tierstack setting")
	assert.Empty(t, s.Resources)

	t.Setenv("PULUMI_CONFIG", `not json`)
	_, err = runProgram(t, "", map[string]string{"aws:region": "us-east-1"}, tiers.Program)
	require.ErrorContains(t, err, "reading the engine's PULUMI_CONFIG")
}

// Outside the engine (a plan), a stray PULUMI_CONFIG in the shell is not the stack's config.
func TestPlanIgnoresAStrayPulumiConfig(t *testing.T) {
	t.Setenv("PULUMI_CONFIG", `{"tierstack:teir":"10k"}`)
	s := planTier(t, tierConfig(tiers.Tier100))
	assert.Equal(t, "100", s.Outputs["tier"])
}

func TestBadRegionIsRefused(t *testing.T) {
	_, err := tiers.ParseSettings(map[string]string{"aws:region": "Virginia"})
	require.EqualError(t, err, `aws:region "Virginia" is not a region name (want one such as us-east-1)`)
}
