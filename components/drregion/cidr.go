package drregion

import (
	"fmt"
	"net/netip"
)

// DefaultCIDR is the DR VPC's range when none is given: the block of the primary's size right after
// it (10.0.0.0/16 gives 10.1.0.0/16), so that the two VPCs never overlap and can be peered or joined
// by a transit gateway later without renumbering. It fails where there is no next block in IPv4.
func DefaultCIDR(primary string) (string, error) {
	p, err := netip.ParsePrefix(primary)
	if err != nil || !p.Addr().Is4() {
		return "", fmt.Errorf("primary cidr %q is not an IPv4 range such as 10.0.0.0/16", primary)
	}
	p = p.Masked()
	size := uint64(1) << (32 - p.Bits())
	b := p.Addr().As4()
	start := uint64(b[0])<<24 | uint64(b[1])<<16 | uint64(b[2])<<8 | uint64(b[3])
	next := start + size
	if next+size > 1<<32 {
		return "", fmt.Errorf("primary cidr %s has no next block of its size (set the DR cidr)", p)
	}
	addr := netip.AddrFrom4([4]byte{byte(next >> 24), byte(next >> 16), byte(next >> 8), byte(next)})
	for _, private := range privateRanges {
		if private.Contains(p.Addr()) && !private.Contains(addr) {
			return "", fmt.Errorf("primary cidr %s is the last block of its size in %s (set the DR cidr)", p, private)
		}
	}
	return netip.PrefixFrom(addr, p.Bits()).String(), nil
}

// privateRanges are the ranges a Network's VPC may use (RFC 1918 and RFC 6598): the default DR
// range stays inside the primary's.
var privateRanges = []netip.Prefix{
	netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("172.16.0.0/12"),
	netip.MustParsePrefix("192.168.0.0/16"), netip.MustParsePrefix("100.64.0.0/10"),
}

// Overlaps reports whether two IPv4 ranges share an address; a range that does not parse overlaps
// nothing (the Network's own validation names it).
func Overlaps(a, b string) bool {
	pa, errA := netip.ParsePrefix(a)
	pb, errB := netip.ParsePrefix(b)
	if errA != nil || errB != nil {
		return false
	}
	return pa.Overlaps(pb)
}
