package tests

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi-eks/sdk/v2/go/eks"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tierstack/tierstack/cli"
	"github.com/tierstack/tierstack/insights"
	"github.com/tierstack/tierstack/synth"
	"github.com/tierstack/tierstack/tiers"
)

// The types pulumi-eks registers inside its Cluster for tierstack's options.
const (
	eksTypeAWSCluster  = "aws:eks/cluster:Cluster"
	eksTypeAccessEntry = "aws:eks/accessEntry:AccessEntry"
	eksTypePolicyAssoc = "aws:eks/accessPolicyAssociation:AccessPolicyAssociation"
	eksTypeOIDC        = "aws:iam/openIdConnectProvider:OpenIdConnectProvider"
	typeK8sProvider    = "pulumi:providers:kubernetes"
)

// eksChildren are what pulumi-eks 2.8.1 registers inside web-eks for tierstack's options (a service
// role, a cluster security group and an instance role of tierstack's own, no default node group,
// the default VPC CNI, access entries only, an OIDC provider), by type and pulumi-eks's own names
// (nodejs/eks/cluster.ts, securitygroup.ts, authenticationMode.ts at v2.8.1).
var eksChildren = []struct{ typ, name string }{
	{eksTypeAWSCluster, "web-eks-eksCluster"},
	{typeK8sProvider, "web-eks-eks-k8s"},
	{eksTypeAccessEntry, "web-eks-defaultNodeGroupInstanceRole"},
	{eksTypeOIDC, "web-eks-oidcProvider"},
	{typeSecurityGroup, "web-eks-nodeSecurityGroup"},
	{typeSGRule, "web-eks-eksNodeIngressRule"},
	{typeSGRule, "web-eks-eksNodeClusterIngressRule"},
	{typeSGRule, "web-eks-eksExtApiServerClusterIngressRule"},
	{typeSGRule, "web-eks-eksNodeInternetEgressRule"},
	{typeSGRule, "web-eks-eksClusterIngressRule"},
	{typeK8sProvider, "web-eks-provider"},
}

// Every tier on EKS lists pulumi-eks's children, under the component, marked as pulumi-eks's, and
// nothing else is marked so.
func TestPulumiEKSChildrenAreInThePlan(t *testing.T) {
	for _, tier := range []tiers.Tier{tiers.Tier100k, tiers.Tier1M} {
		t.Run(string(tier), func(t *testing.T) {
			s := planTier(t, tierConfig(tier))
			component := s.Named(eksTypeCluster, "web-eks")
			for _, c := range eksChildren {
				r := s.Named(c.typ, c.name)
				assert.Equal(t, component.URN, r.Parent, "%s is the component's child", c.name)
				assert.Equal(t, synth.EKSPackage, r.RegisteredBy, c.name)
				assert.True(t, r.Custom, c.name)
			}
			marked := 0
			for _, r := range s.Resources {
				if r.RegisteredBy != "" {
					marked++
				}
			}
			assert.Equal(t, len(eksChildren), marked, "pulumi-eks registers these and no more for tierstack's options")
			assert.Empty(t, component.RegisteredBy, "the program registers the component itself")
		})
	}
}

