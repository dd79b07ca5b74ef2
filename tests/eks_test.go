package tests

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tierstack/tierstack/components/webtier"
	"github.com/tierstack/tierstack/synth"
	"github.com/tierstack/tierstack/tiers"
)

const (
	eksTypeCluster    = "eks:index:Cluster"
	eksTypeNodeGroup  = "aws:eks/nodeGroup:NodeGroup"
	eksTypeAddon      = "aws:eks/addon:Addon"
	eksTypeIdentity   = "aws:eks/podIdentityAssociation:PodIdentityAssociation"
	eksTypeRelease    = "kubernetes:helm.sh/v3:Release"
	eksTypeDeployment = "kubernetes:apps/v1:Deployment"
	eksTypeService    = "kubernetes:core/v1:Service"
	eksTypeScaler     = "kubernetes:keda.sh/v1alpha1:ScaledObject"
	eksTypePDB        = "kubernetes:policy/v1:PodDisruptionBudget"
	eksTypeBinding    = "kubernetes:elbv2.k8s.aws/v1beta1:TargetGroupBinding"
)

// The cluster: access entries only, no default node group, a private endpoint (no public one
// without ranges), secrets encrypted with its own key, every control plane log kept 90 days in a
// group that exists before the cluster, an OIDC provider, a pinned version.
func TestEKSClusterIsPrivateEncryptedAndLogged(t *testing.T) {
	s := planTier(t, tierConfig(tiers.Tier100k))
	cluster := s.Named(eksTypeCluster, "web-eks")
	assert.Equal(t, "API", str(cluster, "authenticationMode"))
	assert.Equal(t, true, input(cluster, "skipDefaultNodeGroup"))
	assert.Equal(t, true, input(cluster, "endpointPrivateAccess"))
	assert.Equal(t, false, input(cluster, "endpointPublicAccess"), "no ranges: private only")
	assert.Equal(t, true, input(cluster, "createOidcProvider"))
	assert.Equal(t, false, input(cluster, "nodeAssociatePublicIpAddress"))
	assert.Equal(t, webtier.DefaultKubernetesVersion, str(cluster, "version"))
	assert.ElementsMatch(t, webtier.ControlPlaneLogTypes, strs(cluster, "enabledClusterLogTypes"))
	key := s.Named("aws:kms/key:Key", "web-eks-key")
	assert.Equal(t, key.Outputs["arn"], str(cluster, "encryptionConfigKeyArn"))
	logs := s.Named(typeLogGroup, "web-eks-logs")
	assert.Equal(t, "/aws/eks/"+str(cluster, "name")+"/cluster", str(logs, "name"), "the group EKS writes to")
	assert.Equal(t, 90, num(logs, "retentionInDays"))
	assert.Contains(t, cluster.Dependencies, logs.URN, "the group exists first, so EKS never makes one kept for ever")
	for grant, typ := range map[string]string{"web-eks-role-cluster": typeRolePolicyAttach, "web-eks-role-key": typeRolePolicy} {
		assert.Contains(t, cluster.Dependencies, s.Named(typ, grant).URN, "the cluster's role holds %s before and after the cluster", grant)
	}
	assert.Equal(t, s.Named(typeRole, "web-node-role").URN, str(cluster, "instanceRole"), "pulumi-eks registers the nodes' role, not one of its own")
	assert.Equal(t, s.Named(typeSecurityGroup, "web-eks-cp-sg").URN, str(cluster, "clusterSecurityGroup"))
	assert.Equal(t, "web-plan", s.Outputs["clusterName"])
	assert.Equal(t, synth.SecretPlaceholder, s.Outputs["kubeconfig"], "the kubeconfig is a secret output")

	// Public ranges open the public endpoint to them only; the whole internet needs saying so.
	open := planTier(t, webConfig(tiers.Tier100k, `{"publicAccessCidrs":["203.0.113.0/24"]}`, ""))
	c := open.Named(eksTypeCluster, "web-eks")
	assert.Equal(t, true, input(c, "endpointPublicAccess"))
	assert.Equal(t, []string{"203.0.113.0/24"}, strs(c, "publicAccessCidrs"))
	anywhere := planTier(t, webConfig(tiers.Tier100k, `{"publicAccessCidrs":["0.0.0.0/0"],"allowPublicAccessFromAnywhere":true}`, ""))
	assert.Equal(t, []string{"0.0.0.0/0"}, strs(anywhere.Named(eksTypeCluster, "web-eks"), "publicAccessCidrs"))
}

