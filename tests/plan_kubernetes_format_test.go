package tests

import (
	"encoding/json"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gopkg.in/yaml.v3"

	"github.com/tierstack/tierstack/synth"
	"github.com/tierstack/tierstack/tiers"
)

// `plan --format kubernetes` prints the Kubernetes objects the program writes itself, as the
// manifests a scanner reads (trivy config, kubeconform): the app's namespace, Deployment and the
// rest, each with its apiVersion and kind; not the Helm releases. A tier without EKS prints none,
// and the format draws one plan (no --from, no --tier all).
func TestPlanPrintsTheAppsKubernetesObjects(t *testing.T) {
	code, out, stderr := runPlan("--tier", "100k", "--format", "kubernetes")
	require.Equal(t, 0, code, stderr)
	kinds := map[string]map[string]any{}
	namespaces := map[string]bool{}
	dec := yaml.NewDecoder(strings.NewReader(out))
	for {
		var doc map[string]any
		err := dec.Decode(&doc)
		if errors.Is(err, io.EOF) {
			break
		}
		require.NoError(t, err)
		require.NotEmpty(t, doc["apiVersion"], "%v", doc)
		if doc["kind"] == "Namespace" {
			namespaces[doc["metadata"].(map[string]any)["name"].(string)] = true
			if doc["metadata"].(map[string]any)["name"] != "app" {
				continue
			}
		}
		kinds[doc["kind"].(string)] = doc
	}
	for _, k := range []string{"Namespace", "ServiceAccount", "Deployment", "Service", "ScaledObject", "PodDisruptionBudget", "TargetGroupBinding"} {
		assert.Contains(t, kinds, k)
	}
	assert.NotContains(t, kinds, "HorizontalPodAutoscaler", "KEDA makes the HPA from the ScaledObject")
	assert.Equal(t, map[string]bool{"app": true, "keda": true}, namespaces, "the app's namespace and KEDA's")
	assert.NotContains(t, kinds, "Release", "a chart's objects are the chart's")
	s := planTier(t, tierConfig(tiers.Tier100k))
	d := s.Named(eksTypeDeployment, "web-deployment")
	assert.Equal(t, asJSON(t, d.Inputs["spec"]), asJSON(t, kinds["Deployment"]["spec"]), "the Deployment as the plan records it")
	assert.Equal(t, "app", kinds["Deployment"]["metadata"].(map[string]any)["namespace"])
	assert.Len(t, synth.KubernetesManifests(s.Plan), len(kinds)+1, "and KEDA's namespace")

	code, out, stderr = runPlan("--tier", "10k", "--format", "kubernetes")
	require.Equal(t, 0, code, stderr)
	assert.Empty(t, strings.TrimSpace(out), "no cluster at 10k")

	code, _, _ = runPlan("--tier", "100k", "--from", "10k", "--format", "kubernetes")
	assert.Equal(t, 2, code)
	code, _, _ = runPlan("--tier", "all", "--format", "kubernetes")
	assert.Equal(t, 2, code)
}

// asJSON is v as JSON text, so that a value decoded from YAML (ints) compares with one from the
// plan (float64s).
func asJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	require.NoError(t, err)
	return string(b)
}
