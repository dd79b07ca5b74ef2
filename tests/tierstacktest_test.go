package tests

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tierstack/tierstack/components/cachetier"
	"github.com/tierstack/tierstack/components/datatier"
	"github.com/tierstack/tierstack/components/network"
	"github.com/tierstack/tierstack/components/observability"
	"github.com/tierstack/tierstack/components/webtier"
	"github.com/tierstack/tierstack/tierstacktest"
)

// everyComponent builds a Network, a DataTier, a CacheTier, a WebTier in mode and an Observability
// over them, all on an explicit provider for region.
func everyComponent(region string, mode webtier.Mode) func(ctx *pulumi.Context) error {
	return func(ctx *pulumi.Context) error {
		prov, err := aws.NewProvider(ctx, "theirs", &aws.ProviderArgs{Region: pulumi.String(region)})
		if err != nil {
			return err
		}
		on := pulumi.Provider(prov)
		net, err := network.New(ctx, "net", &network.Args{AvailabilityZones: []string{region + "a", region + "b"}}, on)
		if err != nil {
			return err
		}
		data, err := datatier.New(ctx, "data", &datatier.Args{Network: net}, on)
		if err != nil {
			return err
		}
		cache, err := cachetier.New(ctx, "cache", &cachetier.Args{Network: net}, on)
		if err != nil {
			return err
		}
		web, err := webtier.New(ctx, "web", &webtier.Args{Network: net, Mode: mode, Backends: []webtier.Backend{data, cache}}, on)
		if err != nil {
			return err
		}
		list, err := data.Signals()
		if err != nil {
			return err
		}
		more, err := cache.Signals()
		if err != nil {
			return err
		}
		list = append(append(list, more...), observability.WebSignals(observability.WebInputs{
			LoadBalancerARNSuffix: web.LoadBalancerARNSuffix, TargetGroupARNSuffix: web.TargetGroupARNSuffix})...)
		_, err = observability.New(ctx, "obs", &observability.Args{Signals: list}, on)
		return err
	}
}

// The exported mock engine answers every lookup the components make, in each partition, through
// the provider the program gives them; and the assertion helpers see every AWS resource on it.
func TestTierstacktestAnswersEveryLookupInEveryPartition(t *testing.T) {
	for _, c := range []struct {
		region string
		mode   webtier.Mode
	}{{"eu-west-1", webtier.ModeEKS}, {"us-gov-west-1", webtier.ModeAutoScaling}, {"cn-north-1", webtier.ModeAutoScaling}, {"ap-northeast-2", webtier.ModeInstance}} {
		t.Run(c.region, func(t *testing.T) {
			s, err := tierstacktest.Run(everyComponent(c.region, c.mode), tierstacktest.Options{Region: "us-east-1"})
			require.NoError(t, err)
			s.AssertAllOnProvider(t, "theirs")
			s.AssertUnder(t, typeCluster, typeDataResource, "data")
			s.AssertCount(t, typeDataResource, 1)
		})
	}
}

// Pulumi's own mocks take tierstacktest's answers just as well.
func TestTierstacktestServesPulumiMocks(t *testing.T) {
	mocks, err := tierstacktest.NewMocks("shop", "test", "eu-west-1", theirVPC)
	require.NoError(t, err)
	err = pulumi.RunErr(func(ctx *pulumi.Context) error {
		net, err := network.Existing(ctx, "theirs", &network.ExistingArgs{VPCID: theirVPC.ID, DataSubnetIDs: theirDataSubnets})
		if err != nil {
			return err
		}
		_, err = datatier.New(ctx, "orders", &datatier.Args{Network: net})
		return err
	}, pulumi.WithMocks("shop", "test", mocks))
	require.NoError(t, err)
	s := mocks.Stack()
	s.AssertEvery(t, typeDBSubnetGroup, tierstacktest.Props{"subnetIds": theirDataSubnets})
	s.AssertCount(t, typeVPC, 0)
}

// spyTB records what an assertion reports, so that a test can check the assertion fails.
type spyTB struct {
	testing.TB
	errors []string
}

