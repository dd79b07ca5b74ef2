package tiers

import (
	"fmt"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/tierstack/tierstack/components/files"
	"github.com/tierstack/tierstack/components/network"
	"github.com/tierstack/tierstack/components/webtier"
)

// buildFiles builds the tier's Files, when tierstack:files enables them, adds their stack outputs
// and the web tier's mount of them; nil without them.
func buildFiles(ctx *pulumi.Context, spec Spec, net *network.Network, tags map[string]string, outputs pulumi.Map, web *webtier.Args) (*files.Files, error) {
	if spec.Files == nil {
		return nil, nil
	}
	args := spec.Files.Args
	args.Network, args.Tags = net, tags
	args.Unprotected = spec.Data.Unprotected // protectData covers every data store
	f, err := files.New(ctx, "files", &args)
	if err != nil {
		return nil, fmt.Errorf("tier %s: %w", spec.Tier, err)
	}
	outputs["filesFileSystemId"] = f.FileSystemID
	outputs["filesAccessPointId"] = f.AccessPointID
	outputs["filesPath"] = pulumi.String(spec.Files.Path)
	web.Mounts = append(web.Mounts, webtier.Mount{
		FileSystemID: f.FileSystemID, FileSystemARN: f.FileSystemARN,
		AccessPointID: f.AccessPointID, AccessPointARN: f.AccessPointARN,
		Path: spec.Files.Path,
	})
	return f, nil
}

// admitFilesClients lets the app's compute reach the mount targets: the web tier is the one client
// the tiers have, its security group the one its instances, or its EKS nodes, carry. Its grant
// comes with the mount (webtier.MountPolicy, on the instances' role or the EFS CSI driver's node
// role).
func admitFilesClients(ctx *pulumi.Context, spec Spec, f *files.Files, web *webtier.WebTier) error {
	if f == nil {
		return nil
	}
	if _, err := f.AllowFrom(ctx, "web", web.SecurityGroupID); err != nil {
		return fmt.Errorf("tier %s: %w", spec.Tier, err)
	}
	return nil
}
