package webtier

import (
	"fmt"

	awseks "github.com/pulumi/pulumi-aws/sdk/v6/go/aws/eks"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/tierstack/tierstack/internal/awsenv"
	"github.com/tierstack/tierstack/internal/naming"
)

// Mounts in mode eks: the Amazon EFS CSI driver, as an EKS add-on, mounts each Mount in the app's
// pods through a PersistentVolume of its own (eks_claims.go).
const (
	// FilesAddon is the EKS add-on that mounts Mounts in pods (mode eks): the Amazon EFS CSI
	// driver. The cluster runs it only when the WebTier has Mounts.
	FilesAddon = "aws-efs-csi-driver"
	// FilesAddonMinimumVersion is the oldest aws-efs-csi-driver tierstack runs: the first release
	// built after efs-utils v2.3.0 (2025-04-29, "Add support for pod-identity credentials in the
	// credentials chain", aws/efs-utils amazon-efs-utils.spec), which the driver's image builds
	// from efs-utils' newest tag (aws-efs-csi-driver Dockerfile). Older drivers' mount helper finds
	// no Pod Identity credentials and falls back to the node's role, which holds no EFS grant, so
	// an iam mount would be refused (aws-efs-csi-driver issue #1630). v2.1.9 was released
	// 2025-06-30 (CHANGELOG-2.x.md).
	FilesAddonMinimumVersion = "v2.1.9"
	// FilesCSIDriver is the CSI driver name the PersistentVolumes name.
	FilesCSIDriver = "efs.csi.aws.com"
	// filesNodeAccount is the service account of the driver's node DaemonSet in kube-system, the
	// one that runs the mount helper (efs-utils) for every pod on its node (aws-efs-csi-driver
	// docs/iam-policy-create.md: efs-csi-controller-sa and efs-csi-node-sa).
	filesNodeAccount = "efs-csi-node-sa"
)

// checkFilesAddonVersion refuses an aws-efs-csi-driver version older than
// FilesAddonMinimumVersion, or one that is not a version.
func checkFilesAddonVersion(v string) error {
	got, ok := addonRelease(v)
	want, _ := addonRelease(FilesAddonMinimumVersion + "-eksbuild.1")
	if !ok || compareRelease(got, want) < 0 {
		return fmt.Errorf("webtier: addonVersions %s %q is older than %s (allowed: %s or later: older drivers' mount helper cannot use Pod Identity, so the IAM-authorized mount of the shared files would be refused; pin a newer version in addonVersions)",
			FilesAddon, v, FilesAddonMinimumVersion, FilesAddonMinimumVersion)
	}
	return nil
}

// buildFilesDriver installs the Amazon EFS CSI driver when the app has Mounts (nil otherwise),
// after the nodes (its controller is a Deployment, which EKS reports healthy only once it runs).
//
// Only the driver's node DaemonSet gets a role, by Pod Identity: its mount helper (efs-utils 2.3.0
// or later) looks up credentials in the order ECS, Pod Identity, IRSA, instance role
// (efs_utils_common/aws_credentials.py), and an iam mount signs the NFS session with them
// (aws-efs-csi-driver docs/parameters.md: "iam: Use the CSI Node Pod's IAM identity"). The role may
// mount and write each file system through its access point only (MountPolicy). The controller
// gets none: with static provisioning it calls no AWS API (it creates and deletes access points
// for dynamic provisioning only, pkg/driver/controller.go), and the PersistentVolumes' reclaim
// policy Retain never asks it to delete one. The EKS add-on's podIdentityAssociations take the
// controller's account only (aws-efs-csi-driver issue #1759), so the node's association is a
// resource of its own. The nodes' role holds no EFS grant: a pod on the node gets nothing of
// the files from it.
func (w *WebTier) buildFilesDriver(ctx *pulumi.Context, name string, a checkedArgs, env awsenv.Env, parts eksParts, version string, nodes []pulumi.Resource) (pulumi.Resource, error) {
	if len(a.Mounts) == 0 {
		return nil, nil
	}
	arns := make([]any, 0, 2*len(a.Mounts))
	for _, m := range a.Mounts {
		arns = append(arns, m.FileSystemARN, m.AccessPointARN)
	}
	policy := pulumi.All(arns...).ApplyT(func(v []any) (string, error) {
		grants := make([][2]string, 0, len(v)/2)
		for i := 0; i+1 < len(v); i += 2 {
			fs, _ := v[i].(string)
			ap, _ := v[i+1].(string)
			grants = append(grants, [2]string{fs, ap})
		}
		return mountsPolicy(grants)
	}).(pulumi.StringOutput)
	identity, _, err := w.podRole(ctx, name, "efs-node", a, env, parts, "kube-system", filesNodeAccount, policy, []pulumi.Resource{parts.cluster})
	if err != nil {
		return nil, err
	}
	child := naming.Child(name, "addon-"+FilesAddon)
	return awseks.NewAddon(ctx, child, &awseks.AddonArgs{
		ClusterName:              pulumi.String(parts.clusterName),
		AddonName:                pulumi.String(FilesAddon),
		AddonVersion:             pulumi.String(version),
		ResolveConflictsOnCreate: pulumi.String("OVERWRITE"),
		ResolveConflictsOnUpdate: pulumi.String("PRESERVE"),
		Tags:                     naming.Tags(a.Tags, child),
	}, pulumi.Parent(w),
		// The node pods read their credentials when they start: the association comes first.
		pulumi.DependsOn(append([]pulumi.Resource{parts.cluster, identity}, nodes...)))
}