// The EKS cluster pulumi-eks makes from tierstack's options: its name, role, subnets (public then
// private), control-plane group, private endpoint, secrets key, version, logs and access entries
// only, with the creator's admin flag ignored as pulumi-eks does; it waits for what it reads.
func TestPulumiEKSClusterInputs(t *testing.T) {
	s := planTier(t, tierConfig(tiers.Tier100k))
	component := s.Named(eksTypeCluster, "web-eks")
	c := s.Named(eksTypeAWSCluster, "web-eks-eksCluster")
	role, cpSG, key := s.Named(typeRole, "web-eks-role"), s.Named(typeSecurityGroup, "web-eks-cp-sg"), s.Named(typeKey, "web-eks-key")

	assert.Equal(t, str(component, "name"), str(c, "name"))
	assert.Equal(t, role.Outputs["arn"], str(c, "roleArn"))
	assert.Equal(t, []string{cpSG.ID}, strs(c, "vpcConfig.securityGroupIds"))
	assert.Equal(t, append(strs(component, "publicSubnetIds"), strs(component, "privateSubnetIds")...), strs(c, "vpcConfig.subnetIds"))
	assert.Len(t, strs(c, "vpcConfig.subnetIds"), 6)
	assert.Equal(t, true, input(c, "vpcConfig.endpointPrivateAccess"))
	assert.Equal(t, false, input(c, "vpcConfig.endpointPublicAccess"))
	assert.Equal(t, key.Outputs["arn"], str(c, "encryptionConfig.provider.keyArn"))
	assert.Equal(t, []string{"secrets"}, strs(c, "encryptionConfig.resources"))
	assert.Equal(t, str(component, "version"), str(c, "version"))
	assert.Equal(t, strs(component, "enabledClusterLogTypes"), strs(c, "enabledClusterLogTypes"))
	assert.Equal(t, "API", str(c, "accessConfig.authenticationMode"))
	assert.Equal(t, true, input(c, "accessConfig.bootstrapClusterCreatorAdminPermissions"))
	assert.Equal(t, []string{"accessConfig.bootstrapClusterCreatorAdminPermissions"}, c.IgnoreChanges)
	for _, dep := range []synth.Resource{role, cpSG, key, s.Named(typeSubnet, "network-private-0"), s.Named(typeSubnet, "network-public-2")} {
		assert.Contains(t, c.Dependencies, dep.URN, "the cluster reads %s", dep.Name)
	}
	// The app's Kubernetes provider reaches this cluster: the component's kubeconfig is made from it.
	var kubeconfig struct {
		Clusters []struct {
			Cluster struct {
				Server string `json:"server"`
			} `json:"cluster"`
		} `json:"clusters"`
	}
	for _, p := range []string{"web-k8s", "web-eks-eks-k8s", "web-eks-provider"} {
		require.NoError(t, json.Unmarshal([]byte(str(s.Named(typeK8sProvider, p), "kubeconfig")), &kubeconfig), p)
		require.Len(t, kubeconfig.Clusters, 1)
		assert.Equal(t, c.Outputs["endpoint"], kubeconfig.Clusters[0].Cluster.Server, "%s reaches the EKS cluster", p)
	}
	assert.Regexp(t, `^https://[0-9a-f]{32}\.gr7\.us-east-1\.eks\.amazonaws\.com$`, c.Outputs["endpoint"])
}

