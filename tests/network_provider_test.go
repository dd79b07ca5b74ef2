package tests

import (
	"strings"
	"testing"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tierstack/tierstack/components/network"
)

// A Network given an explicit provider, as a DR region will be, looks up that provider's region and
// puts every child resource on it.
func TestNetworkFollowsAnExplicitProvider(t *testing.T) {
	s := mustRun(t, "us-east-1", func(ctx *pulumi.Context) error {
		west, err := aws.NewProvider(ctx, "west", &aws.ProviderArgs{Region: pulumi.String("us-west-2")})
		if err != nil {
			return err
		}
		_, err = network.New(ctx, "dr", &network.Args{AZCount: 3}, pulumi.Provider(west))
		return err
	})
	providers := s.All("pulumi:providers:aws")
	require.Len(t, providers, 1)
	for _, r := range s.Resources {
		if r.Custom && strings.HasPrefix(r.Type, "aws:") {
			assert.Equal(t, providers[0].URN, r.Provider, "%s %s is not on the west provider", r.Type, r.Name)
		}
	}
	assert.Equal(t, "us-west-2c", str(s.Named(typeSubnet, "dr-private-2"), "availabilityZone"))
	assert.Equal(t, "com.amazonaws.us-west-2.s3", str(s.Named(typeEndpoint, "dr-s3-endpoint"), "serviceName"))
}

// A Network inside another component finds the provider through its parent.
func TestNetworkFindsTheProviderThroughItsParent(t *testing.T) {
	s := mustRun(t, "us-east-1", func(ctx *pulumi.Context) error {
		west, err := aws.NewProvider(ctx, "eu", &aws.ProviderArgs{Region: pulumi.String("eu-central-1")})
		if err != nil {
			return err
		}
		var outer pulumi.ResourceState
		if err := ctx.RegisterComponentResource("test:index:Region", "secondary", &outer, pulumi.Providers(west)); err != nil {
			return err
		}
		_, err = network.New(ctx, "sec", &network.Args{AZCount: 2}, pulumi.Parent(&outer))
		return err
	})
	assert.Equal(t, "eu-central-1b", str(s.Named(typeSubnet, "sec-data-1"), "availabilityZone"))
	assert.NotEmpty(t, s.Named(typeVPC, "sec-vpc").Provider)
}

// With several providers (an AWS one among others), the lookups still go through the AWS one, so
// zones and resources land in the same region.
func TestNetworkPicksTheAWSProviderAmongSeveral(t *testing.T) {
	s := mustRun(t, "us-east-1", func(ctx *pulumi.Context) error {
		var k8s pulumi.ProviderResourceState
		if err := ctx.RegisterResource("pulumi:providers:kubernetes", "k8s", nil, &k8s); err != nil {
			return err
		}
		west, err := aws.NewProvider(ctx, "west", &aws.ProviderArgs{Region: pulumi.String("us-west-2")})
		if err != nil {
			return err
		}
		_, err = network.New(ctx, "dr", &network.Args{AZCount: 2}, pulumi.Providers(&k8s, west))
		return err
	})
	assert.Equal(t, "us-west-2b", str(s.Named(typeSubnet, "dr-public-1"), "availabilityZone"))
	assert.Equal(t, "com.amazonaws.us-west-2.dynamodb", str(s.Named(typeEndpoint, "dr-dynamodb-endpoint"), "serviceName"))
	assert.Contains(t, s.Named(typeVPC, "dr-vpc").Provider, "pulumi:providers:aws::west")
}
