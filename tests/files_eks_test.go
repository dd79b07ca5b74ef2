package tests

import (
	"encoding/json"
	"sync"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tierstack/tierstack/components/files"
	"github.com/tierstack/tierstack/components/network"
	"github.com/tierstack/tierstack/components/webtier"
	"github.com/tierstack/tierstack/components/workers"
	"github.com/tierstack/tierstack/synth"
	"github.com/tierstack/tierstack/tiers"
	"github.com/tierstack/tierstack/tierstacktest"
)

// Kubernetes types the shared files add in mode eks.
const (
	filesTypePV  = "kubernetes:core/v1:PersistentVolume"
	filesTypePVC = "kubernetes:core/v1:PersistentVolumeClaim"
)

// filesAddonName is the EFS CSI driver add-on's child name.
const filesAddonName = "web-addon-" + webtier.FilesAddon

// filesOnEKS is the 100k tier (mode eks) with the shared files on at /mnt/shared.
func filesOnEKS(t *testing.T) stack {
	t.Helper()
	return planTier(t, filesConfig(tiers.Tier100k, `{"enabled":true,"path":"/mnt/shared"}`, ""))
}

// The aws-efs-csi-driver add-on runs only when there are files to mount, at the version EKS names
// default (or the pinned one), after the nodes and the node role's association.
func TestFilesEKSAddonOnlyWithFiles(t *testing.T) {
	off := planTier(t, tierConfig(tiers.Tier100k))
	assert.False(t, off.Has(eksTypeAddon, filesAddonName), "no files, no driver")
	assert.False(t, off.Has(typeRole, "web-efs-node-role"))
	assert.Zero(t, off.Count(filesTypePV))

	s := filesOnEKS(t)
	addon := s.Named(eksTypeAddon, filesAddonName)
	assert.Equal(t, webtier.FilesAddon, str(addon, "addonName"))
	assert.Equal(t, "v2.3.1-eksbuild.1", str(addon, "addonVersion"), "the version EKS names default (the engine's made-up build)")
	assert.Equal(t, "OVERWRITE", str(addon, "resolveConflictsOnCreate"))
	assert.Nil(t, input(addon, "serviceAccountRoleArn"), "no IRSA role")
	assert.Nil(t, input(addon, "podIdentityAssociations"), "the add-on's associations take the controller only; the node's is a resource of its own")
	assert.Contains(t, addon.Dependencies, s.Named(eksTypeIdentity, "web-efs-node-identity").URN, "the node pods find their credentials when they start")
	for _, ng := range s.All(eksTypeNodeGroup) {
		assert.Contains(t, addon.Dependencies, ng.URN, "the controller runs on the nodes: the add-on waits for %s", ng.Name)
	}

	pinned := filesConfig(tiers.Tier100k, `{"enabled":true}`, "")
	pinned["tierstack:web"] = `{"addonVersions":{"aws-efs-csi-driver":"v2.1.9-eksbuild.1"}}`
	assert.Equal(t, "v2.1.9-eksbuild.1", str(planTier(t, pinned).Named(eksTypeAddon, filesAddonName), "addonVersion"))
}

// The driver's node DaemonSet (kube-system/efs-csi-node-sa) gets a role by Pod Identity, trusted
// by this cluster for that account only, that may mount and write this file system through its
// access point and nothing else; the controller gets no role, and no other role holds an EFS grant.
func TestFilesEKSNodeRoleTrustAndGrant(t *testing.T) {
	s := filesOnEKS(t)
	role := s.Named(typeRole, "web-efs-node-role")
	var trust struct {
		Statement []struct {
			Principal map[string]string
			Action    []string
			Condition map[string]map[string]string
		}
	}
	require.NoError(t, json.Unmarshal([]byte(str(role, "assumeRolePolicy")), &trust))
	require.Len(t, trust.Statement, 1)
	assert.Equal(t, "pods.eks.amazonaws.com", trust.Statement[0].Principal["Service"])
	tags := trust.Statement[0].Condition["StringEquals"]
	assert.Equal(t, "arn:aws:eks:us-east-1:"+synth.FakeAccountID+":cluster/web-plan", tags["aws:RequestTag/eks-cluster-arn"])
	assert.Equal(t, "kube-system", tags["aws:RequestTag/kubernetes-namespace"])
	assert.Equal(t, "efs-csi-node-sa", tags["aws:RequestTag/kubernetes-service-account"])

	assoc := s.Named(eksTypeIdentity, "web-efs-node-identity")
	assert.Equal(t, "kube-system", str(assoc, "namespace"))
	assert.Equal(t, "efs-csi-node-sa", str(assoc, "serviceAccount"))
	assert.Equal(t, role.Outputs["arn"], input(assoc, "roleArn"))

	fs := s.Named(filesTypeFS, "files-fs")
	ap := s.Named(filesTypeAP, "files-ap")
	grant := s.Named(typeRolePolicy, "web-efs-node-role")
	assert.Equal(t, role.ID, str(grant, "role"))
	st := policyStatements(t, str(grant, "policy"))
	require.Len(t, st, 1)
	assert.Equal(t, "Allow", st[0]["Effect"])
	assert.Equal(t, []any{"elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite"}, st[0]["Action"])
	assert.Equal(t, outStr(fs, "arn"), st[0]["Resource"])
	assert.Equal(t, map[string]any{"StringEquals": map[string]any{"elasticfilesystem:AccessPointArn": outStr(ap, "arn")}}, st[0]["Condition"])

	for _, a := range s.All(eksTypeIdentity) {
		assert.NotEqual(t, "efs-csi-controller-sa", str(a, "serviceAccount"), "static provisioning: the controller calls no AWS API")
	}
	for _, p := range s.All(typeRolePolicy) {
		if p.Name != "web-efs-node-role" {
			assert.NotContains(t, str(p, "policy"), "elasticfilesystem", "%s grants no EFS action", p.Name)
		}
	}
	for _, p := range s.All(typeRolePolicyAttach) {
		assert.NotContains(t, str(p, "policyArn"), "EFS", "%s attaches no EFS policy", p.Name)
	}
}

