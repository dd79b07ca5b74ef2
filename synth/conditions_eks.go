package synth

import (
	"fmt"
	"sort"
	"strings"
)

// EKS keeps a cluster in the network it was created in. Since October 2023 UpdateClusterConfig
// changes a cluster's subnets and security groups in place (pulumi-aws updates vpcConfig in
// place), within limits: Amazon EKS User Guide, "View Amazon EKS networking requirements for VPC
// and subnets": "All subnets that you add must be in the same set of AZs as originally provided
// when you created the cluster"; AWS Containers blog, "Enhanced VPC flexibility: modify subnets and
// security groups in Amazon EKS" (2023). A cluster's VPC is fixed when it is created (its subnets
// and security groups must share one VPC: CreateCluster's "A security group is not in the same VPC
// as the subnets"), so another VPC's subnets are refused too; the exact UpdateClusterConfig error
// was not read offline (docs/tier-changes.md). pulumi up would stop half way at the
// cluster, after replacing what the new VPC needs. Deciding it takes the other resources of both
// plans (which VPC and zone each subnet is in), so it is not one of the per-input conditions.

// eksClusterType is the EKS cluster's type token.
const eksClusterType = "aws:eks/cluster:Cluster"

// networkIndex finds the subnets, security groups and VPCs of two plans by their IDs.
type networkIndex struct {
	before, after map[string]Resource
}

// newNetworkIndex indexes the custom resources of both plans by ID.
func newNetworkIndex(before, after *Plan) networkIndex {
	byID := func(p *Plan) map[string]Resource {
		m := map[string]Resource{}
		for _, r := range p.Resources {
			if r.Custom && r.ID != "" && r.ID != UnknownPlaceholder {
				m[r.ID] = r
			}
		}
		return m
	}
	return networkIndex{before: byID(before), after: byID(after)}
}

// refuseClusterMove adds to c, an update of an EKS cluster whose vpcConfig changes, why AWS refuses
// it: the new subnets or security groups are in another VPC than the old ones (a VPC the update
// creates or replaces is another VPC), or a new subnet is in a zone none of the old ones is in.
// prev and r are the cluster in the old and new plans; renewed and was are the diff's: the new
// plan's URNs created or replaced, and the old URN of each one kept.
func (n networkIndex) refuseClusterMove(c *Change, prev, r Resource, renewed map[string]bool, was map[string]string) {
	if c.Type != eksClusterType || c.Action != Update || !contains(c.Keys, "vpcConfig") {
		return
	}
	oldIDs, newIDs := clusterNetworkIDs(prev), clusterNetworkIDs(r)
	oldVPCs := map[string]bool{} // the old plan's URNs
	oldZones := map[string]bool{}
	for _, id := range oldIDs {
		res, ok := n.before[id]
		if !ok {
			return // a plan that does not hold the cluster's network: nothing to judge by
		}
		if vpc, ok := n.before[str(res.Inputs["vpcId"])]; ok {
			oldVPCs[vpc.URN] = true
		}
		if z := subnetZone(res); z != "" {
			oldZones[z] = true
		}
	}
	var moved []string
	var zones []string
	for _, id := range newIDs {
		res, ok := n.after[id]
		if !ok {
			return
		}
		if vpc, ok := n.after[str(res.Inputs["vpcId"])]; ok {
			if renewed[vpc.URN] || !oldVPCs[was[vpc.URN]] {
				moved = append(moved, vpc.Name)
			}
		}
		if z := subnetZone(res); z != "" && len(oldZones) > 0 && !oldZones[z] {
			zones = append(zones, z)
		}
	}
	if moved = uniqueSorted(moved); len(moved) > 0 {
		c.Refused = append(c.Refused, fmt.Sprintf("vpcConfig: the cluster's subnets and security groups move to another VPC (%s is a new VPC): EKS keeps a cluster in the VPC it was created in, so only a new cluster can use it", strings.Join(moved, ", ")))
	}
	if zones = uniqueSorted(zones); len(zones) > 0 {
		c.Refused = append(c.Refused, fmt.Sprintf("vpcConfig.subnetIds: subnets in %s, outside the zones the cluster was created with: EKS takes only subnets in those zones", strings.Join(zones, ", ")))
	}
	judge(c)
}

// clusterNetworkIDs are the subnet and security group IDs of an EKS cluster's vpcConfig.
func clusterNetworkIDs(r Resource) []string {
	vpc, _ := r.Inputs["vpcConfig"].(map[string]any)
	var ids []string
	for _, k := range []string{"subnetIds", "securityGroupIds"} {
		list, _ := vpc[k].([]any)
		for _, v := range list {
			if s := str(v); s != "" && s != UnknownPlaceholder {
				ids = append(ids, s)
			}
		}
	}
	return ids
}

// subnetZone is the zone of a subnet ("" for anything else).
func subnetZone(r Resource) string {
	if r.Type != "aws:ec2/subnet:Subnet" {
		return ""
	}
	return or(str(r.Inputs["availabilityZone"]), str(r.Inputs["availabilityZoneId"]))
}

func uniqueSorted(list []string) []string {
	sort.Strings(list)
	out := list[:0]
	for i, s := range list {
		if i == 0 || s != list[i-1] {
			out = append(out, s)
		}
	}
	return out
}
