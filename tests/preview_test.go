package tests

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tierstack/tierstack/synth"
	"github.com/tierstack/tierstack/tiers"
)

// Every tier runs as `pulumi preview` runs it, where IDs and computed outputs are unknown: the same
// resources are registered as in an update, and what depends on an unknown shows as "[unknown]".
// Code that needs every output known (resources created in an apply) would fail here.
func TestEveryTierPlansInPreviewMode(t *testing.T) {
	for _, tier := range tiers.All() {
		t.Run(string(tier), func(t *testing.T) {
			cfg := tierConfig(tier, `"bastionAllowedCidrs":["203.0.113.0/24"]`)
			update := planTier(t, cfg)
			preview, err := synth.Run(tiers.Program, synth.Options{Config: cfg, Preview: true})
			require.NoError(t, err)
			require.True(t, preview.Preview)

			urns := func(p *synth.Plan) []string {
				var out []string
				for _, r := range p.Resources {
					out = append(out, r.URN)
				}
				return out
			}
			assert.Equal(t, urns(update.Plan), urns(preview), "a preview registers what an update does")

			s := stack{Plan: preview, t: t}
			for _, r := range preview.Resources {
				// A provider is configured before anything exists: its ID is known.
				if r.Custom && !strings.HasPrefix(r.Type, "pulumi:providers:") {
					assert.Equal(t, synth.UnknownPlaceholder, r.ID, "%s %s", r.Type, r.Name)
					assert.Empty(t, r.Outputs, "%s %s: nothing computed in a preview", r.Type, r.Name)
				}
			}
			subnet := s.Named(typeSubnet, "network-private-0")
			assert.Equal(t, synth.UnknownPlaceholder, str(subnet, "vpcId"))
			assert.Equal(t, "us-east-1a", str(subnet, "availabilityZone"), "what the program knows stays known")
			assert.Equal(t, synth.UnknownPlaceholder, preview.Outputs["vpcId"])
			assert.Equal(t, string(tier), preview.Outputs["tier"])
			assert.Equal(t, update.Outputs["availabilityZones"], preview.Outputs["availabilityZones"], "the zones are known before anything exists")
		})
	}
}

func TestPlanPreviewFlag(t *testing.T) {
	code, out, stderr := runPlan("--tier", "100k", "--preview")
	require.Equal(t, 0, code, stderr)
	assert.Regexp(t, `\n  vpcId\s+\[unknown\]\n`, out)
	assert.Contains(t, out, "(preview: [unknown] stands for what AWS only knows once a resource exists)")
	code, out, stderr = runPlan("--config", root+"/Pulumi.prod.yaml", "--preview", "--format", "json")
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, out, `"preview": true`)
}
