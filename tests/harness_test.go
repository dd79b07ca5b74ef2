package tests

import (
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/require"

	"github.com/tierstack/tierstack/components/drregion"
	"github.com/tierstack/tierstack/synth"
	"github.com/tierstack/tierstack/tiers"
	"github.com/tierstack/tierstack/tierstacktest"
)

// Resource types the tests ask about.
const (
	typeVPC              = "aws:ec2/vpc:Vpc"
	typeSubnet           = "aws:ec2/subnet:Subnet"
	typeRouteTable       = "aws:ec2/routeTable:RouteTable"
	typeRoute            = "aws:ec2/route:Route"
	typeRTAssoc          = "aws:ec2/routeTableAssociation:RouteTableAssociation"
	typeNAT              = "aws:ec2/natGateway:NatGateway"
	typeEIP              = "aws:ec2/eip:Eip"
	typeIGW              = "aws:ec2/internetGateway:InternetGateway"
	typeEndpoint         = "aws:ec2/vpcEndpoint:VpcEndpoint"
	typeEndpointAssoc    = "aws:ec2/vpcEndpointRouteTableAssociation:VpcEndpointRouteTableAssociation"
	typeFlowLog          = "aws:ec2/flowLog:FlowLog"
	typeLogGroup         = "aws:cloudwatch/logGroup:LogGroup"
	typeRole             = "aws:iam/role:Role"
	typeRolePolicy       = "aws:iam/rolePolicy:RolePolicy"
	typeSecurityGroup    = "aws:ec2/securityGroup:SecurityGroup"
	typeDefaultSG        = "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup"
	typeInstance         = "aws:ec2/instance:Instance"
	typeCluster          = "aws:rds/cluster:Cluster"
	typeClusterInstance  = "aws:rds/clusterInstance:ClusterInstance"
	typeDBSubnetGroup    = "aws:rds/subnetGroup:SubnetGroup"
	typeClusterParams    = "aws:rds/clusterParameterGroup:ClusterParameterGroup"
	typeTable            = "aws:dynamodb/table:Table"
	typeKey              = "aws:kms/key:Key"
	typeSecret           = "aws:secretsmanager/secret:Secret"
	typeSecretVersion    = "aws:secretsmanager/secretVersion:SecretVersion"
	typePassword         = "random:index/randomPassword:RandomPassword"
	typeScalingTarget    = "aws:appautoscaling/target:Target"
	typeScalingPolicy    = "aws:appautoscaling/policy:Policy"
	typeSGRule           = "aws:ec2/securityGroupRule:SecurityGroupRule"
	typeRolePolicyAttach = "aws:iam/rolePolicyAttachment:RolePolicyAttachment"
	typeDataResource     = "tierstack:index:DataTier"
	typeNetworkResource  = "tierstack:index:Network"
	typeBastionResource  = "tierstack:index:Bastion"
)

// stack is a recorded run: the plan plus assertions in the manner of CDK's Template.
type stack struct {
	*synth.Plan
	t *testing.T
}

// runProgram runs program on the mock engine in region and returns the record and the error.
func runProgram(t *testing.T, region string, config map[string]string, program synth.Program) (stack, error) {
	t.Helper()
	plan, err := synth.Run(program, synth.Options{Region: region, Config: config})
	if plan == nil {
		require.NoError(t, err, "the mock engine did not start")
	}
	return stack{Plan: plan, t: t}, err
}

// mustRun runs program and fails the test on error.
func mustRun(t *testing.T, region string, program func(ctx *pulumi.Context) error) stack {
	t.Helper()
	s, err := runProgram(t, region, nil, func(ctx *pulumi.Context) (pulumi.Map, error) { return nil, program(ctx) })
	require.NoError(t, err)
	return s
}

// planTier runs the tierstack program with the given config (full keys) and fails on error.
func planTier(t *testing.T, config map[string]string) stack {
	t.Helper()
	s, err := runProgram(t, "", config, tiers.Program)
	require.NoError(t, err)
	return s
}

// usEast1Zones are us-east-1's zones in the order the fake region lists them. Tier tests pin them,
// as a real stack must from 10k up; a tier takes the first as many as it spans.
const usEast1Zones = `"availabilityZones":["us-east-1a","us-east-1b","us-east-1c","us-east-1d","us-east-1e","us-east-1f"]`