// One managed node group per zone, each in that zone's private subnet, on Graviton AL2023, sized
// from the spec, its desired size left to the Cluster Autoscaler; the nodes' launch template
// requires IMDSv2 with a hop limit of 1 (pods use Pod Identity, never the node's role), encrypts
// the root volume and gives the nodes the app's group and their own.
func TestEKSNodeGroupsSpanEveryZone(t *testing.T) {
	for _, tier := range []tiers.Tier{tiers.Tier100k, tiers.Tier1M} {
		s := planTier(t, tierConfig(tier))
		spec, err := tiers.SpecFor(tier)
		require.NoError(t, err)
		groups := s.All(eksTypeNodeGroup)
		private := s.All("aws:ec2/subnet:Subnet")
		var privateIDs []string
		for _, sub := range private {
			if strings.HasPrefix(sub.Name, "network-private-") {
				privateIDs = append(privateIDs, sub.ID)
			}
		}
		require.Len(t, groups, len(privateIDs), "tier %s: a group per zone", tier)
		var covered []string
		lt := s.Named(webTypeLT, "web-node-lt")
		for _, g := range groups {
			require.Len(t, strs(g, "subnetIds"), 1)
			covered = append(covered, strs(g, "subnetIds")...)
			assert.Equal(t, webtier.NodeAMIType, str(g, "amiType"))
			assert.Equal(t, []string{spec.Web.Cluster.NodeInstanceType}, strs(g, "instanceTypes"))
			assert.Equal(t, spec.Web.Cluster.NodesPerZone.Min, num(g, "scalingConfig.minSize"))
			assert.Equal(t, spec.Web.Cluster.NodesPerZone.Max, num(g, "scalingConfig.maxSize"))
			assert.Equal(t, []string{"scalingConfig.desiredSize"}, g.IgnoreChanges)
			assert.Equal(t, lt.ID, str(g, "launchTemplate.id"))
		}
		assert.ElementsMatch(t, privateIDs, covered, "tier %s: every private subnet, once", tier)
		assert.Equal(t, "required", str(lt, "metadataOptions.httpTokens"))
		assert.Equal(t, 1, num(lt, "metadataOptions.httpPutResponseHopLimit"))
		assert.Equal(t, "true", str(lt, "blockDeviceMappings.0.ebs.encrypted"))
		assert.ElementsMatch(t, []string{s.Named(typeSecurityGroup, "web-app-sg").ID, s.Named(typeSecurityGroup, "web-eks-node-sg").ID},
			strs(lt, "vpcSecurityGroupIds"))
		assert.Empty(t, str(lt, "networkInterfaces.0.associatePublicIpAddress"), "no public address")
	}
}

// The core add-ons, each at a version: the DaemonSets with the cluster, the Deployments (DNS,
// metrics-server) once the nodes exist.
func TestEKSCoreAddonsArePinned(t *testing.T) {
	s := planTier(t, tierConfig(tiers.Tier100k))
	addons := s.All(eksTypeAddon)
	require.Len(t, addons, len(webtier.CoreAddons()))
	for _, a := range addons {
		assert.Contains(t, webtier.CoreAddons(), str(a, "addonName"))
		assert.Regexp(t, `^v[0-9.]+-eksbuild\.[0-9]+$`, str(a, "addonVersion"), "%s", a.Name)
		onNodes := str(a, "addonName") == "coredns" || str(a, "addonName") == "metrics-server" || str(a, "addonName") == webtier.ObservabilityAddon
		assert.Equal(t, onNodes, containsAll(a.Dependencies, urnsOf(s.All(eksTypeNodeGroup))), "%s waits for the nodes", a.Name)
		for _, g := range s.All(eksTypeNodeGroup) {
			assert.Equal(t, !onNodes, containsAll(g.Dependencies, []string{a.URN}), "%s: the nodes start on the networking add-ons", a.Name)
		}
	}
	pinned := planTier(t, webConfig(tiers.Tier100k, `{"addonVersions":{"coredns":"v1.12.4-eksbuild.1"}}`, ""))
	assert.Equal(t, "v1.12.4-eksbuild.1", str(pinned.Named(eksTypeAddon, "web-addon-coredns"), "addonVersion"))
}

