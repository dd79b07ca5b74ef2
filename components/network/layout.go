package network

import (
	"fmt"
	"net/netip"
)

// SubnetRole is the job a subnet does in the Network.
type SubnetRole string

// The three subnet roles. Every AZ gets one subnet of each.
const (
	// SubnetPublic holds what the internet reaches directly: load balancers, NAT gateways, and the
	// single web server of the smallest tier. Its route table sends 0.0.0.0/0 to the internet gateway.
	SubnetPublic SubnetRole = "public"
	// SubnetPrivate holds the application: instances, containers. It reaches the internet only
	// through a NAT gateway, when the NAT strategy provides one.
	SubnetPrivate SubnetRole = "private"
	// SubnetData holds databases and caches. It has no route to the internet at all.
	SubnetData SubnetRole = "data"
)

// SubnetRoles returns the roles in the order the Network creates them, as a new slice.
func SubnetRoles() []SubnetRole { return []SubnetRole{SubnetPublic, SubnetPrivate, SubnetData} }

// Limits on the VPC and its zones, as AWS enforces them or as this layout needs them.
const (
	// MinVPCPrefix is the largest VPC AWS allows (/16).
	MinVPCPrefix = 16
	// MaxVPCPrefix is the smallest VPC this layout accepts (/24): its data subnets are /28, the
	// smallest subnet AWS allows.
	MaxVPCPrefix = 24
	// MinAZs is the fewest zones a Network spans: an RDS DB subnet group needs subnets in two zones,
	// even for a single-AZ database.
	MinAZs = 2
	// MaxAZs is the most zones a Network spans.
	MaxAZs = 6
	// smallestSubnetPrefix is the smallest subnet AWS allows (/28, 16 addresses).
	smallestSubnetPrefix = 28
)

// SubnetLayout is the fixed plan of subnet ranges inside one VPC range. Each AZ index owns one slot
// per role, decided by the VPC range alone, so the subnets of zone i are the same whether the Network
// spans two zones or six: adding a zone only adds subnets.
//
// A /16 to /22 VPC has six AZ slots: private subnets get 1/8 of the VPC each (a /19 in a /16), public
// and data subnets 1/64 each (a /22 in a /16); 1/16 of the space stays free. A /23 or /24 VPC has
// four AZ slots: private subnets 1/8 each, public and data 1/16 each, and nothing stays free. A new
// subnet role would need a secondary VPC range.
type SubnetLayout struct {
	// VPC is the VPC's range.
	VPC netip.Prefix
	// MaxAZs is how many AZ slots this VPC range holds.
	MaxAZs                int
	privateBits, edgeBits int // prefix lengths of private and of public/data subnets
	publicBase, dataBase  int // index of AZ slot 0 among subnets of edgeBits
}

// NewSubnetLayout plans the subnets of a VPC range. The range must be IPv4, written as its network
// address, between /16 and /24, and inside a private range (RFC 1918 or RFC 6598), so that it never
// shadows internet addresses.
func NewSubnetLayout(cidr string) (SubnetLayout, error) {
	vpc, err := ParseVPCCIDR(cidr)
	if err != nil {
		return SubnetLayout{}, err
	}
	p := vpc.Bits()
	if p+6 <= smallestSubnetPrefix {
		// Private: slots 0-5 of 8. Public and data: the two last eighths, each cut into 8.
		return SubnetLayout{VPC: vpc, MaxAZs: 6, privateBits: p + 3, edgeBits: p + 6, publicBase: 48, dataBase: 56}, nil
	}
	// Private: slots 0-3 of 8 (the first half). Public and data: the last two quarters, each cut into 4.
	return SubnetLayout{VPC: vpc, MaxAZs: 4, privateBits: p + 3, edgeBits: p + 4, publicBase: 8, dataBase: 12}, nil
}

