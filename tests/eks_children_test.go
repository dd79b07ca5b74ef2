package tests

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tierstack/tierstack/cli"
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