// The app on Kubernetes: a Deployment spread across zones and nodes with requests and probes on
// the health path, its replica count left to a KEDA ScaledObject on CPU 50 % bounded by the app's
// replicas; a PodDisruptionBudget; a NodePort Service; and a TargetGroupBinding that puts the
// nodes in the load balancer's target group of 10k.
func TestEKSRunsTheAppBehindTheSameLoadBalancer(t *testing.T) {
	s := planTier(t, tierConfig(tiers.Tier100k))
	spec, err := tiers.SpecFor(tiers.Tier100k)
	require.NoError(t, err)
	d := s.Named(eksTypeDeployment, "web-deployment")
	assert.Equal(t, []string{"spec.replicas"}, d.IgnoreChanges)
	pod := "spec.template.spec."
	assert.Equal(t, "topology.kubernetes.io/zone", str(d, pod+"topologySpreadConstraints.0.topologyKey"))
	assert.Equal(t, "DoNotSchedule", str(d, pod+"topologySpreadConstraints.0.whenUnsatisfiable"))
	assert.Equal(t, 1, num(d, pod+"topologySpreadConstraints.0.maxSkew"))
	assert.Equal(t, "kubernetes.io/hostname", str(d, pod+"topologySpreadConstraints.1.topologyKey"))
	assert.Equal(t, webtier.AppServiceAccount, str(d, pod+"serviceAccountName"))
	container := pod + "containers.0."
	assert.Equal(t, webtier.DefaultImage, str(d, container+"image"))
	assert.Equal(t, "1000m", str(d, container+"resources.requests.cpu"))
	assert.Equal(t, "/", str(d, container+"readinessProbe.httpGet.path"))
	assert.Equal(t, "/", str(d, container+"livenessProbe.httpGet.path"))
	var env []string
	for _, e := range input(d, container+"env").([]any) {
		env = append(env, e.(map[string]any)["name"].(string))
	}
	assert.Contains(t, env, "DATABASE_HOST")
	assert.Contains(t, env, "CACHE_HOST")

	scaler := s.Named(eksTypeScaler, "web-scaler")
	assert.Equal(t, spec.Web.App.Replicas.Min, num(scaler, "spec.minReplicaCount"))
	assert.Equal(t, spec.Web.App.Replicas.Max, num(scaler, "spec.maxReplicaCount"))
	assert.Equal(t, "cpu", str(scaler, "spec.triggers.0.type"))
	assert.Equal(t, "Utilization", str(scaler, "spec.triggers.0.metricType"))
	assert.Equal(t, strconv.Itoa(webtier.TargetCPU), str(scaler, "spec.triggers.0.metadata.value"))
	assert.Equal(t, 1, num(s.Named(eksTypePDB, "web-pdb"), "spec.maxUnavailable"))

	svc := s.Named(eksTypeService, "web-service")
	assert.Equal(t, "NodePort", str(svc, "spec.type"))
	assert.Equal(t, webtier.NodePort, num(svc, "spec.ports.0.nodePort"))
	binding := s.Named(eksTypeBinding, "web-binding")
	assert.Equal(t, s.Named(webTypeTG, "web-tg").Outputs["arn"], str(binding, "spec.targetGroupARN"))
	assert.Equal(t, "instance", str(binding, "spec.targetType"), "the target group of 10k: instance targets")
	assert.Contains(t, binding.Dependencies, s.Named(eksTypeRelease, "web-lbc").URN, "the controller and its CRD first")
	assert.NotContains(t, d.Dependencies, s.Named(eksTypeRelease, "web-lbc").URN, "the pods start without waiting for the controller")
	assert.Zero(t, s.Count(webTypeASG), "the Auto Scaling group is gone")
}

