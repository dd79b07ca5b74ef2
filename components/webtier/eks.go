package webtier

import (
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/tierstack/tierstack/internal/awsenv"
	"github.com/tierstack/tierstack/internal/naming"
)

// buildEKS runs the app on EKS behind the load balancer of mode autoscaling, kept: the cluster, a
// managed node group per zone, the core add-ons, the controllers (load balancer binding, node
// autoscaling), KEDA (the app's scaling), the known peaks' scheduled actions on the node groups,
// the EFS CSI driver when the app has Mounts, and the app's Kubernetes objects, each waiting for
// what it truly needs.
func (w *WebTier) buildEKS(ctx *pulumi.Context, name string, a checkedArgs, env awsenv.Env, appSG *ec2.SecurityGroup, lbs loadBalancer, logs clusterLogs, addonVersions map[string]string) error {
	parent := pulumi.Parent(w)
	if err := nodePortRules(ctx, name, appSG, lbs, parent); err != nil {
		return err
	}
	nodeRole, err := w.nodeRole(ctx, name, a, env)
	if err != nil {
		return err
	}
	parts, err := w.buildCluster(ctx, name, a, env, nodeRole, logs)
	if err != nil {
		return err
	}
	networking, err := w.buildAddons(ctx, name, a, parts, addonVersions, false, nil)
	if err != nil {
		return err
	}
	nodes, err := w.buildNodes(ctx, name, a, env, parts, nodeRole, appSG, networking)
	if err != nil {
		return err
	}
	onNodes, err := w.buildAddons(ctx, name, a, parts, addonVersions, true, nodes)
	if err != nil {
		return err
	}
	// The EFS CSI driver, when the app mounts shared files; nil otherwise.
	files, err := w.buildFilesDriver(ctx, name, a, env, parts, addonVersions[FilesAddon], nodes)
	if err != nil {
		return err
	}
	// Container Insights: node, pod and container metrics, and the containers' logs.
	insights, err := w.buildInsights(ctx, name, a, env, parts, addonVersions[ObservabilityAddon], nodes)
	if err != nil {
		return err
	}
	addons := append(append(networking, onNodes...), insights)
	k8s, err := kubernetes.NewProvider(ctx, naming.Child(name, "k8s"), &kubernetes.ProviderArgs{
		Kubeconfig:            parts.cluster.KubeconfigJson,
		EnableServerSideApply: pulumi.Bool(true),
	}, parent)
	if err != nil {
		return err
	}
	// Workloads start once nodes, networking, DNS and the Pod Identity agent run.
	ready := append(append([]pulumi.Resource{}, nodes...), addons...)
	lbc, err := w.buildControllers(ctx, name, a, env, parts, k8s, lbs, ready)
	if err != nil {
		return err
	}
	scaler, err := w.buildKEDA(ctx, name, a, env, parts, k8s, ready)
	if err != nil {
		return err
	}
	if err := w.buildNodeSchedules(ctx, name, a, nodes); err != nil {
		return err
	}
	return w.buildKubernetesApp(ctx, name, a, parts, k8s, w.RoleARN, lbs, ready, lbc, scaler, files)
}