// pulumi-eks's node security group (beside tierstack's own, unused by the nodes) and its five rules:
// their ports and sources, one of them into tierstack's control-plane group.
func TestPulumiEKSNodeSecurityGroupAndRules(t *testing.T) {
	s := planTier(t, tierConfig(tiers.Tier100k))
	sg := s.Named(typeSecurityGroup, "web-eks-nodeSecurityGroup")
	assert.Equal(t, s.Named(typeVPC, "network-vpc").ID, str(sg, "vpcId"))
	assert.Equal(t, true, input(sg, "revokeRulesOnDelete"))
	tags, _ := sg.Inputs["tags"].(map[string]any)
	assert.Equal(t, "owned", tags["kubernetes.io/cluster/web-plan"], "tagged for the cluster it serves")
	assert.Contains(t, sg.Dependencies, s.Named(eksTypeAWSCluster, "web-eks-eksCluster").URN, "its tags name the cluster")

	cp := s.Named(typeSecurityGroup, "web-eks-cp-sg")
	want := map[string]struct {
		kind, protocol string
		from, to       int
		group, source  string // group names; source "self" or a range
	}{
		"web-eks-eksNodeIngressRule":                {"ingress", "-1", 0, 0, sg.Name, "self"},
		"web-eks-eksNodeClusterIngressRule":         {"ingress", "tcp", 1025, 65535, sg.Name, cp.Name},
		"web-eks-eksExtApiServerClusterIngressRule": {"ingress", "tcp", 443, 443, sg.Name, cp.Name},
		"web-eks-eksNodeInternetEgressRule":         {"egress", "-1", 0, 0, sg.Name, "0.0.0.0/0"},
		"web-eks-eksClusterIngressRule":             {"ingress", "tcp", 443, 443, cp.Name, sg.Name},
	}
	for name, w := range want {
		r := s.Named(typeSGRule, name)
		assert.Equal(t, w.kind, str(r, "type"), name)
		assert.Equal(t, w.protocol, str(r, "protocol"), name)
		assert.Equal(t, w.from, num(r, "fromPort"), name)
		assert.Equal(t, w.to, num(r, "toPort"), name)
		assert.Equal(t, w.group, s.ByID(str(r, "securityGroupId")).Name, name)
		switch w.source {
		case "self":
			assert.Equal(t, true, input(r, "self"), name)
		case "0.0.0.0/0":
			assert.Equal(t, []string{"0.0.0.0/0"}, strs(r, "cidrBlocks"), name)
		default:
			assert.Equal(t, w.source, s.ByID(str(r, "sourceSecurityGroupId")).Name, name)
		}
		assert.NotEmpty(t, str(r, "description"), name)
	}
}

// pulumi-eks always makes its node security group (createNodeGroupSecurityGroup in 2.8.1 has no
// option to skip it), but tierstack's nodes use their own groups: no resource of the program names
// pulumi-eks's group, so its open egress and self rule reach no instance, and the rule it adds to
// tierstack's control-plane group admits an empty group.
func TestPulumiEKSNodeSecurityGroupIsUnused(t *testing.T) {
	for _, tier := range []tiers.Tier{tiers.Tier100k, tiers.Tier1M} {
		s := planTier(t, tierConfig(tier))
		id := s.Named(typeSecurityGroup, "web-eks-nodeSecurityGroup").ID
		require.NotEmpty(t, id)
		for _, r := range s.Resources {
			if r.RegisteredBy != "" {
				continue
			}
			doc, err := json.Marshal(r.Inputs)
			require.NoError(t, err)
			assert.NotContains(t, string(doc), id, "tier %s: %s uses pulumi-eks's node group", tier, r.Name)
		}
		lt := s.Named("aws:ec2/launchTemplate:LaunchTemplate", "web-node-lt")
		assert.ElementsMatch(t, []string{s.Named(typeSecurityGroup, "web-eks-node-sg").ID, s.Named(typeSecurityGroup, "web-app-sg").ID},
			strs(lt, "vpcSecurityGroupIds"), "tier %s: the nodes' groups are tierstack's", tier)
	}
}

