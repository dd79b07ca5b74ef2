package tests

import (
	"fmt"
	"net/netip"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tierstack/tierstack/components/network"
	"github.com/tierstack/tierstack/internal/naming"
)

func TestSubnetLayoutKnownRanges(t *testing.T) {
	cases := []struct {
		name   string
		vpc    string
		role   network.SubnetRole
		az     int
		want   string
		maxAZs int
	}{
		{"private slot 0 of a /16 is the first eighth", "10.0.0.0/16", network.SubnetPrivate, 0, "10.0.0.0/19", 6},
		{"private slot 5 of a /16", "10.0.0.0/16", network.SubnetPrivate, 5, "10.0.160.0/19", 6},
		{"public slot 0 of a /16 opens the seventh eighth", "10.0.0.0/16", network.SubnetPublic, 0, "10.0.192.0/22", 6},
		{"public slot 5 of a /16", "10.0.0.0/16", network.SubnetPublic, 5, "10.0.212.0/22", 6},
		{"data slot 0 of a /16 opens the last eighth", "10.0.0.0/16", network.SubnetData, 0, "10.0.224.0/22", 6},
		{"data slot 2 of a /20", "172.16.16.0/20", network.SubnetData, 2, "172.16.30.128/26", 6},
		{"a /22 still has six slots, /28 data subnets", "192.168.4.0/22", network.SubnetData, 5, "192.168.7.208/28", 6},
		{"a /24 has four slots: private /27", "10.1.2.0/24", network.SubnetPrivate, 3, "10.1.2.96/27", 4},
		{"a /24 public /28 in the third quarter", "10.1.2.0/24", network.SubnetPublic, 0, "10.1.2.128/28", 4},
		{"a /24 data /28 in the last quarter", "10.1.2.0/24", network.SubnetData, 3, "10.1.2.240/28", 4},
		{"a /23 public /27", "10.1.2.0/23", network.SubnetPublic, 1, "10.1.3.32/27", 4},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			l, err := network.NewSubnetLayout(c.vpc)
			require.NoError(t, err)
			assert.Equal(t, c.maxAZs, l.MaxAZs, "AZ slots of %s", c.vpc)
			got, err := l.Subnet(c.role, c.az)
			require.NoError(t, err)
			assert.Equal(t, c.want, got.String(), "%s subnet of AZ %d in %s", c.role, c.az, c.vpc)
		})
	}
}

// Every subnet of every slot lies inside the VPC, is no smaller than AWS allows, and overlaps no
// other, for every VPC size the layout accepts.
func TestSubnetLayoutFitsAndNeverOverlaps(t *testing.T) {
	for bits := network.MinVPCPrefix; bits <= network.MaxVPCPrefix; bits++ {
		vpc := fmt.Sprintf("10.0.0.0/%d", bits)
		t.Run(vpc, func(t *testing.T) {
			l, err := network.NewSubnetLayout(vpc)
			require.NoError(t, err)
			var all []netip.Prefix
			for az := 0; az < l.MaxAZs; az++ {
				for _, role := range network.SubnetRoles() {
					p, err := l.Subnet(role, az)
					require.NoError(t, err)
					assert.True(t, l.VPC.Contains(p.Addr()) && p.Bits() >= l.VPC.Bits(), "%s outside %s", p, vpc)
					assert.LessOrEqual(t, p.Bits(), 28, "%s is smaller than AWS's /28 minimum", p)
					for _, q := range all {
						assert.False(t, p.Overlaps(q), "%s overlaps %s", p, q)
					}
					all = append(all, p)
				}
			}
			assert.NoError(t, l.Check(l.MaxAZs))
			if bits <= 22 {
				assert.Equal(t, network.MaxAZs, l.MaxAZs, "a /%d should hold the full six AZs", bits)
			}
		})
	}
}

func TestSubnetLayoutRefusesSlotsBeyondItsSize(t *testing.T) {
	l, err := network.NewSubnetLayout("10.0.0.0/24")
	require.NoError(t, err)
	_, err = l.Subnet(network.SubnetPrivate, 4)
	require.ErrorContains(t, err, "AZ index 4 is outside the 4 AZ slots")
	require.ErrorContains(t, l.Check(5), "AZ index 4 is outside the 4 AZ slots")
	_, err = l.Subnet("dmz", 0)
	require.ErrorContains(t, err, `unknown subnet role "dmz"`)
}

