package webtier

import (
	"fmt"

	corev1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/core/v1"
	metav1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/meta/v1"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/tierstack/tierstack/internal/naming"
)

// FilesStorageClass is the storage class name of the mounts' PersistentVolumes and claims. No
// StorageClass object has it, so nothing provisions volumes dynamically for it (the driver's
// controller has no role that could), and naming it keeps the cluster's default StorageClass off
// the claims; a claim binds to its volume by name (volumeName and the volume's claimRef, the
// Kubernetes docs' "Reserving a PersistentVolume").
const FilesStorageClass = "tierstack-efs-static"

// filesCapacity is the size the volumes and claims state. Kubernetes requires one; EFS is elastic
// and the driver ignores it (aws-efs-csi-driver examples/kubernetes/efs/static_provisioning).
const filesCapacity = "1Ti"

// mountClaim is a Mount's claim in the app's namespace, as the pods mount it.
type mountClaim struct {
	// volume is the pod volume's name (files-0, files-1…).
	volume string
	// claim is the PersistentVolumeClaim's name, after the access point's ID.
	claim pulumi.StringOutput
	path  string
	// res is the claim, which the pods wait for.
	res pulumi.Resource
}

// buildClaims gives each Mount a PersistentVolume of the EFS CSI driver on its access point
// (volumeHandle fs-…::fsap-…, pkg/driver/node.go parseVolumeId), mounted with tls and iam,
// ReadWriteMany, kept on release (Retain), and a PersistentVolumeClaim in the app's namespace
// reserved for it both ways. Both are named after the access point: a new access point (a new
// uid, gid or root directory) gives a new volume and claim, and the Deployment rolls to them
// before the old ones are deleted, where one name would have to be deleted first, which
// Kubernetes holds while pods use it (the pv- and pvc-protection finalizers). The volume and its
// claim are Kubernetes objects only: the data is the file system's.
func (w *WebTier) buildClaims(ctx *pulumi.Context, name string, a checkedArgs, ns *corev1.Namespace, opts ...pulumi.ResourceOption) ([]mountClaim, error) {
	out := make([]mountClaim, 0, len(a.Mounts))
	for i, m := range a.Mounts {
		suffix := ""
		if i > 0 {
			suffix = fmt.Sprintf("-%d", i)
		}
		claimName := pulumi.Sprintf("files-%s", m.AccessPointID)
		volumeName := pulumi.Sprintf("%s-files-%s", AppNamespace, m.AccessPointID)
		pv, err := corev1.NewPersistentVolume(ctx, naming.Child(name, "files-volume"+suffix), &corev1.PersistentVolumeArgs{
			Metadata: &metav1.ObjectMetaArgs{Name: volumeName, Labels: appLabels},
			Spec: &corev1.PersistentVolumeSpecArgs{
				Capacity:                      pulumi.StringMap{"storage": pulumi.String(filesCapacity)},
				VolumeMode:                    pulumi.String("Filesystem"),
				AccessModes:                   pulumi.ToStringArray([]string{"ReadWriteMany"}),
				PersistentVolumeReclaimPolicy: pulumi.String("Retain"),
				StorageClassName:              pulumi.String(FilesStorageClass),
				// TLS in transit; IAM authorization with the driver's node role (the file system
				// policy admits no anonymous client).
				MountOptions: pulumi.ToStringArray([]string{"tls", "iam"}),
				Csi: &corev1.CSIPersistentVolumeSourceArgs{
					Driver:       pulumi.String(FilesCSIDriver),
					VolumeHandle: pulumi.Sprintf("%s::%s", m.FileSystemID, m.AccessPointID),
				},
				// Reserved for the app's claim: no other claim of the cluster binds it.
				ClaimRef: &corev1.ObjectReferenceArgs{Namespace: pulumi.String(AppNamespace), Name: claimName},
			},
		}, opts...)
		if err != nil {
			return nil, err
		}
		claim, err := corev1.NewPersistentVolumeClaim(ctx, naming.Child(name, "files-claim"+suffix), &corev1.PersistentVolumeClaimArgs{
			Metadata: &metav1.ObjectMetaArgs{Name: claimName, Namespace: ns.Metadata.Name().Elem(), Labels: appLabels},
			Spec: &corev1.PersistentVolumeClaimSpecArgs{
				AccessModes:      pulumi.ToStringArray([]string{"ReadWriteMany"}),
				StorageClassName: pulumi.String(FilesStorageClass),
				VolumeName:       pv.Metadata.Name().Elem(),
				Resources:        &corev1.VolumeResourceRequirementsArgs{Requests: pulumi.StringMap{"storage": pulumi.String(filesCapacity)}},
			},
		}, opts...)
		if err != nil {
			return nil, err
		}
		out = append(out, mountClaim{volume: fmt.Sprintf("files-%d", i), claim: claim.Metadata.Name().Elem(), path: m.Path, res: claim})
	}
	return out, nil
}

// claimVolumes are the pod's volumes and the app container's mounts of claims.
func claimVolumes(claims []mountClaim) (corev1.VolumeArray, corev1.VolumeMountArray) {
	var volumes corev1.VolumeArray
	var mounts corev1.VolumeMountArray
	for _, c := range claims {
		volumes = append(volumes, corev1.VolumeArgs{
			Name:                  pulumi.String(c.volume),
			PersistentVolumeClaim: &corev1.PersistentVolumeClaimVolumeSourceArgs{ClaimName: c.claim},
		})
		mounts = append(mounts, corev1.VolumeMountArgs{Name: pulumi.String(c.volume), MountPath: pulumi.String(c.path)})
	}
	return volumes, mounts
}