func (s *spyTB) Helper() {}
func (s *spyTB) Error(args ...any) {
	s.errors = append(s.errors, fmt.Sprint(args...))
}
func (s *spyTB) Errorf(format string, args ...any) {
	s.errors = append(s.errors, fmt.Sprintf(format, args...))
}

// The assertions fail when they should, saying what they found: a count off by one, a property that
// differs, an assertion over nothing, a resource on the default provider.
func TestTierstacktestAssertionsFail(t *testing.T) {
	s, err := tierstacktest.Run(func(ctx *pulumi.Context) error {
		_, err := network.New(ctx, "net", &network.Args{AvailabilityZones: []string{"us-east-1a", "us-east-1b"}})
		return err
	}, tierstacktest.Options{})
	require.NoError(t, err)
	cases := []struct {
		name   string
		assert func(tb testing.TB)
		want   string
	}{
		{"count", func(tb testing.TB) { s.AssertCount(tb, typeSubnet, 5) }, "6 resources of type aws:ec2/subnet:Subnet were registered, want 5"},
		{"every", func(tb testing.TB) { s.AssertEvery(tb, typeSubnet, tierstacktest.Props{"mapPublicIpOnLaunch": true}) }, "input mapPublicIpOnLaunch is false, want true"},
		{"has", func(tb testing.TB) { s.AssertHas(tb, typeVPC, tierstacktest.Props{"cidrBlock": "10.1.0.0/16"}) }, `input cidrBlock is "10.0.0.0/16", want "10.1.0.0/16"`},
		{"over nothing", func(tb testing.TB) { s.AssertEvery(tb, typeCluster, tierstacktest.Props{}) }, "no resource of type aws:rds/cluster:Cluster was registered"},
		{"provider", func(tb testing.TB) { s.AssertAllOnProvider(tb, "theirs") }, "is on the default provider, want provider theirs"},
		{"named", func(tb testing.TB) { s.AssertNamed(tb, typeVPC, "vpc") }, `no resource of type aws:ec2/vpc:Vpc named "vpc"; have [net-vpc]`},
		{"under", func(tb testing.TB) { s.AssertUnder(tb, typeVPC, typeDataResource, "data") }, "no tierstack:index:DataTier named"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			spy := &spyTB{TB: t}
			c.assert(spy)
			require.NotEmpty(t, spy.errors, "the assertion fails")
			assert.Contains(t, strings.Join(spy.errors, "\n"), c.want)
		})
	}
	// And pass when they should.
	spy := &spyTB{TB: t}
	s.AssertCount(spy, typeSubnet, 6)
	s.AssertEvery(spy, typeSubnet, tierstacktest.Props{"mapPublicIpOnLaunch": false, "vpcId": s.AssertNamed(spy, typeVPC, "net-vpc").ID})
	s.AssertUnder(spy, typeSubnet, typeNetworkResource, "net")
	s.AssertHas(spy, typeVPC, tierstacktest.Props{"cidrBlock": "10.0.0.0/16", "enableDnsHostnames": true})
	assert.Empty(t, spy.errors)
}

// The package documentation lists every invoke the mock engine answers.
func TestTierstacktestDocumentsEveryInvoke(t *testing.T) {
	doc, err := os.ReadFile(filepath.Join(root, "tierstacktest", "doc.go"))
	require.NoError(t, err)
	tokens := tierstacktest.AnsweredInvokes()
	require.NotEmpty(t, tokens)
	for _, token := range tokens {
		assert.Contains(t, string(doc), token, "tierstacktest's doc lists %s", token)
	}
}

// A program's tests that import tierstacktest compile no AWS SDK package for it: the mock engine
// answers by token, not through the SDK.
func TestTierstacktestCompilesNoAWSService(t *testing.T) {
	for _, dep := range goList(t, "-deps", "./tierstacktest") {
		for _, heavy := range append([]string{"github.com/pulumi/pulumi-aws/"}, heavyModules...) {
			assert.False(t, strings.HasPrefix(dep, heavy), "tierstacktest pulls in %s", dep)
		}
	}
}
