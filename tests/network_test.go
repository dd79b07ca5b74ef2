package tests

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tierstack/tierstack/components/network"
	"github.com/tierstack/tierstack/internal/naming"
	"github.com/tierstack/tierstack/synth"
)

// buildNetwork runs network.New alone in us-east-1 (six zones) and returns the record.
func buildNetwork(t *testing.T, args network.Args) stack {
	t.Helper()
	return mustRun(t, "us-east-1", func(ctx *pulumi.Context) error {
		_, err := network.New(ctx, "net", &args)
		return err
	})
}

// Every NAT strategy at every zone count builds the right number of each resource, and routes each
// zone's private subnet through the NAT gateway the strategy gives it.
func TestNetworkEveryNatStrategyAndZoneCount(t *testing.T) {
	for _, nat := range network.NATStrategies() {
		for azs := network.MinAZs; azs <= network.MaxAZs; azs++ {
			t.Run(fmt.Sprintf("%s/%dAZ", nat, azs), func(t *testing.T) {
				s := buildNetwork(t, network.Args{AZCount: azs, NATStrategy: nat})
				gateways := nat.Gateways(azs)

				assert.Equal(t, 1, s.Count(typeVPC))
				assert.Equal(t, 1, s.Count(typeIGW))
				assert.Equal(t, 3*azs, s.Count(typeSubnet), "one public, private and data subnet per zone")
				assert.Equal(t, gateways, s.Count(typeNAT))
				assert.Equal(t, gateways, s.Count(typeEIP), "one Elastic IP per NAT gateway")
				assert.Equal(t, azs+2, s.Count(typeRouteTable), "public, data, and one private table per zone")
				assert.Equal(t, 3*azs, s.Count(typeRTAssoc))
				assert.Equal(t, 2, s.Count(typeEndpoint), "S3 and DynamoDB gateway endpoints")
				assert.Equal(t, 2*(azs+2), s.Count(typeEndpointAssoc), "each endpoint on every route table")

				privateRoutes := 0
				if gateways > 0 {
					privateRoutes = azs
				}
				assert.Equal(t, 1+privateRoutes, s.Count(typeRoute), "the public default route, plus one per private table with a NAT")

				for az := 0; az < azs; az++ {
					name := naming.AZChild("net", "private-default", az)
					if gateways == 0 {
						assert.False(t, s.Has(typeRoute, name), "no NAT, so no default route for zone %d", az)
						continue
					}
					route := s.Named(typeRoute, name)
					want := 0 // single: every zone through the first zone's NAT
					if nat == network.NATPerAZ {
						want = az // perAz: each zone through its own
					}
					natGW := s.ByID(str(route, "natGatewayId"))
					assert.Equal(t, naming.AZChild("net", "nat", want), natGW.Name, "zone %d's private route", az)
					table := s.ByID(str(route, "routeTableId"))
					assert.Equal(t, naming.AZChild("net", "private-rt", az), table.Name)
					assert.Equal(t, "0.0.0.0/0", str(route, "destinationCidrBlock"))
				}
				for az := 0; az < gateways; az++ {
					natGW := s.Named(typeNAT, naming.AZChild("net", "nat", az))
					subnet := s.ByID(str(natGW, "subnetId"))
					assert.Equal(t, naming.AZChild("net", "public", az), subnet.Name, "NAT %d sits in its zone's public subnet", az)
				}
			})
		}
	}
}

func TestNetworkSubnetsFollowTheLayoutAndZones(t *testing.T) {
	s := buildNetwork(t, network.Args{CIDR: "10.20.0.0/16", AZCount: 3})
	layout, err := network.NewSubnetLayout("10.20.0.0/16")
	require.NoError(t, err)
	vpc := s.Named(typeVPC, "net-vpc")
	assert.Equal(t, "10.20.0.0/16", str(vpc, "cidrBlock"))
	assert.Equal(t, true, input(vpc, "enableDnsHostnames"))
	for az, zone := range []string{"us-east-1a", "us-east-1b", "us-east-1c"} {
		for _, role := range network.SubnetRoles() {
			subnet := s.Named(typeSubnet, naming.AZChild("net", string(role), az))
			want, err := layout.Subnet(role, az)
			require.NoError(t, err)
			assert.Equal(t, want.String(), str(subnet, "cidrBlock"))
			assert.Equal(t, zone, str(subnet, "availabilityZone"))
			assert.Equal(t, vpc.ID, str(subnet, "vpcId"))
			assert.Equal(t, false, input(subnet, "mapPublicIpOnLaunch"), "no subnet hands out public IPs on its own")
			assert.Equal(t, string(role), str(subnet, "tags.tierstack:subnet-role"))
		}
	}
}