// pulumi-eks's children deploy with the component's AWS provider, to its region (where the DR
// region's cluster will be); a cluster given no name is auto-named, and its entries name it.
func TestPulumiEKSChildrenFollowTheComponentsProvider(t *testing.T) {
	s := mustRun(t, "", func(ctx *pulumi.Context) error {
		west, err := aws.NewProvider(ctx, "west", &aws.ProviderArgs{Region: pulumi.String("us-west-2")})
		if err != nil {
			return err
		}
		role, err := iam.NewRole(ctx, "role", &iam.RoleArgs{AssumeRolePolicy: pulumi.String("{}")}, pulumi.Provider(west))
		if err != nil {
			return err
		}
		sg, err := ec2.NewSecurityGroup(ctx, "sg", &ec2.SecurityGroupArgs{VpcId: pulumi.String("vpc-1")}, pulumi.Provider(west))
		if err != nil {
			return err
		}
		skip, defaultCNI, mode := true, true, eks.AuthenticationModeApi
		_, err = eks.NewCluster(ctx, "dr", &eks.ClusterArgs{VpcId: pulumi.String("vpc-1"), PrivateSubnetIds: pulumi.ToStringArray([]string{"subnet-1", "subnet-2"}),
			ServiceRole: role, InstanceRole: role, ClusterSecurityGroup: sg, SkipDefaultNodeGroup: &skip,
			UseDefaultVpcCni: &defaultCNI, AuthenticationMode: &mode}, pulumi.Provider(west))
		return err
	})
	west := s.Named("pulumi:providers:aws", "west")
	children := 0
	for _, r := range s.Resources {
		if r.RegisteredBy == "" || r.Type == typeK8sProvider {
			continue
		}
		children++
		assert.Equal(t, west.URN, r.Provider, "%s deploys with the component's provider", r.Name)
	}
	assert.Equal(t, 8, children, "the cluster, its entry, the node group and its five rules")
	c := s.Named(eksTypeAWSCluster, "dr-eksCluster")
	assert.Contains(t, c.Outputs["arn"], ":eks:us-west-2:")
	assert.Equal(t, c.Outputs["name"], str(s.Named(eksTypeAccessEntry, "dr-defaultNodeGroupInstanceRole"), "clusterName"))
}

// The access entries and the OIDC provider: the nodes' role gets pulumi-eks's EC2_LINUX entry; an
// admin role its entry and, under it, its policy association; the OIDC provider trusts the
// cluster's issuer. Each waits for the cluster.
func TestPulumiEKSAccessEntriesAndOIDCProvider(t *testing.T) {
	const admin = "arn:aws:iam::123456789012:role/ops"
	s := planTier(t, webConfig(tiers.Tier100k, `{"adminRoleArns":["`+admin+`"]}`, ""))
	cluster := s.Named(eksTypeAWSCluster, "web-eks-eksCluster")

	nodes := s.Named(eksTypeAccessEntry, "web-eks-defaultNodeGroupInstanceRole")
	assert.Equal(t, s.Named(typeRole, "web-node-role").Outputs["arn"], str(nodes, "principalArn"))
	assert.Equal(t, "EC2_LINUX", str(nodes, "type"))
	assert.Equal(t, str(cluster, "name"), str(nodes, "clusterName"))
	assert.Contains(t, nodes.Dependencies, cluster.URN)

	var entry synth.Resource
	for _, e := range s.All(eksTypeAccessEntry) {
		if str(e, "principalArn") == admin {
			entry = e
		}
	}
	require.NotEmpty(t, entry.URN, "the admin role has an access entry")
	assert.True(t, strings.HasPrefix(entry.Name, "web-eks-"), "named by pulumi-eks after the component: %s", entry.Name)
	assert.Equal(t, synth.EKSPackage, entry.RegisteredBy)
	assoc := s.All(eksTypePolicyAssoc)
	require.Len(t, assoc, 1)
	assert.Equal(t, entry.URN, assoc[0].Parent, "pulumi-eks parents the association to its entry")
	assert.Equal(t, []string{entry.URN}, assoc[0].DependsOn, "and makes it wait for the entry")
	assert.Equal(t, admin, str(assoc[0], "principalArn"))
	assert.Equal(t, "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy", str(assoc[0], "policyArn"))
	assert.Equal(t, "cluster", str(assoc[0], "accessScope.type"))
	assert.Equal(t, str(cluster, "name"), str(assoc[0], "clusterName"))

	oidc := s.Named(eksTypeOIDC, "web-eks-oidcProvider")
	issuer := cluster.Outputs["identities"].([]any)[0].(map[string]any)["oidcs"].([]any)[0].(map[string]any)["issuer"]
	assert.Equal(t, issuer, str(oidc, "url"))
	assert.Equal(t, []string{"sts.amazonaws.com"}, strs(oidc, "clientIdLists"))
	assert.Contains(t, oidc.Dependencies, cluster.URN)
}

