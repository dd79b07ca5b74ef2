package tests

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tierstack/tierstack/cli"
	"github.com/tierstack/tierstack/insights"
	"github.com/tierstack/tierstack/synth"
	"github.com/tierstack/tierstack/tiers"
)

// planDocument runs `plan --tier T --format json` and decodes it.
func planDocument(t *testing.T, tier tiers.Tier) cli.Document {
	t.Helper()
	code, out, stderr := runPlan("--tier", string(tier), "--format", "json")
	require.Equal(t, cli.ExitOK, code, stderr)
	var doc cli.Document
	require.NoError(t, json.Unmarshal([]byte(out), &doc))
	return doc
}

// The JSON contract's insight fields, by the names other tools read.
func TestPlanJSONCarriesCostDeployAndSafety(t *testing.T) {
	code, out, stderr := runPlan("--tier", "10k", "--format", "json")
	require.Equal(t, cli.ExitOK, code, stderr)
	var doc map[string]any
	require.NoError(t, json.Unmarshal([]byte(out), &doc))

	cost, ok := doc["cost"].(map[string]any)
	require.True(t, ok, "cost")
	for _, f := range []string{"monthlyUSD", "perUserUSD"} {
		assert.IsType(t, 0.0, cost[f], f)
	}
	assert.IsType(t, map[string]any{}, cost["byComponent"])
	assert.IsType(t, []any{}, cost["unknown"])
	assert.IsType(t, map[string]any{}, cost["assumptions"])

	deploy, ok := doc["deploy"].(map[string]any)
	require.True(t, ok, "deploy")
	assert.IsType(t, 0.0, deploy["criticalPathSeconds"])
	chain, ok := deploy["chain"].([]any)
	require.True(t, ok, "deploy.chain")
	require.NotEmpty(t, chain)

	safety, ok := doc["safety"].(map[string]any)
	require.True(t, ok, "safety")
	assert.IsType(t, []any{}, safety["findings"])
	azLoss, ok := safety["azLoss"].(map[string]any)
	require.True(t, ok, "safety.azLoss")

	var plan cli.Document
	require.NoError(t, json.Unmarshal([]byte(out), &plan))
	urns := map[string]bool{}
	zones := map[string]bool{}
	for _, r := range plan.Resources {
		urns[r.URN] = true
		if r.Type == "aws:ec2/subnet:Subnet" {
			zones[r.Inputs["availabilityZone"].(string)] = true
		}
	}
	for _, u := range chain {
		assert.True(t, urns[u.(string)], "the chain names a resource of the plan: %v", u)
	}
	assert.Len(t, azLoss, len(zones), "one verdict per zone of the subnets")
	for z, v := range azLoss {
		assert.True(t, zones[z], "zone %s is a subnet's", z)
		verdict := v.(map[string]any)
		assert.IsType(t, true, verdict["survives"])
		assert.IsType(t, "", verdict["why"])
	}
}

// Every type each tier registers is priced or explicitly free: nothing silently counts as zero,
// and nothing is left unknown (the OpenSearch domain's gp3 storage is priced beside its nodes).
func TestEveryTierIsPricedOrFree(t *testing.T) {
	for _, tier := range tiers.All() {
		doc := planDocument(t, tier)
		assert.Empty(t, doc.Cost.Unknown, "tier %s has types the price table does not know", tier)
		for _, rc := range doc.Cost.Resources {
			if rc.Type == "aws:opensearch/domain:Domain" {
				assert.Empty(t, rc.Unknown, "tier %s: the domain is fully priced", tier)
				assert.Contains(t, rc.Lines[len(rc.Lines)-1].PriceID, "opensearch.gp3.gb_month", "tier %s: the domain's gp3 storage is priced", tier)
			}
		}
		seen := map[string]bool{}
		for _, rc := range doc.Cost.Resources {
			seen[rc.URN] = true
			if rc.MonthlyUSD == 0 && rc.Free == "" {
				// Priced at zero only when every line is a quantity the model sets to nothing.
				for _, l := range rc.Lines {
					assert.Zero(t, l.Quantity, "%s: a priced line at $0", rc.URN)
				}
			}
		}
		for _, r := range doc.Resources {
			assert.True(t, seen[r.URN], "tier %s: %s has no cost entry", tier, r.URN)
		}
		sum := 0.0
		for _, v := range doc.Cost.ByComponent {
			sum += v
		}
		assert.InDelta(t, doc.Cost.MonthlyUSD, sum, 0.05, "tier %s: the components add up to the total", tier)
	}
}

