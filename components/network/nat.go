package network

import (
	"fmt"
	"strings"
)

// NATStrategy decides how private subnets reach the internet.
type NATStrategy string

// The NAT strategies.
const (
	// NATNone creates no NAT gateway: private subnets have no route out. The smallest tier runs its
	// web server in a public subnet and needs none.
	NATNone NATStrategy = "none"
	// NATSingle creates one NAT gateway, in the first zone, shared by every private subnet: cheaper,
	// but a zone outage cuts the other zones off too.
	NATSingle NATStrategy = "single"
	// NATPerAZ creates one NAT gateway in each zone and routes each zone's private subnet through its
	// own, as AWS recommends for high availability.
	NATPerAZ NATStrategy = "perAz"
)

// NATStrategies returns the allowed strategies, as a new slice.
func NATStrategies() []NATStrategy { return []NATStrategy{NATNone, NATSingle, NATPerAZ} }

// ParseNATStrategy reads a strategy name, ignoring case ("perAZ" and "perAz" are the same).
func ParseNATStrategy(s string) (NATStrategy, error) {
	for _, n := range NATStrategies() {
		if strings.EqualFold(s, string(n)) {
			return n, nil
		}
	}
	return "", fmt.Errorf("natStrategy %q is not known (allowed: none, single, perAz)", s)
}

// Gateways returns how many NAT gateways the strategy creates for azCount zones.
func (s NATStrategy) Gateways(azCount int) int {
	switch s {
	case NATSingle:
		return 1
	case NATPerAZ:
		return azCount
	default:
		return 0
	}
}

// GatewayFor returns the index of the NAT gateway that zone az routes through, and false when the
// strategy gives that zone none.
func (s NATStrategy) GatewayFor(az int) (int, bool) {
	switch s {
	case NATSingle:
		return 0, true
	case NATPerAZ:
		return az, true
	default:
		return 0, false
	}
}