// A preview lists the same children, with what only a deployment knows unknown.
func TestPulumiEKSChildrenInAPreview(t *testing.T) {
	code, out, stderr := runPlan("--tier", "100k", "--preview", "--format", "json")
	require.Equal(t, cli.ExitOK, code, stderr)
	var doc cli.Document
	require.NoError(t, json.Unmarshal([]byte(out), &doc))
	s := stack{Plan: doc.Plan, t: t}
	for _, c := range eksChildren {
		assert.Equal(t, synth.EKSPackage, s.Named(c.typ, c.name).RegisteredBy, c.name)
	}
	c := s.Named(eksTypeAWSCluster, "web-eks-eksCluster")
	assert.Equal(t, synth.UnknownPlaceholder, str(c, "roleArn"))
	assert.Equal(t, synth.UnknownPlaceholder, str(s.Named(eksTypeOIDC, "web-eks-oidcProvider"), "url"))
	assert.Equal(t, "web-plan", str(c, "name"), "what the program knows stays known")
}

// 10k → 100k creates pulumi-eks's children, says they are pulumi-eks's, prices the control plane
// once (on the EKS cluster, not the component) and times them; 100k → 1m keeps them all.
func TestPlanFromListsPulumiEKSChildren(t *testing.T) {
	fromDoc := func(args ...string) (int, fromDocument) {
		code, out, stderr := runPlan(append(args, "--format", "json")...)
		var doc fromDocument
		require.NoError(t, json.Unmarshal([]byte(out), &doc), stderr)
		return code, doc
	}
	_, up := fromDoc("--tier", "100k", "--from", "10k")
	changes := map[string]synth.Change{}
	for _, c := range up.Changes {
		changes[c.Type+" "+c.Name] = c
	}
	for _, c := range eksChildren {
		ch, ok := changes[c.typ+" "+c.name]
		if assert.True(t, ok, "10k → 100k lists %s", c.name) {
			assert.Equal(t, synth.Create, ch.Action, c.name)
			assert.Equal(t, synth.EKSPackage, ch.RegisteredBy, c.name)
		}
	}
	assertControlPlanePricedOnce(t, up.Cost)
	touched := 0
	for _, c := range up.Changes {
		if c.Action != synth.Delete && !strings.HasPrefix(c.Type, "tierstack:") && !strings.HasPrefix(c.Type, "pulumi:providers:") {
			touched++
		}
	}
	assert.Equal(t, touched, up.Deploy.Resources, "the estimate times what the change creates, pulumi-eks's children included")

	code, grow := fromDoc("--tier", "1m", "--from", "100k")
	require.Equal(t, cli.ExitOK, code)
	for _, c := range grow.Changes {
		assert.Empty(t, c.RegisteredBy, "100k → 1m touches %s %s of pulumi-eks's", c.Action, c.Name)
	}
	assertControlPlanePricedOnce(t, grow.Cost)
}

// fromDocument is the part of `plan --from --format json` these tests read.
type fromDocument struct {
	Changes []synth.Change  `json:"changes"`
	Cost    insights.Cost   `json:"cost"`
	Deploy  insights.Deploy `json:"deploy"`
}

// assertControlPlanePricedOnce checks that the EKS cluster carries the control plane's hour and
// the component nothing.
func assertControlPlanePricedOnce(t *testing.T, c insights.Cost) {
	t.Helper()
	planes := 0
	for _, rc := range c.Resources {
		for _, l := range rc.Lines {
			if l.PriceID == "eks.cluster.hour" {
				planes++
				assert.Equal(t, eksTypeAWSCluster, rc.Type, "the control plane is priced on the EKS cluster")
			}
		}
		if rc.Type == eksTypeCluster {
			assert.NotEmpty(t, rc.Free, "the component carries no cost of its own")
		}
	}
	assert.Equal(t, 1, planes, "one control plane")
}

