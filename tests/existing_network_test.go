package tests

import (
	"fmt"
	"testing"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tierstack/tierstack/components/cachetier"
	"github.com/tierstack/tierstack/components/datatier"
	"github.com/tierstack/tierstack/components/network"
	"github.com/tierstack/tierstack/components/webtier"
	"github.com/tierstack/tierstack/tierstacktest"
)

// theirVPC is a VPC another stack built in eu-west-1, with data subnets in three zones, and a
// second VPC beside it.
var (
	theirVPC = tierstacktest.ExistingVPC{ID: "vpc-0aaa1111bbbb22223", CIDR: "10.40.0.0/16", Subnets: []tierstacktest.ExistingSubnet{
		{ID: "subnet-0d000000000000001", AvailabilityZone: "eu-west-1a", CIDR: "10.40.32.0/20"},
		{ID: "subnet-0d000000000000002", AvailabilityZone: "eu-west-1b", CIDR: "10.40.48.0/20"},
		{ID: "subnet-0d000000000000003", AvailabilityZone: "eu-west-1c", CIDR: "10.40.64.0/20"},
		{ID: "subnet-0d000000000000004", AvailabilityZone: "eu-west-1a", CIDR: "10.40.80.0/20"},
		{ID: "subnet-0d000000000000005", AvailabilityZone: "eu-west-1b", CIDR: "10.40.96.0/20"},
	}}
	otherVPC = tierstacktest.ExistingVPC{ID: "vpc-0ccc3333dddd44445", Subnets: []tierstacktest.ExistingSubnet{
		{ID: "subnet-0e000000000000001", AvailabilityZone: "eu-west-1b", CIDR: "10.0.0.0/24"},
	}}
	theirDataSubnets = []string{"subnet-0d000000000000001", "subnet-0d000000000000002", "subnet-0d000000000000003"}
)

// runExisting runs program in eu-west-1 with theirVPC and otherVPC in the fake account.
func runExisting(program func(ctx *pulumi.Context) error) (*tierstacktest.Stack, error) {
	return tierstacktest.Run(program, tierstacktest.Options{Region: "eu-west-1", ExistingVPCs: []tierstacktest.ExistingVPC{theirVPC, otherVPC}})
}

// A DataTier and a CacheTier go into a VPC known only by IDs, through an explicit provider: nothing
// of the network is created, the subnet groups hold the given subnets, the writer and readers spread
// over the looked-up zones, every resource is on the provider.
func TestExistingNetworkPlacesDataAndCache(t *testing.T) {
	var zones []string
	s, err := runExisting(func(ctx *pulumi.Context) error {
		prov, err := aws.NewProvider(ctx, "ireland", &aws.ProviderArgs{Region: pulumi.String("eu-west-1")})
		if err != nil {
			return err
		}
		net, err := network.Existing(ctx, "theirs", &network.ExistingArgs{VPCID: theirVPC.ID, DataSubnetIDs: theirDataSubnets}, pulumi.Provider(prov))
		if err != nil {
			return err
		}
		zones = net.Zones
		if _, err := datatier.New(ctx, "orders", &datatier.Args{Network: net, Readers: 2}, pulumi.Provider(prov)); err != nil {
			return err
		}
		_, err = cachetier.New(ctx, "sessions", &cachetier.Args{Network: net, Replicas: 1}, pulumi.Provider(prov))
		return err
	})
	require.NoError(t, err)
	assert.Equal(t, []string{"eu-west-1a", "eu-west-1b", "eu-west-1c"}, zones, "the zones are the subnets' own, in their order")
	s.AssertCount(t, typeVPC, 0)
	s.AssertCount(t, typeSubnet, 0)
	s.AssertCount(t, "tierstack:index:ExistingNetwork", 1)
	s.AssertEvery(t, typeDBSubnetGroup, tierstacktest.Props{"subnetIds": theirDataSubnets})
	s.AssertEvery(t, "aws:elasticache/subnetGroup:SubnetGroup", tierstacktest.Props{"subnetIds": theirDataSubnets})
	s.AssertEvery(t, typeSecurityGroup, tierstacktest.Props{"vpcId": theirVPC.ID})
	var placed []string
	for _, r := range s.All(typeClusterInstance) {
		placed = append(placed, tierstacktest.Input(r, "availabilityZone").(string))
	}
	assert.ElementsMatch(t, []string{"eu-west-1a", "eu-west-1b", "eu-west-1c"}, placed, "writer and two readers in three zones")
	s.AssertEvery(t, "aws:elasticache/replicationGroup:ReplicationGroup", tierstacktest.Props{"preferredCacheClusterAzs": []string{"eu-west-1a", "eu-west-1b"}})
	s.AssertAllOnProvider(t, "ireland")
}