// Each mount is a PersistentVolume of the EFS CSI driver on the access point (fs::fsap), mounted
// with tls and iam, ReadWriteMany, retained, of a storage class of its own, reserved for a claim
// in the app's namespace; the app's pods mount the claim at the path, and wait for it and the
// driver.
func TestFilesEKSVolumeClaimAndPodMount(t *testing.T) {
	s := filesOnEKS(t)
	fsID := s.Named(filesTypeFS, "files-fs").ID
	apID := s.Named(filesTypeAP, "files-ap").ID
	pv := s.Named(filesTypePV, "web-files-volume")
	pvc := s.Named(filesTypePVC, "web-files-claim")

	assert.Equal(t, "efs.csi.aws.com", str(pv, "spec.csi.driver"))
	assert.Equal(t, fsID+"::"+apID, str(pv, "spec.csi.volumeHandle"))
	assert.Equal(t, []string{"tls", "iam"}, strs(pv, "spec.mountOptions"))
	assert.Equal(t, []string{"ReadWriteMany"}, strs(pv, "spec.accessModes"))
	assert.Equal(t, "Retain", str(pv, "spec.persistentVolumeReclaimPolicy"))
	assert.Equal(t, webtier.FilesStorageClass, str(pv, "spec.storageClassName"))
	assert.Nil(t, input(pv, "metadata.namespace"), "a PersistentVolume belongs to the cluster")

	assert.Equal(t, webtier.AppNamespace, str(pvc, "metadata.namespace"))
	assert.Equal(t, str(pv, "metadata.name"), str(pvc, "spec.volumeName"), "the claim names its volume")
	assert.Equal(t, str(pvc, "metadata.name"), str(pv, "spec.claimRef.name"), "the volume is reserved for the claim")
	assert.Equal(t, webtier.AppNamespace, str(pv, "spec.claimRef.namespace"))
	assert.Equal(t, webtier.FilesStorageClass, str(pvc, "spec.storageClassName"), "not the cluster's default class")
	assert.Equal(t, []string{"ReadWriteMany"}, strs(pvc, "spec.accessModes"))
	assert.Contains(t, str(pvc, "metadata.name"), apID, "named after the access point")
	assert.Zero(t, s.Count("kubernetes:storage.k8s.io/v1:StorageClass"), "no class object: nothing provisions dynamically")

	d := s.Named(eksTypeDeployment, "web-deployment")
	volumes, _ := input(d, "spec.template.spec.volumes").([]any)
	var claimVolume string
	for _, v := range volumes {
		v := v.(map[string]any)
		if c, ok := v["persistentVolumeClaim"].(map[string]any); ok {
			assert.Equal(t, str(pvc, "metadata.name"), c["claimName"])
			claimVolume = v["name"].(string)
		}
	}
	require.NotEmpty(t, claimVolume, "the pods have a volume of the claim")
	mounts, _ := input(d, "spec.template.spec.containers.0.volumeMounts").([]any)
	found := false
	for _, m := range mounts {
		m := m.(map[string]any)
		if m["name"] == claimVolume {
			found = true
			assert.Equal(t, "/mnt/shared", m["mountPath"])
			assert.Nil(t, m["readOnly"], "the app writes the shared files")
		}
	}
	assert.True(t, found, "the app's container mounts the claim")
	assert.Contains(t, d.Dependencies, pvc.URN, "the pods wait for the claim")
	assert.Contains(t, d.Dependencies, s.Named(eksTypeAddon, filesAddonName).URN, "the pods wait for the driver")

	// Pod Security "restricted" admits persistentVolumeClaim volumes; the pods stay non-root.
	ns := s.Named("kubernetes:core/v1:Namespace", "web-namespace")
	labels, _ := input(ns, "metadata.labels").(map[string]any)
	assert.Equal(t, "restricted", labels["pod-security.kubernetes.io/enforce"])
	assert.Equal(t, webtier.AppUser, num(d, "spec.template.spec.securityContext.runAsUser"))
	assert.Equal(t, "/mnt/shared", s.Outputs["filesPath"])

	// plan --format kubernetes writes the volume and the claim with the app's objects.
	kinds := map[any]int{}
	for _, m := range synth.KubernetesManifests(s.Plan) {
		kinds[m["kind"]]++
	}
	assert.Equal(t, 1, kinds["PersistentVolume"])
	assert.Equal(t, 1, kinds["PersistentVolumeClaim"])
}

