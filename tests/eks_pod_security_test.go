package tests

import (
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gopkg.in/yaml.v3"

	"github.com/tierstack/tierstack/components/webtier"
	"github.com/tierstack/tierstack/tiers"
)

// The app's namespace enforces Pod Security "restricted", and the app's pods meet it: both the app
// and the secrets init container run as a non-root user above 10000 with the RuntimeDefault seccomp
// profile, no privilege escalation, every capability dropped and a read-only root file system, with
// CPU and memory requests and limits; the app writes to a /tmp of its own and listens above 1024.
func TestEKSAppPodsMeetPodSecurityRestricted(t *testing.T) {
	arn := "arn:aws:secretsmanager:us-east-1:123456789012:secret:shop/stripe-AbCdEf"
	s := planTier(t, webConfig(tiers.Tier100k, "", `{"secrets":{"STRIPE_KEY":"`+arn+`"}}`))

	ns := s.Named("kubernetes:core/v1:Namespace", "web-namespace")
	labels, _ := input(ns, "metadata.labels").(map[string]any)
	for _, mode := range []string{"enforce", "audit", "warn"} {
		assert.Equal(t, "restricted", labels["pod-security.kubernetes.io/"+mode], mode)
	}

	d := s.Named(eksTypeDeployment, "web-deployment")
	pod := "spec.template.spec."
	assert.Equal(t, true, input(d, pod+"securityContext.runAsNonRoot"))
	assert.Equal(t, "RuntimeDefault", str(d, pod+"securityContext.seccompProfile.type"))
	assert.Greater(t, num(d, pod+"securityContext.runAsUser"), 10000, "a user of no node's")
	assert.Greater(t, num(d, pod+"securityContext.runAsGroup"), 10000)

	containers := map[string]string{"app": pod + "containers.0.", "secrets": pod + "initContainers.0."}
	for name, c := range containers {
		assert.Equal(t, name, str(d, c+"name"))
		// The registries policy/trivy-trusted-registries.yaml trusts (trivy's KSV0125): AWS's.
		registry, _, _ := strings.Cut(str(d, c+"image"), "/")
		assert.True(t, registry == "public.ecr.aws" || strings.HasSuffix(registry, ".amazonaws.com"), "%s: image from %s", name, registry)
		sc := c + "securityContext."
		assert.Equal(t, false, input(d, sc+"allowPrivilegeEscalation"), name)
		assert.Equal(t, []string{"ALL"}, strs(d, sc+"capabilities.drop"), name)
		assert.Nil(t, input(d, sc+"capabilities.add"), "%s adds no capability", name)
		assert.Equal(t, true, input(d, sc+"runAsNonRoot"), name)
		assert.Greater(t, num(d, sc+"runAsUser"), 10000, name)
		assert.Equal(t, true, input(d, sc+"readOnlyRootFilesystem"), name)
		assert.Equal(t, "RuntimeDefault", str(d, sc+"seccompProfile.type"), name)
		for _, kind := range []string{"requests", "limits"} {
			for _, res := range []string{"cpu", "memory"} {
				assert.NotEmpty(t, str(d, c+"resources."+kind+"."+res), "%s %s.%s", name, kind, res)
			}
		}
	}
	assert.Equal(t, "1000m", str(d, containers["app"]+"resources.limits.cpu"), "the app's CPU limit is its share, as --cpus on the instances")

	mounts := map[string]string{}
	for _, m := range input(d, containers["app"]+"volumeMounts").([]any) {
		mounts[m.(map[string]any)["mountPath"].(string)] = m.(map[string]any)["name"].(string)
	}
	require.Contains(t, mounts, "/tmp", "the app's scratch space")
	volumes := map[string]map[string]any{}
	for _, v := range input(d, pod+"volumes").([]any) {
		volumes[v.(map[string]any)["name"].(string)] = v.(map[string]any)
	}
	assert.Contains(t, volumes[mounts["/tmp"]], "emptyDir")
	for name, v := range volumes {
		assert.Equal(t, []string{"emptyDir", "name"}, slices.Sorted(maps.Keys(v)), "%s: no volume type restricted forbids (hostPath…)", name)
	}

	assert.Equal(t, webtier.DefaultImage, str(d, containers["app"]+"image"))
	assert.Greater(t, num(d, containers["app"]+"ports.0.containerPort"), 1024, "a non-root process listens above 1024")
	assert.Equal(t, webtier.DefaultPort, num(d, containers["app"]+"readinessProbe.httpGet.port"))
	assert.Nil(t, input(d, pod+"hostNetwork"))
	assert.Nil(t, input(d, pod+"hostPID"))
}

// The registries trivy is told to trust (policy/trivy-trusted-registries.yaml, check KSV0125) hold
// the default images, as trivy matches them (the registry ends with a trusted name), and no
// catch-all: Docker Hub stays untrusted.
func TestTrivyTrustsTheDefaultImagesRegistries(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join(root, "policy", "trivy-trusted-registries.yaml"))
	require.NoError(t, err)
	var data struct {
		KSV0125 struct {
			TrustedRegistries []string `yaml:"trusted_registries"`
		} `yaml:"ksv0125"`
	}
	require.NoError(t, yaml.Unmarshal(raw, &data))
	trusted := func(image string) bool {
		registry, _, _ := strings.Cut(image, "/")
		for _, r := range data.KSV0125.TrustedRegistries {
			if strings.HasSuffix(registry, r) {
				return true
			}
		}
		return false
	}
	for _, image := range []string{webtier.DefaultImage, webtier.SecretsImage, "123456789012.dkr.ecr.ap-southeast-6.amazonaws.com/shop:1"} {
		assert.True(t, trusted(image), image)
	}
	for _, image := range []string{"docker.io/library/nginx:1.27", "ghcr.io/acme/shop:1", "quay.io/acme/shop:1"} {
		assert.False(t, trusted(image), image)
	}
}
