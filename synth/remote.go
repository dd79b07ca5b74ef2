package synth

import (
	"encoding/json"
	"fmt"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// remoteComponentOutputs fills in the outputs of a packaged component that tierstack reads, as its
// provider computes them. pulumi-eks's Cluster gives its kubeconfig: the endpoint EKS makes up for
// the cluster, and credentials from `aws eks get-token`.
func remoteComponentOutputs(state resource.PropertyMap, typ, name, urn string, reg region) {
	switch typ {
	case "eks:index:Cluster":
		clusterName := plainString(state["name"], name+"-eksCluster-"+shortHash(urn, 7))
		kubeconfig := FakeKubeconfig(clusterName, reg.name, shortHash(urn, 32))
		doc, err := json.Marshal(kubeconfig)
		if err != nil {
			return // a map of strings and slices always marshals
		}
		state["kubeconfigJson"] = resource.NewProperty(string(doc))
		state["kubeconfig"] = resource.NewPropertyValue(kubeconfig)
	}
}

// FakeKubeconfig is the kubeconfig pulumi-eks writes for a cluster: its API endpoint, its
// certificate authority, and a token from the AWS CLI.
func FakeKubeconfig(clusterName, region, endpointID string) map[string]any {
	endpoint := fmt.Sprintf("https://%s.gr7.%s.eks.amazonaws.com", endpointID, region)
	return map[string]any{
		"apiVersion": "v1", "kind": "Config", "current-context": "aws",
		"clusters": []any{map[string]any{"name": "kubernetes", "cluster": map[string]any{
			"server": endpoint, "certificate-authority-data": "TFMwdExTMUNSVWRKVGlCRFJWSlVTVVpKUTBGVVJTMHRMUzB0Q2c9PQ==",
		}}},
		"contexts": []any{map[string]any{"name": "aws", "context": map[string]any{"cluster": "kubernetes", "user": "aws"}}},
		"users": []any{map[string]any{"name": "aws", "user": map[string]any{"exec": map[string]any{
			"apiVersion": "client.authentication.k8s.io/v1beta1", "command": "aws",
			"args": []any{"eks", "get-token", "--cluster-name", clusterName, "--region", region},
		}}}},
	}
}
