package webtier

import (
	"fmt"
	"slices"

	awseks "github.com/pulumi/pulumi-aws/sdk/v6/go/aws/eks"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/tierstack/tierstack/internal/naming"
)

// addonsOnNodes are the add-ons that run as Deployments: EKS reports them healthy only once nodes
// run them, so they wait for the node groups. The others are DaemonSets the nodes need to become
// ready, created before the nodes.
var addonsOnNodes = map[string]bool{"coredns": true, "metrics-server": true}

// lookupAddonVersions finds the version of each core add-on, and of FilesAddon when files is true:
// the one Cluster.AddonVersions pins, else the one EKS names default for the cluster's Kubernetes
// version, asked through inv.
func lookupAddonVersions(ctx *pulumi.Context, c Cluster, files bool, inv []pulumi.InvokeOption) (map[string]string, error) {
	out := map[string]string{}
	addons := append(slices.Clone(coreAddons), ObservabilityAddon)
	if files {
		addons = append(addons, FilesAddon)
	}
	for _, addon := range addons {
		if v, pinned := c.AddonVersions[addon]; pinned {
			out[addon] = v
			continue
		}
		v, err := awseks.GetAddonVersion(ctx, &awseks.GetAddonVersionArgs{
			AddonName: addon, KubernetesVersion: c.Version, MostRecent: pulumi.BoolRef(false),
		}, inv...)
		if err != nil {
			return nil, fmt.Errorf("looking up the %s add-on's version for Kubernetes %s: %w", addon, c.Version, err)
		}
		out[addon] = v.Version
	}
	if err := checkInsightsVersion(out[ObservabilityAddon]); err != nil {
		return nil, err
	}
	if files {
		if err := checkFilesAddonVersion(out[FilesAddon]); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// buildAddons installs the core add-ons of one kind as EKS add-ons at their versions, taking over
// the ones EKS installed itself (vpc-cni, kube-proxy, coredns) on creation, and keeping a user's
// changes to their configuration on update. The DaemonSets (onNodes false) come with the cluster,
// before the nodes, so that nodes never start on networking about to be replaced; the Deployments
// (onNodes true) wait for the nodes, given in after.
func (w *WebTier) buildAddons(ctx *pulumi.Context, name string, a checkedArgs, parts eksParts, versions map[string]string, onNodes bool, after []pulumi.Resource) ([]pulumi.Resource, error) {
	var out []pulumi.Resource
	for _, addon := range coreAddons {
		if addonsOnNodes[addon] != onNodes {
			continue
		}
		child := naming.Child(name, "addon-"+addon)
		res, err := awseks.NewAddon(ctx, child, &awseks.AddonArgs{
			ClusterName:              pulumi.String(parts.clusterName),
			AddonName:                pulumi.String(addon),
			AddonVersion:             pulumi.String(versions[addon]),
			ResolveConflictsOnCreate: pulumi.String("OVERWRITE"),
			ResolveConflictsOnUpdate: pulumi.String("PRESERVE"),
			Tags:                     naming.Tags(a.Tags, child),
		}, pulumi.Parent(w), pulumi.DependsOn(append([]pulumi.Resource{parts.cluster}, after...)))
		if err != nil {
			return nil, err
		}
		out = append(out, res)
	}
	return out, nil
}
