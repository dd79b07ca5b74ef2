package components

import (
	"fmt"
	"strings"
)

// NatStrategy decides how private subnets reach the internet.
type NatStrategy string

// The NAT strategies.
const (
	// NatNone creates no NAT gateway: private subnets have no route out. The smallest tier runs its
	// web server in a public subnet and needs none.
	NatNone NatStrategy = "none"
	// NatSingle creates one NAT gateway, in the first zone, shared by every private subnet: cheaper,
	// but a zone outage cuts the other zones off too.
	NatSingle NatStrategy = "single"
	// NatPerAZ creates one NAT gateway in each zone and routes each zone's private subnet through its
	// own, as AWS recommends for high availability.
	NatPerAZ NatStrategy = "perAz"
)

// NatStrategies lists the allowed strategies.
var NatStrategies = []NatStrategy{NatNone, NatSingle, NatPerAZ}

// ParseNatStrategy reads a strategy name, ignoring case ("perAZ" and "perAz" are the same).
func ParseNatStrategy(s string) (NatStrategy, error) {
	for _, n := range NatStrategies {
		if strings.EqualFold(s, string(n)) {
			return n, nil
		}
	}
	return "", fmt.Errorf("natStrategy %q is not known (allowed: none, single, perAz)", s)
}

// Gateways returns how many NAT gateways the strategy creates for azCount zones.
func (s NatStrategy) Gateways(azCount int) int {
	switch s {
	case NatSingle:
		return 1
	case NatPerAZ:
		return azCount
	default:
		return 0
	}
}

// GatewayFor returns the index of the NAT gateway that zone az routes through, and false when the
// strategy gives that zone none.
func (s NatStrategy) GatewayFor(az int) (int, bool) {
	switch s {
	case NatSingle:
		return 0, true
	case NatPerAZ:
		return az, true
	default:
		return 0, false
	}
}
