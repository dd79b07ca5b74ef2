package workers

import (
	"fmt"
	"maps"
	"slices"
	"strconv"

	awseks "github.com/pulumi/pulumi-aws/sdk/v6/go/aws/eks"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/apiextensions"
	appsv1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/apps/v1"
	corev1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/core/v1"
	metav1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/meta/v1"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/tierstack/tierstack/components/webtier"
	"github.com/tierstack/tierstack/internal/naming"
)

// KEDA's scaling of the workers (keda.sh/v1alpha1).
const (
	// KEDAAPIVersion is the API version of ScaledObject and TriggerAuthentication.
	KEDAAPIVersion = "keda.sh/v1alpha1"
	// PollingSeconds is how often KEDA reads the queue's backlog (its default, 30).
	PollingSeconds = 30
	// CooldownSeconds is how long the queue stays empty before KEDA scales the workers to Min 0
	// (its default, 300); scaling between 1 and Max is the HorizontalPodAutoscaler's.
	CooldownSeconds = 300
	// GraceMarginSeconds is what a stopping worker gets past JobTimeoutSeconds: its last job's
	// delete and the container's exit.
	GraceMarginSeconds = 15
)

// workerLabels select the workers' pods.
var workerLabels = pulumi.StringMap{"app.kubernetes.io/name": pulumi.String("workers")}

