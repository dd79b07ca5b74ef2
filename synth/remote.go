package synth

import (
	"encoding/json"
	"fmt"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

// constructRemote does what a packaged component's provider does when the engine constructs it:
// registers its children and answers with its outputs. pulumi-eks's Cluster is expanded into what
// pulumi-eks registers (expandEKSCluster) and gives the kubeconfig of the cluster it made: its
// endpoint and certificate authority, and credentials from `aws eks get-token`. Outside a preview
// the outputs go into state.
func (r *Recorder) constructRemote(state resource.PropertyMap, typ, name, urn string, inputs resource.PropertyMap, rpc *pulumirpc.RegisterResourceRequest) error {
	switch typ {
	case "eks:index:Cluster":
		cluster, err := r.expandEKSCluster(urn, name, inputs, rpc)
		if err != nil {
			return err
		}
		if r.preview {
			return nil
		}
		kubeconfig, ok := r.kubeconfigMap(cluster, r.regionOf(r.providersOf(rpc)["aws"], "", nil))
		if !ok {
			return nil
		}
		doc, err := json.Marshal(kubeconfig)
		if err != nil {
			return nil // a map of strings and slices always marshals
		}
		state["kubeconfigJson"] = resource.NewProperty(string(doc))
		state["kubeconfig"] = resource.NewPropertyValue(kubeconfig)
	}
	return nil
}

// kubeconfigMap is the kubeconfig pulumi-eks makes for a cluster from its state; ok is false while
// the cluster's name or endpoint is unknown.
func (r *Recorder) kubeconfigMap(cluster resource.PropertyMap, region string) (map[string]any, bool) {
	name, endpoint := cluster["name"], cluster["endpoint"]
	if !name.IsString() || !endpoint.IsString() {
		return nil, false
	}
	return kubeconfigFor(name.StringValue(), endpoint.StringValue(), region), true
}

// kubeconfigOf is the kubeconfig of a cluster as the JSON string pulumi-eks gives its Kubernetes
// providers; unknown while the cluster's endpoint is.
func (r *Recorder) kubeconfigOf(cluster resource.PropertyMap, region string) resource.PropertyValue {
	kubeconfig, ok := r.kubeconfigMap(cluster, region)
	if !ok {
		return resource.MakeComputed(resource.NewProperty(""))
	}
	doc, err := json.Marshal(kubeconfig)
	if err != nil {
		return resource.MakeComputed(resource.NewProperty(""))
	}
	return resource.NewProperty(string(doc))
}

// FakeKubeconfig is the kubeconfig pulumi-eks writes for a cluster: its API endpoint, its
// certificate authority, and a token from the AWS CLI.
func FakeKubeconfig(clusterName, region, endpointID string) map[string]any {
	return kubeconfigFor(clusterName, fakeEKSEndpoint(endpointID, region), region)
}

// fakeEKSEndpoint is the API endpoint EKS makes up for a cluster.
func fakeEKSEndpoint(endpointID, region string) string {
	return fmt.Sprintf("https://%s.gr7.%s.eks.amazonaws.com", endpointID, region)
}

// fakeEKSCertificate is the certificate authority data the fake clusters have.
const fakeEKSCertificate = "TFMwdExTMUNSVWRKVGlCRFJWSlVTVVpKUTBGVVJTMHRMUzB0Q2c9PQ=="

// kubeconfigFor is the kubeconfig of a cluster with the API endpoint given.
func kubeconfigFor(clusterName, endpoint, region string) map[string]any {
	return map[string]any{
		"apiVersion": "v1", "kind": "Config", "current-context": "aws",
		"clusters": []any{map[string]any{"name": "kubernetes", "cluster": map[string]any{
			"server": endpoint, "certificate-authority-data": fakeEKSCertificate,
		}}},
		"contexts": []any{map[string]any{"name": "aws", "context": map[string]any{"cluster": "kubernetes", "user": "aws"}}},
		"users": []any{map[string]any{"name": "aws", "user": map[string]any{"exec": map[string]any{
			"apiVersion": "client.authentication.k8s.io/v1beta1", "command": "aws",
			"args": []any{"eks", "get-token", "--cluster-name", clusterName, "--region", region},
		}}}},
	}
}