// The web tier's own deploy chain at 100k runs through the EKS cluster's creation (about ten
// minutes): the nodes, add-ons and app wait for it.
func TestEKSClusterCreationIsOnTheWebTiersChain(t *testing.T) {
	s := planTier(t, tierConfig(tiers.Tier100k))
	web := s.Named("tierstack:index:WebTier", "web")
	byURN := map[string]synth.Resource{}
	for _, r := range s.Resources {
		byURN[r.URN] = r
	}
	only := map[string]bool{}
	for _, r := range s.Resources {
		for p := r.Parent; p != ""; p = byURN[p].Parent {
			if p == web.URN {
				only[r.URN] = true
				break
			}
		}
	}
	durations, err := insights.Durations()
	require.NoError(t, err)
	d, err := insights.EstimateDeploy(s.Resources, durations, only)
	require.NoError(t, err)
	cluster := s.Named(eksTypeAWSCluster, "web-eks-eksCluster")
	assert.Contains(t, d.Chain, cluster.URN, "the web tier's chain: %v", d.Chain)
	assert.GreaterOrEqual(t, d.CriticalPathSeconds, durations.Types[eksTypeAWSCluster].Seconds+durations.Types[eksTypeNodeGroup].Seconds)
}

const eksStack = `config:
  aws:region: us-east-1
  tierstack:tier: 100k
  tierstack:cache: {clusterMode: enabled}
  tierstack:network:
    cidr: %s
    availabilityZones: [%s]
`

// A new VPC range at 100k: pulumi-eks's node group and rules are replaced and the EKS cluster's
// vpcConfig is updated in place, which EKS refuses (a cluster cannot move to another VPC), so the
// check exits 3 naming the cluster. So does a subnet in a zone the cluster was not created in.
func TestVPCRangeChangeAt100kIsRefusedAtTheEKSCluster(t *testing.T) {
	dir := t.TempDir()
	stackFile := writeStackFile(t, dir, "prod", sprintf(eksStack, "10.30.0.0/16", "us-east-1a, us-east-1b, us-east-1c"))
	last := savePlan(t, dir, "--config", stackFile)

	code, out, stderr := runPlan("--config", stackFile, "--from", last)
	require.Equal(t, cli.ExitOK, code, stderr+out)

	writeStackFile(t, dir, "prod", sprintf(eksStack, "10.31.0.0/16", "us-east-1a, us-east-1b, us-east-1c"))
	code, out, stderr = runPlan("--config", stackFile, "--from", last)
	assert.Equal(t, cli.ExitUnsafe, code, stderr)
	assert.Regexp(t, `\+- replace\s+ec2\.SecurityGroup\s+web-eks-nodeSecurityGroup\s+replaced by a change to vpcId; registered by pulumi-eks 2\.8\.1`, out)
	assert.Regexp(t, `\+- replace\s+ec2\.SecurityGroupRule\s+web-eks-eksClusterIngressRule\s+replaced by a change to securityGroupId, sourceSecurityGroupId`, out)
	assert.Contains(t, out, "  update eks.Cluster web-eks-eksCluster (refused by AWS: vpcConfig: the cluster's subnets and security groups move to another VPC (network-vpc is a new VPC)")

	writeStackFile(t, dir, "prod", sprintf(eksStack, "10.30.0.0/16", "us-east-1a, us-east-1b, us-east-1d"))
	code, out, _ = runPlan("--config", stackFile, "--from", last)
	assert.Equal(t, cli.ExitUnsafe, code)
	assert.Regexp(t, regexp.QuoteMeta("update eks.Cluster web-eks-eksCluster (refused by AWS: vpcConfig.subnetIds: subnets in us-east-1d, outside the zones the cluster was created with"), out)
	assert.NotContains(t, out, "another VPC")
}

