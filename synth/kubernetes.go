package synth

import (
	"fmt"
	"io"
	"strings"

	"gopkg.in/yaml.v3"
)

// kubernetesManifestType reports whether a resource type is a Kubernetes object the program writes
// itself (kubernetes:<group>/<version>:<Kind>): not the provider, and not a Helm release, whose
// objects are the chart's.
func kubernetesManifestType(typ string) bool {
	return strings.HasPrefix(typ, "kubernetes:") && !strings.HasPrefix(typ, "kubernetes:helm.sh/")
}

// KubernetesManifests returns the Kubernetes objects a plan registers (the app's namespace,
// Deployment, Service and the rest; not the Helm releases' charts), each as the manifest its inputs
// make: apiVersion, kind, metadata and the rest of the object, in the plan's order (by URN). They
// are what `kubectl apply`, a policy checker or a scanner (trivy config) reads; values the plan does
// not know are "[unknown]" and secrets "[secret]", as in the plan.
func KubernetesManifests(p *Plan) []map[string]any {
	var out []map[string]any
	for _, r := range p.Resources {
		if !r.Custom || !kubernetesManifestType(r.Type) {
			continue
		}
		doc := make(map[string]any, len(r.Inputs))
		for k, v := range r.Inputs {
			doc[k] = v
		}
		out = append(out, doc)
	}
	return out
}

// WriteKubernetesYAML writes KubernetesManifests as one YAML stream, documents separated by "---".
func WriteKubernetesYAML(w io.Writer, p *Plan) error {
	docs := KubernetesManifests(p)
	if len(docs) == 0 {
		return nil // no stream: an encoder closed empty is an error
	}
	enc := yaml.NewEncoder(w)
	enc.SetIndent(2)
	for _, doc := range docs {
		if err := enc.Encode(doc); err != nil {
			return fmt.Errorf("writing %v %v as YAML: %w", doc["kind"], doc["metadata"], err)
		}
	}
	return enc.Close()
}
