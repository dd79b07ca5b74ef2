package webtier

import "testing"

// checkInsightsVersion compares releases as numbers, not as text, and refuses what is not a
// release.
func TestCheckInsightsVersion(t *testing.T) {
	cases := []struct {
		version string
		ok      bool
	}{
		{"v4.6.0-eksbuild.1", true},
		{"v4.10.3-eksbuild.2", true}, // 10 > 6, though "1" < "6"
		{"v5.0.0-eksbuild.1", true},
		{"v10.0.0-eksbuild.1", true},
		{"v4.5.9-eksbuild.3", false},
		{"v3.9.0-eksbuild.1", false},
		{"v1.0.0-eksbuild.1", false},
		{"4.6.0-eksbuild.1", false},
		{"v4.6-eksbuild.1", false},
		{"vX.Y.Z-eksbuild.1", false},
	}
	for _, c := range cases {
		if err := checkInsightsVersion(c.version); (err == nil) != c.ok {
			t.Errorf("checkInsightsVersion(%q) = %v, want ok %v", c.version, err, c.ok)
		}
	}
}