// Roles: the app's pods, the Load Balancer Controller and the Cluster Autoscaler each get a role of
// their own through Pod Identity, trusted by this cluster only; the controller may touch only the
// target group, the autoscaler only the cluster's node groups.
func TestEKSRolesAreLeastPrivilege(t *testing.T) {
	s := planTier(t, tierConfig(tiers.Tier100k))
	clusterARN := "arn:aws:eks:us-east-1:" + synth.FakeAccountID + ":cluster/web-plan"
	for role, binding := range map[string][2]string{
		"web-pod-role": {webtier.AppNamespace, webtier.AppServiceAccount}, "web-lbc-role": {"kube-system", "aws-load-balancer-controller"},
		"web-autoscaler-role": {"kube-system", "cluster-autoscaler"},
	} {
		r := s.Named(typeRole, role)
		assert.Contains(t, str(r, "assumeRolePolicy"), `"pods.eks.amazonaws.com"`, role)
		var trust struct {
			Statement []struct {
				Condition map[string]map[string]string
			}
		}
		require.NoError(t, json.Unmarshal([]byte(str(r, "assumeRolePolicy")), &trust))
		tags := trust.Statement[0].Condition["StringEquals"]
		assert.Equal(t, clusterARN, tags["aws:RequestTag/eks-cluster-arn"], "%s: this cluster only", role)
		assert.Equal(t, binding[0], tags["aws:RequestTag/kubernetes-namespace"], "%s: this namespace only", role)
		assert.Equal(t, binding[1], tags["aws:RequestTag/kubernetes-service-account"], "%s: this service account only", role)
		found := false
		for _, a := range s.All(eksTypeIdentity) {
			if input(a, "roleArn") == r.Outputs["arn"] {
				found = true
				assert.Equal(t, binding[0], str(a, "namespace"), role)
				assert.Equal(t, binding[1], str(a, "serviceAccount"), role)
			}
		}
		assert.True(t, found, "%s is given to its service account", role)
	}
	var lbc struct {
		Statement []struct{ Action, Resource any }
	}
	require.NoError(t, json.Unmarshal([]byte(str(s.Named(typeRolePolicy, "web-lbc-role"), "policy")), &lbc))
	assert.Equal(t, s.Named(webTypeTG, "web-tg").Outputs["arn"], lbc.Statement[1].Resource, "targets of the one group")
	assert.ElementsMatch(t, []string{"elasticloadbalancing:RegisterTargets", "elasticloadbalancing:DeregisterTargets"}, listOf(lbc.Statement[1].Action))
	ca := str(s.Named(typeRolePolicy, "web-autoscaler-role"), "policy")
	assert.Contains(t, ca, `"aws:ResourceTag/k8s.io/cluster-autoscaler/web-plan":"owned"`)
	assert.Zero(t, s.Count("aws:iam/instanceProfile:InstanceProfile"), "no instance profile for the app on EKS")
	assert.False(t, s.Has(typeRolePolicyAttach, "web-ssm"), "the pods do not get Session Manager")
}

// Only the load balancer reaches the nodes from outside the cluster, on the NodePort; the control
// plane and the nodes are chained group to group.
func TestEKSSecurityGroupsChain(t *testing.T) {
	s := planTier(t, tierConfig(tiers.Tier100k))
	albSG, appSG := s.Named(typeSecurityGroup, "web-alb-sg").ID, s.Named(typeSecurityGroup, "web-app-sg").ID
	from := s.Named(typeSGRule, "web-nodeport-from-alb")
	assert.Equal(t, appSG, str(from, "securityGroupId"))
	assert.Equal(t, albSG, str(from, "sourceSecurityGroupId"))
	assert.Equal(t, webtier.NodePort, num(from, "fromPort"))
	assert.Equal(t, webtier.NodePort, num(from, "toPort"))
	for _, r := range s.All(typeSGRule) {
		// pulumi-eks's own rules are on a group no instance uses (TestPulumiEKSNodeSecurityGroupIsUnused).
		if strings.HasPrefix(r.Name, "web-eks-") && r.RegisteredBy == "" {
			assert.NotEmpty(t, str(r, "sourceSecurityGroupId"), "%s names a group", r.Name)
			assert.Empty(t, strs(r, "cidrBlocks"), "%s names no range", r.Name)
		}
	}
}

// A secret reaches the pods as a file in memory read by an init container with the pod's role:
// never as a value in the Deployment.
func TestEKSSecretsNeverEnterTheDeployment(t *testing.T) {
	arn := "arn:aws:secretsmanager:us-east-1:123456789012:secret:shop/stripe-AbCdEf"
	s := planTier(t, webConfig(tiers.Tier100k, "", `{"secrets":{"STRIPE_KEY":"`+arn+`"}}`))
	d := s.Named(eksTypeDeployment, "web-deployment")
	init := "spec.template.spec.initContainers.0."
	assert.Equal(t, webtier.SecretsImage, str(d, init+"image"))
	assert.Contains(t, strings.Join(strs(d, init+"command"), " "), "--secret-id '"+arn+"'")
	assert.Equal(t, "secrets", str(d, "spec.template.spec.volumes.1.name"))
	assert.Equal(t, "Memory", str(d, "spec.template.spec.volumes.1.emptyDir.medium"))
	doc, err := json.Marshal(d.Inputs)
	require.NoError(t, err)
	assert.Contains(t, string(doc), `"name":"STRIPE_KEY_FILE","value":"`+webtier.SecretsDir+`/STRIPE_KEY"`)
	assert.Contains(t, str(s.Named(typeRolePolicy, "web-pod-secrets"), "policy"), arn, "the pods' role reads it")
}

