package tests

import (
	"strings"
	"testing"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tierstack/tierstack/components/network"
	"github.com/tierstack/tierstack/synth"
	"github.com/tierstack/tierstack/tiers"
)

// diffOf diffs two recorded runs with the shipped rules, by URN.
func diffOf(t *testing.T, before, after *synth.Plan) map[string]synth.Change {
	t.Helper()
	rules, err := synth.ReplacementRules()
	require.NoError(t, err)
	out := map[string]synth.Change{}
	for _, c := range synth.Diff(before, after, rules) {
		out[c.URN] = c
	}
	return out
}

// Changing the VPC range replaces the VPC, and with it everything that references it, directly or
// through another replaced resource, as a real preview shows: resource by resource.
func TestDiffSeesAReplacement(t *testing.T) {
	before := planTier(t, tierConfig(tiers.Tier10k))
	after := planTier(t, tierConfig(tiers.Tier10k, `"cidr":"10.9.0.0/16"`))
	want := map[string]struct {
		action synth.Action
		by     []string
	}{
		typeVPC:             {synth.Replace, []string{"cidrBlock"}},
		typeSubnet:          {synth.Replace, []string{"cidrBlock", "vpcId"}},
		typeRouteTable:      {synth.Replace, []string{"vpcId"}},
		typeRoute:           {synth.Replace, []string{"routeTableId"}},
		typeRTAssoc:         {synth.Replace, []string{"subnetId"}},
		typeNAT:             {synth.Replace, []string{"subnetId"}},
		typeDefaultSG:       {synth.Replace, []string{"vpcId"}},
		typeEndpoint:        {synth.Replace, []string{"vpcId"}},
		typeEndpointAssoc:   {synth.Replace, []string{"routeTableId", "vpcEndpointId"}},
		typeFlowLog:         {synth.Replace, []string{"vpcId"}},
		typeIGW:             {synth.Replace, []string{"vpcId"}}, // a new gateway for the new VPC (replaceOnChanges)
		typeEIP:             {"", nil},                          // nothing of an Elastic IP refers to the VPC
		typeLogGroup:        {"", nil},
		typeRole:            {"", nil},
		typeRolePolicy:      {"", nil},
		typeNetworkResource: {"", nil},
		// The database's security group belongs to the VPC; the cluster and its subnet group follow
		// in place (AWS would refuse to move a DB subnet group to another VPC: a VPC replacement is
		// unsafe already).
		typeSecurityGroup:    {synth.Replace, []string{"vpcId"}},
		typeDBSubnetGroup:    {synth.Update, nil},
		typeCluster:          {synth.Update, nil},
		typeClusterInstance:  {"", nil},
		typeClusterParams:    {"", nil},
		typeInstanceParams:   {"", nil},
		typeFunction:         {"", nil},
		typeInvocation:       {"", nil},
		typeKey:              {"", nil},
		typeSecret:           {"", nil},
		typeSecretVersion:    {"", nil},
		typePassword:         {"", nil},
		typeRolePolicyAttach: {"", nil},
		typeDataResource:     {"", nil},
		// The cache's security group belongs to the VPC too; its subnet group and replication group
		// follow in place (with the same caveat as the database's).
		cacheTypeSubnets:   {synth.Update, nil},
		cacheTypeGroup:     {synth.Update, nil},
		cacheTypeParams:    {"", nil},
		cacheTypeComponent: {"", nil},
		// The web tier's groups and rules belong to the VPC; the load balancer, its target group's
		// users, the launch template and the Auto Scaling group follow in place (the load balancer
		// would be refused a move to another VPC's subnets, as the subnet groups would).
		"aws:ec2/securityGroupRule:SecurityGroupRule": {synth.Replace, []string{"securityGroupId", "sourceSecurityGroupId"}},
		"aws:lb/loadBalancer:LoadBalancer":            {synth.Update, nil},
		"aws:lb/targetGroup:TargetGroup":              {synth.Replace, []string{"vpcId"}},
		// Behind the CDN the HTTP listener answers 403 by itself; the rule that admits the CDN's
		// requests forwards to the replaced target group and follows it in place.
		"aws:lb/listener:Listener":                               {"", nil},
		"aws:lb/listenerRule:ListenerRule":                       {synth.Update, nil},
		"aws:ec2/launchTemplate:LaunchTemplate":                  {synth.Update, nil},
		"aws:autoscaling/group:Group":                            {synth.Update, nil},
		"aws:autoscaling/policy:Policy":                          {"", nil},
		"aws:autoscaling/lifecycleHook:LifecycleHook":            {"", nil}, // the group keeps its name
		"aws:iam/instanceProfile:InstanceProfile":                {"", nil},
		"aws:s3/bucketV2:BucketV2":                               {"", nil},
		"aws:s3/bucketPolicy:BucketPolicy":                       {"", nil},
		"aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": {"", nil},
		"aws:s3/bucketOwnershipControls:BucketOwnershipControls": {"", nil},
		"aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2": {"", nil},
		"aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2":                       {"", nil},
		"tierstack:index:WebTier": {"", nil},
		// The WAF follows the load balancer, which is updated in place.
		"aws:wafv2/webAcl:WebAcl":                                         {"", nil},
		"aws:wafv2/webAclAssociation:WebAclAssociation":                   {"", nil},
		"aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration": {"", nil},
		"tierstack:index:Firewall":                                        {"", nil},
		// The CDN's origin is the load balancer's name, which stays.
		"aws:cloudfront/distribution:Distribution":               {"", nil},
		"aws:cloudfront/originAccessControl:OriginAccessControl": {"", nil},
		"aws:s3/bucketVersioningV2:BucketVersioningV2":           {"", nil},
		"aws:s3/bucketLoggingV2:BucketLoggingV2":                 {"", nil},
		"tierstack:index:CDN":                                    {"", nil},
		"pulumi:providers:aws":                                   {"", nil},
		// The alarms name the cluster, the cache nodes and the load balancer, which stay.
		typeMetricAlarm:                   {"", nil},
		typeCompositeAlarm:                {"", nil},
		typeDashboard:                     {"", nil},
		typeTopic:                         {"", nil},
		"aws:sns/topicPolicy:TopicPolicy": {"", nil},
		"tierstack:index:Observability":   {"", nil},
	}
	changes := diffOf(t, before.Plan, after.Plan)
	counted := 0
	// The replaced target group has a new ARN suffix: the alarm on its unhealthy hosts and the
	// dashboard that graphs it follow in place.
	wantByName := map[string]struct {
		action synth.Action
		by     []string
	}{
		"observability-alarm-web-unhealthy-hosts": {synth.Update, nil},
		"observability-dashboard":                 {synth.Update, nil},
	}
	for _, r := range after.Resources {
		w, ok := want[r.Type]
		if named, special := wantByName[r.Name]; special {
			w, ok = named, true
		}
		require.True(t, ok, "the test has no expectation for %s", r.Type)
		c, changed := changes[r.URN]
		if w.action == "" {
			assert.False(t, changed, "%s %s should not change, got %+v", r.Type, r.Name, c)
			continue
		}
		counted++
		require.True(t, changed, "%s %s should %s", r.Type, r.Name, w.action)
		assert.Equal(t, w.action, c.Action, "%s %s", r.Type, r.Name)
		if r.Name == "web-alb-from-cloudfront" {
			// A rule from a prefix list names no source group: its own group alone replaces it.
			assert.Equal(t, []string{"securityGroupId"}, c.ReplacedBy, "%s %s", r.Type, r.Name)
			continue
		}
		assert.Equal(t, w.by, c.ReplacedBy, "%s %s", r.Type, r.Name)
	}
	assert.Equal(t, len(changes), counted, "no change outside the expected ones")

	unsafe := synth.Unsafe(synth.Diff(before.Plan, after.Plan, mustRules(t)))
	assert.Len(t, unsafe, 1+after.Count(typeSubnet), "the VPC and every subnet lose their state")

	shrunk := planTier(t, tierConfig(tiers.Tier10k, `"azCount":2`))
	deleted := 0
	for _, c := range diffOf(t, before.Plan, shrunk.Plan) {
		if c.Action == synth.Delete && c.Type == typeSubnet {
			deleted++
		}
	}
	assert.Equal(t, 3, deleted, "dropping a zone deletes its three subnets")
}

