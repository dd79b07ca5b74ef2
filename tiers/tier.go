package tiers

import (
	"fmt"
	"strings"
)

// Tier is a growth stage of a web service, named by the users it serves.
type Tier string

// The tiers, smallest first.
const (
	// Tier100 is one web server and one database in a two-zone VPC.
	Tier100 Tier = "100"
	// Tier10k adds a load balancer, an Auto Scaling group, NAT per zone, a Multi-AZ database, a cache,
	// a CDN and alarms.
	Tier10k Tier = "10k"
	// Tier100k moves the application to containers on EKS and shards the cache.
	Tier100k Tier = "100k"
	// Tier1M adds DynamoDB, a global database and a disaster-recovery region.
	Tier1M Tier = "1m"
)

// All returns every tier, smallest first, as a new slice.
func All() []Tier { return []Tier{Tier100, Tier10k, Tier100k, Tier1M} }

// tierUsers is how many users each tier is built for.
var tierUsers = map[Tier]int{Tier100: 100, Tier10k: 10_000, Tier100k: 100_000, Tier1M: 1_000_000}

// Users returns how many users the tier is built for.
func (t Tier) Users() int { return tierUsers[t] }

// ParseTier reads a tier name. Case and surrounding space do not matter ("10K", "1M"), and the plain
// user count names its tier too ("10000").
func ParseTier(s string) (Tier, error) {
	v := strings.ToLower(strings.TrimSpace(s))
	for _, t := range All() {
		if v == string(t) || v == fmt.Sprint(t.Users()) {
			return t, nil
		}
	}
	return "", fmt.Errorf("tier %q is not a tier (allowed: %s, or auto to pick by expectedUsers)", s, tierList())
}

// ForUsers returns the smallest tier built for at least users users; above a million, the largest.
func ForUsers(users int) (Tier, error) {
	if users <= 0 {
		return "", fmt.Errorf("expectedUsers %d is not a positive number of users", users)
	}
	for _, t := range All() {
		if users <= t.Users() {
			return t, nil
		}
	}
	return Tier1M, nil
}

// tierList is the allowed tier names, for error messages.
func tierList() string {
	names := make([]string, len(All()))
	for i, t := range All() {
		names[i] = string(t)
	}
	return strings.Join(names, ", ")
}