// From 10k up the door stays: the load balancer, its target group, listener, rule, groups and logs
// bucket are never replaced or deleted, and the data and cache tiers are not touched; only the
// instances' compute (and their role) goes at 100k.
func TestWebTierGrowsInPlaceFrom10kToEKS(t *testing.T) {
	kept := map[string]string{
		"web-alb": webTypeALB, "web-tg": webTypeTG, "web-http": webTypeListener, "web-from-cdn": "aws:lb/listenerRule:ListenerRule",
		"web-app-sg": typeSecurityGroup, "web-alb-sg": typeSecurityGroup, "web-alb-logs": webTypeBucket,
	}
	path := []tiers.Tier{tiers.Tier10k, tiers.Tier100k, tiers.Tier1M}
	prev := planTier(t, tierConfig(path[0]))
	for _, tier := range path[1:] {
		next := planTier(t, tierConfig(tier))
		changes := diffOf(t, prev.Plan, next.Plan)
		for name, typ := range kept {
			r := next.Named(typ, name)
			if c, changed := changes[r.URN]; changed {
				assert.Equal(t, synth.Update, c.Action, "%s → %s: %s", prev.Outputs["tier"], tier, name)
			}
		}
		for urn, c := range changes {
			if strings.Contains(urn, "tierstack:index:DataTier") || strings.Contains(urn, "tierstack:index:CacheTier") {
				if c.Name != "cache-connection-value" && !globalHostMoves(tier, c) { // a new version of the secret when its host or mode changes
					assert.NotEqual(t, synth.Replace, c.Action, "%s", c.Name)
				}
				assert.NotEqual(t, synth.Delete, c.Action, "%s", c.Name)
			}
		}
		prev = next
	}
	spec, err := tiers.SpecFor(tiers.Tier1M)
	require.NoError(t, err)
	assert.Equal(t, spec.Web.App.Replicas.Max, num(prev.Named(eksTypeScaler, "web-scaler"), "spec.maxReplicaCount"), "1m lets more pods run")
	for _, g := range prev.All(eksTypeNodeGroup) {
		assert.Equal(t, spec.Web.Cluster.NodesPerZone.Max, num(g, "scalingConfig.maxSize"), "1m's nodes as its spec bounds them")
	}
}

// Bad EKS settings are refused before anything is registered, naming the setting.
func TestEKSBadSettingsFailBeforeRegistration(t *testing.T) {
	cases := []struct{ web, app, want string }{
		{`{"eksVersion":"1.20"}`, "", `tierstack:web eksVersion "1.20" is not supported (allowed: 1.34, 1.35, 1.36)`},
		{`{"eksVersion":"1.33"}`, "", `tierstack:web eksVersion "1.33" is not supported (allowed: 1.34, 1.35, 1.36)`},
		{`{"publicAccessCidrs":["0.0.0.0/0"]}`, "", `tierstack:web publicAccessCidrs "0.0.0.0/0" opens the cluster's API to the whole internet`},
		{`{"publicAccessCidrs":["10.0.0.0/8"]}`, "", `tierstack:web publicAccessCidrs "10.0.0.0/8" is a private range`},
		{`{"publicAccessCidrs":["203.0.113.7/24"]}`, "", `tierstack:web publicAccessCidrs "203.0.113.7/24" is not an IPv4 CIDR block`},
		{`{"nodeInstanceType":"m7i.large"}`, "", `tierstack:web nodeInstanceType "m7i.large" is not a Graviton instance type`},
		{`{"nodesPerZone":{"min":5,"max":3}}`, "", `tierstack:web nodesPerZone min 5 is above max 3`},
		{`{"nodesPerZone":{"min":1,"desired":9,"max":3}}`, "", `tierstack:web nodesPerZone desired 9 is outside min..max 1..3`},
		{`{"nodesPerZone":{"max":500}}`, "", `tierstack:web nodesPerZone min 0 / max 500 are out of range`},
		{`{"nodeDiskGiB":10}`, "", `tierstack:web nodeDiskGiB 10 is out of range (allowed: 20 to 16384`},
		{`{"clusterLogRetentionDays":42}`, "", `tierstack:web clusterLogRetentionDays 42 is not a CloudWatch Logs retention`},
		{`{"adminRoleArns":["arn:aws:iam::123456789012:user/ops"]}`, "", `tierstack:web adminRoleArns "arn:aws:iam::123456789012:user/ops" is not an IAM role ARN`},
		{`{"adminRoleArns":["arn:aws:iam::123456789012:role/ops","arn:aws:iam::123456789012:role/ops"]}`, "", `tierstack:web adminRoleArns names "arn:aws:iam::123456789012:role/ops" twice`},
		{`{"addonVersions":{"istio":"v1.0.0-eksbuild.1"}}`, "", `tierstack:web addonVersions names "istio", which tierstack does not manage`},
		{`{"addonVersions":{"coredns":"latest"}}`, "", `tierstack:web addonVersions coredns "latest" is not an EKS add-on version`},
		{"", `{"cpu":1600}`, `tierstack:app cpu 1600 does not fit a m7g.large node (allowed: at most 1505 millicores: its 2 vCPUs less 70m the node keeps for Kubernetes and 425m its DaemonSets request)`},
	}
	for _, c := range cases {
		s, err := runProgram(t, "", webConfig(tiers.Tier100k, c.web, c.app), tiers.Program)
		require.Error(t, err, "web %s app %s", c.web, c.app)
		assert.Contains(t, err.Error(), c.want)
		assert.Empty(t, s.Resources, "web %s app %s: nothing registered", c.web, c.app)
	}
}

