package webtier

import (
	corev1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/core/v1"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// PodSecurityLevel is the Pod Security Standard the app's namespace enforces (and warns and audits
// at): "restricted", the profile of a hardened pod (Kubernetes docs, "Pod Security Standards").
// Every pod tierstack puts there meets it: podSecurityContext and containerSecurityContext.
const PodSecurityLevel = "restricted"

// AppUser is the user and group every container of the app's pods runs as, whatever its image's
// USER: not root (the restricted profile requires runAsNonRoot), and above 10000, so that it is no
// user of the node's (trivy's KSV020 and KSV021). The image must run as an arbitrary non-root user
// (DefaultImage does, as OpenShift's rule asks of every image) and write only to /tmp.
const AppUser = 10001

// Sizes of the pods' writable scratch space, the root file systems being read-only.
const (
	// AppTmpSize bounds the app's /tmp, on the node's disk.
	AppTmpSize = "256Mi"
	// secretsTmpSize bounds the AWS CLI's /tmp in the secrets init container.
	secretsTmpSize = "16Mi"
)

// The secrets init container's requests and limits: one AWS CLI call per secret, a Python process
// of about 100 MiB.
const (
	secretsCPURequest    = "50m"
	secretsCPULimit      = "500m"
	secretsMemoryRequest = "128Mi"
	secretsMemoryLimit   = "256Mi"
)

// podSecurityContext is the app's pods' security context: a non-root user and group (AppUser),
// which also owns the pod's volumes (fsGroup), and the container runtime's default seccomp profile.
func podSecurityContext() *corev1.PodSecurityContextArgs {
	return &corev1.PodSecurityContextArgs{
		RunAsNonRoot:   pulumi.Bool(true),
		RunAsUser:      pulumi.Int(AppUser),
		RunAsGroup:     pulumi.Int(AppUser),
		FsGroup:        pulumi.Int(AppUser),
		SeccompProfile: &corev1.SeccompProfileArgs{Type: pulumi.String("RuntimeDefault")},
	}
}

// containerSecurityContext is every container's security context in the app's pods: what Pod
// Security "restricted" requires (no privilege escalation, every capability dropped, non-root, the
// RuntimeDefault seccomp profile), a read-only root file system, and the pod's user stated again,
// so that each container reads as compliant on its own.
func containerSecurityContext() *corev1.SecurityContextArgs {
	return &corev1.SecurityContextArgs{
		AllowPrivilegeEscalation: pulumi.Bool(false),
		Capabilities:             &corev1.CapabilitiesArgs{Drop: pulumi.StringArray{pulumi.String("ALL")}},
		Privileged:               pulumi.Bool(false),
		ReadOnlyRootFilesystem:   pulumi.Bool(true),
		RunAsNonRoot:             pulumi.Bool(true),
		RunAsUser:                pulumi.Int(AppUser),
		RunAsGroup:               pulumi.Int(AppUser),
		SeccompProfile:           &corev1.SeccompProfileArgs{Type: pulumi.String("RuntimeDefault")},
	}
}

// scratchVolume is an emptyDir volume of at most size, on the node's disk.
func scratchVolume(name, size string) corev1.VolumeArgs {
	return corev1.VolumeArgs{Name: pulumi.String(name), EmptyDir: &corev1.EmptyDirVolumeSourceArgs{SizeLimit: pulumi.String(size)}}
}

// secretsResources are the secrets init container's requests and limits.
func secretsResources() *corev1.ResourceRequirementsArgs {
	return &corev1.ResourceRequirementsArgs{
		Requests: pulumi.StringMap{"cpu": pulumi.String(secretsCPURequest), "memory": pulumi.String(secretsMemoryRequest)},
		Limits:   pulumi.StringMap{"cpu": pulumi.String(secretsCPULimit), "memory": pulumi.String(secretsMemoryLimit)},
	}
}

// withSecrets gives spec the secrets init container when there are secrets: it reads each secret
// with the pod's role (SecretsScript) into a file of an in-memory volume at SecretsDir, with the AWS
// CLI's scratch space on a volume of its own (the root file system is read-only). It returns
// volumes and the main container's mounts with the secrets volume added, read-only to the main
// container; the files are the pod's user's (AppUser, fsGroup too).
func withSecrets(spec *corev1.PodSpecArgs, secrets map[string]string, volumes corev1.VolumeArray, mounts corev1.VolumeMountArray) (corev1.VolumeArray, corev1.VolumeMountArray) {
	if len(secrets) == 0 {
		return volumes, mounts
	}
	volume := corev1.VolumeMountArgs{Name: pulumi.String("secrets"), MountPath: pulumi.String(SecretsDir)}
	volumes = append(volumes,
		corev1.VolumeArgs{Name: pulumi.String("secrets"), EmptyDir: &corev1.EmptyDirVolumeSourceArgs{Medium: pulumi.String("Memory"), SizeLimit: pulumi.String("1Mi")}},
		scratchVolume("cli-tmp", secretsTmpSize),
	)
	spec.InitContainers = corev1.ContainerArray{corev1.ContainerArgs{
		Name: pulumi.String("secrets"), Image: pulumi.String(SecretsImage),
		Command:         pulumi.ToStringArray([]string{"/bin/sh", "-ec", SecretsScript(secrets)}),
		VolumeMounts:    corev1.VolumeMountArray{volume, corev1.VolumeMountArgs{Name: pulumi.String("cli-tmp"), MountPath: pulumi.String("/tmp")}},
		SecurityContext: containerSecurityContext(),
		Resources:       secretsResources(),
		Env:             corev1.EnvVarArray{corev1.EnvVarArgs{Name: pulumi.String("HOME"), Value: pulumi.String("/tmp")}},
	}}
	volume.ReadOnly = pulumi.Bool(true)
	return volumes, append(mounts, volume)
}
