package tests

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/secretsmanager"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tierstack/tierstack/cli"
	"github.com/tierstack/tierstack/synth"
)

// secretProgram registers a secret version whose text is value, and a secret header nested in a
// list, as the CDN's origin header is.
func secretProgram(value, header string) synth.Program {
	return func(ctx *pulumi.Context) (pulumi.Map, error) {
		if _, err := secretsmanager.NewSecretVersion(ctx, "conn-value", &secretsmanager.SecretVersionArgs{
			SecretId:     pulumi.String("arn:aws:secretsmanager:us-east-1:123456789012:secret:conn-AbCdEf"),
			SecretString: pulumi.ToSecret(pulumi.String(value)).(pulumi.StringOutput),
		}); err != nil {
			return nil, err
		}
		var res pulumi.CustomResourceState
		err := ctx.RegisterResource("aws:ssm/parameter:Parameter", "p", pulumi.Map{
			"name": pulumi.String("/app/header"),
			"tags": pulumi.Map{"list": pulumi.Array{pulumi.Map{"value": pulumi.ToSecret(pulumi.String(header))}}},
		}, &res)
		return nil, err
	}
}

// planSecrets runs secretProgram as stack "dev" with the team key, and reads the plan back from the
// JSON file plan --format json would write, as plan --from FILE does.
func planSecrets(t *testing.T, value, header, teamKey string) (*synth.Plan, string) {
	t.Helper()
	p, err := synth.Run(secretProgram(value, header), synth.Options{Stack: "dev", SecretHashKey: teamKey})
	require.NoError(t, err)
	raw, err := json.Marshal(p)
	require.NoError(t, err)
	file := filepath.Join(t.TempDir(), "plan.json")
	require.NoError(t, os.WriteFile(file, raw, 0o600))
	back, err := cli.ReadPlanFile(file)
	require.NoError(t, err)
	return back, string(raw)
}

// A secret's text is never in a plan, but its change is visible to plan --from: each known secret
// input has a keyed hash beside the placeholder, and the diff compares the hashes. A changed secret
// shows as a change (the engine replaces a secret version whose text changes), an unchanged one as
// none; hashes made with another key (another stack, or another team key) are not compared.
func TestSecretChangesAreVisibleToTheDiff(t *testing.T) {
	const (
		old    = `{"host":"master.cache.use1.cache.amazonaws.com","clusterMode":"disabled"}`
		moved  = `{"host":"clustercfg.cache.use1.cache.amazonaws.com","clusterMode":"compatible"}`
		header = "s3cr3t-h3ad3r"
	)
	rules := mustRules(t)
	before, raw := planSecrets(t, old, header, "")
	for _, text := range []string{old, "master.cache", header} {
		assert.NotContains(t, raw, text, "the secret's text is not in the plan")
	}
	version := before.Resources[0]
	require.Equal(t, "conn-value", version.Name)
	assert.Equal(t, synth.SecretPlaceholder, version.Inputs["secretString"])
	assert.Regexp(t, `^hmac-sha256:[0-9a-f]{32}$`, version.SecretHashes["secretString"])
	param := before.Resources[1]
	assert.Contains(t, param.SecretHashes, "tags.list[0].value", "a secret nested in a list has its path")
	assert.NotEmpty(t, before.SecretHashKey)

	same, _ := planSecrets(t, old, header, "")
	assert.Empty(t, synth.Diff(before, same, rules), "an unchanged secret is no change")

	after, raw := planSecrets(t, moved, header, "")
	assert.NotContains(t, raw, "clustercfg.cache")
	changes := synth.Diff(before, after, rules)
	require.Len(t, changes, 1, "only the changed secret: %+v", changes)
	assert.Equal(t, "conn-value", changes[0].Name)
	assert.Equal(t, synth.Replace, changes[0].Action)
	assert.Equal(t, []string{"secretString"}, changes[0].ReplacedBy)
	assert.NotEqual(t, version.ID, after.Resources[0].ID, "a replaced secret version gets a new ID")

	nested, _ := planSecrets(t, old, "another-header", "")
	changes = synth.Diff(before, nested, rules)
	require.Len(t, changes, 1)
	assert.Equal(t, "p", changes[0].Name)
	assert.Equal(t, []string{"tags"}, changes[0].Keys)

	// The key: another team key hashes the same text differently, and such plans do not compare.
	keyed, _ := planSecrets(t, moved, header, "team-key")
	assert.NotEqual(t, after.Resources[0].SecretHashes["secretString"], keyed.Resources[0].SecretHashes["secretString"])
	assert.NotEqual(t, after.SecretHashKey, keyed.SecretHashKey)
	assert.Empty(t, synth.Diff(before, keyed, rules), "hashes of another key are not compared")
	other, err := synth.Run(secretProgram(old, header), synth.Options{Stack: "prod"})
	require.NoError(t, err)
	assert.NotEqual(t, version.SecretHashes["secretString"], other.Resources[0].SecretHashes["secretString"],
		"the same secret in another stack hashes differently")
}