// urnsOf lists resources' URNs.
func urnsOf(rs []synth.Resource) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = r.URN
	}
	return out
}

// containsAll reports whether list holds every one of want.
func containsAll(list, want []string) bool {
	for _, w := range want {
		found := false
		for _, l := range list {
			found = found || l == w
		}
		if !found {
			return false
		}
	}
	return true
}

// A private endpoint is the default, and pulumi up must reach it: the plan says so, and says
// nothing once a range is given.
func TestEKSWarnsWhileTheEndpointIsPrivate(t *testing.T) {
	const want = "the EKS API endpoint is private (no publicAccessCidrs)"
	private := planTier(t, tierConfig(tiers.Tier100k))
	public := planTier(t, webConfig(tiers.Tier100k, `{"publicAccessCidrs":["203.0.113.0/24"]}`, ""))
	has := func(s stack) bool {
		for _, w := range s.Warnings {
			if strings.Contains(w.Message, want) {
				return true
			}
		}
		return false
	}
	assert.True(t, has(private))
	assert.False(t, has(public))
}

// Compute has no public address outside the 100 tier: from 10k the instances and the nodes are in
// the private subnets, their templates ask for no public address, and the only Elastic IPs are the
// NAT gateways'.
func TestNoPublicComputeAbove100(t *testing.T) {
	for _, tier := range tiers.All() {
		s := planTier(t, tierConfig(tier))
		private := map[string]bool{}
		for _, sub := range s.All("aws:ec2/subnet:Subnet") {
			// The primary's private subnets, and the DR region's (from 1m its web tier runs there).
			if strings.HasPrefix(sub.Name, "network-private-") || strings.HasPrefix(sub.Name, "dr-network-private-") {
				private[sub.ID] = true
			}
		}
		for _, lt := range s.All(webTypeLT) {
			assert.NotEqual(t, "true", str(lt, "networkInterfaces.0.associatePublicIpAddress"), "tier %s: %s", tier, lt.Name)
		}
		if tier == tiers.Tier100 {
			assert.Equal(t, []string{"web-server"}, s.names(typeInstance), "the one public server")
			continue
		}
		assert.Zero(t, s.Count(typeInstance), "tier %s: no single server", tier)
		for _, eip := range s.All(typeEIP) {
			assert.Contains(t, eip.Name, "nat", "tier %s: %s is a NAT gateway's", tier, eip.Name)
		}
		for _, g := range s.All(webTypeASG) {
			for _, id := range strs(g, "vpcZoneIdentifiers") {
				assert.True(t, private[id], "tier %s: %s in a private subnet", tier, g.Name)
			}
		}
		for _, g := range s.All(eksTypeNodeGroup) {
			for _, id := range strs(g, "subnetIds") {
				assert.True(t, private[id], "tier %s: %s in a private subnet", tier, g.Name)
			}
		}
	}
}
