package synth

import (
	"fmt"
	"sort"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

// EKSPackage is the pulumi-eks release whose eks:index:Cluster the offline engine expands into the
// resources its component provider registers. Names, inputs, options and dependencies follow that
// release's nodejs/eks sources: cluster.ts (createCore, createCluster), securitygroup.ts
// (createNodeGroupSecurityGroup) and authenticationMode.ts (createAccessEntries), at tag v2.8.1. A
// plan marks each of them with it (Resource.RegisteredBy). The Go SDK pinned in go.mod must be the
// same release.
const EKSPackage = "pulumi-eks 2.8.1"

// eksModelled are the eks:index:Cluster options whose effect on what pulumi-eks registers the
// expansion models. Any other option set makes the expansion fail loudly rather than plan what a
// real pulumi up would not register.
var eksModelled = map[string]bool{
	"name": true, "version": true, "vpcId": true, "subnetIds": true, "publicSubnetIds": true, "privateSubnetIds": true,
	"endpointPrivateAccess": true, "endpointPublicAccess": true, "publicAccessCidrs": true,
	"authenticationMode": true, "accessEntries": true, "skipDefaultNodeGroup": true, "useDefaultVpcCni": true,
	"createOidcProvider": true, "encryptionConfigKeyArn": true, "enabledClusterLogTypes": true,
	"clusterSecurityGroup": true, "serviceRole": true, "instanceRole": true, "instanceRoles": true,
	"tags": true, "clusterTags": true, "nodeSecurityGroupTags": true, "clusterSecurityGroupTags": true,
	"kubernetesServiceIpAddressRange": true, "ipFamily": true, "defaultAddonsToRemove": true,
	// Only the default node group reads these; the expansion refuses a default node group.
	"nodeAssociatePublicIpAddress": true, "nodeSubnetIds": true, "instanceType": true, "nodeRootVolumeEncrypted": true,
	"nodeRootVolumeSize": true, "minSize": true, "maxSize": true, "desiredCapacity": true,
}

// eksRequired are the options whose absence makes pulumi-eks 2.8.1 register resources the
// expansion does not model, and what it would register.
var eksRequired = []struct{ option, registers string }{
	{"serviceRole", "its own service role (<name>-eksRole)"},
	{"clusterSecurityGroup", "its own cluster security group and egress rule"},
	{"skipDefaultNodeGroup", "a default node group"},
	{"useDefaultVpcCni", "the VpcCni resource that manages aws-node"},
	{"authenticationMode", "the aws-auth ConfigMap"},
}

// eksCluster is one eks:index:Cluster registration being expanded.
type eksCluster struct {
	r        *Recorder
	urn      string // the component's
	name     string // its logical name: pulumi-eks's children are named after it
	inputs   resource.PropertyMap
	rpc      *pulumirpc.RegisterResourceRequest
	provider string // the AWS provider reference the children inherit ("" for the default)
}

// expandEKSCluster registers, under the eks:index:Cluster component urn, what pulumi-eks 2.8.1
// registers for the options it is given, in its order: the EKS cluster, its Kubernetes provider,
// the access entries (the instance role's EC2_LINUX entry, then the ones asked for, each with its
// policy associations), the OIDC provider, the node security group and its five rules, and the
// Kubernetes provider it exports. It returns the cluster's state, from which the component's
// kubeconfig is made.
func (r *Recorder) expandEKSCluster(urn, name string, inputs resource.PropertyMap, rpc *pulumirpc.RegisterResourceRequest) (resource.PropertyMap, error) {
	c := &eksCluster{r: r, urn: urn, name: name, inputs: inputs, rpc: rpc, provider: rpc.GetProviders()["aws"]}
	if err := c.check(); err != nil {
		return nil, err
	}
	cluster, err := c.cluster()
	if err != nil {
		return nil, err
	}
	clusterURN := r.urnFor(urn, "aws:eks/cluster:Cluster", name+"-eksCluster")
	kubeconfig := r.kubeconfigOf(cluster, r.regionOf(c.provider, "", nil))
	// createCore: the provider the component's own Kubernetes objects would use.
	if _, err := c.register("pulumi:providers:kubernetes", name+"-eks-k8s", c.urn, resource.PropertyMap{"kubeconfig": kubeconfig},
		map[string][]string{"kubeconfig": {clusterURN}}, nil, nil); err != nil {
		return nil, err
	}
	clusterName := cluster["name"]
	if err := c.accessEntries(clusterURN, clusterName); err != nil {
		return nil, err
	}
	if v := c.in("createOidcProvider"); v.IsBool() && v.BoolValue() {
		if _, err := c.register("aws:iam/openIdConnectProvider:OpenIdConnectProvider", name+"-oidcProvider", c.urn, resource.PropertyMap{
			"clientIdLists": resource.NewProperty([]resource.PropertyValue{resource.NewProperty("sts.amazonaws.com")}),
			"url":           oidcIssuer(cluster),
			// pulumi-eks reads the issuer's CA thumbprint over TLS (cert-thumprint.ts); offline it is made up.
			"thumbprintLists": resource.NewProperty([]resource.PropertyValue{resource.NewProperty(shortHash("oidc.eks."+r.regionOf(c.provider, "", nil), 40))}),
		}, map[string][]string{"url": {clusterURN}}, nil, nil); err != nil {
			return nil, err
		}
	}
	if err := c.nodeSecurityGroup(clusterURN, clusterName); err != nil {
		return nil, err
	}
	// createCluster: the provider the component exports.
	if _, err := c.register("pulumi:providers:kubernetes", name+"-provider", c.urn, resource.PropertyMap{"kubeconfig": kubeconfig},
		map[string][]string{"kubeconfig": {clusterURN}}, nil, nil); err != nil {
		return nil, err
	}
	return cluster, nil
}

// check refuses options whose effect the expansion does not model.
func (c *eksCluster) check() error {
	keys := make([]string, 0, len(c.inputs))
	for k, v := range c.inputs {
		if !v.IsNull() {
			keys = append(keys, string(k))
		}
	}
	sort.Strings(keys)
	for _, k := range keys {
		if !eksModelled[k] {
			return fmt.Errorf("synth: eks:index:Cluster %s: option %q is not modelled offline: add what %s registers for it to expandEKSCluster", c.name, k, EKSPackage)
		}
	}
	for _, req := range eksRequired {
		v := c.in(req.option)
		missing := v.IsNull()
		if v.IsBool() {
			missing = !v.BoolValue()
		}
		if v.IsString() && req.option == "authenticationMode" {
			missing = v.StringValue() == "CONFIG_MAP"
		}
		if missing {
			return fmt.Errorf("synth: eks:index:Cluster %s: without %s, %s registers %s, which the offline engine does not model", c.name, req.option, EKSPackage, req.registers)
		}
	}
	if c.in("instanceRole").IsNull() && c.in("instanceRoles").IsNull() {
		return fmt.Errorf("synth: eks:index:Cluster %s: without instanceRole or instanceRoles, %s registers its own instance role, which the offline engine does not model", c.name, EKSPackage)
	}
	return nil
}

// cluster registers the aws:eks/cluster:Cluster (createCore) and returns its state.
func (c *eksCluster) cluster() (resource.PropertyMap, error) {
	role := c.r.refOutput(c.in("serviceRole"), "arn")
	sg := refID(c.in("clusterSecurityGroup"))
	vpc := resource.PropertyMap{
		"securityGroupIds": resource.NewProperty([]resource.PropertyValue{sg}),
		"subnetIds":        c.clusterSubnets(),
	}
	for _, k := range []string{"endpointPrivateAccess", "endpointPublicAccess", "publicAccessCidrs"} {
		if v := c.in(k); !v.IsNull() {
			vpc[resource.PropertyKey(k)] = v
		}
	}
	inputs := resource.PropertyMap{
		"roleArn":   role,
		"vpcConfig": resource.NewProperty(vpc),
		"tags":      mergeTags(resource.PropertyMap{"Name": resource.NewProperty(c.name + "-eksCluster")}, c.in("clusterTags"), c.in("tags")),
	}
	for from, to := range map[string]string{"name": "name", "version": "version", "enabledClusterLogTypes": "enabledClusterLogTypes", "defaultAddonsToRemove": "defaultAddonsToRemoves"} {
		if v := c.in(from); !v.IsNull() {
			inputs[resource.PropertyKey(to)] = v
		}
	}
	if key := c.in("encryptionConfigKeyArn"); !key.IsNull() {
		inputs["encryptionConfig"] = resource.NewProperty(resource.PropertyMap{
			"provider":  resource.NewProperty(resource.PropertyMap{"keyArn": key}),
			"resources": resource.NewProperty([]resource.PropertyValue{resource.NewProperty("secrets")}),
		})
	}
	if cidr, family := c.in("kubernetesServiceIpAddressRange"), c.in("ipFamily"); !cidr.IsNull() || !family.IsNull() {
		if family.IsNull() {
			family = resource.NewProperty("ipv4")
		}
		network := resource.PropertyMap{"ipFamily": family}
		if !cidr.IsNull() && (!family.IsString() || family.StringValue() == "ipv4") {
			network["serviceIpv4Cidr"] = cidr
		}
		inputs["kubernetesNetworkConfig"] = resource.NewProperty(network)
	}
	if mode := c.in("authenticationMode"); !mode.IsNull() {
		// The component always grants its creator cluster-admin: it deploys to the cluster itself.
		inputs["accessConfig"] = resource.NewProperty(resource.PropertyMap{
			"authenticationMode":                      mode,
			"bootstrapClusterCreatorAdminPermissions": resource.NewProperty(true),
		})
	}
	deps := map[string][]string{
		"roleArn":   c.deps("serviceRole"),
		"vpcConfig": c.deps("clusterSecurityGroup", "subnetIds", "publicSubnetIds", "privateSubnetIds", "endpointPrivateAccess", "endpointPublicAccess", "publicAccessCidrs"),
		"tags":      c.deps("clusterTags", "tags"),
		"name":      c.deps("name"), "version": c.deps("version"), "enabledClusterLogTypes": c.deps("enabledClusterLogTypes"),
		"encryptionConfig": c.deps("encryptionConfigKeyArn"), "accessConfig": c.deps("authenticationMode"),
		"kubernetesNetworkConfig": c.deps("kubernetesServiceIpAddressRange", "ipFamily"),
	}
	// pulumi-eks ignores the flag's changes: its default differed before 2.7.3 (pulumi-aws #3997).
	return c.register("aws:eks/cluster:Cluster", c.name+"-eksCluster", c.urn, inputs, deps, nil,
		[]string{"accessConfig.bootstrapClusterCreatorAdminPermissions"})
}

// clusterSubnets are the cluster's subnets: subnetIds, else the public subnets then the private ones.
func (c *eksCluster) clusterSubnets() resource.PropertyValue {
	if v := c.in("subnetIds"); !v.IsNull() {
		return v
	}
	var all []resource.PropertyValue
	for _, k := range []string{"publicSubnetIds", "privateSubnetIds"} {
		v := c.in(k)
		switch {
		case v.IsNull():
		case v.IsArray():
			all = append(all, v.ArrayValue()...)
		default: // unknown in a preview: so is the whole list
			return resource.MakeComputed(resource.NewProperty(""))
		}
	}
	return resource.NewProperty(all)
}

// accessEntries registers the access entries: the default instance role's EC2_LINUX entry (when one
// instance role is given), then each entry asked for with its policy associations.
func (c *eksCluster) accessEntries(clusterURN string, clusterName resource.PropertyValue) error {
	const entryType = "aws:eks/accessEntry:AccessEntry"
	withCluster := func(deps []string) map[string][]string {
		return map[string][]string{"clusterName": {clusterURN}, "principalArn": deps}
	}
	if role := c.in("instanceRole"); !role.IsNull() {
		if _, err := c.register(entryType, c.name+"-defaultNodeGroupInstanceRole", c.urn, resource.PropertyMap{
			"clusterName": clusterName, "principalArn": c.r.refOutput(role, "arn"), "type": resource.NewProperty("EC2_LINUX"),
		}, withCluster(c.deps("instanceRole")), []string{clusterURN}, nil); err != nil {
			return err
		}
	}
	entries := c.in("accessEntries")
	if !entries.IsObject() {
		return nil
	}
	m := entries.ObjectValue()
	for _, key := range m.StableKeys() {
		e := m[key]
		if !e.IsObject() {
			continue
		}
		entry := e.ObjectValue()
		inputs := resource.PropertyMap{"clusterName": clusterName}
		for from, to := range map[string]string{"principalArn": "principalArn", "kubernetesGroups": "kubernetesGroups", "type": "type", "username": "userName", "tags": "tags"} {
			if v := entry[resource.PropertyKey(from)]; !v.IsNull() {
				inputs[resource.PropertyKey(to)] = v
			}
		}
		entryName := c.name + "-" + string(key)
		entryURN, err := c.registerURN(entryType, entryName, c.urn, inputs, withCluster(c.deps("accessEntries")), []string{clusterURN})
		if err != nil {
			return err
		}
		policies := entry["accessPolicies"]
		if !policies.IsObject() {
			continue
		}
		pm := policies.ObjectValue()
		for _, assoc := range pm.StableKeys() {
			a := pm[assoc]
			if !a.IsObject() {
				continue
			}
			am := a.ObjectValue()
			if _, err := c.register("aws:eks/accessPolicyAssociation:AccessPolicyAssociation", entryName+"-"+string(assoc), entryURN, resource.PropertyMap{
				"accessScope": am["accessScope"], "principalArn": entry["principalArn"], "policyArn": am["policyArn"], "clusterName": clusterName,
			}, map[string][]string{"clusterName": {clusterURN}, "principalArn": c.deps("accessEntries"), "policyArn": c.deps("accessEntries"), "accessScope": c.deps("accessEntries")},
				[]string{clusterURN, entryURN}, nil); err != nil {
				return err
			}
		}
	}
	return nil
}

// nodeSecurityGroup registers pulumi-eks's node security group and its rules
// (createNodeGroupSecurityGroup): every port between the nodes, 1025-65535 and 443 from the cluster
// security group, everything out, and 443 into the cluster security group from the nodes.
func (c *eksCluster) nodeSecurityGroup(clusterURN string, clusterName resource.PropertyValue) error {
	const sgType, ruleType = "aws:ec2/securityGroup:SecurityGroup", "aws:ec2/securityGroupRule:SecurityGroupRule"
	ownedKey := "kubernetes.io/cluster/"
	owned := resource.PropertyMap{"Name": resource.NewProperty(c.name + "-nodeSecurityGroup")}
	if clusterName.IsString() {
		owned[resource.PropertyKey(ownedKey+clusterName.StringValue())] = resource.NewProperty("owned")
	}
	sgURN := c.r.urnFor(c.urn, sgType, c.name+"-nodeSecurityGroup")
	_, err := c.register(sgType, c.name+"-nodeSecurityGroup", c.urn, resource.PropertyMap{
		"vpcId": c.in("vpcId"), "revokeRulesOnDelete": resource.NewProperty(true),
		"tags": mergeTags(owned, c.in("nodeSecurityGroupTags"), c.in("tags")),
	}, map[string][]string{"vpcId": c.deps("vpcId"), "tags": append(c.deps("nodeSecurityGroupTags", "tags"), clusterURN)}, nil, nil)
	if err != nil {
		return err
	}
	nodeSG := c.r.idOf(sgURN)
	clusterSG := refID(c.in("clusterSecurityGroup"))
	cpDeps := c.deps("clusterSecurityGroup")
	rules := []struct {
		name, desc, kind, protocol string
		from, to                   float64
		group, source              resource.PropertyValue
		groupDeps, sourceDeps      []string
		self, anywhere             bool
	}{
		{"eksNodeIngressRule", "Allow nodes to communicate with each other", "ingress", "-1", 0, 0, nodeSG, resource.PropertyValue{}, []string{sgURN}, nil, true, false},
		{"eksNodeClusterIngressRule", "Allow worker Kubelets and pods to receive communication from the cluster control plane", "ingress", "tcp", 1025, 65535, nodeSG, clusterSG, []string{sgURN}, cpDeps, false, false},
		{"eksExtApiServerClusterIngressRule", "Allow pods running extension API servers on port 443 to receive communication from cluster control plane", "ingress", "tcp", 443, 443, nodeSG, clusterSG, []string{sgURN}, cpDeps, false, false},
		{"eksNodeInternetEgressRule", "Allow internet access.", "egress", "-1", 0, 0, nodeSG, resource.PropertyValue{}, []string{sgURN}, nil, false, true},
		{"eksClusterIngressRule", "Allow pods to communicate with the cluster API Server", "ingress", "tcp", 443, 443, clusterSG, nodeSG, cpDeps, []string{sgURN}, false, false},
	}
	for _, rule := range rules {
		inputs := resource.PropertyMap{
			"description": resource.NewProperty(rule.desc), "type": resource.NewProperty(rule.kind),
			"fromPort": resource.NewProperty(rule.from), "toPort": resource.NewProperty(rule.to),
			"protocol": resource.NewProperty(rule.protocol), "securityGroupId": rule.group,
		}
		deps := map[string][]string{"securityGroupId": rule.groupDeps}
		switch {
		case rule.self:
			inputs["self"] = resource.NewProperty(true)
		case rule.anywhere:
			inputs["cidrBlocks"] = resource.NewProperty([]resource.PropertyValue{resource.NewProperty("0.0.0.0/0")})
		default:
			inputs["sourceSecurityGroupId"] = rule.source
			deps["sourceSecurityGroupId"] = rule.sourceDeps
		}
		if _, err := c.register(ruleType, c.name+"-"+rule.name, c.urn, inputs, deps, nil, nil); err != nil {
			return err
		}
	}
	return nil
}

// in is one of the component's inputs (null when it is not set).
func (c *eksCluster) in(key string) resource.PropertyValue {
	return c.inputs[resource.PropertyKey(key)]
}

// deps are the URNs the component's inputs keys depend on, as pulumi-eks's children inherit them:
// their property dependencies, and the resources they pass by reference (the Go SDK leaves those
// out of a remote component's dependencies; pulumi-eks reads their outputs, which depend on them).
func (c *eksCluster) deps(keys ...string) []string {
	var out []string
	for _, k := range keys {
		if d := c.rpc.GetPropertyDependencies()[k]; d != nil {
			out = append(out, d.GetUrns()...)
		}
		out = append(out, references(c.in(k))...)
	}
	return out
}

// references are the URNs of the resources a value refers to.
func references(v resource.PropertyValue) []string {
	switch {
	case v.IsResourceReference():
		return []string{string(v.ResourceReferenceValue().URN)}
	case v.IsArray():
		var out []string
		for _, e := range v.ArrayValue() {
			out = append(out, references(e)...)
		}
		return out
	case v.IsObject():
		var out []string
		m := v.ObjectValue()
		for _, k := range m.StableKeys() {
			out = append(out, references(m[k])...)
		}
		return out
	}
	return nil
}

// register registers one custom resource under parent (the component, or an access entry) with
// its inputs, the dependencies of each input, explicit dependsOn URNs and ignoreChanges, as the
// component's provider would, and returns its state. Children inherit the component's AWS
// provider; the Kubernetes providers take none.
func (c *eksCluster) register(typ, name, parent string, inputs resource.PropertyMap, propDeps map[string][]string, dependsOn, ignore []string) (resource.PropertyMap, error) {
	provider := c.provider
	if isProvider(typ) {
		provider = ""
	}
	req := &pulumirpc.RegisterResourceRequest{
		Type: typ, Name: name, Parent: parent, Custom: true, Provider: provider,
		PropertyDependencies: map[string]*pulumirpc.RegisterResourceRequest_PropertyDependencies{},
		IgnoreChanges:        ignore,
	}
	seen := map[string]bool{}
	addDep := func(u string) {
		if u != "" && !seen[u] {
			seen[u] = true
			req.Dependencies = append(req.Dependencies, u)
		}
	}
	keys := make([]string, 0, len(propDeps))
	for k := range propDeps {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if len(propDeps[k]) == 0 {
			continue
		}
		req.PropertyDependencies[k] = &pulumirpc.RegisterResourceRequest_PropertyDependencies{Urns: propDeps[k]}
		for _, u := range propDeps[k] {
			addDep(u)
		}
	}
	for _, u := range dependsOn {
		addDep(u)
	}
	for k, v := range inputs {
		if v.IsNull() {
			delete(inputs, k)
		}
	}
	_, state, err := c.r.NewResource(pulumi.MockResourceArgs{TypeToken: typ, Name: name, Inputs: inputs, Provider: provider, Custom: true, RegisterRPC: req})
	if err != nil {
		return nil, fmt.Errorf("synth: expanding eks:index:Cluster %s: %w", c.name, err)
	}
	c.r.markRegisteredBy(c.r.urnFor(parent, typ, name), EKSPackage)
	return state, nil
}

// registerURN registers a custom child under parent and returns its URN.
func (c *eksCluster) registerURN(typ, name, parent string, inputs resource.PropertyMap, propDeps map[string][]string, dependsOn []string) (string, error) {
	if _, err := c.register(typ, name, parent, inputs, propDeps, dependsOn, nil); err != nil {
		return "", err
	}
	return c.r.urnFor(parent, typ, name), nil
}

// markRegisteredBy records which package's component provider registered the resource urn.
func (r *Recorder) markRegisteredBy(urn, pkg string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if i, ok := r.byURN[urn]; ok {
		r.resources[i].RegisteredBy = pkg
	}
}

// refID is the ID of the resource a reference names (unknown when it is not known yet).
func refID(v resource.PropertyValue) resource.PropertyValue {
	if v.IsResourceReference() {
		if id := v.ResourceReferenceValue().ID; id.IsString() && id.StringValue() != "" {
			return id
		}
	}
	return resource.MakeComputed(resource.NewProperty(""))
}

// refOutput is an output of the resource a reference names, as the engine holds it (unknown when
// it is not known yet, as in a preview).
func (r *Recorder) refOutput(v resource.PropertyValue, key string) resource.PropertyValue {
	if v.IsResourceReference() {
		r.mu.Lock()
		state := r.states[string(v.ResourceReferenceValue().URN)]
		r.mu.Unlock()
		if out, ok := state[resource.PropertyKey(key)]; ok && !out.IsNull() {
			return out
		}
	}
	return resource.MakeComputed(resource.NewProperty(""))
}

// idOf is a registered resource's ID as its dependents read it (unknown in a preview).
func (r *Recorder) idOf(urn string) resource.PropertyValue {
	r.mu.Lock()
	defer r.mu.Unlock()
	if i, ok := r.byURN[urn]; ok && r.resources[i].ID != "" && r.resources[i].ID != UnknownPlaceholder {
		return resource.NewProperty(r.resources[i].ID)
	}
	return resource.MakeComputed(resource.NewProperty(""))
}

// mergeTags merges tag maps as pulumi-eks's object spreads do: later maps win. A map that is not
// known yet makes the whole unknown.
func mergeTags(maps ...any) resource.PropertyValue {
	out := resource.PropertyMap{}
	for _, m := range maps {
		switch v := m.(type) {
		case resource.PropertyMap:
			for k, x := range v {
				out[k] = x
			}
		case resource.PropertyValue:
			switch {
			case v.IsNull():
			case v.IsObject():
				for k, x := range v.ObjectValue() {
					out[k] = x
				}
			default:
				return resource.MakeComputed(resource.NewProperty(""))
			}
		}
	}
	return resource.NewProperty(out)
}

// oidcIssuer is the cluster's OIDC issuer URL (identities[0].oidcs[0].issuer), unknown until the
// cluster exists.
func oidcIssuer(cluster resource.PropertyMap) resource.PropertyValue {
	unknown := resource.MakeComputed(resource.NewProperty(""))
	ids := cluster["identities"]
	if !ids.IsArray() || len(ids.ArrayValue()) == 0 || !ids.ArrayValue()[0].IsObject() {
		return unknown
	}
	oidcs := ids.ArrayValue()[0].ObjectValue()["oidcs"]
	if !oidcs.IsArray() || len(oidcs.ArrayValue()) == 0 || !oidcs.ArrayValue()[0].IsObject() {
		return unknown
	}
	if issuer := oidcs.ArrayValue()[0].ObjectValue()["issuer"]; issuer.IsString() {
		return issuer
	}
	return unknown
}
