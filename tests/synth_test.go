package tests

import (
	"testing"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tierstack/tierstack/synth"
)

// The URNs and IDs the record shows are the ones the program itself sees.
func TestRecordedURNsAndIDsMatchTheEngine(t *testing.T) {
	plan, err := synth.Run(func(ctx *pulumi.Context) (pulumi.Map, error) {
		var comp pulumi.ResourceState
		if err := ctx.RegisterComponentResource("test:index:Box", "box", &comp); err != nil {
			return nil, err
		}
		vpc, err := ec2.NewVpc(ctx, "v", &ec2.VpcArgs{CidrBlock: pulumi.String("10.0.0.0/16")}, pulumi.Parent(&comp))
		if err != nil {
			return nil, err
		}
		return pulumi.Map{"urn": vpc.URN(), "id": vpc.ID(), "compUrn": comp.URN()}, nil
	}, synth.Options{Stack: "dev"})
	require.NoError(t, err)
	s := stack{Plan: plan, t: t}
	vpc := s.Named(typeVPC, "v")
	assert.Equal(t, plan.Outputs["urn"], vpc.URN)
	assert.Equal(t, plan.Outputs["id"], vpc.ID)
	assert.Equal(t, "urn:pulumi:dev::tierstack::test:index:Box$aws:ec2/vpc:Vpc::v", vpc.URN)
	assert.Equal(t, plan.Outputs["compUrn"], vpc.Parent)
	assert.Regexp(t, `^vpc-[0-9a-f]{17}$`, vpc.ID)
}

func TestUnknownInvokesFailLoudly(t *testing.T) {
	_, err := synth.Run(func(ctx *pulumi.Context) (pulumi.Map, error) {
		var out map[string]any
		return nil, ctx.Invoke("aws:rds/getEngineVersion:getEngineVersion", map[string]any{"engine": "postgres"}, &out)
	}, synth.Options{})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "no fake answer for invoke aws:rds/getEngineVersion:getEngineVersion")
}

func TestRunRefusesARegionItHasNoDataFor(t *testing.T) {
	_, err := synth.Run(func(ctx *pulumi.Context) (pulumi.Map, error) { return nil, nil }, synth.Options{Region: "eu-south-9"})
	require.Error(t, err)
	assert.Contains(t, err.Error(), `region "eu-south-9" is not one plan knows (allowed: us-east-1, `)
}

func TestFakeRegionsGiveRealisticZones(t *testing.T) {
	for _, region := range synth.RegionNames() {
		var names, ids []string
		_, err := synth.Run(func(ctx *pulumi.Context) (pulumi.Map, error) {
			var out struct {
				Names   []string `pulumi:"names"`
				ZoneIDs []string `pulumi:"zoneIds"`
			}
			err := ctx.Invoke("aws:index/getAvailabilityZones:getAvailabilityZones", map[string]any{}, &out)
			names, ids = out.Names, out.ZoneIDs
			return nil, err
		}, synth.Options{Region: region})
		require.NoError(t, err, region)
		assert.GreaterOrEqual(t, len(names), 2, "%s: every region has at least two zones", region)
		assert.Len(t, ids, len(names))
		for _, n := range names {
			assert.Regexp(t, "^"+region+"[a-f]$", n)
		}
	}
}
