package webtier

// What of a node's CPU is left for the app's pods: the node's allocatable CPU (its vCPUs less
// what the kubelet keeps for Kubernetes) less the requests of the DaemonSets that run on every node.

// daemonSet is one DaemonSet that runs a pod on every node of the cluster, with what it requests.
type daemonSet struct {
	name string
	// cpu is the millicores its containers request.
	cpu int
	// source says where the requests come from; "assumed" where no published manifest says.
	source string
}

// nodeDaemonSets are the DaemonSets of tierstack's add-ons on every Linux node, with their default
// requests (the add-ons run without configuration values that change them).
var nodeDaemonSets = []daemonSet{
	// aws/amazon-vpc-cni-k8s charts/aws-vpc-cni/values.yaml (v1.23.1, b52188387): the aws-node
	// container requests 25m; the network policy agent and the init container request nothing.
	{name: "aws-node (vpc-cni)", cpu: 25, source: "amazon-vpc-cni-k8s charts/aws-vpc-cni/values.yaml v1.23.1"},
	// EKS's kube-proxy add-on manifest is not published; 100m of CPU is what its DaemonSet
	// requests on EKS clusters (kubectl -n kube-system get ds kube-proxy -o yaml). Assumed.
	{name: "kube-proxy", cpu: 100, source: "assumed: EKS's kube-proxy DaemonSet as clusters show it"},
	// aws/eks-pod-identity-agent charts/eks-pod-identity-agent/values.yaml (1.2.0, d4dc0f3):
	// resources {}.
	{name: "eks-pod-identity-agent", source: "eks-pod-identity-agent charts/eks-pod-identity-agent/values.yaml 1.2.0"},
	// aws-observability/helm-charts charts/amazon-cloudwatch-observability/values.yaml (6.4.0,
	// 71a298f), which the amazon-cloudwatch-observability add-on installs: agent.resources and
	// containerLogs.fluentBit.resources requests (and 128Mi and 25Mi of memory). GPU and Neuron
	// exporters run on such nodes only; node-exporter only with otelContainerInsights, off by
	// default.
	{name: "cloudwatch-agent", cpu: 250, source: "amazon-cloudwatch-observability values.yaml 6.4.0 agent.resources"},
	{name: "fluent-bit", cpu: 50, source: "amazon-cloudwatch-observability values.yaml 6.4.0 containerLogs.fluentBit.resources"},
}

// kubeReservedCPU is the CPU, in millicores, that EKS's Amazon Linux 2023 nodes keep for the
// kubelet and the runtime out of a node's millicores (kubeReserved; systemReserved is not set):
// 6 % of the first core, 1 % of the second, 0.5 % of the third and fourth, 0.25 % of the rest
// (awslabs/amazon-eks-ami nodeadm/internal/kubelet/config.go, getCPUMillicoresToReserve,
// 81fec2e8).
func kubeReservedCPU(millicores int) int {
	ranges := []int{0, 1000, 2000, 4000, millicores}
	per10000 := []int{600, 100, 50, 25}
	reserved := 0
	for i, share := range per10000 {
		start, end := ranges[i], ranges[i+1]
		if millicores <= start {
			continue
		}
		reserved += (min(millicores, end) - start) * share / 10000
	}
	return reserved
}

// daemonSetCPU is what the DaemonSets request of every node, in millicores.
func daemonSetCPU() int {
	total := 0
	for _, d := range nodeDaemonSets {
		total += d.cpu
	}
	return total
}

// PodCPU is the most CPU, in millicores, an app pod may request on a node of an instance type:
// the node's allocatable CPU less the DaemonSets' requests. false for types whose vCPUs it cannot
// tell. A pod asking for more never schedules, and pulumi up waits for the rollout until it times
// out.
func PodCPU(instanceType string) (int, bool) {
	n, known := vCPUs(instanceType)
	if !known {
		return 0, false
	}
	return n*1000 - kubeReservedCPU(n*1000) - daemonSetCPU(), true
}