// Given zones fix the slot order; the subnets must follow it.
func TestExistingNetworkTakesPinnedZones(t *testing.T) {
	var net *network.Network
	_, err := runExisting(func(ctx *pulumi.Context) error {
		var err error
		net, err = network.Existing(ctx, "theirs", &network.ExistingArgs{VPCID: theirVPC.ID,
			AvailabilityZones: []string{"eu-west-1c", "eu-west-1a"},
			DataSubnetIDs:     []string{"subnet-0d000000000000003", "subnet-0d000000000000001"}})
		return err
	})
	require.NoError(t, err)
	assert.Equal(t, []string{"eu-west-1c", "eu-west-1a"}, net.Zones)
	assert.True(t, net.ZonesPinned)
	assert.Equal(t, []string{"10.40.64.0/20", "10.40.32.0/20"}, net.DataSubnetCIDRs, "ranges looked up, in slot order")
}

// Every bad placement is an error naming the field and the value, before anything is registered.
func TestExistingNetworkRefusesBadPlacement(t *testing.T) {
	cases := []struct {
		name string
		args network.ExistingArgs
		want string
	}{
		{"subnet of another VPC", network.ExistingArgs{VPCID: theirVPC.ID, DataSubnetIDs: []string{"subnet-0d000000000000001", "subnet-0e000000000000001"}},
			"dataSubnetIds[1] subnet-0e000000000000001 is in vpc-0ccc3333dddd44445, not in vpcId vpc-0aaa1111bbbb22223"},
		{"two subnets of a role in one zone", network.ExistingArgs{VPCID: theirVPC.ID, DataSubnetIDs: []string{"subnet-0d000000000000001", "subnet-0d000000000000004"}},
			"dataSubnetIds[0] and [1] are both in zone eu-west-1a"},
		{"fewer subnets than zones", network.ExistingArgs{VPCID: theirVPC.ID, AvailabilityZones: []string{"eu-west-1a", "eu-west-1b", "eu-west-1c"},
			DataSubnetIDs: []string{"subnet-0d000000000000001", "subnet-0d000000000000002"}},
			"dataSubnetIds has 2 subnet(s) for the 3 availabilityZones"},
		{"roles of different lengths", network.ExistingArgs{VPCID: theirVPC.ID, DataSubnetIDs: theirDataSubnets,
			PrivateSubnetIDs: []string{"subnet-0d000000000000004"}},
			"privateSubnetIds has 1 subnet(s) and dataSubnetIds 3"},
		{"subnet outside its zone", network.ExistingArgs{VPCID: theirVPC.ID, AvailabilityZones: []string{"eu-west-1b", "eu-west-1a"},
			DataSubnetIDs: []string{"subnet-0d000000000000001", "subnet-0d000000000000002"}},
			"dataSubnetIds[0] subnet-0d000000000000001 is in zone eu-west-1a, but availabilityZones[0] is eu-west-1b"},
		{"roles in different zone orders", network.ExistingArgs{VPCID: theirVPC.ID, DataSubnetIDs: []string{"subnet-0d000000000000001", "subnet-0d000000000000002"},
			PublicSubnetIDs: []string{"subnet-0d000000000000003", "subnet-0d000000000000004"}},
			"publicSubnetIds are in zones eu-west-1c, eu-west-1a, not in the zones of the other subnets, eu-west-1a, eu-west-1b"},
		{"subnet that does not exist", network.ExistingArgs{VPCID: theirVPC.ID, DataSubnetIDs: []string{"subnet-0f000000000000009"}},
			`looking up dataSubnetIds[0] subnet-0f000000000000009`},
		{"VPC that does not exist", network.ExistingArgs{VPCID: "vpc-0fff0000000000009", DataSubnetIDs: theirDataSubnets},
			"looking up vpcId vpc-0fff0000000000009"},
		{"not a VPC ID", network.ExistingArgs{VPCID: "my-vpc", DataSubnetIDs: theirDataSubnets}, `vpcId "my-vpc" is not a VPC ID`},
		{"not a subnet ID", network.ExistingArgs{VPCID: theirVPC.ID, DataSubnetIDs: []string{"data-a"}}, `dataSubnetIds[0] "data-a" is not a subnet ID`},
		{"a subnet in two roles", network.ExistingArgs{VPCID: theirVPC.ID, DataSubnetIDs: theirDataSubnets, PrivateSubnetIDs: theirDataSubnets},
			"privateSubnetIds[0] subnet-0d000000000000001 is also dataSubnetIds[0]"},
		{"no subnets", network.ExistingArgs{VPCID: theirVPC.ID}, "no subnet IDs are given for vpcId vpc-0aaa1111bbbb22223"},
		{"a zone twice", network.ExistingArgs{VPCID: theirVPC.ID, AvailabilityZones: []string{"eu-west-1a", "eu-west-1a"},
			DataSubnetIDs: []string{"subnet-0d000000000000001", "subnet-0d000000000000004"}}, `"eu-west-1a" is listed twice`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s, err := runExisting(func(ctx *pulumi.Context) error {
				_, err := network.Existing(ctx, "theirs", &c.args)
				return err
			})
			require.Error(t, err)
			assert.Contains(t, err.Error(), c.want)
			assert.Empty(t, s.Resources, "nothing registered")
		})
	}
}

