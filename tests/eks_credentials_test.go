package tests

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tierstack/tierstack/tiers"
)

// Mode eks refuses, before anything is registered, credentials that the cluster's kubeconfig would
// not use: pulumi-eks 2.8.1's kubeconfig runs `aws eks get-token` with the profile only, so the
// Kubernetes provider would not be the identity that created the cluster and would get
// Unauthorized. Mode autoscaling (no cluster) and a profile are fine.
func TestEKSRefusesCredentialsItsKubeconfigWouldNotUse(t *testing.T) {
	for key, value := range map[string]string{
		"aws:assumeRole":                `{"roleArn":"arn:aws:iam::123456789012:role/deploy"}`,
		"aws:assumeRoles":               `[{"roleArn":"arn:aws:iam::123456789012:role/deploy"}]`,
		"aws:assumeRoleWithWebIdentity": `{"roleArn":"arn:aws:iam::123456789012:role/deploy","webIdentityTokenFile":"/var/run/token"}`,
		"aws:accessKey":                 "AKIAIOSFODNN7EXAMPLE",
		"aws:sharedCredentialsFiles":    `["/ci/credentials"]`,
	} {
		cfg := tierConfig(tiers.Tier100k)
		cfg["tierstack:edge"] = `{"cdn":false}` // the CDN's own refusal aside
		cfg[key] = value
		s, err := runProgram(t, "", cfg, tiers.Program)
		require.Error(t, err, key)
		assert.Contains(t, err.Error(), "tier 100k: "+key+" is set, and the EKS cluster's kubeconfig (aws eks get-token with the profile only) would not use it", key)
		assert.Contains(t, err.Error(), "allowed: credentials through aws:profile or the environment", key)
		assert.Empty(t, s.Resources, key)

		cfg["tierstack:web"] = `{"mode":"autoscaling"}`
		planTier(t, cfg)
	}
	cfg := tierConfig(tiers.Tier100k)
	cfg["aws:profile"] = "prod"
	planTier(t, cfg)
}