// The data subnets have no route out of the VPC: their table carries no route resource at all, only
// the gateway endpoints.
func TestNetworkDataSubnetsHaveNoRouteToTheInternet(t *testing.T) {
	s := buildNetwork(t, network.Args{AZCount: 3, NATStrategy: network.NATPerAZ})
	dataTable := s.Named(typeRouteTable, "net-data-rt")
	for _, route := range s.All(typeRoute) {
		assert.NotEqual(t, dataTable.ID, str(route, "routeTableId"), "route %s is on the data table", route.Name)
	}
	for az := 0; az < 3; az++ {
		subnet := s.Named(typeSubnet, naming.AZChild("net", "data", az))
		assoc := s.Named(typeRTAssoc, naming.AZChild("net", "data-rta", az))
		assert.Equal(t, subnet.ID, str(assoc, "subnetId"))
		assert.Equal(t, dataTable.ID, str(assoc, "routeTableId"))
	}
	publicRoute := s.Named(typeRoute, "net-public-default")
	assert.Equal(t, s.Named(typeIGW, "net-igw").ID, str(publicRoute, "gatewayId"))
	assert.Equal(t, s.Named(typeRouteTable, "net-public-rt").ID, str(publicRoute, "routeTableId"))
}

func TestNetworkGatewayEndpointsAreOnEveryRouteTable(t *testing.T) {
	s := buildNetwork(t, network.Args{AZCount: 2})
	for _, service := range []string{"s3", "dynamodb"} {
		ep := s.Named(typeEndpoint, "net-"+service+"-endpoint")
		assert.Equal(t, "com.amazonaws.us-east-1."+service, str(ep, "serviceName"))
		assert.Equal(t, "Gateway", str(ep, "vpcEndpointType"))
		tables := map[string]bool{}
		for _, a := range s.All(typeEndpointAssoc) {
			if str(a, "vpcEndpointId") == ep.ID {
				tables[str(a, "routeTableId")] = true
			}
		}
		for _, rt := range s.All(typeRouteTable) {
			assert.True(t, tables[rt.ID], "%s endpoint is not on %s", service, rt.Name)
		}
	}
}

// Growing from n to n+1 zones only adds resources: every resource of the smaller network is still
// there under the same name, with the same inputs. This is what lets a tier grow without a rebuild.
func TestNetworkGrowsByAddingOnly(t *testing.T) {
	for _, nat := range network.NATStrategies() {
		for azs := network.MinAZs; azs < network.MaxAZs; azs++ {
			t.Run(fmt.Sprintf("%s/%d-to-%d", nat, azs, azs+1), func(t *testing.T) {
				small := buildNetwork(t, network.Args{AZCount: azs, NATStrategy: nat})
				large := buildNetwork(t, network.Args{AZCount: azs + 1, NATStrategy: nat})
				added := 0
				for _, r := range large.Resources {
					if !containsURN(small, r.URN) {
						added++
					}
				}
				for _, r := range small.Resources {
					if !r.Custom {
						continue
					}
					if !assert.True(t, containsURN(large, r.URN), "%s disappears when a zone is added", r.Name) {
						continue
					}
					assert.Equal(t, r.Inputs, large.ByURN(r.URN).Inputs, "%s changes when a zone is added", r.Name)
				}
				assert.Greater(t, added, 0, "a zone adds resources")
			})
		}
	}
}

func containsURN(s stack, urn string) bool {
	for _, r := range s.Resources {
		if r.URN == urn {
			return true
		}
	}
	return false
}

