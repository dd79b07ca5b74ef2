package webtier

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	awseks "github.com/pulumi/pulumi-aws/sdk/v6/go/aws/eks"
	"github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes"
	"github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/apiextensions"
	appsv1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/apps/v1"
	corev1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/core/v1"
	metav1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/meta/v1"
	policyv1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/policy/v1"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/tierstack/tierstack/internal/naming"
)

// The app's place in the cluster.
const (
	// AppNamespace is the namespace the app runs in.
	AppNamespace = "app"
	// AppServiceAccount is the app's service account, which Pod Identity gives the app's role.
	AppServiceAccount = "app"
	// NodePort is the port every node serves the app's Service on: the port the load balancer's
	// target group reaches the nodes at, and the one the security groups open to it.
	NodePort = 30080
	// SecretsDir is where the pods find App.Secrets: a file per variable, in memory.
	SecretsDir = "/run/secrets/app"
	// SecretsImage reads the secrets before the app starts, with the pod's own role.
	SecretsImage = "public.ecr.aws/aws-cli/aws-cli:2.27.50"
)

// appLabels select the app's pods.
var appLabels = pulumi.StringMap{"app.kubernetes.io/name": pulumi.String("app")}

// buildKubernetesApp runs the app on the cluster: its namespace and service account (given the
// app's role by Pod Identity); a Deployment spread across zones and nodes, with probes on the health
// path, requests from the App, and the secrets read into memory by an init container; a NodePort
// Service; a KEDA ScaledObject on CPU 50 % and the known peaks' cron windows (buildScaledObject);
// a PodDisruptionBudget; and the TargetGroupBinding that puts the nodes serving it in the load
// balancer's target group.
//
// With Mounts, each gets a PersistentVolume and claim (buildClaims), which the pods mount once the
// EFS CSI driver (files, nil without Mounts) runs. The app waits for the nodes and add-ons (ready);
// only the binding waits for the load balancer controller (lbc), and the ScaledObject for KEDA
// (scaler), which define their kinds.
func (w *WebTier) buildKubernetesApp(ctx *pulumi.Context, name string, a checkedArgs, parts eksParts, k8s *kubernetes.Provider, role pulumi.StringOutput, lbs loadBalancer, ready []pulumi.Resource, lbc pulumi.Resource, scaler keda, files pulumi.Resource) error {
	parent := pulumi.Parent(w)
	on := pulumi.Provider(k8s)
	ns, err := corev1.NewNamespace(ctx, naming.Child(name, "namespace"), &corev1.NamespaceArgs{
		Metadata: &metav1.ObjectMetaArgs{
			Name: pulumi.String(AppNamespace),
			// Pod Security "restricted", enforced: a pod that does not meet it is refused.
			Labels: pulumi.StringMap{
				"pod-security.kubernetes.io/enforce": pulumi.String(PodSecurityLevel),
				"pod-security.kubernetes.io/audit":   pulumi.String(PodSecurityLevel),
				"pod-security.kubernetes.io/warn":    pulumi.String(PodSecurityLevel),
			},
		},
	}, parent, on, pulumi.DependsOn(ready))
	if err != nil {
		return err
	}
	w.Workloads = &Workloads{
		Provider: k8s, ClusterName: parts.clusterName, Cluster: parts.cluster, Namespace: ns, Ready: ready,
		KEDA: scaler.release, KEDARoleName: scaler.roleName,
	}
	claims, err := w.buildClaims(ctx, name, a, ns, parent, on)
	if err != nil {
		return err
	}
	// The pods mount the claims through the driver: they wait for both.
	podsWait := []pulumi.Resource{}
	if files != nil {
		w.Workloads.Ready = append(slices.Clone(ready), files)
		w.Workloads.Claims = map[string]pulumi.StringOutput{}
		podsWait = append(podsWait, files)
	}
	for _, c := range claims {
		w.Workloads.Claims[c.path] = c.claim
		podsWait = append(podsWait, c.res)
	}
	meta := func(n string) *metav1.ObjectMetaArgs {
		return &metav1.ObjectMetaArgs{Name: pulumi.String(n), Namespace: ns.Metadata.Name().Elem(), Labels: appLabels}
	}
	account, err := corev1.NewServiceAccount(ctx, naming.Child(name, "account"), &corev1.ServiceAccountArgs{
		Metadata: meta(AppServiceAccount),
		// The app reads secrets with its role; it never talks to the Kubernetes API.
		AutomountServiceAccountToken: pulumi.Bool(false),
	}, parent, on)
	if err != nil {
		return err
	}
	identity, err := awseks.NewPodIdentityAssociation(ctx, naming.Child(name, "app-identity"), &awseks.PodIdentityAssociationArgs{
		ClusterName: pulumi.String(parts.clusterName), Namespace: pulumi.String(AppNamespace),
		ServiceAccount: pulumi.String(AppServiceAccount), RoleArn: role,
		Tags: naming.Tags(a.Tags, naming.Child(name, "app-identity")),
	}, parent, pulumi.DependsOn([]pulumi.Resource{parts.cluster}))
	if err != nil {
		return err
	}

	r := a.App.Replicas
	deployment, err := appsv1.NewDeployment(ctx, naming.Child(name, "deployment"), &appsv1.DeploymentArgs{
		Metadata: meta("app"),
		Spec: &appsv1.DeploymentSpecArgs{
			Replicas: pulumi.Int(r.Desired),
			Selector: &metav1.LabelSelectorArgs{MatchLabels: appLabels},
			Strategy: &appsv1.DeploymentStrategyArgs{
				Type:          pulumi.String("RollingUpdate"),
				RollingUpdate: &appsv1.RollingUpdateDeploymentArgs{MaxUnavailable: pulumi.Int(0), MaxSurge: pulumi.String("25%")},
			},
			Template: &corev1.PodTemplateSpecArgs{
				Metadata: &metav1.ObjectMetaArgs{Labels: appLabels},
				Spec:     podSpec(a, claims...),
			},
		},
	}, parent, on,
		// KEDA's HorizontalPodAutoscaler moves the replica count; Pulumi must not move it back.
		pulumi.IgnoreChanges([]string{"spec.replicas"}),
		pulumi.DependsOn(append([]pulumi.Resource{account, identity}, podsWait...)))
	if err != nil {
		return err
	}
	service, err := corev1.NewService(ctx, naming.Child(name, "service"), &corev1.ServiceArgs{
		Metadata: meta("app"),
		Spec: &corev1.ServiceSpecArgs{
			Type:     pulumi.String("NodePort"),
			Selector: appLabels,
			Ports: corev1.ServicePortArray{corev1.ServicePortArgs{
				Name: pulumi.String("http"), Protocol: pulumi.String("TCP"),
				Port: pulumi.Int(HostPort), TargetPort: pulumi.Int(a.App.Port), NodePort: pulumi.Int(NodePort),
			}},
		},
	}, parent, on)
	if err != nil {
		return err
	}
	if err := buildScaledObject(ctx, name, a, meta("app"), deployment.Metadata.Name().Elem(), []pulumi.Resource{scaler.release, deployment}, parent, on); err != nil {
		return err
	}
	if _, err := policyv1.NewPodDisruptionBudget(ctx, naming.Child(name, "pdb"), &policyv1.PodDisruptionBudgetArgs{
		Metadata: meta("app"),
		Spec: &policyv1.PodDisruptionBudgetSpecArgs{
			// A node drain (an upgrade, the autoscaler's scale-in) takes one pod at a time.
			MaxUnavailable: pulumi.Int(1),
			Selector:       &metav1.LabelSelectorArgs{MatchLabels: appLabels},
		},
	}, parent, on); err != nil {
		return err
	}
	_, err = apiextensions.NewCustomResource(ctx, naming.Child(name, "binding"), &apiextensions.CustomResourceArgs{
		ApiVersion: pulumi.String("elbv2.k8s.aws/v1beta1"),
		Kind:       pulumi.String("TargetGroupBinding"),
		Metadata:   meta("app"),
		OtherFields: map[string]any{"spec": pulumi.Map{
			"serviceRef":     pulumi.Map{"name": service.Metadata.Name().Elem(), "port": pulumi.Int(HostPort)},
			"targetGroupARN": lbs.targetGroup.Arn,
			// The target group of 10k, kept: instance targets, reached on the NodePort.
			"targetType": pulumi.String("instance"),
			// The target group is shared with the Auto Scaling group of 10k, whose instances serve
			// until it is deleted (10k → 100k) or are new (100k → 10k). Without this the controller
			// deregisters every target it did not register, those instances first, before the nodes
			// pass a health check; with it, it deregisters only the targets it registered, which it
			// records in the ConfigMap aws-lbc-targets-app of the app's namespace (controller
			// v2.13.4 pkg/targetgroupbinding/resource_manager.go and multicluster_manager.go; chart
			// 1.13.4's ClusterRole may write ConfigMaps). Set from the binding's creation: the
			// controller's guide warns against changing it afterwards (leaked targets).
			"multiClusterTargetGroup": pulumi.Bool(true),
		}},
	}, parent, on,
		// The controller defines the kind and admits it. The binding does not wait for the pods:
		// the instances stay registered, the nodes count only once they pass the target group's
		// health checks, and registering them early lets those checks start while the pods start.
		pulumi.DependsOn([]pulumi.Resource{lbc}))
	return err
}

