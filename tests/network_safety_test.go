package tests

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tierstack/tierstack/cli"
	"github.com/tierstack/tierstack/components/network"
	"github.com/tierstack/tierstack/internal/naming"
	"github.com/tierstack/tierstack/synth"
	"github.com/tierstack/tierstack/tiers"
)

// deleteFirst are the types AWS refuses to hold twice at once, so that Pulumi's create-before-delete
// replacement would fail: why is the error AWS gives.
var deleteFirst = map[string]string{
	typeSubnet:  "InvalidSubnet.Conflict: the replacement asks for the range the original holds",
	typeNAT:     "the replacement asks for the Elastic IP the original holds",
	typeFlowLog: "FlowLogAlreadyExists: same VPC, traffic type and destination",
}

// Every resource of those types, in every tier, is replaced delete-first; no other is (each one
// that is would mean an outage during a replacement that did not need it).
func TestDeleteBeforeReplaceWhereAWSForbidsTwoAtOnce(t *testing.T) {
	for _, tier := range tiers.All() {
		s := planTier(t, tierConfig(tier, `"bastionAllowedCidrs":["203.0.113.0/24"]`))
		seen := map[string]int{}
		for _, r := range s.Resources {
			_, must := deleteFirst[r.Type]
			assert.Equal(t, must, r.DeleteBeforeReplace, "tier %s: %s %s (%s)", tier, r.Type, r.Name, deleteFirst[r.Type])
			if must {
				seen[r.Type]++
			}
		}
		assert.Equal(t, s.Count(typeSubnet), seen[typeSubnet], "tier %s", tier)
		assert.Equal(t, s.Count(typeNAT), seen[typeNAT], "tier %s", tier)
	}
}

// From 10k up, `pulumi up` refuses zones that are not pinned, naming the ones to pin, before
// anything is registered; a plan only warns; the 100 tier warns either way.
func TestUnpinnedZonesFromTenKUp(t *testing.T) {
	for _, tier := range tiers.All()[1:] {
		cfg := map[string]string{"tierstack:tier": string(tier), "aws:region": "eu-west-1"}
		s, err := runProgram(t, "", cfg, tiers.Program)
		require.Error(t, err, "tier %s", tier)
		assert.Contains(t, err.Error(), `tierstack:network availabilityZones is not set`)
		assert.Contains(t, err.Error(), `set "availabilityZones": ["eu-west-1a","eu-west-1b","eu-west-1c"], the zones a new stack would use now; a stack that exists already pins the ones pulumi stack output availabilityZones shows`)
		assert.Empty(t, s.Resources, "tier %s: nothing registered", tier)

		plan, err := runProgram(t, "", cfg, tiers.PlanProgram)
		require.NoError(t, err, "tier %s", tier)
		assert.True(t, hasWarning(plan.Plan, "", "pulumi up refuses to run without them"), "tier %s: the plan says a real stack must pin", tier)
	}
	s, err := runProgram(t, "", map[string]string{"tierstack:tier": "100", "aws:region": "eu-west-1"}, tiers.Program)
	require.NoError(t, err, "tier 100 runs unpinned")
	net := s.Named(typeNetworkResource, "network")
	assert.True(t, hasWarning(s.Plan, net.URN, "availabilityZones: [eu-west-1a, eu-west-1b]"), "the Network warns, on itself, with the zones to pin: %v", s.Warnings)

	pinned := planTier(t, tierConfig(tiers.Tier100))
	assert.False(t, hasWarning(pinned.Plan, "", "availabilityZones is not set"), "no warning when pinned")
}

// hasWarning reports whether the plan holds a warning containing text, about the resource urn ("" for any).
func hasWarning(p *synth.Plan, urn, text string) bool {
	for _, w := range p.Warnings {
		if (urn == "" || w.URN == urn) && strings.Contains(w.Message, text) {
			return true
		}
	}
	return false
}

// Six NAT gateways need six Elastic IPs, one over the default quota: the Network warns, on itself.
func TestNetworkWarnsOfTheElasticIPQuota(t *testing.T) {
	zones := []string{"us-east-1a", "us-east-1b", "us-east-1c", "us-east-1d", "us-east-1e", "us-east-1f"}
	six := buildNetwork(t, network.Args{AvailabilityZones: zones, AZCount: 6})
	net := six.Named(typeNetworkResource, "net")
	assert.True(t, hasWarning(six.Plan, net.URN, "6 NAT gateways need 6 Elastic IPs; the default quota is 5"), "%v", six.Warnings)
	five := buildNetwork(t, network.Args{AvailabilityZones: zones, AZCount: 5})
	assert.False(t, hasWarning(five.Plan, "", "Elastic IPs"))
	single := buildNetwork(t, network.Args{AvailabilityZones: zones, AZCount: 6, NATStrategy: network.NATSingle})
	assert.False(t, hasWarning(single.Plan, "", "Elastic IPs"), "one NAT needs one address")
}