// The cost targets: the cost per user falls at every step up with the default usage, and the 100
// tier is under $40 a month for an app that lets its database pause (one that closes its
// connections: databaseActiveHours 240). By default the estimate assumes a pooled app, which keeps
// the database running all month (issue 14), and says so beside the writer's figure.
func TestDefaultCostTargets(t *testing.T) {
	prev := 0.0
	for i, tier := range tiers.All() {
		doc := planDocument(t, tier)
		c := doc.Cost
		assert.Equal(t, tier.Users(), c.Assumptions.Users)
		if tier == tiers.Tier100 {
			assert.Equal(t, c.Assumptions.HoursPerMonth, c.Assumptions.DatabaseActiveHours, "a pooled app never lets the database pause")
			cfg := tierConfig(tiers.Tier100)
			cfg["tierstack:costModel"] = `{"databaseActiveHours": 240}`
			pausing := planCostWith(t, cfg)
			assert.Less(t, pausing.MonthlyUSD, 40.0, "the 100 tier's monthly cost when the database pauses 16 hours a day")
			assert.Less(t, pausing.MonthlyUSD, c.MonthlyUSD)
		}
		if i > 0 {
			assert.Less(t, c.PerUserUSD, prev, "tier %s costs more per user than the tier below", tier)
		}
		prev = c.PerUserUSD
	}
}

// tierstack:costModel is decoded strictly over the tier's defaults: a field set replaces its
// default, users moves the figures derived from it, an unknown field is refused.
func TestCostModelConfig(t *testing.T) {
	base := tierConfig(tiers.Tier10k)

	s, err := tiers.ParseSettings(base)
	require.NoError(t, err)
	assert.Equal(t, insights.DefaultCostModel(10_000), s.CostModel)

	cfg := tierConfig(tiers.Tier10k)
	cfg["tierstack:costModel"] = `{"hoursPerMonth": 365, "users": 20000}`
	s, err = tiers.ParseSettings(cfg)
	require.NoError(t, err)
	want := insights.DefaultCostModel(20_000)
	want.HoursPerMonth = 365
	want.DatabaseActiveHours = 365 // unless set, it follows hoursPerMonth: a pooled app never lets it pause
	assert.Equal(t, want, s.CostModel)

	cfg["tierstack:costModel"] = `{"hours": 365}`
	_, err = tiers.ParseSettings(cfg)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "tierstack:costModel")
	assert.Contains(t, err.Error(), "hoursPerMonth")

	cfg["tierstack:costModel"] = `{"requests": -5}`
	_, err = tiers.ParseSettings(cfg)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "requests")
}

// The deploy estimate: on every tier the critical path is within 1.1× of the slowest resource and
// the data it reads (the target; the web tier no longer waits for the cache's address),
// and no explicit dependsOn lengthens it.
func TestDeployEstimate(t *testing.T) {
	for _, tier := range tiers.All() {
		d := planDocument(t, tier).Deploy
		assert.Positive(t, d.CriticalPathSeconds)
		assert.GreaterOrEqual(t, d.CriticalPathSeconds, d.SlowestNeedsSeconds)
		assert.Empty(t, d.Waits, "tier %s: an explicit dependsOn lengthens pulumi up", tier)
		assert.Empty(t, d.Defaulted, "tier %s: types without a creation time", tier)
		// What must follow the slowest resource lengthens the path too: from 1m, the DR secondary
		// is the slowest, and its reader waits for it.
		after := 0.0
		if i := slices.Index(d.Chain, d.Slowest); i >= 0 {
			for _, s := range d.ChainSeconds[i+1:] {
				after += s
			}
		}
		assert.LessOrEqual(t, d.CriticalPathSeconds, 1.1*d.SlowestNeedsSeconds+after, "tier %s: %v", tier, d.Chain)
	}
}

// With --from, the deploy estimate covers what the change creates or updates, not the whole stack.
func TestDeployEstimateOfATierChange(t *testing.T) {
	code, out, stderr := runPlan("--tier", "10k", "--from", "100", "--format", "json")
	require.Equal(t, cli.ExitOK, code, stderr)
	var doc struct {
		Changes []synth.Change  `json:"changes"`
		Deploy  insights.Deploy `json:"deploy"`
		Safety  insights.Safety `json:"safety"`
		Cost    insights.Cost   `json:"cost"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &doc))
	touched := 0
	for _, c := range doc.Changes {
		if c.Action != synth.Delete && !strings.HasPrefix(c.Type, "tierstack:") && !strings.HasPrefix(c.Type, "pulumi:providers:") {
			touched++
		}
	}
	assert.Equal(t, touched, doc.Deploy.Resources, "the estimate times what the change creates, replaces or updates")
	full := planDocument(t, tiers.Tier10k).Deploy
	assert.Less(t, doc.Deploy.Resources, full.Resources)
	assert.Zero(t, doc.Safety.Errors())
}

// The tier-change check folded into the safety report: a change that replaces the VPC fails with
// exit code 3, and each resource it loses is a safety error.
func TestTierChangeCheckIsASafetyError(t *testing.T) {
	dir := t.TempDir()
	stackFile := writeStackFile(t, dir, "staging", sprintf(stagingStack, "10.30.0.0/16"))
	last := savePlan(t, dir, "--config", stackFile)
	writeStackFile(t, dir, "staging", sprintf(stagingStack, "10.31.0.0/16"))

	code, out, stderr := runPlan("--config", stackFile, "--from", last, "--format", "json")
	require.Equal(t, cli.ExitUnsafe, code, stderr)
	var doc struct {
		Unsafe []synth.Change  `json:"unsafe"`
		Safety insights.Safety `json:"safety"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &doc))
	require.NotEmpty(t, doc.Unsafe)
	errs := map[string]bool{}
	for _, f := range doc.Safety.Findings {
		if f.Severity == insights.SeverityError {
			errs[f.URN] = true
		}
	}
	for _, c := range doc.Unsafe {
		assert.True(t, errs[c.URN], "the lost %s is a safety error", c.URN)
	}

	code, text, _ := runPlan("--config", stackFile, "--from", last)
	assert.Equal(t, cli.ExitUnsafe, code)
	assert.Contains(t, text, "Safety:")
}