// The expansion follows the pulumi-eks release go.mod pins: a new release needs its source read again.
func TestEKSExpansionFollowsThePinnedRelease(t *testing.T) {
	mod, err := os.ReadFile(filepath.Join(root, "go.mod"))
	require.NoError(t, err)
	m := regexp.MustCompile(`github\.com/pulumi/pulumi-eks/sdk/v2 v(\S+)`).FindStringSubmatch(string(mod))
	require.NotNil(t, m, "go.mod pins pulumi-eks")
	assert.Equal(t, "pulumi-eks "+m[1], synth.EKSPackage)
}

// Options whose children the expansion does not model make the plan fail, naming the option,
// rather than list less than pulumi up would create.
func TestEKSExpansionRefusesWhatItDoesNotModel(t *testing.T) {
	cases := []struct {
		name string
		edit func(a *eks.ClusterArgs)
		want string
	}{
		{"no service role", func(a *eks.ClusterArgs) { a.ServiceRole = nil }, "without serviceRole, pulumi-eks 2.8.1 registers its own service role"},
		{"a default node group", func(a *eks.ClusterArgs) { a.SkipDefaultNodeGroup = nil }, "without skipDefaultNodeGroup, pulumi-eks 2.8.1 registers a default node group"},
		{"the aws-auth ConfigMap beside access entries", func(a *eks.ClusterArgs) {
			mode := eks.AuthenticationModeApiAndConfigMap
			a.AuthenticationMode = &mode
		}, "registers the aws-auth ConfigMap"},
		{"role mappings", func(a *eks.ClusterArgs) {
			a.RoleMappings = eks.RoleMappingArray{eks.RoleMappingArgs{RoleArn: pulumi.String("arn:aws:iam::1:role/x"), Username: pulumi.String("x"), Groups: pulumi.StringArray{}}}
		}, `option "roleMappings" is not modelled offline`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := runProgram(t, "", nil, func(ctx *pulumi.Context) (pulumi.Map, error) {
				role, err := iam.NewRole(ctx, "role", &iam.RoleArgs{AssumeRolePolicy: pulumi.String("{}")})
				if err != nil {
					return nil, err
				}
				sg, err := ec2.NewSecurityGroup(ctx, "sg", &ec2.SecurityGroupArgs{VpcId: pulumi.String("vpc-1")})
				if err != nil {
					return nil, err
				}
				skip, defaultCNI, mode := true, true, eks.AuthenticationModeApi
				args := &eks.ClusterArgs{VpcId: pulumi.String("vpc-1"), PrivateSubnetIds: pulumi.ToStringArray([]string{"subnet-1", "subnet-2"}),
					ServiceRole: role, InstanceRole: role, ClusterSecurityGroup: sg, SkipDefaultNodeGroup: &skip,
					UseDefaultVpcCni: &defaultCNI, AuthenticationMode: &mode}
				tc.edit(args)
				_, err = eks.NewCluster(ctx, "c", args)
				return nil, err
			})
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
	// The same options, all modelled, plan.
	_, err := runProgram(t, "", nil, func(ctx *pulumi.Context) (pulumi.Map, error) {
		role, err := iam.NewRole(ctx, "role", &iam.RoleArgs{AssumeRolePolicy: pulumi.String("{}")})
		if err != nil {
			return nil, err
		}
		sg, err := ec2.NewSecurityGroup(ctx, "sg", &ec2.SecurityGroupArgs{VpcId: pulumi.String("vpc-1")})
		if err != nil {
			return nil, err
		}
		skip, defaultCNI, mode := true, true, eks.AuthenticationModeApi
		_, err = eks.NewCluster(ctx, "c", &eks.ClusterArgs{VpcId: pulumi.String("vpc-1"), PrivateSubnetIds: pulumi.ToStringArray([]string{"subnet-1", "subnet-2"}),
			ServiceRole: role, InstanceRole: role, ClusterSecurityGroup: sg, SkipDefaultNodeGroup: &skip,
			UseDefaultVpcCni: &defaultCNI, AuthenticationMode: &mode})
		return nil, err
	})
	assert.NoError(t, err)
}