// On the walk to cluster mode, plan --from shows the connection secret's new version at the
// compatible step, where its host and mode change; the JSON holds neither the secret's text nor the
// AUTH token.
func TestPlanFromShowsTheCacheSecretChange(t *testing.T) {
	dir := t.TempDir()
	write := func(name, cache string) string {
		file := filepath.Join(dir, "Pulumi."+name+".yaml")
		body := "config:\n  tierstack:tier: \"10k\"\n  aws:region: us-east-1\n  tierstack:network: '{" + usEast1Zones + "}'\n"
		if cache != "" {
			body += "  tierstack:cache: '" + cache + "'\n"
		}
		require.NoError(t, os.WriteFile(file, []byte(body), 0o600))
		return file
	}
	code, out, stderr := runPlan("--config", write("walk", ""), "--format", "json")
	require.Equal(t, 0, code, stderr)
	before := filepath.Join(dir, "before.json")
	require.NoError(t, os.WriteFile(before, []byte(out), 0o600))
	code, out, stderr = runPlan("--config", write("walk", `{"clusterMode":"compatible"}`), "--from", before)
	require.Equal(t, 0, code, stderr+out)
	assert.Regexp(t, `\+- replace\s+secretsmanager\.SecretVersion\s+cache-connection-value\s+replaced by a change to secretString`, out)
	code, out, stderr = runPlan("--config", write("walk", `{"clusterMode":"compatible"}`), "--from", before, "--format", "json")
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, out, `"name": "cache-connection-value"`)
	assert.NotContains(t, out, `\"authToken\"`, "no connection text in the JSON")
	assert.NotContains(t, out, `\"host\"`, "no connection text in the JSON")
}

// The CLI keys the hashes with the team key from TIERSTACK_PLAN_KEY: the same stack planned with
// and without it hashes its secrets differently and names another key.
func TestPlanKeyComesFromTheEnvironment(t *testing.T) {
	plan := func() synth.Plan {
		code, out, stderr := runPlan("--tier", "10k", "--format", "json")
		require.Equal(t, 0, code, stderr)
		var p synth.Plan
		require.NoError(t, json.Unmarshal([]byte(out), &p))
		return p
	}
	hash := func(p synth.Plan) string {
		for _, r := range p.Resources {
			if r.Name == "cache-connection-value" {
				return r.SecretHashes["secretString"]
			}
		}
		return ""
	}
	t.Setenv(cli.PlanKeyVariable, "")
	plain := plan()
	t.Setenv(cli.PlanKeyVariable, "a-team-secret")
	keyed := plan()
	require.NotEmpty(t, hash(plain))
	require.NotEmpty(t, hash(keyed))
	assert.NotEqual(t, hash(plain), hash(keyed))
	assert.NotEqual(t, plain.SecretHashKey, keyed.SecretHashKey)
	assert.Equal(t, hash(keyed), hash(plan()), "the same key hashes alike")
}
