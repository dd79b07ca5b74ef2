package tests

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tierstack/tierstack/components/drregion"
	"github.com/tierstack/tierstack/components/network"
	"github.com/tierstack/tierstack/insights"
	"github.com/tierstack/tierstack/synth"
	"github.com/tierstack/tierstack/tiers"
)

const drUSWest2Zones = `{"availabilityZones":["us-west-2a","us-west-2b","us-west-2c"]}`

// drConfig is the 1m tier in us-east-1 with a DR region in us-west-2 under backupRestore, its
// zones pinned.
func drConfig() map[string]string {
	cfg := tierConfig(tiers.Tier1M)
	cfg["tierstack:drRegion"] = "us-west-2"
	cfg["tierstack:dr"] = `{"strategy":"backupRestore","availabilityZones":["us-west-2a","us-west-2b","us-west-2c"]}`
	return cfg
}

// withDR is cfg with a DR region in us-west-2, its zones pinned, and the tier's default strategy.
func withDR(cfg map[string]string) map[string]string {
	cfg["tierstack:drRegion"] = "us-west-2"
	cfg["tierstack:dr"] = drUSWest2Zones
	return cfg
}

// underDR returns the resources registered inside the DRRegion component.
func underDR(s stack) []synth.Resource {
	var out []synth.Resource
	for _, r := range s.Resources {
		if strings.Contains(r.URN, drregion.TypeToken+"$") {
			out = append(out, r)
		}
	}
	return out
}

// Every resource that lives in the DR region is on the DR provider (none falls back to the
// default provider), and the ones on the primary's provider are exactly the listed ones.
func TestDRRegionPlacesEveryResourceByRegion(t *testing.T) {
	s := planTier(t, drConfig())
	provider := s.Named("pulumi:providers:aws", "dr-region")
	assert.Equal(t, "us-west-2", str(provider, "region"))
	children := underDR(s)
	require.NotEmpty(t, children)
	var primary []string
	for _, r := range children {
		if !r.Custom {
			continue
		}
		if r.Provider == provider.URN {
			continue
		}
		assert.NotContains(t, r.Provider, "us-west-2", "%s %s", r.Type, r.Name)
		primary = append(primary, r.Name)
	}
	slices.Sort(primary)
	want := drregion.PrimaryRegionChildren("dr")
	slices.Sort(want)
	assert.Equal(t, want, primary, "the primary-region pieces are the listed ones")
	for _, r := range s.All(typeSubnet) {
		if strings.HasPrefix(r.Name, "dr-network-") {
			assert.True(t, strings.HasPrefix(str(r, "availabilityZone"), "us-west-2"), "%s is in %s", r.Name, str(r, "availabilityZone"))
			assert.Equal(t, provider.URN, r.Provider)
		}
	}
	assert.Equal(t, "10.1.0.0/16", str(s.Named(typeVPC, "dr-network-vpc"), "cidrBlock"), "the next /16 after the primary's 10.0.0.0/16")
	assert.Contains(t, str(s.Named("aws:backup/vault:Vault", "dr-backup-vault"), "kmsKeyArn"), ":us-west-2:", "the DR vault's key is of the DR region")
	assert.Contains(t, str(s.Named("aws:backup/vault:Vault", "dr-backup-source-vault"), "kmsKeyArn"), ":us-east-1:", "the source vault's key is of the primary region")
	copyTo := str(s.Named("aws:backup/plan:Plan", "dr-backup-plan"), "rules.0.copyActions.0.destinationVaultArn")
	assert.Contains(t, copyTo, ":us-west-2:", "every recovery point is copied to the DR vault")
	assert.Equal(t, "backupRestore", s.Outputs["drStrategy"])
	assert.Equal(t, "27h", s.Outputs["drRpo"])
}

