package edge

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
)

// labelPattern is one DNS label: letters, digits and inner hyphens, 1 to 63 characters.
var labelPattern = regexp.MustCompile(`^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$`)

// checkName checks a DNS name the edge serves: lower-case labels, at least two, at most 253
// characters, a wildcard only as the whole first label.
func checkName(setting, name string) error {
	labels := strings.Split(name, ".")
	bad := len(name) > 253 || len(labels) < 2
	for i, l := range labels {
		if i == 0 && l == "*" {
			continue
		}
		if !labelPattern.MatchString(l) {
			bad = true
		}
	}
	if bad {
		return fmt.Errorf("%s %q is not a DNS name (allowed: lower-case labels of letters, digits and hyphens, such as app.example.com or *.app.example.com)", setting, name)
	}
	return nil
}

// InZone reports whether a DNS name belongs to a hosted zone: it is the zone's name or ends in it.
func InZone(name, zone string) bool {
	zone = strings.TrimSuffix(strings.ToLower(zone), ".")
	return name == zone || strings.HasSuffix(name, "."+zone)
}

// CheckNames checks the domain and its alternative names before anything is looked up: each a DNS
// name, none repeated, none the domain itself. zone is the hosted zone's name when known ("" skips
// the zone check): every name must be in it, since the validation records and the service's
// records go there.
func CheckNames(domain string, alternatives []string, zone string) error {
	if err := checkName("domain", domain); err != nil {
		return err
	}
	if strings.HasPrefix(domain, "*.") {
		return fmt.Errorf("domain %q is a wildcard (allowed: a host name; put wildcards in alternativeNames)", domain)
	}
	for i, n := range alternatives {
		if err := checkName("alternativeNames", n); err != nil {
			return err
		}
		if n == domain || slices.Contains(alternatives[:i], n) {
			return fmt.Errorf("alternativeNames %q is listed twice (allowed: each name once, not the domain itself)", n)
		}
	}
	if len(alternatives) > 9 {
		return fmt.Errorf("alternativeNames has %d names (allowed: at most 9, with the domain ACM's default quota of 10 names per certificate)", len(alternatives))
	}
	if zone == "" {
		return nil
	}
	for _, n := range append([]string{domain}, alternatives...) {
		if !InZone(strings.TrimPrefix(n, "*."), zone) {
			return fmt.Errorf("%q is not in the hosted zone %s (allowed: names that end in %s, whose records that zone holds)", n, strings.TrimSuffix(zone, "."), strings.TrimSuffix(zone, "."))
		}
	}
	return nil
}