// runOnCluster runs the workers on the web tier's EKS cluster, in its app namespace (Pod Security
// "restricted"): a service account given the workers' own role by Pod Identity, a Deployment whose
// pods are hardened as the app's and have JobTimeoutSeconds to finish a job when stopped, and a KEDA
// ScaledObject that holds BacklogPerWorker messages per pod (KEDA's aws-sqs-queue scaler counts
// visible and in-flight messages) between Min and Max, from zero where Min is 0. KEDA reads the
// queue with its operator's own identity (TriggerAuthentication, podIdentity provider aws), which
// gets ScalerPolicy; the workers' pods never hold that grant, nor KEDA theirs.
func (w *Workers) runOnCluster(ctx *pulumi.Context, web *webtier.WebTier) error {
	a, name, parent := w.args, w.name, pulumi.Parent(w)
	k := web.Workloads
	if k == nil || k.Provider == nil {
		return errNoCluster
	}
	if k.KEDA == nil {
		return errNoKEDA
	}
	// The shared files: the web tier's claims of them, in the same namespace, mounted through the
	// EFS CSI driver, whose node role holds the grant (the workers' role needs none).
	var claims []webtier.ClaimMount
	for _, m := range a.Mounts {
		claim, ok := k.Claims[m.Path]
		if !ok {
			return fmt.Errorf("%w: %s", errMountsOnCluster, m.Path)
		}
		claims = append(claims, webtier.ClaimMount{Path: m.Path, Claim: claim})
	}
	backends, err := webtier.ResolveBackends(a.Mode, a.Backends)
	if err != nil {
		return err
	}
	// The nodes carry the web tier's security group, which the backends admit already.
	w.SecurityGroupID = web.SecurityGroupID
	trust, err := webtier.PodIdentityTrust(w.env, k.ClusterName, webtier.AppNamespace, WorkerAccount)
	if err != nil {
		return err
	}
	roleName := naming.Child(name, "pod-role")
	role, err := iam.NewRole(ctx, roleName, &iam.RoleArgs{
		Description:      pulumi.String("The workers' pods: their queue and their secrets"),
		AssumeRolePolicy: pulumi.String(trust),
		Tags:             naming.Tags(a.Tags, roleName),
	}, parent)
	if err != nil {
		return err
	}
	w.RoleARN = role.Arn
	grants, err := w.grantRole(ctx, role, backends, false)
	if err != nil {
		return err
	}
	identity, err := awseks.NewPodIdentityAssociation(ctx, naming.Child(name, "identity"), &awseks.PodIdentityAssociationArgs{
		ClusterName: pulumi.String(k.ClusterName), Namespace: pulumi.String(webtier.AppNamespace),
		ServiceAccount: pulumi.String(WorkerAccount), RoleArn: role.Arn,
		Tags: naming.Tags(a.Tags, naming.Child(name, "identity")),
	}, parent, pulumi.DependsOn(append([]pulumi.Resource{k.Cluster}, grants...)))
	if err != nil {
		return err
	}
	scalerGrant, err := iam.NewRolePolicy(ctx, naming.Child(name, "scaler"), &iam.RolePolicyArgs{
		Role: k.KEDARoleName, Policy: w.QueueARN.ApplyT(ScalerPolicy).(pulumi.StringOutput),
	}, parent)
	if err != nil {
		return err
	}

	on := pulumi.Provider(k.Provider)
	meta := func(n string) *metav1.ObjectMetaArgs {
		return &metav1.ObjectMetaArgs{Name: pulumi.String(n), Namespace: pulumi.String(webtier.AppNamespace), Labels: workerLabels}
	}
	inNamespace := pulumi.DependsOn([]pulumi.Resource{k.Namespace})
	account, err := corev1.NewServiceAccount(ctx, naming.Child(name, "account"), &corev1.ServiceAccountArgs{
		Metadata:                     meta(WorkerAccount),
		AutomountServiceAccountToken: pulumi.Bool(false),
	}, parent, on, inNamespace)
	if err != nil {
		return err
	}
	deployment, err := appsv1.NewDeployment(ctx, naming.Child(name, "deployment"), &appsv1.DeploymentArgs{
		Metadata: meta("workers"),
		Spec: &appsv1.DeploymentSpecArgs{
			Replicas: pulumi.Int(a.min),
			Selector: &metav1.LabelSelectorArgs{MatchLabels: workerLabels},
			Strategy: &appsv1.DeploymentStrategyArgs{
				Type:          pulumi.String("RollingUpdate"),
				RollingUpdate: &appsv1.RollingUpdateDeploymentArgs{MaxUnavailable: pulumi.String("25%"), MaxSurge: pulumi.String("25%")},
			},
			Template: &corev1.PodTemplateSpecArgs{
				Metadata: &metav1.ObjectMetaArgs{Labels: workerLabels},
				Spec:     webtier.WorkerPodSpec(a.App, a.Command, w.podEnv(backends), WorkerAccount, workerLabels, a.JobTimeoutSeconds+GraceMarginSeconds, claims...),
			},
		},
	}, parent, on,
		// KEDA moves the replica count; Pulumi must not move it back.
		pulumi.IgnoreChanges([]string{"spec.replicas"}),
		pulumi.DependsOn(append([]pulumi.Resource{account, identity}, k.Ready...)))
	if err != nil {
		return err
	}
	auth, err := apiextensions.NewCustomResource(ctx, naming.Child(name, "scaler-auth"), &apiextensions.CustomResourceArgs{
		ApiVersion: pulumi.String(KEDAAPIVersion), Kind: pulumi.String("TriggerAuthentication"),
		Metadata: meta("workers-queue"),
		// The operator's own role (identityOwner keda, the default): KEDA docs, "AWS (IRSA) Pod
		// Identity Webhook" authentication provider; its SDK's default chain takes EKS Pod Identity.
		OtherFields: map[string]any{"spec": webtier.KEDAOperatorAuth()},
	}, parent, on, pulumi.DependsOn([]pulumi.Resource{k.KEDA, k.Namespace}))
	if err != nil {
		return err
	}
	_, err = apiextensions.NewCustomResource(ctx, naming.Child(name, "scaler"), &apiextensions.CustomResourceArgs{
		ApiVersion: pulumi.String(KEDAAPIVersion), Kind: pulumi.String("ScaledObject"),
		Metadata: meta("workers"),
		OtherFields: map[string]any{"spec": pulumi.Map{
			"scaleTargetRef":  pulumi.Map{"name": deployment.Metadata.Name().Elem()},
			"minReplicaCount": pulumi.Int(a.min),
			"maxReplicaCount": pulumi.Int(a.Max),
			"pollingInterval": pulumi.Int(PollingSeconds),
			"cooldownPeriod":  pulumi.Int(CooldownSeconds),
			// The backlog, and a floor while each known peak's window is open.
			"triggers": append(pulumi.Array{pulumi.Map{
				"type": pulumi.String("aws-sqs-queue"),
				"metadata": pulumi.Map{
					"queueURL":    w.QueueURL,
					"queueLength": pulumi.String(strconv.Itoa(a.BacklogPerWorker)),
					"awsRegion":   pulumi.String(w.env.Region),
				},
				"authenticationRef": pulumi.Map{"name": auth.Metadata.Name().Elem()},
			}}, webtier.CronTriggers(webtier.PeakWindows(a.Schedules, a.min))...),
		}},
	}, parent, on, pulumi.DependsOn([]pulumi.Resource{k.KEDA, scalerGrant}))
	return err
}

// podEnv are the workers' variables in their pods: the app's, the backends' and QUEUE_URL.
func (w *Workers) podEnv(b webtier.ResolvedBackends) corev1.EnvVarArray {
	env := corev1.EnvVarArray{}
	for _, k := range sortedKeys(w.args.App.Env) {
		env = append(env, corev1.EnvVarArgs{Name: pulumi.String(k), Value: pulumi.String(w.args.App.Env[k])})
	}
	conn := maps.Clone(b.Connection)
	if conn == nil {
		conn = map[string]pulumi.StringInput{}
	}
	conn[QueueURLVariable] = w.QueueURL
	for _, k := range slices.Sorted(maps.Keys(conn)) {
		env = append(env, corev1.EnvVarArgs{Name: pulumi.String(k), Value: conn[k]})
	}
	return env
}
