package drregion

import "testing"

func TestDefaultCIDR(t *testing.T) {
	cases := []struct {
		primary, want string
		ok            bool
	}{
		{"10.0.0.0/16", "10.1.0.0/16", true},
		{"10.40.0.0/16", "10.41.0.0/16", true},
		{"172.16.4.0/22", "172.16.8.0/22", true},
		{"192.168.1.0/24", "192.168.2.0/24", true},
		{"255.255.0.0/16", "", false},
		{"10.255.0.0/16", "", false},
		{"172.31.0.0/16", "", false},
		{"172.30.0.0/16", "172.31.0.0/16", true},
		{"not-a-range", "", false},
	}
	for _, c := range cases {
		got, err := DefaultCIDR(c.primary)
		if (err == nil) != c.ok || got != c.want {
			t.Errorf("DefaultCIDR(%q) = %q, %v; want %q, ok %v", c.primary, got, err, c.want, c.ok)
		}
		if c.ok && Overlaps(got, c.primary) {
			t.Errorf("DefaultCIDR(%q) = %q overlaps it", c.primary, got)
		}
	}
}

func TestOverlaps(t *testing.T) {
	cases := []struct {
		a, b string
		want bool
	}{
		{"10.0.0.0/16", "10.1.0.0/16", false},
		{"10.0.0.0/16", "10.0.128.0/20", true},
		{"10.0.0.0/8", "10.200.0.0/16", true},
		{"10.0.0.0/16", "bad", false},
	}
	for _, c := range cases {
		if got := Overlaps(c.a, c.b); got != c.want {
			t.Errorf("Overlaps(%q, %q) = %v, want %v", c.a, c.b, got, c.want)
		}
	}
}