func TestParseVPCCIDRRefusesBadRanges(t *testing.T) {
	cases := []struct{ cidr, want string }{
		{"", "is not a CIDR block"},
		{"10.0.0.0", "is not a CIDR block"},
		{"10.0.0.0/33", "is not a CIDR block"},
		{"banana", "is not a CIDR block"},
		{"fd00::/56", "is not IPv4"},
		{"10.0.1.0/16", "has host bits set (did you mean 10.0.0.0/16?)"},
		{"10.0.0.0/15", "is a /15 (allowed: /16 to /24)"},
		{"10.0.0.0/25", "is a /25 (allowed: /16 to /24)"},
		{"8.8.0.0/16", "is not in a private range"},
		{"172.32.0.0/16", "is not in a private range"},
	}
	for _, c := range cases {
		t.Run(c.cidr, func(t *testing.T) {
			_, err := network.ParseVPCCIDR(c.cidr)
			require.Error(t, err)
			assert.Contains(t, err.Error(), c.want)
			assert.Contains(t, err.Error(), fmt.Sprintf("%q", c.cidr), "the error names the bad value")
		})
	}
	for _, ok := range []string{"10.0.0.0/16", "172.31.0.0/16", "192.168.0.0/24", "100.64.0.0/16"} {
		_, err := network.ParseVPCCIDR(ok)
		assert.NoError(t, err, ok)
	}
}

func TestNatStrategy(t *testing.T) {
	cases := []struct {
		in       string
		want     network.NATStrategy
		gateways int // for 3 zones
		zone2    int // gateway zone 2 routes through, -1 for none
	}{
		{"none", network.NATNone, 0, -1},
		{"NONE", network.NATNone, 0, -1},
		{"single", network.NATSingle, 1, 0},
		{"perAz", network.NATPerAZ, 3, 2},
		{"perAZ", network.NATPerAZ, 3, 2},
		{"PERAZ", network.NATPerAZ, 3, 2},
	}
	for _, c := range cases {
		t.Run(c.in, func(t *testing.T) {
			got, err := network.ParseNATStrategy(c.in)
			require.NoError(t, err)
			assert.Equal(t, c.want, got)
			assert.Equal(t, c.gateways, got.Gateways(3))
			gw, ok := got.GatewayFor(2)
			if c.zone2 < 0 {
				assert.False(t, ok)
			} else {
				assert.True(t, ok)
				assert.Equal(t, c.zone2, gw)
			}
		})
	}
	_, err := network.ParseNATStrategy("two")
	require.EqualError(t, err, `natStrategy "two" is not known (allowed: none, single, perAz)`)
}

func TestChildNames(t *testing.T) {
	assert.Equal(t, "net-vpc", naming.Child("net", "vpc"))
	assert.Equal(t, "net-private-0", naming.AZChild("net", "private", 0))
	assert.Equal(t, "net-nat-eip-5", naming.AZChild("net", "nat-eip", 5))
}

func TestPickZones(t *testing.T) {
	avail := []string{"eu-west-1a", "eu-west-1b", "eu-west-1c"}
	cases := []struct {
		name    string
		given   []string
		count   int
		want    []string
		wantErr string
	}{
		{"first of the region", nil, 2, []string{"eu-west-1a", "eu-west-1b"}, ""},
		{"all of the region", nil, 3, avail, ""},
		{"more than the region has", nil, 4, nil, "azCount 4 is more than region eu-west-1 has (it has 3: eu-west-1a, eu-west-1b, eu-west-1c)"},
		{"pinned order is kept", []string{"eu-west-1c", "eu-west-1a"}, 2, []string{"eu-west-1c", "eu-west-1a"}, ""},
		{"first count of the pinned", []string{"eu-west-1c", "eu-west-1a", "eu-west-1b"}, 2, []string{"eu-west-1c", "eu-west-1a"}, ""},
		{"a zone of another region", []string{"us-east-1a", "eu-west-1a"}, 2, nil, `availabilityZones: "us-east-1a" is not a zone of region eu-west-1`},
		{"a zone twice", []string{"eu-west-1a", "eu-west-1a"}, 2, nil, `"eu-west-1a" is listed twice`},
		{"more than pinned", []string{"eu-west-1a", "eu-west-1b"}, 3, nil, "azCount 3 is more than the 2 availabilityZones given"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := network.PickZones("eu-west-1", avail, c.given, c.count)
			if c.wantErr != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), c.wantErr)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, c.want, got)
		})
	}
}