// In GovCloud and China every ARN and endpoint service name uses the region's partition.
func TestNetworkUsesTheRegionsPartition(t *testing.T) {
	cases := []struct{ region, partition, prefix string }{
		{"us-gov-west-1", "aws-us-gov", "com.amazonaws"},
		{"cn-north-1", "aws-cn", "com.amazonaws"}, // gateway endpoints keep com.amazonaws in China
		{"eu-west-1", "aws", "com.amazonaws"},
	}
	for _, c := range cases {
		t.Run(c.region, func(t *testing.T) {
			s := mustRun(t, c.region, func(ctx *pulumi.Context) error {
				_, err := network.New(ctx, "net", &network.Args{BastionAllowedCIDRs: []string{"203.0.113.0/24"}})
				return err
			})
			attach := s.Named("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "net-bastion-ssm")
			assert.Equal(t, "arn:"+c.partition+":iam::aws:policy/AmazonSSMManagedInstanceCore", str(attach, "policyArn"))
			assert.Equal(t, c.prefix+"."+c.region+".s3", str(s.Named(typeEndpoint, "net-s3-endpoint"), "serviceName"))
			assert.Equal(t, c.prefix+"."+c.region+".dynamodb", str(s.Named(typeEndpoint, "net-dynamodb-endpoint"), "serviceName"))
			raw, err := json.Marshal(s.Resources)
			require.NoError(t, err)
			arns := strings.Count(string(raw), "arn:")
			assert.Equal(t, arns, strings.Count(string(raw), "arn:"+c.partition+":"), "every ARN is in partition %s", c.partition)
			assert.Greater(t, arns, 0)
		})
	}
	code, out, stderr := runPlan("--tier", "10k", "--region", "us-gov-west-1", "--format", "json")
	require.Equal(t, 0, code, stderr)
	assert.NotContains(t, out, "arn:aws:", "a GovCloud plan has no commercial ARN")
}

// The zone lookup goes through the provider the children use whatever its Go type: here a provider
// registered by its type token, not an *aws.Provider.
func TestNetworkFindsAProviderOfAnyGoType(t *testing.T) {
	s := mustRun(t, "us-east-1", func(ctx *pulumi.Context) error {
		var west pulumi.ProviderResourceState
		if err := ctx.RegisterResource("pulumi:providers:aws", "west", pulumi.Map{"region": pulumi.String("us-west-2")}, &west); err != nil {
			return err
		}
		_, err := network.New(ctx, "dr", &network.Args{AZCount: 2}, pulumi.Provider(&west))
		return err
	})
	assert.Equal(t, "us-west-2b", str(s.Named(typeSubnet, "dr-public-1"), "availabilityZone"))
	assert.Equal(t, "com.amazonaws.us-west-2.s3", str(s.Named(typeEndpoint, "dr-s3-endpoint"), "serviceName"))
	assert.Contains(t, s.Named(typeVPC, "dr-vpc").Provider, "pulumi:providers:aws::west")
}

// With both a Provider and a Providers entry for AWS, the SDK gives the children the Providers one
// (and warns): the zone lookup goes through the same.
func TestNetworkLooksUpThroughTheProviderItsChildrenGet(t *testing.T) {
	s := mustRun(t, "us-east-1", func(ctx *pulumi.Context) error {
		west, err := aws.NewProvider(ctx, "west", &aws.ProviderArgs{Region: pulumi.String("us-west-2")})
		if err != nil {
			return err
		}
		eu, err := aws.NewProvider(ctx, "eu", &aws.ProviderArgs{Region: pulumi.String("eu-central-1")})
		if err != nil {
			return err
		}
		_, err = network.New(ctx, "dr", &network.Args{AZCount: 2}, pulumi.Provider(west), pulumi.Providers(eu))
		return err
	})
	vpc := s.Named(typeVPC, "dr-vpc")
	assert.Contains(t, vpc.Provider, "pulumi:providers:aws::eu")
	assert.Equal(t, "eu-central-1a", str(s.Named(typeSubnet, "dr-public-0"), "availabilityZone"), "zones of the children's region")
}

// A stack file is a real stack: plan refuses its unpinned zones from 10k up as pulumi up would.
func TestPlanOfAStackFileIsAsStrictAsPulumiUp(t *testing.T) {
	file := writeStackFile(t, t.TempDir(), "staging", "config:\n  aws:region: eu-west-1\n  tierstack:tier: 10k\n")
	code, out, stderr := runPlan("--config", file)
	assert.Equal(t, cli.ExitRefused, code)
	assert.Empty(t, out)
	assert.Contains(t, stderr, `set "availabilityZones": ["eu-west-1a","eu-west-1b","eu-west-1c"]`)
	code, _, stderr = runPlan("--tier", "10k", "--region", "eu-west-1")
	assert.Equal(t, cli.ExitOK, code, "a plan of a tier alone only warns: %s", stderr)
}

// A component name AWS would refuse in a child's generated name fails before anything is
// registered, with the limit in the message.
func TestNetworkRefusesNamesAWSWouldRefuse(t *testing.T) {
	longest := strings.Repeat("a", naming.IAMNameLimit-naming.AutoNameSuffix-len("-flow-logs-role"))
	cases := []struct {
		name string
		ok   bool
		want []string
	}{
		{longest, true, nil},
		{longest + "b", false, []string{fmt.Sprintf("has %d characters", len(longest)+1), fmt.Sprintf("at most %d", len(longest)), "64-character limit"}},
		{"shop_net", false, []string{`"shop_net"`, "letters, digits and hyphens"}},
		{"1net", false, []string{`"1net"`, "a letter, then"}},
		{"", false, []string{`network name ""`}},
	}
	for _, c := range cases {
		s, err := runProgram(t, "us-east-1", nil, func(ctx *pulumi.Context) (pulumi.Map, error) {
			_, err := network.New(ctx, c.name, &network.Args{})
			return nil, err
		})
		if c.ok {
			assert.NoError(t, err, "%q", c.name)
			role := s.Named(typeRole, c.name+"-flow-logs-role")
			generated, _ := role.Outputs["name"].(string)
			assert.Len(t, generated, naming.IAMNameLimit, "the longest name fills the limit exactly")
			continue
		}
		require.Error(t, err, "%q", c.name)
		for _, w := range c.want {
			assert.Contains(t, err.Error(), w)
		}
		assert.Empty(t, s.Resources, "%q: nothing registered", c.name)
	}
}

// The bastion starts only once its subnet routes to the internet: it waits on the public default
// route and the association of its subnet.
func TestBastionWaitsForTheInternetRoute(t *testing.T) {
	s := buildNetwork(t, network.Args{AZCount: 2, BastionAllowedCIDRs: []string{"203.0.113.0/24"}})
	bastion := s.Named(typeInstance, "net-bastion")
	assert.Contains(t, bastion.Dependencies, s.Named(typeRoute, "net-public-default").URN)
	assert.Contains(t, bastion.Dependencies, s.Named(typeRTAssoc, "net-public-rta-0").URN)
	assert.Equal(t, s.Named(typeSubnet, "net-public-0").ID, str(bastion, "subnetId"))
	// Its children keep the URNs they had when they were the Network's own.
	for _, r := range s.Resources {
		if r.Custom && strings.HasPrefix(r.Name, "net-bastion") {
			old := fmt.Sprintf("urn:pulumi:plan::tierstack::%s$%s::%s", typeNetworkResource, r.Type, r.Name)
			assert.Contains(t, r.Aliases, old, "%s", r.Name)
		}
	}
}

// The S3 gateway endpoint admits the account's own buckets and AWS's repositories of the region, and
// only the extra buckets asked for; "*" lifts the restriction.
func TestS3EndpointPolicy(t *testing.T) {
	s := buildNetwork(t, network.Args{AZCount: 2, S3EndpointExtraBuckets: []string{"partner-feed"}})
	var policy struct {
		Statement []struct {
			Sid       string
			Effect    string
			Action    any
			Resource  any
			Condition map[string]map[string]string
		}
	}
	require.NoError(t, json.Unmarshal([]byte(str(s.Named(typeEndpoint, "net-s3-endpoint"), "policy")), &policy))
	bySid := map[string]int{}
	for i, st := range policy.Statement {
		bySid[st.Sid] = i
		assert.Equal(t, "Allow", st.Effect)
	}
	own := policy.Statement[bySid["OwnAccountBuckets"]]
	assert.Equal(t, synth.FakeAccountID, own.Condition["StringEquals"]["aws:ResourceAccount"])
	repos := fmt.Sprint(policy.Statement[bySid["AWSRepositories"]].Resource)
	for _, want := range []string{"arn:aws:s3:::al2023-repos-us-east-1-*/*", "arn:aws:s3:::prod-us-east-1-starport-layer-bucket/*", "arn:aws:s3:::amazon-ssm-us-east-1/*"} {
		assert.Contains(t, repos, want)
	}
	assert.Equal(t, []any{"s3:GetObject"}, policy.Statement[bySid["AWSRepositories"]].Action, "repositories are read, never written")
	extra := policy.Statement[bySid["ExtraBuckets"]]
	assert.Equal(t, []any{"arn:aws:s3:::partner-feed", "arn:aws:s3:::partner-feed/*"}, extra.Resource)
	assert.Len(t, policy.Statement, 3)
	assert.Nil(t, input(s.Named(typeEndpoint, "net-dynamodb-endpoint"), "policy"))

	open := buildNetwork(t, network.Args{AZCount: 2, S3EndpointExtraBuckets: []string{"*"}})
	assert.Nil(t, input(open.Named(typeEndpoint, "net-s3-endpoint"), "policy"), "* lifts the restriction")

	bad := network.Args{S3EndpointExtraBuckets: []string{"Partner_Feed"}}
	err := bad.Validate()
	require.Error(t, err)
	assert.Contains(t, err.Error(), `s3EndpointExtraBuckets: "Partner_Feed" is not a bucket name`)
}

// The Network hands a composing program what it needs: subnet ranges per role, NAT addresses, the
// internet gateway, the default security group, the S3 prefix list, and the routes to wait on.
func TestNetworkOutputsForComposition(t *testing.T) {
	var net *network.Network
	s := mustRun(t, "us-east-1", func(ctx *pulumi.Context) error {
		var err error
		net, err = network.New(ctx, "net", &network.Args{AZCount: 3})
		return err
	})
	layout, err := network.NewSubnetLayout("10.0.0.0/16")
	require.NoError(t, err)
	for az := 0; az < 3; az++ {
		for role, got := range map[network.SubnetRole][]string{network.SubnetPublic: net.PublicSubnetCIDRs, network.SubnetPrivate: net.PrivateSubnetCIDRs, network.SubnetData: net.DataSubnetCIDRs} {
			want, err := layout.Subnet(role, az)
			require.NoError(t, err)
			assert.Equal(t, want.String(), got[az], "%s subnet of zone %d", role, az)
			assert.Equal(t, want.String(), str(s.Named(typeSubnet, naming.AZChild("net", string(role), az)), "cidrBlock"))
		}
	}
	assert.Len(t, net.InternetConnectivity, 1+3, "the public default route and one private default route per zone")
	assert.False(t, net.ZonesPinned)

	p, err := runProgram(t, "us-east-1", nil, func(ctx *pulumi.Context) (pulumi.Map, error) {
		n, err := network.New(ctx, "net", &network.Args{AZCount: 2})
		if err != nil {
			return nil, err
		}
		return pulumi.Map{
			"igw": n.InternetGatewayID, "defaultSg": n.DefaultSecurityGroupID,
			"natIps": n.NATPublicIPs, "s3PrefixList": n.S3PrefixListID, "vpcId": n.VPCID,
		}, nil
	})
	require.NoError(t, err)
	assert.Equal(t, p.Named(typeIGW, "net-igw").ID, p.Outputs["igw"])
	assert.Equal(t, p.Named(typeDefaultSG, "net-default-sg").ID, p.Outputs["defaultSg"])
	assert.Equal(t, p.Named(typeVPC, "net-vpc").ID, p.Outputs["vpcId"])
	assert.Equal(t, []any{p.Named(typeEIP, "net-nat-eip-0").Outputs["publicIp"], p.Named(typeEIP, "net-nat-eip-1").Outputs["publicIp"]}, p.Outputs["natIps"])
	s3 := p.Named(typeEndpoint, "net-s3-endpoint")
	assert.Equal(t, s3.Outputs["prefixListId"], p.Outputs["s3PrefixList"])
	assert.Regexp(t, `^pl-[0-9a-f]{8}$`, p.Outputs["s3PrefixList"])
}