// A component checks that the Network gives it the zones it needs: two for a database or a cache
// with replicas, one for a single cache node.
func TestComponentsRefuseTooFewZones(t *testing.T) {
	oneZone := network.ExistingArgs{VPCID: theirVPC.ID, DataSubnetIDs: []string{"subnet-0d000000000000001"}}
	cases := []struct {
		name  string
		build func(ctx *pulumi.Context, net *network.Network) error
		want  string
	}{
		{"database", func(ctx *pulumi.Context, net *network.Network) error {
			_, err := datatier.New(ctx, "orders", &datatier.Args{Network: net})
			return err
		}, "datatier: network has 1 zone(s) [eu-west-1a] (allowed: 2 or more"},
		{"cache with a replica", func(ctx *pulumi.Context, net *network.Network) error {
			_, err := cachetier.New(ctx, "sessions", &cachetier.Args{Network: net, Replicas: 1})
			return err
		}, "cachetier: network has 1 zone(s) [eu-west-1a] (allowed: 2 or more"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s, err := runExisting(func(ctx *pulumi.Context) error {
				net, err := network.Existing(ctx, "theirs", &oneZone)
				if err != nil {
					return err
				}
				return c.build(ctx, net)
			})
			require.Error(t, err)
			assert.Contains(t, err.Error(), c.want)
			assert.Len(t, s.Resources, 1, "only the ExistingNetwork itself")
		})
	}
	s, err := runExisting(func(ctx *pulumi.Context) error {
		net, err := network.Existing(ctx, "theirs", &oneZone)
		if err != nil {
			return err
		}
		_, err = cachetier.New(ctx, "sessions", &cachetier.Args{Network: net})
		return err
	})
	require.NoError(t, err, "one cache node needs one zone")
	s.AssertCount(t, "aws:elasticache/replicationGroup:ReplicationGroup", 1)
}