// tierConfig is the config of a tier in us-east-1 with its zones pinned and the given
// tierstack:network fields (JSON members such as `"cidr":"10.9.0.0/16"`); fields that name
// availabilityZones replace the pin.
func tierConfig(tier tiers.Tier, networkFields ...string) map[string]string {
	fields := append([]string{}, networkFields...)
	if !strings.Contains(strings.Join(fields, ","), `"availabilityZones"`) {
		fields = append([]string{usEast1Zones}, fields...)
	}
	cfg := map[string]string{
		"tierstack:tier":    string(tier),
		"aws:region":        "us-east-1",
		"tierstack:network": "{" + strings.Join(fields, ",") + "}",
	}
	if tier == tiers.Tier100k || tier == tiers.Tier1M {
		// A stack that runs its cache in cluster mode states it, as pulumi up requires.
		cfg["tierstack:cache"] = `{"clusterMode":"enabled"}`
	}
	if tier == tiers.Tier1M {
		// From 1m the service runs in two regions, as pulumi up requires.
		cfg["tierstack:drRegion"] = "us-west-2"
		cfg["tierstack:dr"] = drUSWest2Zones
	}
	return cfg
}

// primaryOnly is the record without what the DRRegion component registered: the primary region's
// resources (and the alarms, which the observability registers), for tests that count what one
// region holds.
func (s stack) primaryOnly() stack {
	plan := *s.Plan
	plan.Resources = nil
	for _, r := range s.Resources {
		if !strings.Contains(r.URN, drregion.TypeToken+"$") {
			plan.Resources = append(plan.Resources, r)
		}
	}
	return stack{Plan: &plan, t: s.t}
}

// ts is the record as tierstacktest asks questions of it: the helpers below are the exported ones,
// so that what users of tierstacktest rely on is what these tests rely on.
func (s stack) ts() *tierstacktest.Stack {
	return &tierstacktest.Stack{Resources: s.Resources, Warnings: s.Warnings}
}

// Count returns how many resources of a type were registered.
func (s stack) Count(typ string) int { return s.ts().Count(typ) }

// All returns the resources of a type.
func (s stack) All(typ string) []synth.Resource { return s.ts().All(typ) }

// Named returns the resource of a type with a logical name, failing the test when there is none.
func (s stack) Named(typ, name string) synth.Resource {
	s.t.Helper()
	r, ok := s.ts().Named(typ, name)
	if !ok {
		s.t.Fatalf("no %s named %q; have %v", typ, name, s.names(typ))
	}
	return r
}

// Has reports whether a resource of a type with a logical name exists.
func (s stack) Has(typ, name string) bool {
	_, ok := s.ts().Named(typ, name)
	return ok
}

// ByURN returns the resource with a URN, failing the test when there is none.
func (s stack) ByURN(urn string) synth.Resource {
	s.t.Helper()
	for _, r := range s.Resources {
		if r.URN == urn {
			return r
		}
	}
	s.t.Fatalf("no resource %s", urn)
	return synth.Resource{}
}

// ByID returns the resource with a physical ID, failing the test when there is none.
func (s stack) ByID(id string) synth.Resource {
	s.t.Helper()
	for _, r := range s.Resources {
		if r.ID == id && id != "" {
			return r
		}
	}
	s.t.Fatalf("no resource with ID %q", id)
	return synth.Resource{}
}

func (s stack) names(typ string) []string {
	var out []string
	for _, r := range s.All(typ) {
		out = append(out, r.Name)
	}
	return out
}

// input reads an input by a dotted path ("metadataOptions.httpTokens", "ingress.0.fromPort").
func input(r synth.Resource, path string) any { return tierstacktest.Input(r, path) }

// str reads a string input, "" when absent.
func str(r synth.Resource, path string) string {
	s, _ := input(r, path).(string)
	return s
}

// strs reads a list of strings input.
func strs(r synth.Resource, path string) []string {
	list, _ := input(r, path).([]any)
	out := make([]string, 0, len(list))
	for _, v := range list {
		s, _ := v.(string)
		out = append(out, s)
	}
	return out
}

// num reads a number input as an int, -1 when absent.
func num(r synth.Resource, path string) int {
	f, ok := input(r, path).(float64)
	if !ok {
		return -1
	}
	return int(f)
}

// partConfig is a tier's config with an optional part's key set to value and, when mode is not "",
// tierstack:web mode set to it.
func partConfig(tier tiers.Tier, key, value, mode string) map[string]string {
	cfg := tierConfig(tier)
	cfg[key] = value
	if mode != "" {
		cfg["tierstack:web"] = `{"mode":"` + mode + `"}`
	}
	return cfg
}
