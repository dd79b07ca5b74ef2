package webtier

import (
	"fmt"
	"maps"
	"regexp"
	"slices"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/autoscaling"
	corev1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/core/v1"
	metav1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/meta/v1"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/tierstack/tierstack/internal/awsenv"
)

// This file is what a second workload described like the App, one that serves nothing (the
// Workers' queue consumers), takes from the WebTier so that it runs exactly as the app does: the
// same checks, the same boot script on instances, the same pod hardening on EKS.

// Validated applies the App's defaults to a copy and validates it, as a WebTier does. Its errors
// name the settings as "app …".
func (app App) Validated() (App, error) { return app.checked() }

// CheckInstanceType refuses an instance type a WebTier refuses: not a type name, not Graviton
// (arm64), or with fewer vCPUs than cpu millicores need.
func CheckInstanceType(typ string, cpu int) error {
	if !instanceTypePattern.MatchString(typ) {
		return fmt.Errorf("instanceType %q is not an instance type (allowed: a type name such as t4g.small or m7g.large)", typ)
	}
	if !graviton(typ) {
		return fmt.Errorf("instanceType %q is not a Graviton type (allowed: an arm64 type such as t4g.small, m7g.large or c8g.xlarge; the image is Amazon Linux 2023 for arm64)", typ)
	}
	if n, known := vCPUs(typ); known && cpu > n*1000 {
		return fmt.Errorf("cpu %d is more than instanceType %s has (allowed: at most %d, its %d vCPUs; Docker refuses more)", cpu, typ, n*1000, n)
	}
	return nil
}

// commandArgPattern is one argument of a command the boot script writes into a systemd unit as it
// is: no quote, blank, $, %, backslash or other character systemd or a shell reads specially.
var commandArgPattern = regexp.MustCompile(`^[A-Za-z0-9._/:=,@+-]+$`)

// MaxCommandArgs is the most arguments a command takes.
const MaxCommandArgs = 32

// CheckCommand refuses a command the boot script could not write as it is.
func CheckCommand(args []string) error {
	if len(args) > MaxCommandArgs {
		return fmt.Errorf("command has %d arguments (allowed: at most %d)", len(args), MaxCommandArgs)
	}
	for i, a := range args {
		if !commandArgPattern.MatchString(a) {
			return fmt.Errorf("command argument %d %q has a character that is not allowed (allowed: letters, digits and . _ / : = , @ + -; one argument per list item, no blanks or quotes)", i, a)
		}
	}
	return nil
}

// MountedFiles is a Mount whose IDs are known: what a boot script mounts.
type MountedFiles struct {
	// FileSystemID and AccessPointID are the file system's and its access point's IDs.
	FileSystemID, AccessPointID string
	// Path is where the instance and the container see the files.
	Path string
}

// WorkerUserData is the boot script of an instance that runs app as a worker: the same script as
// UserData (Docker, the secrets read at every start into memory, a private ECR login, mounts
// mounted before the container starts and given to it at the same path), but the container
// publishes no port, runs args in place of the image's CMD (none keeps it), and is given
// stopSeconds after SIGTERM to finish its job before it is killed.
func WorkerUserData(app App, args []string, region string, env map[string]string, fields map[string]SecretFieldValue, mounts []MountedFiles, stopSeconds int) string {
	return bootScript(app, region, env, fields, mountValues(mounts), false, runSpec{args: args, stopSeconds: stopSeconds})
}

// mountValues are mounts as the boot script takes them.
func mountValues(mounts []MountedFiles) []mountValue {
	values := make([]mountValue, len(mounts))
	for i, m := range mounts {
		values[i] = mountValue{fileSystemID: m.FileSystemID, accessPointID: m.AccessPointID, path: m.Path}
	}
	return values
}

// GroupTags are tags and a Name, each propagated to the instances an Auto Scaling group launches.
func GroupTags(tags map[string]string, name string) autoscaling.GroupTagArray {
	return groupTags(tags, name)
}