// Every child of the Network has the Network as its parent, but the bastion's, whose parent is the
// Bastion component inside the Network.
func TestNetworkChildrenAreParentedByTheComponent(t *testing.T) {
	s := buildNetwork(t, network.Args{AZCount: 2, BastionAllowedCIDRs: []string{"203.0.113.0/24"}})
	comps := s.All(typeNetworkResource)
	require.Len(t, comps, 1)
	bastions := s.All(typeBastionResource)
	require.Len(t, bastions, 1)
	assert.Equal(t, comps[0].URN, bastions[0].Parent)
	bastionChildren := 0
	for _, r := range s.Resources {
		if !r.Custom {
			continue
		}
		if strings.HasPrefix(r.Name, "net-bastion") {
			bastionChildren++
			assert.Equal(t, bastions[0].URN, r.Parent, "%s %s", r.Type, r.Name)
			continue
		}
		assert.Equal(t, comps[0].URN, r.Parent, "%s %s", r.Type, r.Name)
	}
	assert.Equal(t, 5, bastionChildren, "security group, role, policy attachment, profile, instance")
}

func TestNetworkFlowLogsOnByDefault(t *testing.T) {
	s := buildNetwork(t, network.Args{AZCount: 2})
	require.Equal(t, 1, s.Count(typeFlowLog))
	flow := s.All(typeFlowLog)[0]
	group := s.Named(typeLogGroup, "net-flow-logs")
	role := s.Named(typeRole, "net-flow-logs-role")
	assert.Equal(t, "ALL", str(flow, "trafficType"), "accepted and rejected traffic")
	assert.Equal(t, "cloud-watch-logs", str(flow, "logDestinationType"))
	assert.Equal(t, s.Named(typeVPC, "net-vpc").ID, str(flow, "vpcId"))
	assert.Contains(t, str(flow, "logDestination"), ":log-group:", "flow log goes to the group's ARN")
	assert.Contains(t, str(flow, "iamRoleArn"), ":role/")
	assert.Equal(t, 90, num(group, "retentionInDays"), "default retention")
	assert.True(t, group.RetainOnDelete, "flow logs outlive the stack until their retention ends")
	assert.Contains(t, flow.Dependencies, s.Named(typeRolePolicy, "net-flow-logs-policy").URN,
		"the flow log waits for its write permission")

	var trust struct {
		Statement []struct {
			Principal map[string]string
			Condition map[string]map[string]string
		}
	}
	require.NoError(t, json.Unmarshal([]byte(str(role, "assumeRolePolicy")), &trust))
	require.Len(t, trust.Statement, 1)
	assert.Equal(t, "vpc-flow-logs.amazonaws.com", trust.Statement[0].Principal["Service"])
	assert.Equal(t, synth.FakeAccountID, trust.Statement[0].Condition["StringEquals"]["aws:SourceAccount"], "confused-deputy guard: this account only")

	var policy struct {
		Statement []struct {
			Action   []string
			Resource any
		}
	}
	require.NoError(t, json.Unmarshal([]byte(str(s.Named(typeRolePolicy, "net-flow-logs-policy"), "policy")), &policy))
	groupARN, _ := group.Outputs["arn"].(string)
	require.NotEmpty(t, groupARN)
	require.Len(t, policy.Statement, 2)
	assert.Equal(t, []string{"logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"}, policy.Statement[0].Action)
	assert.Equal(t, []any{groupARN, groupARN + ":*"}, policy.Statement[0].Resource, "writes go to the flow-log group and its streams only")
	assert.Equal(t, []string{"logs:DescribeLogGroups"}, policy.Statement[1].Action)
	assert.Equal(t, "*", policy.Statement[1].Resource, "only the unscopable call may use Resource *")
	assert.Equal(t, groupARN, str(flow, "logDestination"))
	roleARN, _ := role.Outputs["arn"].(string)
	assert.Equal(t, roleARN, str(flow, "iamRoleArn"))
}

func TestNetworkFlowLogsCanBeTurnedOffOrKeptLonger(t *testing.T) {
	off := buildNetwork(t, network.Args{AZCount: 2, DisableFlowLogs: true})
	assert.Zero(t, off.Count(typeFlowLog))
	assert.Zero(t, off.Count(typeLogGroup))
	assert.Zero(t, off.Count(typeRole))

	long := buildNetwork(t, network.Args{AZCount: 2, FlowLogRetentionDays: 365})
	assert.Equal(t, 365, num(long.Named(typeLogGroup, "net-flow-logs"), "retentionInDays"))
}