// backupRestore runs nothing in the DR region: no cluster, instance, Auto Scaling group, load
// balancer or NAT gateway; the selection copies every cluster and table, and the replication waits
// for versioning on both buckets through a role that may touch only them.
func TestDRBackupRestoreBuildsWhatItPromises(t *testing.T) {
	s := planTier(t, drConfig())
	for _, r := range underDR(s) {
		for _, banned := range []string{typeCluster, typeClusterInstance, typeInstance, "aws:autoscaling/group:Group", "aws:lb/loadBalancer:LoadBalancer", typeNAT, typeEIP} {
			assert.NotEqual(t, banned, r.Type, "backupRestore builds %s %s in the DR region", r.Type, r.Name)
		}
	}
	sel := s.Named("aws:backup/selection:Selection", "dr-backup-selection")
	resources := strs(sel, "resources")
	assert.Contains(t, resources, s.Named(typeCluster, "data-cluster").Outputs["arn"])
	for _, tbl := range s.All(typeTable) {
		assert.Contains(t, resources, tbl.Outputs["arn"], "table %s is backed up", tbl.Name)
	}
	repl := s.Named("aws:s3/bucketReplicationConfig:BucketReplicationConfig", "dr-assets-replication")
	for _, v := range []string{s.Named("aws:s3/bucketVersioningV2:BucketVersioningV2", "edge-cdn-assets").URN, s.Named("aws:s3/bucketVersioningV2:BucketVersioningV2", "dr-assets").URN} {
		assert.Contains(t, repl.Dependencies, v, "the replication waits for versioning")
	}
	replica := s.Named("aws:s3/bucketV2:BucketV2", "dr-assets")
	assert.True(t, replica.RetainOnDelete, "the replica is kept when it leaves the stack")
	assert.Equal(t, "AES256", str(s.Named("aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2", "dr-assets"), "rules.0.applyServerSideEncryptionByDefault.sseAlgorithm"))
	assert.Equal(t, true, input(s.Named("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "dr-assets"), "restrictPublicBuckets"))
	policy := str(s.Named(typeRolePolicy, "dr-replication-role-policy"), "policy")
	source := s.Named("aws:s3/bucketV2:BucketV2", "edge-cdn-assets").Outputs["arn"].(string)
	assert.Contains(t, policy, source)
	assert.Contains(t, policy, replica.Outputs["arn"].(string)+"/*")
	assert.NotContains(t, policy, `"*"`, "the role may replicate only these buckets")
}

// Below 1m, without a DR region, there is none: no DRRegion, no second provider, no dr outputs.
func TestDRRegionIsOffWithoutADRRegion(t *testing.T) {
	s := planTier(t, tierConfig(tiers.Tier100k))
	assert.Empty(t, underDR(s))
	assert.Zero(t, s.Count(drregion.TypeToken))
	assert.False(t, s.Has("pulumi:providers:aws", "dr-region"))
	for k := range s.Outputs {
		assert.False(t, strings.HasPrefix(k, "dr"), "output %s without a DR region", k)
	}
}

// Adding the DR region to a 100k stack only creates: plan --from exits 0.
func TestAddingTheDRRegionOnlyCreates(t *testing.T) {
	rules, err := synth.ReplacementRules()
	require.NoError(t, err)
	before := planTier(t, tierConfig(tiers.Tier100k))
	after := planTier(t, withDR(tierConfig(tiers.Tier100k)))
	created := 0
	for _, c := range synth.Diff(before.Plan, after.Plan, rules) {
		assert.True(t, rules.Knows(c.Type), "no replacement rules for %s", c.Type)
		if c.Type == typeDashboard && c.Name == "observability-dashboard" {
			// The DR region's graphs join the dashboard, in place.
			assert.Equal(t, synth.Update, c.Action, "%s %s: %s", c.Type, c.Name, c.Action)
			continue
		}
		assert.Equal(t, synth.Create, c.Action, "%s %s: %s", c.Type, c.Name, c.Action)
		if c.Action == synth.Create {
			created++
		}
	}
	assert.Greater(t, created, 0)
}

// Bad DR input is refused before anything is registered, each with the setting, the value and
// what is allowed.
func TestDRBadInputIsRefusedBeforeRegistration(t *testing.T) {
	cases := []struct {
		name string
		edit func(map[string]string)
		want []string
	}{
		{"DR region equal to the primary", func(c map[string]string) { c["tierstack:drRegion"] = "us-east-1"; c["tierstack:dr"] = "" },
			[]string{"tierstack:drRegion", `"us-east-1"`, "any region but us-east-1"}},
		{"DR region not a region name", func(c map[string]string) { c["tierstack:drRegion"] = "oregon" },
			[]string{"tierstack:drRegion", `"oregon"`, "not a region name"}},
		{"DR range overlapping the primary's", func(c map[string]string) {
			c["tierstack:dr"] = `{"cidr":"10.0.128.0/20","availabilityZones":["us-west-2a","us-west-2b","us-west-2c"]}`
		}, []string{"tierstack:dr", "cidr 10.0.128.0/20 overlaps the primary's 10.0.0.0/16"}},
		{"unknown strategy", func(c map[string]string) { c["tierstack:dr"] = `{"strategy":"hotSpare"}` },
			[]string{"tierstack:dr", `strategy "hotSpare" is not known`, "backupRestore, pilotLight, warmStandby, activeActive"}},
		{"a strategy not built yet", func(c map[string]string) {
			c["tierstack:dr"] = `{"strategy":"warmStandby","availabilityZones":["us-west-2a","us-west-2b","us-west-2c"]}`
		}, []string{"tierstack:dr", "strategy warmStandby is not built yet", "allowed for now: backupRestore, pilotLight"}},
		{"DR zones not of the DR region", func(c map[string]string) {
			c["tierstack:dr"] = `{"availabilityZones":["us-east-1a","us-east-1b","us-east-1c"]}`
		},
			[]string{"tierstack:dr availabilityZones", `"us-east-1a" is not a zone of the DR region us-west-2`}},
		{"unknown field", func(c map[string]string) { c["tierstack:dr"] = `{"zones":["us-west-2a"]}` },
			[]string{"tierstack:dr", "allowed fields: strategy, cidr, availabilityZones"}},
		{"dr without drRegion", func(c map[string]string) { delete(c, "tierstack:drRegion") },
			[]string{"tierstack:dr is set without tierstack:drRegion"}},
		{"credentials the derived provider would not use", func(c map[string]string) { c["aws:accessKey"] = "AKIAEXAMPLE" },
			[]string{"aws:accessKey is set", "the DR region's provider (us-west-2) would not use it"}},
		{"unpinned DR zones under pulumi up", func(c map[string]string) { c["tierstack:dr"] = "" },
			[]string{"tierstack:dr availabilityZones is not set", "us-west-2"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cfg := drConfig()
			if c.name == "credentials the derived provider would not use" {
				// The CDN's provider and EKS's kubeconfig refuse them first; without them, the
				// DR region's provider does.
				cfg["tierstack:edge"] = `{"cdn":false}`
				cfg["tierstack:web"] = `{"mode":"autoscaling"}`
			}
			c.edit(cfg)
			s, err := runProgram(t, "", cfg, tiers.Program)
			require.Error(t, err)
			for _, w := range c.want {
				assert.Contains(t, err.Error(), w)
			}
			assert.Empty(t, s.Resources, "refused before anything is registered")
		})
	}
}

// The component itself refuses a provider of the primary region, after looking both regions up
// and before it registers anything of its own.
func TestDRRegionRefusesAProviderOfThePrimaryRegion(t *testing.T) {
	s, err := runProgram(t, "us-east-1", nil, func(ctx *pulumi.Context) (pulumi.Map, error) {
		east, err := aws.NewProvider(ctx, "east", &aws.ProviderArgs{Region: pulumi.String("us-east-1")})
		if err != nil {
			return nil, err
		}
		_, err = drregion.New(ctx, "dr", &drregion.Args{Provider: east, PrimaryCIDR: "10.0.0.0/16"})
		return nil, err
	})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "the provider's region us-east-1 is the primary region (allowed: any region but us-east-1)")
	assert.Equal(t, 1, len(s.Resources), "only the test's provider is registered")
}

// Where aws:region does not say the primary region, the provider's answer decides, and a DR region
// equal to it is refused before anything is registered.
func TestDRRegionEqualToTheProvidersRegionIsRefused(t *testing.T) {
	cfg := drConfig()
	delete(cfg, "aws:region")
	cfg["tierstack:drRegion"] = "us-east-1"
	cfg["tierstack:dr"] = `{"availabilityZones":["us-east-1a","us-east-1b","us-east-1c"]}`
	s, err := runProgram(t, "us-east-1", cfg, tiers.Program)
	require.Error(t, err)
	assert.Contains(t, err.Error(), `tierstack:drRegion "us-east-1" is the primary region (allowed: any region but us-east-1)`)
	assert.Empty(t, s.Resources)
}

// Each component's arguments are checked by Validate as New checks them.
func TestDRRegionArgsValidate(t *testing.T) {
	west := &aws.Provider{}
	cases := []struct {
		name string
		args drregion.Args
		want string
	}{
		{"no provider", drregion.Args{PrimaryCIDR: "10.0.0.0/16"}, "provider is required"},
		{"no primary range", drregion.Args{Provider: west}, "primaryCidr is required"},
		{"overlap", drregion.Args{Provider: west, PrimaryCIDR: "10.0.0.0/16", Network: network.Args{CIDR: "10.0.0.0/20"}}, "cidr 10.0.0.0/20 overlaps the primary's 10.0.0.0/16"},
		{"bad range", drregion.Args{Provider: west, PrimaryCIDR: "10.0.0.0/16", Network: network.Args{CIDR: "8.8.0.0/16"}}, "8.8.0.0/16"},
		{"warm standby for now", drregion.Args{Provider: west, PrimaryCIDR: "10.0.0.0/16", Strategy: drregion.StrategyWarmStandby}, "strategy warmStandby is not built yet (allowed for now: backupRestore, pilotLight)"},
		{"retention", drregion.Args{Provider: west, PrimaryCIDR: "10.0.0.0/16", BackupRetentionDays: -1}, "backupRetentionDays -1 is out of range"},
		{"assets without versioning", drregion.Args{Provider: west, PrimaryCIDR: "10.0.0.0/16", Assets: &drregion.Assets{BucketName: pulumi.String("b"), BucketARN: pulumi.String("arn:aws:s3:::b")}}, "versioning"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := c.args.Validate()
			require.Error(t, err)
			assert.Contains(t, err.Error(), c.want)
		})
	}
	ok := drregion.Args{Provider: west, PrimaryCIDR: "10.0.0.0/16"}
	assert.NoError(t, ok.Validate())
}

// Every type the DR region adds is priced or declared free, and has a creation time of its own:
// the estimate neither counts it as zero silently nor falls back to the default duration.
func TestDRRegionIsPricedAndTimed(t *testing.T) {
	cost := planCostWith(t, drConfig())
	assert.Empty(t, cost.Unknown, "types the price table does not know")
	vaults := 0
	for _, rc := range cost.Resources {
		if rc.Type == "aws:backup/vault:Vault" {
			vaults++
			assert.Greater(t, rc.MonthlyUSD, 0.0, "%s holds recovery points, which cost", rc.URN)
		}
	}
	assert.Equal(t, 2, vaults, "the source vault and the DR vault")
	durations, err := insights.Durations()
	require.NoError(t, err)
	s := planTier(t, drConfig())
	for _, r := range underDR(s) {
		if !r.Custom {
			continue
		}
		_, listed := durations.Seconds(r.Type)
		assert.True(t, listed, "%s has no creation time", r.Type)
	}
}

// Turning the DR region off leaves what holds data in AWS: the vaults with their recovery points,
// their keys and the replica bucket are retained, not deleted, and nothing is protected against
// the change (as the CDN's assets are not).
func TestRemovingTheDRRegionKeepsItsData(t *testing.T) {
	rules, err := synth.ReplacementRules()
	require.NoError(t, err)
	before := planTier(t, withDR(tierConfig(tiers.Tier100k)))
	after := planTier(t, tierConfig(tiers.Tier100k))
	kept := map[string]bool{}
	for _, c := range synth.Diff(before.Plan, after.Plan, rules) {
		if c.Type == typeDashboard && c.Name == "observability-dashboard" {
			// The DR region's graphs leave the dashboard, in place.
			assert.Equal(t, synth.Update, c.Action, "%s %s", c.Type, c.Name)
			continue
		}
		assert.Equal(t, synth.Delete, c.Action, "%s %s", c.Type, c.Name)
		assert.False(t, c.Protected, "%s %s is protected: turning the DR region off would need it unprotected", c.Type, c.Name)
		switch c.Type {
		case "aws:backup/vault:Vault", typeKey, "aws:s3/bucketV2:BucketV2":
			assert.True(t, c.Retained, "%s %s is deleted with what it holds", c.Type, c.Name)
			assert.False(t, c.Unsafe, "%s %s", c.Type, c.Name)
			kept[c.Name] = true
		}
	}
	for _, name := range []string{"dr-backup-vault", "dr-backup-source-vault", "dr-backup-key", "dr-backup-source-key", "dr-assets"} {
		assert.True(t, kept[name], "%s is kept", name)
	}
}

// plan gives a region-loss verdict beside the zone-loss one: with the DR region, the data survives
// the primary region's loss, as old as the 1m strategy's RPO (the figure the component exports),
// in an update and in a preview; without it, the data is lost with the region.
func TestPlanGivesARegionLossVerdict(t *testing.T) {
	spec, err := tiers.SpecFor(tiers.Tier1M)
	require.NoError(t, err)
	obj, err := spec.DRStrategy.Objectives()
	require.NoError(t, err)
	for _, preview := range []bool{false, true} {
		args := []string{"--config", root + "/Pulumi.prod.yaml", "--format", "json"}
		if preview {
			args = append(args, "--preview")
		}
		code, out, stderr := runPlan(args...)
		require.Equal(t, 0, code, stderr)
		var doc struct {
			Safety struct {
				RegionLoss insights.RegionLoss          `json:"regionLoss"`
				AZLoss     map[string]insights.ZoneLoss `json:"azLoss"`
			} `json:"safety"`
		}
		require.NoError(t, json.Unmarshal([]byte(out), &doc))
		require.Len(t, doc.Safety.AZLoss, 3)
		for z := range doc.Safety.AZLoss {
			assert.True(t, strings.HasPrefix(z, "us-east-1"), "zone %s is not the stack region's: the region-loss verdict judges the DR region", z)
		}
		rl := doc.Safety.RegionLoss
		assert.Equal(t, "us-east-1", rl.Region)
		assert.True(t, rl.Survives, "preview %v: %s", preview, rl.Why)
		assert.Equal(t, spec.DRStrategy.RunsCompute(), rl.Serves, "the DR region serves where the strategy runs the web tier there")
		assert.Equal(t, []string{"us-west-2"}, rl.CopiedTo)
		assert.Equal(t, drregion.FormatObjective(obj.RPO), rl.RPO, "the verdict's RPO is the strategy's")
		assert.Equal(t, drregion.FormatObjective(obj.RTO), rl.RTO, "the verdict's RTO is the strategy's")
	}
	code, out, stderr := runPlan("--tier", "100k", "--format", "json")
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, out, `"regionLoss": {`)
	assert.Contains(t, out, "the data lives only in us-east-1")
}

// nil Args are an error naming what is required, with nothing registered.
func TestDRRegionNilArgsAreAnError(t *testing.T) {
	s, err := runProgram(t, "us-east-1", nil, func(ctx *pulumi.Context) (pulumi.Map, error) {
		_, err := drregion.New(ctx, "dr", nil)
		return nil, err
	})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "required")
	assert.Empty(t, s.Resources)
}