func mustRules(t *testing.T) synth.Rules {
	t.Helper()
	rules, err := synth.ReplacementRules()
	require.NoError(t, err)
	return rules
}

// A plan JSON made by another version of the fake engine (other IDs, ARNs and names for the same
// resources) compares as unchanged: references are judged by what they point at, not their text.
func TestDiffIgnoresHowIDsWereMade(t *testing.T) {
	now := planTier(t, tierConfig(tiers.Tier10k, `"bastionAllowedCidrs":["203.0.113.0/24"]`))
	other := rewriteIDs(now.Plan)
	require.NotEqual(t, now.Resources[1].ID, other.Resources[1].ID)
	assert.Empty(t, synth.Diff(other, now.Plan, mustRules(t)))
}

// rewriteIDs returns a copy of p whose IDs and computed outputs read differently, every reference to
// them rewritten to match, as an older engine would have made them.
func rewriteIDs(p *synth.Plan) *synth.Plan {
	subst := map[string]string{}
	for _, r := range p.Resources {
		if r.ID != "" {
			subst[r.ID] = "old-" + r.ID
		}
		for _, v := range r.Outputs {
			if s, ok := v.(string); ok && s != "" {
				subst[s] = "old-" + s
			}
		}
	}
	pairs := make([]string, 0, 2*len(subst))
	for k, v := range subst {
		pairs = append(pairs, k, v)
	}
	replacer := strings.NewReplacer(pairs...)
	var rewrite func(v any) any
	rewrite = func(v any) any {
		switch x := v.(type) {
		case string:
			return replacer.Replace(x)
		case []any:
			out := make([]any, len(x))
			for i, e := range x {
				out[i] = rewrite(e)
			}
			return out
		case map[string]any:
			out := map[string]any{}
			for k, e := range x {
				out[k] = rewrite(e)
			}
			return out
		}
		return v
	}
	out := *p
	out.Resources = nil
	for _, r := range p.Resources {
		r.ID = rewrite(r.ID).(string)
		r.Inputs = rewrite(r.Inputs).(map[string]any)
		r.Outputs = rewrite(r.Outputs).(map[string]any)
		out.Resources = append(out.Resources, r)
	}
	return &out
}