// WorkerPodSpec is the pod of a workload that serves nothing, hardened as the app's pods are (Pod
// Security "restricted": AppUser, RuntimeDefault seccomp, no privilege escalation, no capability, a
// read-only root with /tmp as scratch) and spread across zones: app's container with its requests
// as limits, args in place of the image's CMD, env, and App.Secrets read by the same init container
// into files in memory (NAME_FILE). The pod runs as account and has grace seconds to finish its
// work after SIGTERM. It mounts each of claims (a claim of Workloads.Claims) at its path.
func WorkerPodSpec(app App, args []string, env corev1.EnvVarArray, account string, labels pulumi.StringMap, grace int, claims ...ClaimMount) *corev1.PodSpecArgs {
	env = slices.Clone(env)
	for _, k := range slices.Sorted(maps.Keys(app.Secrets)) {
		env = append(env, corev1.EnvVarArgs{Name: pulumi.String(k + "_FILE"), Value: pulumi.String(SecretsDir + "/" + k)})
	}
	container := corev1.ContainerArgs{
		Name:  pulumi.String("worker"),
		Image: pulumi.String(app.Image),
		Env:   env,
		Resources: &corev1.ResourceRequirementsArgs{
			Requests: pulumi.StringMap{"cpu": pulumi.Sprintf("%dm", app.CPU), "memory": pulumi.Sprintf("%dMi", app.MemoryMiB)},
			Limits:   pulumi.StringMap{"cpu": pulumi.Sprintf("%dm", app.CPU), "memory": pulumi.Sprintf("%dMi", app.MemoryMiB)},
		},
		SecurityContext: containerSecurityContext(),
	}
	if len(args) > 0 {
		container.Args = pulumi.ToStringArray(args)
	}
	volumes := corev1.VolumeArray{scratchVolume("tmp", AppTmpSize)}
	mounts := corev1.VolumeMountArray{corev1.VolumeMountArgs{Name: pulumi.String("tmp"), MountPath: pulumi.String("/tmp")}}
	spec := &corev1.PodSpecArgs{
		SecurityContext:               podSecurityContext(),
		ServiceAccountName:            pulumi.String(account),
		TerminationGracePeriodSeconds: pulumi.Int(grace),
		TopologySpreadConstraints: corev1.TopologySpreadConstraintArray{corev1.TopologySpreadConstraintArgs{
			MaxSkew: pulumi.Int(1), TopologyKey: pulumi.String("topology.kubernetes.io/zone"),
			WhenUnsatisfiable: pulumi.String("ScheduleAnyway"), LabelSelector: &metav1.LabelSelectorArgs{MatchLabels: labels},
		}},
	}
	volumes, mounts = withSecrets(spec, app.Secrets, volumes, mounts)
	in := make([]mountClaim, len(claims))
	for i, c := range claims {
		in[i] = mountClaim{volume: fmt.Sprintf("files-%d", i), claim: c.Claim, path: c.Path}
	}
	claimVols, claimMounts := claimVolumes(in)
	spec.Volumes, container.VolumeMounts = append(volumes, claimVols...), append(mounts, claimMounts...)
	spec.Containers = corev1.ContainerArray{container}
	return spec
}

// ClaimMount is a claim of Workloads.Claims that another workload's pods mount at Path.
type ClaimMount struct {
	// Path is where the pods see the files (the Mount's Path).
	Path string
	// Claim is the PersistentVolumeClaim's name in AppNamespace.
	Claim pulumi.StringOutput
}

// ResolvedBackends are what Backends tell a workload, as a WebTier in a mode merges them.
type ResolvedBackends struct {
	// Connection are the variables known as outputs.
	Connection map[string]pulumi.StringInput
	// FromSecrets are the variables read at every start from a field of a secret (modes instance
	// and autoscaling).
	FromSecrets map[string]SecretField
	// Secrets and Keys are the connection secrets the workload must read, and their KMS keys.
	Secrets, Keys []pulumi.StringInput
}

// ResolveBackends merges backends as a WebTier in mode m does (Args.Backends), for another
// workload that connects to the same backends.
func ResolveBackends(m Mode, backends []Backend) (ResolvedBackends, error) {
	a, err := Args{Mode: m, Backends: backends}.withBackends()
	if err != nil {
		return ResolvedBackends{}, err
	}
	return ResolvedBackends{Connection: a.Connection, FromSecrets: a.ConnectionFromSecrets, Secrets: a.ReadableSecrets, Keys: a.SecretKeys}, nil
}

// ImageRepositoryARN is the ARN of the private ECR repository image is in, and true; false for an
// image elsewhere (a public registry), which needs no pull grant.
func ImageRepositoryARN(env awsenv.Env, image string) (string, bool) {
	r, ok := registryOf(image)
	if !ok {
		return "", false
	}
	return env.ARN("ecr", r.Region, r.Account, "repository/"+r.Repository), true
}
