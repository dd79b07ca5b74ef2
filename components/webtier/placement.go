package webtier

import "github.com/tierstack/tierstack/components/network"

// minZones is how many zones a mode needs: one for the single instance; two for a load balancer
// (Elastic Load Balancing, "Application Load Balancers": subnets in at least two Availability Zones)
// and for EKS (Amazon EKS, "VPC and subnet requirements": subnets in at least two zones).
func minZones(m Mode) int {
	if m == ModeInstance {
		return 1
	}
	return 2
}

// subnetRoles are the subnets a mode uses: the instance's public subnet; the load balancer's public
// subnets and the app's private ones.
func subnetRoles(m Mode) []network.SubnetRole {
	if m == ModeInstance {
		return []network.SubnetRole{network.SubnetPublic}
	}
	return []network.SubnetRole{network.SubnetPublic, network.SubnetPrivate}
}
