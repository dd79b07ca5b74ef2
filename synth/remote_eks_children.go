package synth

import "github.com/pulumi/pulumi/sdk/v3/go/common/resource"

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
