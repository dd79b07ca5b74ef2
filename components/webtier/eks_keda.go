package webtier

import (
	"github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes"
	corev1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/core/v1"
	metav1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/meta/v1"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/tierstack/tierstack/internal/awsenv"
	"github.com/tierstack/tierstack/internal/naming"
)

// KEDA, the Kubernetes event-driven autoscaler, installed on every cluster of mode eks: it scales
// the app (a ScaledObject on CPU and the known peaks' cron windows) and, once a Workers component
// runs on the cluster, its Deployment on queue depth (aws-sqs-queue).
const (
	// KEDAChart is KEDA's chart (kedacore/charts), at the version the cluster's KubernetesRelease
	// names (KEDAChart); the chart's version is KEDA's own (chart 2.20.2 runs KEDA 2.20.2).
	KEDAChart = "keda"
	// KEDARepo is the chart's repository.
	KEDARepo = "https://kedacore.github.io/charts"
	// KEDANamespace is the namespace KEDA runs in, of its own, Pod Security "restricted" enforced.
	KEDANamespace = "keda"
	// KEDAOperatorAccount is the KEDA operator's service account, which Pod Identity gives the
	// operator's role (WebTier.Workloads.KEDARoleName): the operator is what reads a queue's depth.
	KEDAOperatorAccount = "keda-operator"
)

// KEDAOperatorAuth is the spec of the TriggerAuthentication (keda.sh/v1alpha1) with which a KEDA
// AWS scaler, such as aws-sqs-queue, reads AWS with the KEDA operator's own credentials: its Pod
// Identity role (KEDARoleName), to which the scaled workload attaches what the scaler reads (for
// a queue, sqs:GetQueueAttributes on it). It is {podIdentity: {provider: aws}}, without roleArn
// and with identityOwner left at its default, keda ("AWS (IRSA) Pod Identity Webhook", keda.sh
// docs 2.20: "If not set the IAM role which the KEDA operator uses will be used"). In KEDA
// v2.21.1, pkg/scalers/aws/aws_common.go GetAwsAuthorization sets UsingPodIdentity for provider
// aws, and aws_config_cache.go then loads the operator's default credential chain
// (config.LoadDefaultConfig), which reads EKS Pod Identity's container credentials; it assumes
// no role. The scaler trigger's own identityOwner: operator metadata is the older form (provider
// aws-eks), which KEDA keeps only until it removes aws-eks.
func KEDAOperatorAuth() map[string]any {
	return map[string]any{"podIdentity": map[string]any{"provider": "aws"}}
}

// kedaResources are each KEDA pod's requests and limits, KEDA's own production figures ("Cluster",
// keda.sh docs, and the chart's values.yaml 2.20.2: operator, metrics server and webhooks each
// request 100m and 100Mi, limited to 1 CPU and 1000Mi), stated so that a chart upgrade does not
// move them: three pods, whose room on the nodes is all KEDA costs.
func kedaResources() pulumi.Map {
	return pulumi.Map{
		"requests": pulumi.Map{"cpu": pulumi.String("100m"), "memory": pulumi.String("100Mi")},
		"limits":   pulumi.Map{"cpu": pulumi.String("1"), "memory": pulumi.String("1000Mi")},
	}
}

// kedaPodSecurity are the security contexts of KEDA's pods and containers, stated rather than left
// to the chart's defaults (values.yaml "KEDA is secure by default", which already meet them): what
// Pod Security "restricted" requires, and read-only root file systems.
func kedaPodSecurity() (pod, container pulumi.Map) {
	pod, container = pulumi.Map{}, pulumi.Map{}
	for _, part := range []string{"operator", "metricServer", "webhooks"} {
		pod[part] = pulumi.Map{
			"runAsNonRoot":   pulumi.Bool(true),
			"seccompProfile": pulumi.Map{"type": pulumi.String("RuntimeDefault")},
		}
		container[part] = pulumi.Map{
			"allowPrivilegeEscalation": pulumi.Bool(false),
			"capabilities":             pulumi.Map{"drop": pulumi.StringArray{pulumi.String("ALL")}},
			"readOnlyRootFilesystem":   pulumi.Bool(true),
			"runAsNonRoot":             pulumi.Bool(true),
			"seccompProfile":           pulumi.Map{"type": pulumi.String("RuntimeDefault")},
		}
	}
	return pod, container
}

// keda is what buildKEDA made: the release (ScaledObjects wait for it, its chart defining their
// kind and admitting them) and the operator role's name.
type keda struct {
	release  pulumi.Resource
	roleName pulumi.StringOutput
}

// buildKEDA installs KEDA in its namespace (Pod Security "restricted", enforced), from its pinned
// chart, after the nodes and add-ons (ready), with the operator's role given by Pod Identity before
// its pods start. The role has no policy of its own: KEDA's cpu and cron scalers read no AWS, and
// a workload scaled on an AWS metric (the Workers' queue) attaches what its scaler reads. The control plane reaches KEDA's metrics server (6443) and admission webhooks
// (9443) through the cluster's rule to the nodes' unprivileged ports (clusterRules).
func (w *WebTier) buildKEDA(ctx *pulumi.Context, name string, a checkedArgs, env awsenv.Env, parts eksParts, k8s *kubernetes.Provider, ready []pulumi.Resource) (keda, error) {
	parent := pulumi.Parent(w)
	release, _ := kubernetesRelease(a.Cluster.Version)
	ns, err := corev1.NewNamespace(ctx, naming.Child(name, "keda-namespace"), &corev1.NamespaceArgs{
		Metadata: &metav1.ObjectMetaArgs{
			Name: pulumi.String(KEDANamespace),
			Labels: pulumi.StringMap{
				"pod-security.kubernetes.io/enforce": pulumi.String(PodSecurityLevel),
				"pod-security.kubernetes.io/audit":   pulumi.String(PodSecurityLevel),
				"pod-security.kubernetes.io/warn":    pulumi.String(PodSecurityLevel),
			},
		},
	}, parent, pulumi.Provider(k8s), pulumi.DependsOn(ready))
	if err != nil {
		return keda{}, err
	}
	identity, role, err := w.podRole(ctx, name, "keda", a, env, parts, KEDANamespace, KEDAOperatorAccount, nil, []pulumi.Resource{parts.cluster})
	if err != nil {
		return keda{}, err
	}
	pod, container := kedaPodSecurity()
	r, err := newHelmRelease(ctx, naming.Child(name, "keda"), KEDAChart, KEDANamespace,
		helmChart{Name: KEDAChart, Repo: KEDARepo, Version: release.KEDAChart},
		pulumi.Map{
			"serviceAccount": pulumi.Map{"operator": pulumi.Map{
				"create": pulumi.Bool(true), "name": pulumi.String(KEDAOperatorAccount),
			}},
			"podSecurityContext": pod,
			"securityContext":    container,
			"resources": pulumi.Map{
				"operator": kedaResources(), "metricServer": kedaResources(), "webhooks": kedaResources(),
			},
		}, parent, pulumi.Provider(k8s), pulumi.DependsOn(append([]pulumi.Resource{ns, identity}, ready...)))
	if err != nil {
		return keda{}, err
	}
	return keda{release: r, roleName: role.Name}, nil
}