// program runs body on the mock engine and returns the record.
func program(t *testing.T, body func(ctx *pulumi.Context) error) *synth.Plan {
	t.Helper()
	return mustRun(t, "us-east-1", body).Plan
}

// A renamed resource whose alias names its old URN is an update of the same resource, not a delete
// and a create; so are the children of a component whose type changed, through their parent's alias.
func TestDiffFollowsAliases(t *testing.T) {
	v1 := program(t, func(ctx *pulumi.Context) error {
		var box pulumi.ResourceState
		if err := ctx.RegisterComponentResource("test:index:Box", "box", &box); err != nil {
			return err
		}
		if _, err := ec2.NewVpc(ctx, "inner", &ec2.VpcArgs{CidrBlock: pulumi.String("10.0.0.0/16")}, pulumi.Parent(&box)); err != nil {
			return err
		}
		_, err := ec2.NewEip(ctx, "ip", &ec2.EipArgs{Domain: pulumi.String("vpc")})
		return err
	})
	v2 := program(t, func(ctx *pulumi.Context) error {
		var box pulumi.ResourceState
		if err := ctx.RegisterComponentResource("test:index:Crate", "box", &box,
			pulumi.Aliases([]pulumi.Alias{{Type: pulumi.String("test:index:Box")}})); err != nil {
			return err
		}
		if _, err := ec2.NewVpc(ctx, "inner", &ec2.VpcArgs{CidrBlock: pulumi.String("10.0.0.0/16")}, pulumi.Parent(&box)); err != nil {
			return err
		}
		_, err := ec2.NewEip(ctx, "address", &ec2.EipArgs{Domain: pulumi.String("vpc")},
			pulumi.Aliases([]pulumi.Alias{{Name: pulumi.String("ip")}}))
		return err
	})
	changes := synth.Diff(v1, v2, mustRules(t))
	require.Len(t, changes, 2, "%+v", changes)
	for _, c := range changes {
		assert.Equal(t, synth.Update, c.Action, "%s", c.URN)
		assert.NotEmpty(t, c.RenamedFrom)
		assert.Empty(t, c.Keys, "nothing but the name changes")
	}
	assert.Equal(t, "urn:pulumi:plan::tierstack::test:index:Box$aws:ec2/vpc:Vpc::inner", changes[1].RenamedFrom, "inherited from the parent's alias")
	assert.Equal(t, "urn:pulumi:plan::tierstack::test:index:Crate$aws:ec2/vpc:Vpc::inner", changes[1].URN)

	// Without the alias, the same rename deletes and creates.
	v3 := program(t, func(ctx *pulumi.Context) error {
		_, err := ec2.NewEip(ctx, "address", &ec2.EipArgs{Domain: pulumi.String("vpc")})
		return err
	})
	actions := map[synth.Action]int{}
	for _, c := range synth.Diff(v1, v3, mustRules(t)) {
		actions[c.Action]++
	}
	assert.Equal(t, map[synth.Action]int{synth.Create: 1, synth.Delete: 2}, actions)
}