// A hand-filled Network is checked, never trusted into a division or an index: each case that
// panicked (integer divide by zero, index out of range) or was accepted silently is now an error
// naming what is missing, with nothing of the component registered.
func TestHandFilledNetworkNeverPanics(t *testing.T) {
	ids := pulumi.ToStringArray(theirDataSubnets).ToStringArrayOutput()
	vpc := pulumi.String(theirVPC.ID).ToStringOutput()
	cases := []struct {
		name      string
		component string
		net       *network.Network
		want      string
	}{
		{"datatier, empty", "datatier", &network.Network{}, "datatier: network vpcId is not set"},
		{"datatier, the fields the docs name", "datatier", &network.Network{VPCID: vpc, DataSubnetIDs: ids}, "datatier: network has 0 zone(s)"},
		{"datatier, one zone", "datatier", &network.Network{VPCID: vpc, DataSubnetIDs: ids, Zones: []string{"eu-west-1a"}}, "datatier: network has 1 zone(s)"},
		{"datatier, no data subnets", "datatier", &network.Network{VPCID: vpc, Zones: []string{"eu-west-1a", "eu-west-1b"}}, "datatier: network dataSubnetIds is not set"},
		{"datatier, bad zone", "datatier", &network.Network{VPCID: vpc, DataSubnetIDs: ids, Zones: []string{"a", "b"}}, `datatier: network zone "a" is not a zone name`},
		{"cachetier, the fields the docs name", "cachetier", &network.Network{VPCID: vpc, DataSubnetIDs: ids}, "cachetier: network has 0 zone(s)"},
		{"webtier instance, no public subnets", "webtier", &network.Network{VPCID: vpc, DataSubnetIDs: ids, Zones: []string{"eu-west-1a"}}, "webtier web: network publicSubnetIds is not set"},
		{"webtier eks, no private subnets", "eks", &network.Network{VPCID: vpc, PublicSubnetIDs: ids, Zones: []string{"eu-west-1a", "eu-west-1b"}}, "webtier web: network privateSubnetIds is not set"},
		{"webtier autoscaling, one zone", "autoscaling", &network.Network{VPCID: vpc, PublicSubnetIDs: ids, PrivateSubnetIDs: ids, Zones: []string{"eu-west-1a"}}, "webtier web: network has 1 zone(s)"},
		{"datatier, nil", "datatier", nil, "datatier: network is required"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s, err := runExisting(func(ctx *pulumi.Context) error {
				return buildOn(ctx, c.component, c.net)
			})
			require.Error(t, err)
			assert.Contains(t, err.Error(), c.want)
			assert.Empty(t, s.Resources, "nothing registered")
		})
	}
	// Filled with what the components need, a hand-made Network works.
	_, err := runExisting(func(ctx *pulumi.Context) error {
		return buildOn(ctx, "datatier", &network.Network{VPCID: vpc, DataSubnetIDs: ids, Zones: []string{"eu-west-1a", "eu-west-1b", "eu-west-1c"}})
	})
	require.NoError(t, err)
}

// buildOn builds one component on net.
func buildOn(ctx *pulumi.Context, component string, net *network.Network) error {
	var err error
	switch component {
	case "datatier":
		_, err = datatier.New(ctx, "orders", &datatier.Args{Network: net})
	case "cachetier":
		_, err = cachetier.New(ctx, "sessions", &cachetier.Args{Network: net})
	case "webtier":
		_, err = webtierNew(ctx, net, "")
	case "eks", "autoscaling":
		_, err = webtierNew(ctx, net, webtier.Mode(component))
	default:
		err = fmt.Errorf("unknown component %s", component)
	}
	return err
}

// webtierNew builds a WebTier named web on net in a mode ("" means instance).
func webtierNew(ctx *pulumi.Context, net *network.Network, mode webtier.Mode) (*webtier.WebTier, error) {
	return webtier.New(ctx, "web", &webtier.Args{Network: net, Mode: mode})
}

