package tests

import (
	"encoding/base64"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tierstack/tierstack/components/webtier"
	"github.com/tierstack/tierstack/synth"
	"github.com/tierstack/tierstack/tiers"
)

// decoded is a base64 input of r as text.
func decoded(t *testing.T, r synth.Resource, path string) string {
	t.Helper()
	b, err := base64.StdEncoding.DecodeString(str(r, path))
	require.NoError(t, err)
	return string(b)
}

// Without tierstack:web image the instances boot AWS's Amazon Linux 2023 and install Docker.
func TestWebGoldenImageIsAbsentByDefault(t *testing.T) {
	lt := planTier(t, tierConfig(tiers.Tier10k)).Named(webTypeLT, "web-lt")
	assert.Equal(t, webtier.AMIParameter, str(lt, "imageId"))
	assert.Contains(t, decoded(t, lt, "userData"), "dnf install -y docker")
	server := planTier(t, tierConfig(tiers.Tier100)).Named(typeInstance, "web-server")
	assert.Equal(t, []string{"ami"}, server.IgnoreChanges, "a newer Amazon Linux never replaces the server")
}

// A golden image goes into the launch template as given (an ID or resolve:ssm:), and the boot
// script installs nothing: it starts Docker and the app.
func TestWebGoldenImageInTheLaunchTemplate(t *testing.T) {
	for _, image := range []string{"ami-0123456789abcdef0", "ami-0a1b2c3d", "resolve:ssm:/golden/web/ami"} {
		t.Run(image, func(t *testing.T) {
			lt := planTier(t, webConfig(tiers.Tier10k, `{"image":"`+image+`"}`, "")).Named(webTypeLT, "web-lt")
			assert.Equal(t, image, str(lt, "imageId"))
			ud := decoded(t, lt, "userData")
			assert.NotContains(t, ud, "dnf install", "the image holds the runtime")
			assert.Contains(t, ud, "systemctl enable --now docker")
			assert.Contains(t, ud, "systemctl enable --now app.service")
		})
	}
}

// The single server boots the golden image's ID, or the ID its SSM parameter holds at plan time,
// and follows it: no ignoreChanges on ami, so that a new image replaces the server.
func TestWebGoldenImageOnTheSingleServer(t *testing.T) {
	byID := planTier(t, webConfig(tiers.Tier100, `{"image":"ami-0123456789abcdef0"}`, "")).Named(typeInstance, "web-server")
	assert.Equal(t, "ami-0123456789abcdef0", str(byID, "ami"))
	assert.Empty(t, byID.IgnoreChanges)
	assert.NotContains(t, decoded(t, byID, "userDataBase64"), "dnf install")

	def := planTier(t, tierConfig(tiers.Tier100)).Named(typeInstance, "web-server")
	byParameter := planTier(t, webConfig(tiers.Tier100, `{"image":"resolve:ssm:/golden/web/ami"}`, "")).Named(typeInstance, "web-server")
	assert.Regexp(t, `^ami-[0-9a-f]{17}$`, str(byParameter, "ami"), "the parameter's value, read: the provider reads an instance's image")
	assert.NotEqual(t, str(def, "ami"), str(byParameter, "ami"), "not AWS's image")
}

// A new golden image replaces the single server, and its Elastic IP stays (updated in place to the
// new instance); in the group it is a new launch template version, in place, that plan --from says
// an instance refresh rolls out after pulumi up.
func TestWebGoldenImageChangeInPlan(t *testing.T) {
	rules := mustRules(t)
	cfg := func(tier tiers.Tier, image string) map[string]string {
		return webConfig(tier, `{"image":"`+image+`"}`, "")
	}
	changes := synth.Diff(planTier(t, cfg(tiers.Tier100, "ami-0123456789abcdef0")).Plan, planTier(t, cfg(tiers.Tier100, "ami-0fedcba9876543210")).Plan, rules)
	actions := map[string]synth.Action{}
	for _, c := range changes {
		actions[c.Type+" "+c.Name] = c.Action
		assert.NotEqual(t, synth.Delete, c.Action, c.URN)
		assert.False(t, c.Unsafe, c.URN)
	}
	assert.Equal(t, synth.Replace, actions[typeInstance+" web-server"])
	assert.Equal(t, synth.Update, actions[typeEIP+" web-eip"], "the address stays and moves to the new server")

	changes = synth.Diff(planTier(t, cfg(tiers.Tier10k, "ami-0123456789abcdef0")).Plan, planTier(t, cfg(tiers.Tier10k, "resolve:ssm:/golden/web/ami")).Plan, rules)
	var lt *synth.Change
	for i, c := range changes {
		assert.NotEqual(t, synth.Replace, c.Action, c.URN)
		assert.NotEqual(t, synth.Delete, c.Action, c.URN)
		if c.Type == webTypeLT {
			lt = &changes[i]
		}
	}
	require.NotNil(t, lt, "the launch template changes")
	assert.Equal(t, synth.Update, lt.Action)
	require.Len(t, lt.AfterUpdate, 1)
	assert.Contains(t, lt.AfterUpdate[0], "instance refresh")
}

// Bad images are refused before anything is registered, naming the setting, the value and what is
// allowed.
func TestWebGoldenImageBadInputIsRefused(t *testing.T) {
	cases := []struct {
		name, image string
		tier        tiers.Tier
		want        []string
	}{
		{"short ID", "ami-123", tiers.Tier10k, []string{"tierstack:web image", `"ami-123"`, "8 or 17"}},
		{"capitals", "ami-0123456789ABCDEF0", tiers.Tier10k, []string{"image", `"ami-0123456789ABCDEF0"`, "lower-case hexadecimal"}},
		{"nine digits", "ami-0123456789", tiers.Tier100, []string{"image", `"ami-0123456789"`, "8 or 17"}},
		{"a name", "al2023", tiers.Tier10k, []string{"image", `"al2023"`, "resolve:ssm:"}},
		{"bare parameter", "/golden/web/ami", tiers.Tier10k, []string{"image", `"/golden/web/ami"`, "resolve:ssm:"}},
		{"relative parameter", "resolve:ssm:golden", tiers.Tier10k, []string{"image", `"resolve:ssm:golden"`, "full parameter path"}},
		{"space in parameter", "resolve:ssm:/golden web", tiers.Tier100, []string{"image", `"resolve:ssm:/golden web"`, "full parameter path"}},
		{"mode eks", "ami-0123456789abcdef0", tiers.Tier100k, []string{"tierstack:web image", "mode eks", "modes instance and autoscaling"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s, err := runProgram(t, "", webConfig(c.tier, `{"image":"`+c.image+`"}`, ""), tiers.Program)
			require.Error(t, err)
			for _, w := range c.want {
				assert.Contains(t, err.Error(), w)
			}
			assert.Empty(t, s.Resources, "nothing may be registered before the config is checked")
		})
	}
}