// replaceOnChanges turns a change of the paths it names into a replacement, and the plan records it.
func TestDiffHonoursReplaceOnChanges(t *testing.T) {
	run := func(tag string) *synth.Plan {
		return program(t, func(ctx *pulumi.Context) error {
			_, err := ec2.NewVpc(ctx, "v", &ec2.VpcArgs{
				CidrBlock: pulumi.String("10.0.0.0/16"),
				Tags:      pulumi.StringMap{"Tier": pulumi.String(tag), "Owner": pulumi.String("ops")},
			}, pulumi.ReplaceOnChanges([]string{"tags.Tier"}))
			return err
		})
	}
	a, b := run("gold"), run("silver")
	assert.Equal(t, []string{"tags.Tier"}, a.Resources[0].ReplaceOnChanges)
	changes := synth.Diff(a, b, mustRules(t))
	require.Len(t, changes, 1)
	assert.Equal(t, synth.Replace, changes[0].Action)
	assert.Equal(t, []string{"tags"}, changes[0].ReplacedBy)
	assert.NotEqual(t, a.Resources[0].ID, b.Resources[0].ID, "a replaced resource gets a new ID")
}

// ignoreChanges hides nested paths too: a change there is no change, a change beside it is.
func TestDiffHonoursNestedIgnoreChanges(t *testing.T) {
	run := func(name, owner string) *synth.Plan {
		return program(t, func(ctx *pulumi.Context) error {
			_, err := ec2.NewVpc(ctx, "v", &ec2.VpcArgs{
				CidrBlock: pulumi.String("10.0.0.0/16"),
				Tags:      pulumi.StringMap{"Name": pulumi.String(name), "Owner": pulumi.String(owner)},
			}, pulumi.IgnoreChanges([]string{"tags.Name"}))
			return err
		})
	}
	base := run("a", "ops")
	assert.Empty(t, synth.Diff(base, run("b", "ops"), mustRules(t)), "tags.Name is ignored")
	changes := synth.Diff(base, run("a", "dev"), mustRules(t))
	require.Len(t, changes, 1)
	assert.Equal(t, synth.Update, changes[0].Action)
	assert.Equal(t, []string{"tags"}, changes[0].Keys)
}

// Moving a resource to another provider replaces it; so does changing the region of its provider,
// and the provider's replacement cascades to every resource on it.
func TestDiffReplacesOnAProviderChange(t *testing.T) {
	onProvider := func(region string) *synth.Plan {
		return program(t, func(ctx *pulumi.Context) error {
			p, err := aws.NewProvider(ctx, "regional", &aws.ProviderArgs{Region: pulumi.String(region)})
			if err != nil {
				return err
			}
			_, err = ec2.NewVpc(ctx, "v", &ec2.VpcArgs{CidrBlock: pulumi.String("10.0.0.0/16")}, pulumi.Provider(p))
			return err
		})
	}
	onDefault := program(t, func(ctx *pulumi.Context) error {
		_, err := ec2.NewVpc(ctx, "v", &ec2.VpcArgs{CidrBlock: pulumi.String("10.0.0.0/16")})
		return err
	})
	vpcChange := func(changes []synth.Change) synth.Change {
		for _, c := range changes {
			if c.Type == typeVPC {
				return c
			}
		}
		t.Fatalf("no VPC change in %+v", changes)
		return synth.Change{}
	}
	moved := vpcChange(synth.Diff(onDefault, onProvider("us-east-1"), mustRules(t)))
	assert.Equal(t, synth.Replace, moved.Action)
	assert.Equal(t, []string{"provider"}, moved.ReplacedBy)

	west := vpcChange(synth.Diff(onProvider("us-east-1"), onProvider("us-west-2"), mustRules(t)))
	assert.Equal(t, synth.Replace, west.Action, "a provider whose region changes replaces its resources")
	assert.True(t, west.Unsafe)

	assert.Empty(t, synth.Diff(onProvider("us-east-1"), onProvider("us-east-1"), mustRules(t)))
}

