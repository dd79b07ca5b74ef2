package synth

import (
	"fmt"
	"sort"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
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
	// Only the kubeconfig's credentials, which the offline kubeconfig does not carry.
	"providerCredentialOpts": true,
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
	{"authenticationMode", "the aws-auth ConfigMap (unless it is API)"},
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
	c := &eksCluster{r: r, urn: urn, name: name, inputs: inputs, rpc: rpc, provider: r.providersOf(rpc)["aws"]}
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
	if clusterName.IsNull() { // auto-named, in a preview
		clusterName = resource.MakeComputed(resource.NewProperty(""))
	}
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
			// authenticationMode.ts supportsConfigMap: CONFIG_MAP and API_AND_CONFIG_MAP make it.
			missing = v.StringValue() != "API"
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
