package tests

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tierstack/tierstack/components/edge"
	"github.com/tierstack/tierstack/tiers"
)

// crsRule returns the index path of the core rule set's rule in the web ACL's rules, failing the
// test when the ACL has none.
func crsRule(t *testing.T, s stack) string {
	t.Helper()
	acl := s.Named(wafTypeACL, "edge-waf")
	rules, _ := input(acl, "rules").([]any)
	for i := range rules {
		p := fmt.Sprintf("rules.%d", i)
		if str(acl, p+".statement.managedRuleGroupStatement.name") == edge.CommonRuleSet {
			return p
		}
	}
	t.Fatalf("the web ACL has no %s rule", edge.CommonRuleSet)
	return ""
}

// By default the core rule set's SizeRestrictions_BODY counts instead of blocking, so that bodies
// over 8 KB (uploads, large JSON posts) pass; no other rule of any group is overridden.
func TestWAFCountsLargeBodiesByDefault(t *testing.T) {
	for _, tier := range []tiers.Tier{tiers.Tier10k, tiers.Tier100k, tiers.Tier1M} {
		s := planTier(t, wafConfig(tier, ""))
		acl := s.Named(wafTypeACL, "edge-waf")
		crs := crsRule(t, s)
		overrides, _ := input(acl, crs+".statement.managedRuleGroupStatement.ruleActionOverrides").([]any)
		require.Len(t, overrides, 1, "tier %s", tier)
		assert.Equal(t, edge.LargeBodyRule, str(acl, crs+".statement.managedRuleGroupStatement.ruleActionOverrides.0.name"))
		assert.NotNil(t, input(acl, crs+".statement.managedRuleGroupStatement.ruleActionOverrides.0.actionToUse.count"), "counted")
		assert.Nil(t, input(acl, crs+".statement.managedRuleGroupStatement.ruleActionOverrides.0.actionToUse.block"))
		assert.NotNil(t, input(acl, crs+".overrideAction.none"), "the group's other rules keep their actions")
		rules, _ := input(acl, "rules").([]any)
		for i := range rules {
			p := fmt.Sprintf("rules.%d", i)
			if p != crs {
				assert.Nil(t, input(acl, p+".statement.managedRuleGroupStatement.ruleActionOverrides"), "tier %s: %s", tier, p)
			}
		}
	}
}

// tierstack:edge blockLargeBodies true gives the rule its own action back (block); it needs a WAF.
func TestWAFBlockLargeBodiesSetting(t *testing.T) {
	s := planTier(t, wafConfig(tiers.Tier10k, `{"blockLargeBodies":true}`))
	assert.Nil(t, input(s.Named(wafTypeACL, "edge-waf"), crsRule(t, s)+".statement.managedRuleGroupStatement.ruleActionOverrides"))

	counted := planTier(t, wafConfig(tiers.Tier10k, `{"blockLargeBodies":false}`))
	assert.NotNil(t, input(counted.Named(wafTypeACL, "edge-waf"), crsRule(t, counted)+".statement.managedRuleGroupStatement.ruleActionOverrides"))

	bad, err := runProgram(t, "", wafConfig(tiers.Tier100, `{"blockLargeBodies":true}`), tiers.Program)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "blockLargeBodies set a WAF this stack does not have")
	assert.Empty(t, bad.Resources, "nothing registered")
}
