package tests

import (
	"testing"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tierstack/tierstack/synth"
)

// instancePlan is a one-instance plan with the given inputs and ignoreChanges.
func instancePlan(inputs map[string]any, ignore ...string) *synth.Plan {
	return &synth.Plan{Resources: []synth.Resource{{
		URN: "urn:pulumi:s::p::aws:ec2/instance:Instance::web", Type: typeInstance, Name: "web",
		Custom: true, Inputs: inputs, IgnoreChanges: ignore,
	}}}
}

func TestDiffJudgesNestedAndIgnoredChanges(t *testing.T) {
	rules, err := synth.ReplacementRules()
	require.NoError(t, err)
	base := func() map[string]any {
		return map[string]any{
			"ami":             "ami-1",
			"instanceType":    "t4g.small",
			"rootBlockDevice": map[string]any{"encrypted": true, "volumeSize": float64(8)},
		}
	}
	cases := []struct {
		name   string
		change func(map[string]any)
		ignore []string
		want   synth.Action
		by     []string
	}{
		{"instance type changes in place", func(m map[string]any) { m["instanceType"] = "t4g.large" }, nil, synth.Update, nil},
		{"a bigger root volume changes in place", func(m map[string]any) { m["rootBlockDevice"].(map[string]any)["volumeSize"] = float64(20) }, nil, synth.Update, nil},
		{"unencrypting the root volume replaces", func(m map[string]any) { m["rootBlockDevice"].(map[string]any)["encrypted"] = false }, nil, synth.Replace, []string{"rootBlockDevice"}},
		{"a new AMI replaces", func(m map[string]any) { m["ami"] = "ami-2" }, nil, synth.Replace, []string{"ami"}},
		{"a new AMI under ignoreChanges is no change", func(m map[string]any) { m["ami"] = "ami-2" }, []string{"ami"}, "", nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			after := base()
			c.change(after)
			changes := synth.Diff(instancePlan(base(), c.ignore...), instancePlan(after, c.ignore...), rules)
			if c.want == "" {
				assert.Empty(t, changes)
				return
			}
			require.Len(t, changes, 1)
			assert.Equal(t, c.want, changes[0].Action)
			assert.Equal(t, c.by, changes[0].ReplacedBy)
		})
	}
}

func TestDiffFlagsTypesWithoutRules(t *testing.T) {
	before := &synth.Plan{Resources: []synth.Resource{{URN: "u", Type: "aws:foo/bar:Bar", Custom: true, Inputs: map[string]any{"a": "1"}}}}
	after := &synth.Plan{Resources: []synth.Resource{{URN: "u", Type: "aws:foo/bar:Bar", Custom: true, Inputs: map[string]any{"a": "2"}}}}
	changes := synth.Diff(before, after, synth.Rules{})
	require.Len(t, changes, 1)
	assert.True(t, changes[0].Unknown)
}

// The mock engine copes with secret names instead of crashing.
func TestRecorderCopesWithSecretNames(t *testing.T) {
	plan, err := synth.Run(func(ctx *pulumi.Context) (pulumi.Map, error) {
		_, err := iam.NewRole(ctx, "r", &iam.RoleArgs{
			Name:             pulumi.ToSecret(pulumi.String("hidden")).(pulumi.StringOutput),
			AssumeRolePolicy: pulumi.String("{}"),
		})
		return nil, err
	}, synth.Options{})
	require.NoError(t, err)
	require.Len(t, plan.Resources, 1)
	assert.Equal(t, synth.SecretPlaceholder, plan.Resources[0].Inputs["name"])
}