// Subnet returns the range of the subnet with the given role in AZ slot az (0-based).
func (l SubnetLayout) Subnet(role SubnetRole, az int) (netip.Prefix, error) {
	if az < 0 || az >= l.MaxAZs {
		return netip.Prefix{}, fmt.Errorf("AZ index %d is outside the %d AZ slots of VPC %s", az, l.MaxAZs, l.VPC)
	}
	switch role {
	case SubnetPrivate:
		return nthSubnet(l.VPC, l.privateBits, az), nil
	case SubnetPublic:
		return nthSubnet(l.VPC, l.edgeBits, l.publicBase+az), nil
	case SubnetData:
		return nthSubnet(l.VPC, l.edgeBits, l.dataBase+az), nil
	default:
		return netip.Prefix{}, fmt.Errorf("unknown subnet role %q (allowed: public, private, data)", role)
	}
}

// Check verifies, before anything is registered, that the subnets of the first azCount AZ slots lie
// inside the VPC, are no smaller than AWS allows, and overlap no other.
func (l SubnetLayout) Check(azCount int) error {
	var planned []netip.Prefix
	for az := 0; az < azCount; az++ {
		for _, role := range SubnetRoles() {
			p, err := l.Subnet(role, az)
			if err != nil {
				return err
			}
			if !l.VPC.Contains(p.Addr()) || p.Bits() < l.VPC.Bits() {
				return fmt.Errorf("%s subnet %s of AZ %d is outside VPC %s", role, p, az, l.VPC)
			}
			if p.Bits() > smallestSubnetPrefix {
				return fmt.Errorf("%s subnet %s of AZ %d is smaller than AWS's /%d minimum", role, p, az, smallestSubnetPrefix)
			}
			for _, q := range planned {
				if p.Overlaps(q) {
					return fmt.Errorf("%s subnet %s of AZ %d overlaps %s", role, p, az, q)
				}
			}
			planned = append(planned, p)
		}
	}
	return nil
}

// ParseVPCCIDR checks a VPC range against AWS's rules and this layout's, and returns it.
func ParseVPCCIDR(cidr string) (netip.Prefix, error) {
	p, err := netip.ParsePrefix(cidr)
	if err != nil {
		return netip.Prefix{}, fmt.Errorf("cidr %q is not a CIDR block (want an IPv4 network such as 10.0.0.0/16)", cidr)
	}
	if !p.Addr().Is4() {
		return netip.Prefix{}, fmt.Errorf("cidr %q is not IPv4 (a VPC's primary range is IPv4, such as 10.0.0.0/16)", cidr)
	}
	if p.Masked() != p {
		return netip.Prefix{}, fmt.Errorf("cidr %q has host bits set (did you mean %s?)", cidr, p.Masked())
	}
	if p.Bits() < MinVPCPrefix || p.Bits() > MaxVPCPrefix {
		return netip.Prefix{}, fmt.Errorf("cidr %q is a /%d (allowed: /%d to /%d)", cidr, p.Bits(), MinVPCPrefix, MaxVPCPrefix)
	}
	if isPrivate(p) {
		return p, nil
	}
	return netip.Prefix{}, fmt.Errorf("cidr %q is not in a private range (allowed: inside 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16 or 100.64.0.0/10)", cidr)
}

// privateRanges are the ranges a VPC may take: RFC 1918 and the RFC 6598 shared space.
var privateRanges = []netip.Prefix{
	netip.MustParsePrefix("10.0.0.0/8"),
	netip.MustParsePrefix("172.16.0.0/12"),
	netip.MustParsePrefix("192.168.0.0/16"),
	netip.MustParsePrefix("100.64.0.0/10"),
}

// isPrivate reports whether p lies inside a private range.
func isPrivate(p netip.Prefix) bool {
	for _, private := range privateRanges {
		if private.Bits() <= p.Bits() && private.Contains(p.Addr()) {
			return true
		}
	}
	return false
}

// nthSubnet returns the index-th subnet of length bits inside parent. The caller keeps index in range.
func nthSubnet(parent netip.Prefix, bits, index int) netip.Prefix {
	a := parent.Addr().As4()
	base := uint32(a[0])<<24 | uint32(a[1])<<16 | uint32(a[2])<<8 | uint32(a[3])
	start := base + uint32(index)<<(32-bits)
	addr := netip.AddrFrom4([4]byte{byte(start >> 24), byte(start >> 16), byte(start >> 8), byte(start)})
	return netip.PrefixFrom(addr, bits)
}