// podSpec is the app's pod: spread across zones (a zone may hold at most one pod more than
// another) and across nodes where it can; the app's container with its requests, probes and a
// pause before it stops, so that the load balancer stops sending first; App.Secrets read by an init
// container into files in memory; the claims of the Mounts at their paths.
func podSpec(a checkedArgs, claims ...mountClaim) *corev1.PodSpecArgs {
	app := a.App
	env := corev1.EnvVarArray{}
	for _, k := range slices.Sorted(maps.Keys(app.Env)) {
		env = append(env, corev1.EnvVarArgs{Name: pulumi.String(k), Value: pulumi.String(app.Env[k])})
	}
	for _, k := range slices.Sorted(maps.Keys(a.Connection)) {
		env = append(env, corev1.EnvVarArgs{Name: pulumi.String(k), Value: a.Connection[k]})
	}
	// A secret reaches the app as a file in memory, its path in NAME_FILE: a value in the pod's
	// environment would be in the Deployment, and so in Pulumi's state and in etcd.
	for _, k := range slices.Sorted(maps.Keys(app.Secrets)) {
		env = append(env, corev1.EnvVarArgs{Name: pulumi.String(k + "_FILE"), Value: pulumi.String(SecretsDir + "/" + k)})
	}
	probe := func(failures int) *corev1.ProbeArgs {
		return &corev1.ProbeArgs{
			HttpGet:          &corev1.HTTPGetActionArgs{Path: pulumi.String(app.HealthPath), Port: pulumi.Int(app.Port)},
			PeriodSeconds:    pulumi.Int(10),
			TimeoutSeconds:   pulumi.Int(5),
			FailureThreshold: pulumi.Int(failures),
		}
	}
	container := corev1.ContainerArgs{
		Name:  pulumi.String("app"),
		Image: pulumi.String(app.Image),
		Ports: corev1.ContainerPortArray{corev1.ContainerPortArgs{Name: pulumi.String("http"), ContainerPort: pulumi.Int(app.Port)}},
		Env:   env,
		// Limits equal to the requests, as Docker's --cpus and --memory on the instances.
		Resources: &corev1.ResourceRequirementsArgs{
			Requests: pulumi.StringMap{"cpu": pulumi.Sprintf("%dm", app.CPU), "memory": pulumi.Sprintf("%dMi", app.MemoryMiB)},
			Limits:   pulumi.StringMap{"cpu": pulumi.Sprintf("%dm", app.CPU), "memory": pulumi.Sprintf("%dMi", app.MemoryMiB)},
		},
		ReadinessProbe:  probe(3),
		LivenessProbe:   probe(6),
		Lifecycle:       &corev1.LifecycleArgs{PreStop: &corev1.LifecycleHandlerArgs{Sleep: &corev1.SleepActionArgs{Seconds: pulumi.Int(15)}}},
		SecurityContext: containerSecurityContext(),
	}
	// The root file system is read-only: the app writes to /tmp only.
	volumes := corev1.VolumeArray{scratchVolume("tmp", AppTmpSize)}
	mounts := corev1.VolumeMountArray{corev1.VolumeMountArgs{Name: pulumi.String("tmp"), MountPath: pulumi.String("/tmp")}}
	spec := &corev1.PodSpecArgs{
		SecurityContext:               podSecurityContext(),
		ServiceAccountName:            pulumi.String(AppServiceAccount),
		TerminationGracePeriodSeconds: pulumi.Int(45),
		TopologySpreadConstraints: corev1.TopologySpreadConstraintArray{
			corev1.TopologySpreadConstraintArgs{
				MaxSkew: pulumi.Int(1), TopologyKey: pulumi.String("topology.kubernetes.io/zone"),
				WhenUnsatisfiable: pulumi.String("DoNotSchedule"), LabelSelector: &metav1.LabelSelectorArgs{MatchLabels: appLabels},
			},
			corev1.TopologySpreadConstraintArgs{
				MaxSkew: pulumi.Int(1), TopologyKey: pulumi.String("kubernetes.io/hostname"),
				WhenUnsatisfiable: pulumi.String("ScheduleAnyway"), LabelSelector: &metav1.LabelSelectorArgs{MatchLabels: appLabels},
			},
		},
	}
	volumes, mounts = withSecrets(spec, app.Secrets, volumes, mounts)
	// The shared files: the access point makes every access its POSIX user's (the Files' uid and
	// gid), whatever the pod's user, so AppUser reads and writes them; the driver's CSIDriver
	// object sets no fsGroupPolicy, so the kubelet does not chown a ReadWriteMany volume for the
	// pod's fsGroup.
	claimVols, claimMounts := claimVolumes(claims)
	spec.Volumes, container.VolumeMounts = append(volumes, claimVols...), append(mounts, claimMounts...)
	spec.Containers = corev1.ContainerArray{container}
	return spec
}