// Losing a zone: the 100 tier's one server and one database instance share a zone and do not
// survive its loss; from 10k every zone can be lost.
func TestAZLossOfTheTiers(t *testing.T) {
	small := planDocument(t, tiers.Tier100).Safety.AZLoss
	lost := 0
	for _, zl := range small {
		if !zl.Survives {
			lost++
			assert.False(t, zl.Checks["web"].Survives, zl.Why)
			assert.False(t, zl.Checks["database"].Survives, zl.Why)
		}
	}
	assert.Equal(t, 1, lost, "one zone holds the server and the database")
	for _, tier := range []tiers.Tier{tiers.Tier10k, tiers.Tier100k, tiers.Tier1M} {
		for z, zl := range planDocument(t, tier).Safety.AZLoss {
			assert.True(t, zl.Survives, "tier %s losing %s: %s", tier, z, zl.Why)
			for _, part := range []string{"web", "database", "cache", "nat"} {
				assert.Contains(t, zl.Checks, part, "tier %s losing %s", tier, z)
			}
		}
	}
}

// plan --tier all puts the four tiers side by side.
func TestPlanAllTiers(t *testing.T) {
	code, out, stderr := runPlan("--tier", "all")
	require.Equal(t, cli.ExitOK, code, stderr)
	for _, tier := range tiers.All() {
		assert.Regexp(t, `(?m)^`+string(tier)+`\s+\d+\s+\$`, out)
	}
	code, out, stderr = runPlan("--tier", "all", "--format", "json")
	require.Equal(t, cli.ExitOK, code, stderr)
	var doc struct {
		Tiers []insights.TierRow `json:"tiers"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &doc))
	require.Len(t, doc.Tiers, 4)
	for i, tier := range tiers.All() {
		assert.Equal(t, string(tier), doc.Tiers[i].Tier)
		assert.Positive(t, doc.Tiers[i].Resources)
	}
	code, _, stderr = runPlan("--tier", "all", "--from", "100")
	assert.Equal(t, cli.ExitUsage, code)
	assert.Contains(t, stderr, "--tier all")
}

// A preview knows no IDs, so references are followed through the dependencies: its cost, deploy
// estimate and zone verdicts are the same as the update plan's.
func TestPreviewReportsTheSame(t *testing.T) {
	for _, tier := range tiers.All() {
		code, out, stderr := runPlan("--tier", string(tier), "--preview", "--format", "json")
		require.Equal(t, cli.ExitOK, code, stderr)
		var preview cli.Document
		require.NoError(t, json.Unmarshal([]byte(out), &preview))
		update := planDocument(t, tier)
		assert.Equal(t, update.Cost.MonthlyUSD, preview.Cost.MonthlyUSD, "tier %s", tier)
		assert.Equal(t, update.Cost.Unknown, preview.Cost.Unknown, "tier %s", tier)
		assert.Equal(t, update.Deploy.CriticalPathSeconds, preview.Deploy.CriticalPathSeconds, "tier %s", tier)
		assert.Equal(t, update.Safety.AZLoss, preview.Safety.AZLoss, "tier %s", tier)
	}
}

// A credential given as a plain app setting ends up in the server's user data: a safety error that
// names it. The same value given as a secret is not.
func TestPlainCredentialInTheAppIsASafetyError(t *testing.T) {
	dir := t.TempDir()
	stackFile := writeStackFile(t, dir, "leak", `config:
  aws:region: us-east-1
  tierstack:tier: 100
  tierstack:app:
    env:
      STRIPE_API_KEY: sk_live_123
`)
	code, out, stderr := runPlan("--config", stackFile, "--format", "json")
	require.Equal(t, cli.ExitOK, code, stderr)
	var doc cli.Document
	require.NoError(t, json.Unmarshal([]byte(out), &doc))
	require.Len(t, doc.Safety.Findings, 1)
	f := doc.Safety.Findings[0]
	assert.Equal(t, insights.SeverityError, f.Severity)
	assert.Contains(t, f.URN, "web-server")
	assert.Contains(t, f.Message, "STRIPE_API_KEY")
	for _, tier := range tiers.All() {
		assert.Empty(t, planDocument(t, tier).Safety.Findings, "tier %s as it ships", tier)
	}
}