// The nodes carry the web tier's security group, the one the files admit on 2049: the driver's
// node pods (host network) reach the mount targets through it.
func TestFilesEKSNodesCarryTheAdmittedGroup(t *testing.T) {
	s := filesOnEKS(t)
	sg := s.Named(typeSecurityGroup, "files-sg")
	var rule synth.Resource
	for _, r := range s.All(typeSGRule) {
		if str(r, "securityGroupId") == sg.ID {
			rule = r
		}
	}
	require.Equal(t, "files-allow-web", rule.Name)
	assert.Equal(t, 2049, num(rule, "fromPort"))
	web := str(rule, "sourceSecurityGroupId")
	assert.Equal(t, s.Outputs["webSecurityGroupId"], web)
	lts := s.All(webTypeLT)
	require.NotEmpty(t, lts)
	for _, lt := range lts {
		assert.Contains(t, strs(lt, "vpcSecurityGroupIds"), web, "%s carries the admitted group", lt.Name)
	}
}

// A program that composes the components itself learns the claims from Workloads, by mount path,
// to mount the same files in another workload of the app's namespace, and waits for the driver
// among Workloads.Ready.
func TestFilesEKSWorkloadsExportTheClaims(t *testing.T) {
	var mu sync.Mutex
	claims := map[string]string{}
	var ready []string
	s, err := tierstacktest.Run(func(ctx *pulumi.Context) error {
		net, err := network.New(ctx, "net", &network.Args{AvailabilityZones: []string{"us-east-1a", "us-east-1b", "us-east-1c"}})
		if err != nil {
			return err
		}
		f, err := files.New(ctx, "files", &files.Args{Network: net})
		if err != nil {
			return err
		}
		w, err := webtier.New(ctx, "web", &webtier.Args{Network: net, Mode: webtier.ModeEKS, Mounts: []webtier.Mount{{
			FileSystemID: f.FileSystemID, FileSystemARN: f.FileSystemARN, AccessPointID: f.AccessPointID, AccessPointARN: f.AccessPointARN,
			Path: "/srv/uploads",
		}}})
		if err != nil {
			return err
		}
		for path, claim := range w.Workloads.Claims {
			claim.ApplyT(func(name string) int {
				mu.Lock()
				defer mu.Unlock()
				claims[path] = name
				return 0
			})
		}
		for _, r := range w.Workloads.Ready {
			r.URN().ApplyT(func(urn pulumi.URN) int {
				mu.Lock()
				defer mu.Unlock()
				ready = append(ready, string(urn))
				return 0
			})
		}
		return nil
	}, tierstacktest.Options{})
	require.NoError(t, err)
	pvc, ok := s.Named(filesTypePVC, "web-files-claim")
	require.True(t, ok)
	addon, ok := s.Named(eksTypeAddon, filesAddonName)
	require.True(t, ok)
	mu.Lock()
	defer mu.Unlock()
	assert.Equal(t, map[string]string{"/srv/uploads": tierstacktest.Input(pvc, "metadata.name").(string)}, claims)
	assert.Contains(t, ready, addon.URN, "a workload that mounts the claim waits for the driver")
}

