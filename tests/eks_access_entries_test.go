package tests

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tierstack/tierstack/components/webtier"
	"github.com/tierstack/tierstack/tiers"
)

// The key of an admin access entry comes from the role alone: a valid resource name (no "::"),
// the same wherever the role stands in the list.
func TestAdminAccessEntryKeyNamesTheRole(t *testing.T) {
	cases := []struct{ arn, want string }{
		{"arn:aws:iam::123456789012:role/ops", "admin-123456789012-ops"},
		{"arn:aws:iam::123456789012:role/teams/platform/ops", "admin-123456789012-ops"},
		{"arn:aws-us-gov:iam::210987654321:role/Deploy.Bot@ci", "admin-210987654321-Deploy.Bot@ci"},
	}
	for _, c := range cases {
		got := webtier.AdminAccessEntryKey(c.arn)
		assert.Equal(t, c.want, got, c.arn)
		assert.NotContains(t, got, ":", c.arn)
	}
}

// Removing or reordering adminRoleArns leaves the other roles' access entries as they were: each
// is keyed by its role, so pulumi-eks names it the same and nothing is replaced (EKS refuses a
// second entry for a principal, which a create-first replacement would make).
func TestEKSAdminAccessEntriesKeepTheirNamesWhenTheListChanges(t *testing.T) {
	const ops, ci = "arn:aws:iam::123456789012:role/ops", "arn:aws:iam::123456789012:role/ci"
	entries := func(list string) map[string]any {
		cfg := tierConfig(tiers.Tier100k)
		cfg["tierstack:web"] = `{"adminRoleArns":` + list + `}`
		s := planTier(t, cfg)
		all, ok := input(s.Named(eksTypeCluster, "web-eks"), "accessEntries").(map[string]any)
		require.True(t, ok, "the cluster's accessEntries")
		return all
	}
	both := entries(`["` + ops + `","` + ci + `"]`)
	require.Len(t, both, 2)
	for _, list := range []string{`["` + ci + `"]`, `["` + ci + `","` + ops + `"]`} {
		got := entries(list)
		key := webtier.AdminAccessEntryKey(ci)
		require.Contains(t, got, key, list)
		assert.Equal(t, both[key], got[key], "%s: the ci role's entry is unchanged", list)
		entry, _ := got[key].(map[string]any)
		assert.Equal(t, ci, entry["principalArn"], list)
	}
}