// A replacement that must delete first says so, for the output to warn of the outage.
func TestDiffReportsDeleteBeforeReplace(t *testing.T) {
	before := planTier(t, tierConfig(tiers.Tier10k))
	after := planTier(t, tierConfig(tiers.Tier10k, `"cidr":"10.9.0.0/16"`))
	for _, c := range synth.Diff(before.Plan, after.Plan, mustRules(t)) {
		if c.Action != synth.Replace {
			continue
		}
		wantDBR := c.Type == typeSubnet || c.Type == typeNAT || c.Type == typeFlowLog
		assert.Equal(t, wantDBR, c.DeleteBeforeReplace, "%s %s", c.Type, c.Name)
	}
}

// Renaming a component with an alias keeps its children, whose names start with the component's:
// "net-vpc" under "net" was "network-vpc" under "network", as the engine works it out.
func TestDiffFollowsARenamedComponentsChildren(t *testing.T) {
	before := program(t, func(ctx *pulumi.Context) error {
		_, err := network.New(ctx, "network", &network.Args{AZCount: 2})
		return err
	})
	after := program(t, func(ctx *pulumi.Context) error {
		_, err := network.New(ctx, "net", &network.Args{AZCount: 2}, pulumi.Aliases([]pulumi.Alias{{Name: pulumi.String("network")}}))
		return err
	})
	actions := map[synth.Action]int{}
	for _, c := range synth.Diff(before, after, mustRules(t)) {
		actions[c.Action]++
		assert.NotEmpty(t, c.RenamedFrom, "%s", c.URN)
		assert.Empty(t, c.ReplacedBy, "%s", c.URN)
	}
	assert.Zero(t, actions[synth.Create]+actions[synth.Delete]+actions[synth.Replace], "%v", actions)
	assert.Greater(t, actions[synth.Update], 30, "every child is matched through the alias (and its Name tag changes)")
}

// A provider renamed with an alias is the same provider: nothing on it is replaced.
func TestDiffFollowsARenamedProvider(t *testing.T) {
	run := func(name string, aliases ...pulumi.Alias) *synth.Plan {
		return program(t, func(ctx *pulumi.Context) error {
			p, err := aws.NewProvider(ctx, name, &aws.ProviderArgs{Region: pulumi.String("us-west-2")}, pulumi.Aliases(aliases))
			if err != nil {
				return err
			}
			_, err = ec2.NewVpc(ctx, "v", &ec2.VpcArgs{CidrBlock: pulumi.String("10.0.0.0/16")}, pulumi.Provider(p))
			return err
		})
	}
	for _, c := range synth.Diff(run("a"), run("b", pulumi.Alias{Name: pulumi.String("a")}), mustRules(t)) {
		assert.NotEqual(t, synth.Replace, c.Action, "%s replaced by %v", c.URN, c.ReplacedBy)
	}
	replaced := false
	for _, c := range synth.Diff(run("a"), run("b"), mustRules(t)) {
		replaced = replaced || (c.Type == typeVPC && c.Action == synth.Replace)
	}
	assert.True(t, replaced, "without the alias, the VPC moves to another provider")
}

// A "*" step ignores every key of an object or element of a list, as Pulumi's paths do.
func TestDiffHonoursWildcardPaths(t *testing.T) {
	run := func(ignore []string, owner string) *synth.Plan {
		return program(t, func(ctx *pulumi.Context) error {
			_, err := ec2.NewVpc(ctx, "v", &ec2.VpcArgs{
				CidrBlock: pulumi.String("10.0.0.0/16"),
				Tags:      pulumi.StringMap{"Owner": pulumi.String(owner)},
			}, pulumi.IgnoreChanges(ignore))
			return err
		})
	}
	for _, ignore := range []string{"tags.*", "tags[*]", "tags"} {
		assert.Empty(t, synth.Diff(run([]string{ignore}, "a"), run([]string{ignore}, "b"), mustRules(t)), "ignoreChanges %s", ignore)
	}
	assert.Len(t, synth.Diff(run([]string{"cidrBlock"}, "a"), run([]string{"cidrBlock"}, "b"), mustRules(t)), 1)
}

