package observability

import "github.com/tierstack/tierstack/components/network"

// checkLogsNetwork checks, before anything is registered, that the central logs' Network has the
// zones and subnets they use: a data subnet in each of ZoneCount zones for the domain, and private
// subnets for the shipper unless ShipperSubnets names others.
func checkLogsNetwork(a Args) error {
	c := a.CentralLogs
	if c == nil {
		return nil
	}
	roles := []network.SubnetRole{network.SubnetData}
	if c.ShipperSubnets == nil {
		roles = append(roles, network.SubnetPrivate)
	}
	return c.Network.CheckFor("centralLogs", c.ZoneCount, roles...)
}