// A Bastion serves a Network built elsewhere: it sits in the first public subnet given, and a
// Network without public subnets is an error, not an index out of range.
func TestBastionServesAnExistingNetwork(t *testing.T) {
	bastion := func(args network.ExistingArgs) (*tierstacktest.Stack, error) {
		return runExisting(func(ctx *pulumi.Context) error {
			net, err := network.Existing(ctx, "theirs", &args)
			if err != nil {
				return err
			}
			_, err = network.NewBastion(ctx, "jump", &network.BastionArgs{Network: net, AllowedCIDRs: []string{"203.0.113.0/24"}})
			return err
		})
	}
	s, err := bastion(network.ExistingArgs{VPCID: theirVPC.ID, PublicSubnetIDs: theirDataSubnets[:2]})
	require.NoError(t, err)
	s.AssertHas(t, typeInstance, tierstacktest.Props{"subnetId": theirDataSubnets[0]})
	s.AssertEvery(t, typeSecurityGroup, tierstacktest.Props{"vpcId": theirVPC.ID})

	s, err = bastion(network.ExistingArgs{VPCID: theirVPC.ID, DataSubnetIDs: theirDataSubnets})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "bastion jump: network publicSubnetIds is not set")
	s.AssertCount(t, typeBastionResource, 0)
}

// A WebTier runs in a VPC built elsewhere: its load balancer in the public subnets given, its
// instances in the private ones; the roles it needs but was not given are an error.
func TestWebTierInAnExistingNetwork(t *testing.T) {
	public := []string{"subnet-0d000000000000001", "subnet-0d000000000000002"}
	private := []string{"subnet-0d000000000000004", "subnet-0d000000000000005"}
	s, err := runExisting(func(ctx *pulumi.Context) error {
		net, err := network.Existing(ctx, "theirs", &network.ExistingArgs{VPCID: theirVPC.ID, PublicSubnetIDs: public, PrivateSubnetIDs: private})
		if err != nil {
			return err
		}
		_, err = webtierNew(ctx, net, webtier.ModeAutoScaling)
		return err
	})
	require.NoError(t, err)
	s.AssertEvery(t, "aws:lb/loadBalancer:LoadBalancer", tierstacktest.Props{"subnets": public})
	s.AssertEvery(t, "aws:autoscaling/group:Group", tierstacktest.Props{"vpcZoneIdentifiers": private})

	_, err = runExisting(func(ctx *pulumi.Context) error {
		net, err := network.Existing(ctx, "theirs", &network.ExistingArgs{VPCID: theirVPC.ID, PublicSubnetIDs: public})
		if err != nil {
			return err
		}
		_, err = webtierNew(ctx, net, webtier.ModeAutoScaling)
		return err
	})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "webtier web: network privateSubnetIds is not set")
}

// nil Args are an error naming what is required, never a nil dereference.
func TestNilArgsAreAnError(t *testing.T) {
	cases := map[string]func(ctx *pulumi.Context) error{
		"datatier":  func(ctx *pulumi.Context) error { _, err := datatier.New(ctx, "orders", nil); return err },
		"cachetier": func(ctx *pulumi.Context) error { _, err := cachetier.New(ctx, "sessions", nil); return err },
		"webtier":   func(ctx *pulumi.Context) error { _, err := webtier.New(ctx, "web", nil); return err },
		"existing":  func(ctx *pulumi.Context) error { _, err := network.Existing(ctx, "theirs", nil); return err },
		"bastion":   func(ctx *pulumi.Context) error { _, err := network.NewBastion(ctx, "jump", nil); return err },
	}
	for name, build := range cases {
		t.Run(name, func(t *testing.T) {
			s, err := runExisting(build)
			require.Error(t, err)
			assert.Contains(t, err.Error(), "required")
			assert.Empty(t, s.Resources)
		})
	}
}
