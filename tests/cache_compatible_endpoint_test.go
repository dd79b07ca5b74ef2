package tests

import (
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tierstack/tierstack/tiers"
)

// envValue is the value of an environment variable of a Kubernetes container in a plan.
func envValue(t *testing.T, container any, name string) string {
	t.Helper()
	env, _ := container.(map[string]any)["env"].([]any)
	for _, e := range env {
		m := e.(map[string]any)
		if m["name"] == name {
			v, _ := m["value"].(string)
			return v
		}
	}
	t.Fatalf("no %s in %v", name, env)
	return ""
}

// At the compatible step of the walk to cluster mode the app already uses the configuration
// endpoint: AWS serves it in compatible mode so that every client moves to it before mode enabled,
// where the primary endpoint is gone. The app's CACHE_HOST (EKS) and the connection secret's host
// (which instances read at start, and the stack output) are the configuration endpoint from the
// compatible step on, the primary endpoint only in mode disabled.
func TestCacheCompatibleStepMovesClientsToTheConfigurationEndpoint(t *testing.T) {
	for _, st := range []struct {
		cache, wantPrefix string
	}{
		{`{"clusterMode":"compatible"}`, "clustercfg."},
		{`{"clusterMode":"enabled","shards":1,"replicasPerShard":1,"nodeType":"cache.t4g.small"}`, "clustercfg."},
	} {
		cfg := tierConfig(tiers.Tier100k)
		cfg["tierstack:cache"] = st.cache
		s := planTier(t, cfg)
		group := cacheGroup(s)
		config, _ := group.Outputs["configurationEndpointAddress"].(string)
		require.True(t, strings.HasPrefix(config, st.wantPrefix), "%s: the group serves a configuration endpoint: %q", st.cache, config)
		assert.Equal(t, config, s.Outputs["cacheEndpoint"], "%s: the endpoint clients are given", st.cache)

		deployment := s.Named("kubernetes:apps/v1:Deployment", "web-deployment")
		containers, _ := input(deployment, "spec.template.spec.containers").([]any)
		require.NotEmpty(t, containers)
		assert.Equal(t, config, envValue(t, containers[0], "CACHE_HOST"), "%s: the pods' CACHE_HOST", st.cache)
	}
	ten := planTier(t, tierConfig(tiers.Tier10k))
	primary, _ := cacheGroup(ten).Outputs["primaryEndpointAddress"].(string)
	assert.True(t, strings.HasPrefix(primary, "master."))
	assert.Equal(t, primary, ten.Outputs["cacheEndpoint"], "mode disabled: the primary endpoint")
}

// Instances read CACHE_HOST from the connection secret at start, and take CACHE_CLUSTER_MODE from
// the launch template. Outside mode disabled the launch template names the mode only once the
// secret's new version (with the new mode's host) exists, so that the instance refresh the new mode
// starts cannot launch an instance that finds the new mode beside the old host. In mode disabled it
// stays a constant: the group launches while the cache is created.
func TestCacheModeReachesInstancesAfterTheSecret(t *testing.T) {
	for _, c := range []struct {
		cache string
		waits bool
	}{
		{`{"clusterMode":"disabled"}`, false},
		{`{"clusterMode":"compatible"}`, true},
		{`{"clusterMode":"enabled"}`, true},
	} {
		cfg := tierConfig(tiers.Tier10k)
		cfg["tierstack:cache"] = c.cache
		s := planTier(t, cfg)
		lt := s.Named("aws:ec2/launchTemplate:LaunchTemplate", "web-lt")
		version := s.Named(typeSecretVersion, "cache-connection-value")
		assert.Equal(t, c.waits, slices.Contains(lt.Dependencies, version.URN), "%s: the launch template waits for the secret's version", c.cache)
	}
}