func TestNetworkHasNoBastionByDefault(t *testing.T) {
	s := buildNetwork(t, network.Args{AZCount: 2})
	assert.Zero(t, s.Count(typeInstance))
	assert.Zero(t, s.Count(typeSecurityGroup))
	// The default security group is adopted and stripped of its allow-all rules.
	dsg := s.Named(typeDefaultSG, "net-default-sg")
	assert.Nil(t, input(dsg, "ingress"))
	assert.Nil(t, input(dsg, "egress"))
}

func TestNetworkBastionAdmitsSSHFromTheAllowedRangesOnly(t *testing.T) {
	allowed := []string{"203.0.113.0/24", "198.51.100.7/32"}
	s := buildNetwork(t, network.Args{AZCount: 2, BastionAllowedCIDRs: allowed})
	sg := s.Named(typeSecurityGroup, "net-bastion-sg")
	ingress, _ := input(sg, "ingress").([]any)
	require.Len(t, ingress, 1)
	assert.Equal(t, 22, num(sg, "ingress.0.fromPort"))
	assert.Equal(t, 22, num(sg, "ingress.0.toPort"))
	assert.Equal(t, "tcp", str(sg, "ingress.0.protocol"))
	assert.Equal(t, allowed, strs(sg, "ingress.0.cidrBlocks"))

	bastion := s.Named(typeInstance, "net-bastion")
	assert.Equal(t, "required", str(bastion, "metadataOptions.httpTokens"), "IMDSv2 only")
	assert.Equal(t, true, input(bastion, "rootBlockDevice.encrypted"))
	assert.Equal(t, s.Named(typeSubnet, "net-public-0").ID, str(bastion, "subnetId"))
	assert.Equal(t, []string{sg.ID}, strs(bastion, "vpcSecurityGroupIds"))
	assert.Nil(t, input(bastion, "keyName"), "no long-lived key pair")
	assert.Contains(t, bastion.IgnoreChanges, "ami", "a newer AMI must not replace the bastion")
}

// Bad input fails before anything is registered, with an error naming the setting, the value and
// what is allowed.
func TestNetworkRefusesBadInputBeforeRegistering(t *testing.T) {
	cases := []struct {
		name string
		args network.Args
		want []string
	}{
		{"cidr not a range", network.Args{CIDR: "10.0.0.0"}, []string{"cidr", `"10.0.0.0"`, "10.0.0.0/16"}},
		{"cidr too big", network.Args{CIDR: "10.0.0.0/8"}, []string{"cidr", `"10.0.0.0/8"`, "/16 to /24"}},
		{"cidr public", network.Args{CIDR: "54.0.0.0/16"}, []string{"cidr", `"54.0.0.0/16"`, "10.0.0.0/8"}},
		{"one zone", network.Args{AZCount: 1}, []string{"azCount", "1", "2 to 6"}},
		{"seven zones", network.Args{AZCount: 7}, []string{"azCount", "7", "2 to 6"}},
		{"six zones in a /24", network.Args{CIDR: "10.0.0.0/24", AZCount: 6}, []string{"azCount", "6", "4 AZ slots"}},
		{"more zones than pinned", network.Args{AZCount: 6, AvailabilityZones: []string{"us-east-1a", "us-east-1b"}}, []string{"azCount", "6", "2 availabilityZones"}},
		{"a pinned zone twice", network.Args{AvailabilityZones: []string{"us-east-1a", "us-east-1a"}}, []string{"availabilityZones", `"us-east-1a"`, "each zone once"}},
		{"a pinned zone that is no zone name", network.Args{AvailabilityZones: []string{"us-east-1a", "zone b"}}, []string{"availabilityZones", `"zone b"`, "us-east-1a"}},
		{"unknown NAT strategy", network.Args{NATStrategy: "double"}, []string{"natStrategy", `"double"`, "none, single, perAz"}},
		{"retention CloudWatch refuses", network.Args{FlowLogRetentionDays: 10}, []string{"flowLogRetentionDays", "10", "14"}},
		{"bastion open to the world", network.Args{BastionAllowedCIDRs: []string{"0.0.0.0/0"}}, []string{"bastionAllowedCidrs", `"0.0.0.0/0"`, "never 0.0.0.0/0"}},
		{"bastion open to a /4", network.Args{BastionAllowedCIDRs: []string{"16.0.0.0/4"}}, []string{"bastionAllowedCidrs", `"16.0.0.0/4"`, "/16 or narrower"}},
		{"bastion open to a public /8", network.Args{BastionAllowedCIDRs: []string{"3.0.0.0/8"}}, []string{"bastionAllowedCidrs", `"3.0.0.0/8"`, "/16 or narrower"}},
		{"bastion range twice", network.Args{BastionAllowedCIDRs: []string{"203.0.113.0/24", "203.0.113.0/24"}}, []string{"bastionAllowedCidrs", `"203.0.113.0/24"`, "each range once"}},
		{"bastion range not a range", network.Args{BastionAllowedCIDRs: []string{"office"}}, []string{"bastionAllowedCidrs", `"office"`, "203.0.113.0/24"}},
		{"bastion IPv6", network.Args{BastionAllowedCIDRs: []string{"::/0"}}, []string{"bastionAllowedCidrs", `"::/0"`, "IPv4"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			args := c.args
			s, err := runProgram(t, "us-east-1", nil, func(ctx *pulumi.Context) (pulumi.Map, error) {
				_, err := network.New(ctx, "net", &args)
				return nil, err
			})
			require.Error(t, err)
			for _, w := range c.want {
				assert.Contains(t, err.Error(), w)
			}
			assert.Empty(t, s.Resources, "nothing may be registered before the input is checked")
			assert.Error(t, args.Validate(), "Validate must refuse what network.New refuses, before any lookup")
		})
	}
}