// SecretsScript is the init container's script: each secret read by ARN, in its own region, with
// the pod's role, into SecretsDir/NAME. A failed read fails the pod, which Kubernetes retries,
// rather than starting the app without it.
func SecretsScript(secrets map[string]string) string {
	var b strings.Builder
	// Readable by the pod's user and group (AppUser, also the fsGroup); nobody else.
	b.WriteString("umask 027\n")
	for _, k := range slices.Sorted(maps.Keys(secrets)) {
		arn := secrets[k]
		fmt.Fprintf(&b, "aws --region %s secretsmanager get-secret-value --secret-id '%s' --query SecretString --output text > %s/%s\n", secretRegion(arn, ""), arn, SecretsDir, k)
	}
	return b.String()
}

// nodePortRules open the app's security group (which the nodes carry) to the load balancer on the
// NodePort, one rule each way. They have names of their own: the instances' rules on HostPort stay
// until the Auto Scaling group of 10k is gone, so that it drains while the pods take over.
func nodePortRules(ctx *pulumi.Context, name string, app *ec2.SecurityGroup, lbs loadBalancer, parent pulumi.ResourceOption) error {
	if _, err := ec2.NewSecurityGroupRule(ctx, naming.Child(name, "nodeport-from-alb"), &ec2.SecurityGroupRuleArgs{
		Type: pulumi.String("ingress"), Description: pulumi.String("the app's NodePort, from the load balancer"),
		Protocol: pulumi.String("tcp"), FromPort: pulumi.Int(NodePort), ToPort: pulumi.Int(NodePort),
		SecurityGroupId: app.ID(), SourceSecurityGroupId: lbs.securityGroup.ID(),
	}, parent); err != nil {
		return err
	}
	_, err := ec2.NewSecurityGroupRule(ctx, naming.Child(name, "alb-to-nodeport"), &ec2.SecurityGroupRuleArgs{
		Type: pulumi.String("egress"), Description: pulumi.String("to the app's NodePort only"),
		Protocol: pulumi.String("tcp"), FromPort: pulumi.Int(NodePort), ToPort: pulumi.Int(NodePort),
		SecurityGroupId: lbs.securityGroup.ID(), SourceSecurityGroupId: app.ID(),
	}, parent)
	return err
}