// Moving the stack to another region replaces everything on the default provider.
func TestDiffReplacesEverythingWhenTheRegionChanges(t *testing.T) {
	east := planTier(t, tierConfig(tiers.Tier100))
	cfg := tierConfig(tiers.Tier100, `"availabilityZones":["eu-west-1a","eu-west-1b"]`)
	cfg["aws:region"] = "eu-west-1"
	west := planTier(t, cfg)
	changes := synth.Diff(east.Plan, west.Plan, mustRules(t))
	custom := 0
	for _, r := range west.Resources {
		if r.Custom {
			custom++
		}
	}
	require.Len(t, changes, custom)
	for _, c := range changes {
		assert.Equal(t, synth.Replace, c.Action, "%s", c.URN)
		assert.Contains(t, c.ReplacedBy, "provider", "%s", c.URN)
	}
}

// The provider's conditional replacements and the changes AWS refuses, which a schema's ForceNew
// flags do not show: the check sees them.
func TestDiffConditionalRulesAndRefusals(t *testing.T) {
	rules := mustRules(t)
	one := func(typ string, before, after map[string]any) synth.Change {
		t.Helper()
		p := func(in map[string]any) *synth.Plan {
			return &synth.Plan{Resources: []synth.Resource{{URN: "urn:pulumi:s::p::" + typ + "::r", Type: typ, Name: "r", Custom: true, Inputs: in}}}
		}
		changes := synth.Diff(p(before), p(after), rules)
		require.Len(t, changes, 1)
		return changes[0]
	}
	const group = "aws:elasticache/replicationGroup:ReplicationGroup"
	const cluster = "aws:rds/cluster:Cluster"
	cases := []struct {
		name            string
		typ             string
		before, after   map[string]any
		replace, refuse bool
	}{
		{"valkey to redis replaces", group, map[string]any{"engine": "valkey"}, map[string]any{"engine": "redis"}, true, false},
		{"redis to valkey moves in place", group, map[string]any{"engine": "redis"}, map[string]any{"engine": "valkey"}, false, false},
		{"a version downgrade replaces", group, map[string]any{"engineVersion": "8.0"}, map[string]any{"engineVersion": "7.2"}, true, false},
		{"a version upgrade moves in place", group, map[string]any{"engineVersion": "7.2"}, map[string]any{"engineVersion": "8.0"}, false, false},
		{"cluster mode one step forward", group, map[string]any{"clusterMode": "disabled"}, map[string]any{"clusterMode": "compatible"}, false, false},
		{"cluster mode jump", group, map[string]any{"clusterMode": "disabled"}, map[string]any{"clusterMode": "enabled"}, false, true},
		{"cluster mode back", group, map[string]any{"clusterMode": "enabled"}, map[string]any{"clusterMode": "compatible"}, false, true},
		{"backtrack turned on later", cluster, map[string]any{"engine": "aurora-mysql"}, map[string]any{"engine": "aurora-mysql", "backtrackWindow": 86400.0}, false, true},
		{"backtrack window changed", cluster, map[string]any{"backtrackWindow": 3600.0}, map[string]any{"backtrackWindow": 86400.0}, false, false},
		{"major upgrade without the flag", cluster, map[string]any{"engineVersion": "16.6"}, map[string]any{"engineVersion": "17.4"}, false, true},
		{"major upgrade with the flag", cluster, map[string]any{"engineVersion": "16.6", "allowMajorVersionUpgrade": true}, map[string]any{"engineVersion": "17.4", "allowMajorVersionUpgrade": true}, false, false},
		{"minor upgrade", cluster, map[string]any{"engineVersion": "8.0.mysql_aurora.3.08.2"}, map[string]any{"engineVersion": "8.0.mysql_aurora.3.10.0"}, false, false},
		{"downgrade", cluster, map[string]any{"engineVersion": "8.0.mysql_aurora.3.08.2", "allowMajorVersionUpgrade": true}, map[string]any{"engineVersion": "8.0.mysql_aurora.3.05.2", "allowMajorVersionUpgrade": true}, false, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ch := one(c.typ, c.before, c.after)
			assert.Equal(t, c.replace, ch.Action == synth.Replace, "action %s", ch.Action)
			assert.Equal(t, c.refuse, len(ch.Refused) > 0, "refused %v", ch.Refused)
			assert.Equal(t, c.replace || c.refuse, ch.Unsafe)
		})
	}
}