// Workers on the cluster mount the same files through the web tier's claim, at the same path, and
// wait for the driver; their role holds no EFS grant (the driver's node role mounts). A mount the
// web tier does not have has no claim to share: refused.
func TestFilesEKSWorkersShareTheClaim(t *testing.T) {
	s, err := tierstacktest.Run(func(ctx *pulumi.Context) error {
		net, err := network.New(ctx, "net", &network.Args{AvailabilityZones: []string{"us-east-1a", "us-east-1b", "us-east-1c"}})
		if err != nil {
			return err
		}
		f, err := files.New(ctx, "files", &files.Args{Network: net})
		if err != nil {
			return err
		}
		mounts := []webtier.Mount{{FileSystemID: f.FileSystemID, FileSystemARN: f.FileSystemARN,
			AccessPointID: f.AccessPointID, AccessPointARN: f.AccessPointARN, Path: "/mnt/shared"}}
		web, err := webtier.New(ctx, "web", &webtier.Args{Network: net, Mode: webtier.ModeEKS, Mounts: mounts})
		if err != nil {
			return err
		}
		w, err := workers.New(ctx, "workers", &workers.Args{Network: net, Mode: webtier.ModeEKS,
			App: webtier.App{Image: workersImage}, Mounts: mounts})
		if err != nil {
			return err
		}
		return w.Run(ctx, web)
	}, tierstacktest.Options{})
	require.NoError(t, err)
	pvc, ok := s.Named(filesTypePVC, "web-files-claim")
	require.True(t, ok)
	d, ok := s.Named(eksTypeDeployment, "workers-deployment")
	require.True(t, ok)
	addon, ok := s.Named(eksTypeAddon, filesAddonName)
	require.True(t, ok)
	volumes, _ := tierstacktest.Input(d, "spec.template.spec.volumes").([]any)
	var claimVolume string
	for _, v := range volumes {
		v := v.(map[string]any)
		if c, ok := v["persistentVolumeClaim"].(map[string]any); ok {
			assert.Equal(t, tierstacktest.Input(pvc, "metadata.name"), c["claimName"])
			claimVolume = v["name"].(string)
		}
	}
	require.NotEmpty(t, claimVolume, "the workers' pods have a volume of the web tier's claim")
	mounts, _ := tierstacktest.Input(d, "spec.template.spec.containers.0.volumeMounts").([]any)
	var paths []any
	for _, m := range mounts {
		if m := m.(map[string]any); m["name"] == claimVolume {
			paths = append(paths, m["mountPath"])
		}
	}
	assert.Equal(t, []any{"/mnt/shared"}, paths)
	assert.Contains(t, d.Dependencies, addon.URN, "the pods wait for the driver")
	assert.Equal(t, 1, s.Count(filesTypePVC), "one claim, shared")
	for _, p := range s.All(typeRolePolicy) {
		if p.Name != "web-efs-node-role" {
			assert.NotContains(t, tierstacktest.Input(p, "policy"), "elasticfilesystem", "%s grants no EFS action", p.Name)
		}
	}

	_, err = tierstacktest.Run(func(ctx *pulumi.Context) error {
		net, err := network.New(ctx, "net", &network.Args{AvailabilityZones: []string{"us-east-1a", "us-east-1b", "us-east-1c"}})
		if err != nil {
			return err
		}
		f, err := files.New(ctx, "files", &files.Args{Network: net})
		if err != nil {
			return err
		}
		web, err := webtier.New(ctx, "web", &webtier.Args{Network: net, Mode: webtier.ModeEKS})
		if err != nil {
			return err
		}
		w, err := workers.New(ctx, "workers", &workers.Args{Network: net, Mode: webtier.ModeEKS, App: webtier.App{Image: workersImage},
			Mounts: []webtier.Mount{{FileSystemID: f.FileSystemID, FileSystemARN: f.FileSystemARN,
				AccessPointID: f.AccessPointID, AccessPointARN: f.AccessPointARN, Path: "/mnt/shared"}}})
		if err != nil {
			return err
		}
		return w.Run(ctx, web)
	}, tierstacktest.Options{})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "not one the web tier mounts")
	assert.Contains(t, err.Error(), "/mnt/shared")
}

// Through config: tierstack:workers and tierstack:files at 100k put the web tier's claim in the
// workers' pods, at the same path.
func TestFilesEKSWorkersShareTheClaimByConfig(t *testing.T) {
	cfg := workersConfig(tiers.Tier100k, `{"enabled":true,"image":"`+workersImage+`"}`, "")
	cfg["tierstack:files"] = `{"enabled":true,"path":"/mnt/shared"}`
	s := planTier(t, cfg)
	pvc := s.Named(filesTypePVC, "web-files-claim")
	d := s.Named(eksTypeDeployment, "workers-deployment")
	volumes, _ := input(d, "spec.template.spec.volumes").([]any)
	var claimNames []any
	for _, v := range volumes {
		if c, ok := v.(map[string]any)["persistentVolumeClaim"].(map[string]any); ok {
			claimNames = append(claimNames, c["claimName"])
		}
	}
	assert.Equal(t, []any{str(pvc, "metadata.name")}, claimNames)
	assert.Contains(t, d.Dependencies, s.Named(eksTypeAddon, filesAddonName).URN)
	assert.False(t, s.Has(typeRolePolicy, "workers-mount"), "no EFS grant on the workers' role in mode eks")
}
