package webtier

import (
	"slices"
	"strings"
)

// KubernetesRelease is what tierstack pins for one Kubernetes minor version of EKS.
type KubernetesRelease struct {
	// Version is the minor version, such as "1.36".
	Version string
	// StandardSupportEnds is the last day of EKS standard support (extended support costs more
	// per cluster hour after it, for 12 months).
	StandardSupportEnds string
	// ClusterAutoscalerImage is the Cluster Autoscaler image tag for the version: the autoscaler
	// simulates the scheduler of its own minor version, so its minor follows the cluster's.
	ClusterAutoscalerImage string
	// ClusterAutoscalerChart is the chart version that runs it: from 1.35 the autoscaler watches
	// dynamic resource allocation objects (resource.k8s.io), which chart 9.54.0 first grants.
	ClusterAutoscalerChart string
	// KEDAChart is the KEDA chart version (KEDA's own version) that runs on it: KEDA tests each
	// release on three Kubernetes minor versions ("Cluster", keda.sh docs, the compatibility
	// matrix).
	KEDAChart string
}

// kubernetesReleases are the EKS versions in standard support that tierstack creates clusters
// with. Dates: endoflife.date "Amazon EKS" (seen 2026-11-23), which follows AWS's "Understand the
// Kubernetes version lifecycle on EKS": 14 months of standard support from release; 1.33 is in
// extended support since 2026-07-29 and not offered. Autoscaler images: the newest patch of each
// minor (kubernetes/autoscaler tags cluster-autoscaler-1.34.5, -1.35.2, -1.36.1); charts: 9.52.0
// is the first with 1.34, 9.54.0 the first whose ClusterRole covers resource.k8s.io. KEDA: v2.21
// is tested on 1.34 to 1.36 (keda.sh/docs/2.22/operate/cluster, "Kubernetes Compatibility");
// 2.21.1 is its newest patch (the Go module proxy's github.com/kedacore/keda/v2 list, seen
// 2026-12-04, released 2026-11-15), and kedacore/charts versions its chart as KEDA.
var kubernetesReleases = []KubernetesRelease{
	{Version: "1.34", StandardSupportEnds: "2026-12-02", ClusterAutoscalerImage: "v1.34.5", ClusterAutoscalerChart: "9.52.0", KEDAChart: "2.21.1"},
	{Version: "1.35", StandardSupportEnds: "2027-03-27", ClusterAutoscalerImage: "v1.35.2", ClusterAutoscalerChart: "9.54.0", KEDAChart: "2.21.1"},
	{Version: "1.36", StandardSupportEnds: "2027-08-02", ClusterAutoscalerImage: "v1.36.1", ClusterAutoscalerChart: "9.54.0", KEDAChart: "2.21.1"},
}

// DefaultKubernetesVersion is the version a new cluster runs: the newest in kubernetesReleases.
const DefaultKubernetesVersion = "1.36"

// KubernetesVersions returns the versions a WebTier accepts, oldest first.
func KubernetesVersions() []string {
	out := make([]string, len(kubernetesReleases))
	for i, r := range kubernetesReleases {
		out[i] = r.Version
	}
	return out
}

// kubernetesRelease returns the release of a version and whether it is known.
func kubernetesRelease(version string) (KubernetesRelease, bool) {
	i := slices.IndexFunc(kubernetesReleases, func(r KubernetesRelease) bool { return r.Version == version })
	if i < 0 {
		return KubernetesRelease{}, false
	}
	return kubernetesReleases[i], true
}

// Charts pinned by version: a chart's version is its contract, and an unpinned one changes under a
// stack between two runs.
const (
	// LoadBalancerControllerChart is the AWS Load Balancer Controller chart (eks-charts), which
	// binds the pods' Service to the load balancer's target group (TargetGroupBinding).
	LoadBalancerControllerChart        = "aws-load-balancer-controller"
	LoadBalancerControllerRepo         = "https://aws.github.io/eks-charts"
	LoadBalancerControllerChartVersion = "1.13.4"
	// ClusterAutoscalerChart is the Cluster Autoscaler chart (kubernetes/autoscaler), at the
	// version the cluster's KubernetesRelease names, with the image tag it names.
	ClusterAutoscalerChart = "cluster-autoscaler"
	ClusterAutoscalerRepo  = "https://kubernetes.github.io/autoscaler"
)

// coreAddons are the EKS add-ons every cluster runs, managed by EKS at versions recorded in the
// stack: networking, DNS, service routing, Pod Identity (the app's and controllers' AWS
// credentials) and metrics-server (CPU metrics for the HorizontalPodAutoscaler).
var coreAddons = []string{"vpc-cni", "kube-proxy", "coredns", "eks-pod-identity-agent", "metrics-server"}

// CoreAddons returns the EKS add-ons a cluster runs, as a new slice: the core ones and Container
// Insights (ObservabilityAddon).
func CoreAddons() []string { return append(slices.Clone(coreAddons), ObservabilityAddon) }

// addonVersionLike reports whether v looks like an EKS add-on version: v1.19.2-eksbuild.1.
func addonVersionLike(v string) bool {
	return strings.HasPrefix(v, "v") && strings.Contains(v, "-eksbuild.") && len(v) <= 64
}