func TestNetworkBastionAcceptsAPrivateSlash8(t *testing.T) {
	args := network.Args{BastionAllowedCIDRs: []string{"10.0.0.0/8", "198.51.100.0/24"}}
	require.NoError(t, args.Validate())
	s := buildNetwork(t, args)
	assert.Equal(t, []string{"10.0.0.0/8", "198.51.100.0/24"}, strs(s.Named(typeSecurityGroup, "net-bastion-sg"), "ingress.0.cidrBlocks"))
}

// A pinned zone of another region passes Validate (only the region knows its zones) and is refused
// by the lookup, before anything is registered.
func TestNetworkRefusesAZoneOfAnotherRegion(t *testing.T) {
	args := network.Args{AvailabilityZones: []string{"us-east-1a", "eu-west-1a"}}
	require.NoError(t, args.Validate())
	s, err := runProgram(t, "us-east-1", nil, func(ctx *pulumi.Context) (pulumi.Map, error) {
		_, err := network.New(ctx, "net", &args)
		return nil, err
	})
	require.Error(t, err)
	assert.Contains(t, err.Error(), `availabilityZones: "eu-west-1a" is not a zone of region us-east-1 (allowed: us-east-1a, us-east-1b`)
	assert.Empty(t, s.Resources)
}

func TestNetworkRefusesMoreZonesThanTheRegionHas(t *testing.T) {
	s, err := runProgram(t, "us-west-1", nil, func(ctx *pulumi.Context) (pulumi.Map, error) {
		_, err := network.New(ctx, "net", &network.Args{AZCount: 3})
		return nil, err
	})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "azCount 3 is more than region us-west-1 has (it has 2: us-west-1a, us-west-1c)")
	assert.Empty(t, s.Resources)
}

func TestNetworkZeroValueIsATwoZoneNetworkWithNatPerZone(t *testing.T) {
	s := mustRun(t, "eu-west-1", func(ctx *pulumi.Context) error {
		_, err := network.New(ctx, "net", nil)
		return err
	})
	assert.Equal(t, 6, s.Count(typeSubnet))
	assert.Equal(t, 2, s.Count(typeNAT))
	assert.Equal(t, 1, s.Count(typeFlowLog))
	assert.Equal(t, "10.0.0.0/16", str(s.Named(typeVPC, "net-vpc"), "cidrBlock"))
	assert.Equal(t, "eu-west-1a", str(s.Named(typeSubnet, "net-public-0"), "availabilityZone"))
}
