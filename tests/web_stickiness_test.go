package tests

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tierstack/tierstack/synth"
	"github.com/tierstack/tierstack/tiers"
)

// Stickiness is off unless configured: the target group's stickiness block says disabled, so that
// turning it off again disables it in AWS.
func TestWebStickinessIsOffByDefault(t *testing.T) {
	tg := planTier(t, tierConfig(tiers.Tier10k)).Named(webTypeTG, "web-tg")
	assert.Equal(t, false, input(tg, "stickiness.enabled"))
}

// tierstack:web stickiness turns on load-balancer cookies for the duration, on the same target
// group, in place: plan --from shows an update, not a replacement.
func TestWebStickinessTurnsOnCookiesInPlace(t *testing.T) {
	on := webConfig(tiers.Tier10k, `{"stickiness":{"duration":"2h"}}`, "")
	after := planTier(t, on)
	tg := after.Named(webTypeTG, "web-tg")
	assert.Equal(t, true, input(tg, "stickiness.enabled"))
	assert.Equal(t, "lb_cookie", str(tg, "stickiness.type"))
	assert.Equal(t, 7200, num(tg, "stickiness.cookieDuration"))

	before := planTier(t, tierConfig(tiers.Tier10k))
	var seen bool
	for _, c := range synth.Diff(before.Plan, after.Plan, mustRules(t)) {
		assert.NotEqual(t, synth.Replace, c.Action, "turning stickiness on replaces nothing: %s", c.URN)
		assert.NotEqual(t, synth.Delete, c.Action, "turning stickiness on deletes nothing: %s", c.URN)
		if c.URN == tg.URN {
			seen = true
			assert.Equal(t, synth.Update, c.Action, "stickiness is not ForceNew on the target group")
			assert.Equal(t, []string{"stickiness"}, c.Keys)
		}
	}
	assert.True(t, seen, "the target group changes")
}

// Bad stickiness settings are refused before anything is registered, naming the setting, the value
// and what is allowed.
func TestWebStickinessBadInputIsRefused(t *testing.T) {
	cases := []struct {
		name string
		tier tiers.Tier
		web  string
		want []string
	}{
		{"not a duration", tiers.Tier10k, `{"stickiness":{"duration":"a day"}}`, []string{"stickiness duration", `"a day"`, "1s to 168h"}},
		{"over a week", tiers.Tier10k, `{"stickiness":{"duration":"169h"}}`, []string{"stickiness duration", `"169h"`, "1s to 168h"}},
		{"under a second", tiers.Tier10k, `{"stickiness":{"duration":"500ms"}}`, []string{"stickiness duration", `"500ms"`, "whole seconds"}},
		{"missing", tiers.Tier10k, `{"stickiness":{}}`, []string{"stickiness duration", `""`, "1s to 168h"}},
		{"unknown field", tiers.Tier10k, `{"stickiness":{"seconds":60}}`, []string{"tierstack:web", "seconds", "stickiness {duration}"}},
		{"mode instance", tiers.Tier100, `{"stickiness":{"duration":"1h"}}`, []string{"tierstack:web stickiness", "mode instance", "no load balancer", "mode autoscaling"}},
		{"mode eks", tiers.Tier100k, `{"stickiness":{"duration":"1h"}}`, []string{"tierstack:web stickiness", "mode eks", "pin a node", "mode autoscaling"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s, err := runProgram(t, "", webConfig(c.tier, c.web, ""), tiers.Program)
			require.Error(t, err)
			for _, w := range c.want {
				assert.Contains(t, err.Error(), w)
			}
			assert.Empty(t, s.Resources, "nothing may be registered before the config is checked")
		})
	}
}
