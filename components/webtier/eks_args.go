package webtier

import (
	"fmt"
	"maps"
	"net/netip"
	"regexp"
	"slices"
	"strings"
)

// Cluster are the settings of mode eks: the EKS cluster, its managed node groups and who reaches
// its API. The zero value is a working default.
type Cluster struct {
	// Version is the Kubernetes minor version, one of KubernetesVersions(); "" means
	// DefaultKubernetesVersion. EKS upgrades one minor version at a time, in place: raise it by one
	// per pulumi up (docs/web-tier.md, the upgrade path).
	Version string
	// NodeInstanceType is the nodes' Graviton instance type; "" means m7g.large.
	NodeInstanceType string
	// NodesPerZone bound the nodes of each zone's managed node group; the Cluster Autoscaler moves
	// the count between Min and Max. Zero values mean 1, 1 and 3. Desired counts at creation only:
	// a later change of Min or Max is sent to EKS with the desired size the stack recorded (not the
	// autoscaler's count), which resets the count, and EKS refuses a Min above it.
	NodesPerZone NodeCount
	// NodeDiskGiB is each node's encrypted root volume, 20 to 16384 GiB; 0 means 50.
	NodeDiskGiB int
	// PublicAccessCIDRs are the ranges that reach the cluster's API endpoint from the internet.
	// None means a private endpoint only: reach it from inside the VPC (docs/web-tier.md says how).
	PublicAccessCIDRs []string
	// AllowPublicAccessFromAnywhere acknowledges 0.0.0.0/0 in PublicAccessCIDRs, which is refused
	// without it.
	AllowPublicAccessFromAnywhere bool
	// AdminRoleARNs are IAM roles given cluster-admin by access entries, beside whoever creates the
	// cluster; each entry is keyed by its role (AdminAccessEntryKey), not by its place in the list.
	AdminRoleARNs []string
	// LogRetentionDays is how long the control plane's logs are kept, a value CloudWatch Logs
	// accepts; 0 means 90.
	LogRetentionDays int
	// AddonVersions pin EKS add-on versions by add-on name (CoreAddons(), and FilesAddon, which
	// runs only with Mounts; FilesAddonMinimumVersion or later), such as
	// {"coredns": "v1.12.4-eksbuild.1"}; an add-on not named runs the version EKS names default
	// for the cluster's Kubernetes version.
	AddonVersions map[string]string
}

// NodeCount bounds a managed node group.
type NodeCount struct {
	// Min is the fewest nodes.
	Min int
	// Desired is how many start.
	Desired int
	// Max is the most.
	Max int
}

// Limits of EKS, from its documentation (seen 2026-11-23).
const (
	// maxNodesPerGroup is the most nodes a managed node group holds ("Amazon EKS service quotas":
	// nodes per managed node group, 450).
	maxNodesPerGroup = 450
	// maxPublicAccessCIDRs is the most public access CIDR blocks a cluster takes ("Cluster API
	// server endpoint": up to 40).
	maxPublicAccessCIDRs = 40
)

// LogRetentionValues are the retentions CloudWatch Logs accepts, in days (PutRetentionPolicy).
var LogRetentionValues = []int{1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653}

// roleARNPattern is an IAM role ARN in any partition.
var roleARNPattern = regexp.MustCompile(`^arn:aws(-us-gov|-cn)?:iam::[0-9]{12}:role/[A-Za-z0-9+=,.@_/-]{1,512}$`)

// checked applies the Cluster's defaults to a copy and validates it. Its errors name the settings
// as tierstack:web names them (eksVersion, nodesPerZone…).
func (c Cluster) checked(appCPU int) (Cluster, error) {
	c.PublicAccessCIDRs, c.AdminRoleARNs = slices.Clone(c.PublicAccessCIDRs), slices.Clone(c.AdminRoleARNs)
	c.AddonVersions = maps.Clone(c.AddonVersions)
	if c.Version == "" {
		c.Version = DefaultKubernetesVersion
	}
	if _, ok := kubernetesRelease(c.Version); !ok {
		return c, fmt.Errorf("webtier: eksVersion %q is not supported (allowed: %s)", c.Version, strings.Join(KubernetesVersions(), ", "))
	}
	if c.NodeInstanceType == "" {
		c.NodeInstanceType = "m7g.large"
	}
	if !instanceTypePattern.MatchString(c.NodeInstanceType) || !graviton(c.NodeInstanceType) {
		return c, fmt.Errorf("webtier: nodeInstanceType %q is not a Graviton instance type (allowed: an arm64 type such as m7g.large or c7g.xlarge; the nodes run AL2023_ARM_64_STANDARD)", c.NodeInstanceType)
	}
	// A node keeps some CPU for the kubelet and the runtime, and the DaemonSets (vpc-cni,
	// kube-proxy, the Pod Identity agent, Container Insights) request more on every node: a pod
	// asking for more than is left never schedules (eks_capacity.go).
	if most, known := PodCPU(c.NodeInstanceType); known && appCPU > most {
		n, _ := vCPUs(c.NodeInstanceType)
		return c, fmt.Errorf("webtier: app cpu %d does not fit a %s node (allowed: at most %d millicores: its %d vCPUs less %dm the node keeps for Kubernetes and %dm its DaemonSets request)",
			appCPU, c.NodeInstanceType, most, n, kubeReservedCPU(n*1000), daemonSetCPU())
	}
	n := &c.NodesPerZone
	if n.Min == 0 && n.Desired == 0 && n.Max == 0 {
		*n = NodeCount{Min: 1, Desired: 1, Max: 3}
	}
	if n.Desired == 0 {
		n.Desired = max(n.Min, 1)
	}
	switch {
	case n.Min < 0 || n.Max < 1 || n.Max > maxNodesPerGroup:
		return c, fmt.Errorf("webtier: nodesPerZone min %d / max %d are out of range (allowed: min at least 0, max 1 to %d, EKS's limit per managed node group)", n.Min, n.Max, maxNodesPerGroup)
	case n.Min > n.Max:
		return c, fmt.Errorf("webtier: nodesPerZone min %d is above max %d (allowed: min at most max)", n.Min, n.Max)
	case n.Desired < n.Min || n.Desired > n.Max:
		return c, fmt.Errorf("webtier: nodesPerZone desired %d is outside min..max %d..%d", n.Desired, n.Min, n.Max)
	}
	if c.NodeDiskGiB == 0 {
		c.NodeDiskGiB = 50
	}
	if c.NodeDiskGiB < 20 || c.NodeDiskGiB > 16384 {
		return c, fmt.Errorf("webtier: nodeDiskGiB %d is out of range (allowed: 20 to 16384, gp3's limit)", c.NodeDiskGiB)
	}
	if err := checkPublicAccess(c.PublicAccessCIDRs, c.AllowPublicAccessFromAnywhere); err != nil {
		return c, err
	}
	for i, arn := range c.AdminRoleARNs {
		if slices.Contains(c.AdminRoleARNs[:i], arn) {
			return c, fmt.Errorf("webtier: adminRoleArns names %q twice (allowed: each role once; EKS refuses a second access entry for a principal)", arn)
		}
		if !roleARNPattern.MatchString(arn) {
			return c, fmt.Errorf("webtier: adminRoleArns %q is not an IAM role ARN (allowed: arn:aws:iam::<account>:role/<name>)", arn)
		}
	}
	var err error
	if c.LogRetentionDays, err = checkedLogRetention(c.LogRetentionDays); err != nil {
		return c, err
	}
	managed := append(CoreAddons(), FilesAddon)
	for _, addon := range slices.Sorted(maps.Keys(c.AddonVersions)) {
		if !slices.Contains(managed, addon) {
			return c, fmt.Errorf("webtier: addonVersions names %q, which tierstack does not manage (allowed: %s)", addon, strings.Join(managed, ", "))
		}
		if v := c.AddonVersions[addon]; !addonVersionLike(v) {
			return c, fmt.Errorf("webtier: addonVersions %s %q is not an EKS add-on version (allowed: such as v1.12.4-eksbuild.1, as aws eks describe-addon-versions lists)", addon, v)
		}
	}
	if v, pinned := c.AddonVersions[ObservabilityAddon]; pinned {
		if err := checkInsightsVersion(v); err != nil {
			return c, err
		}
	}
	if v, pinned := c.AddonVersions[FilesAddon]; pinned {
		if err := checkFilesAddonVersion(v); err != nil {
			return c, err
		}
	}
	return c, nil
}

// checkPublicAccess refuses public access ranges that are not public IPv4 CIDR blocks, too many of
// them, and the whole internet without the acknowledgement.
func checkPublicAccess(cidrs []string, anywhere bool) error {
	if len(cidrs) > maxPublicAccessCIDRs {
		return fmt.Errorf("webtier: publicAccessCidrs has %d ranges (allowed: at most %d)", len(cidrs), maxPublicAccessCIDRs)
	}
	for _, cidr := range cidrs {
		p, err := netip.ParsePrefix(cidr)
		if err != nil || !p.Addr().Is4() || p.Masked() != p {
			return fmt.Errorf("webtier: publicAccessCidrs %q is not an IPv4 CIDR block (allowed: such as 203.0.113.0/24, its host bits zero)", cidr)
		}
		if p.Addr().IsPrivate() || p.Addr().IsLoopback() {
			return fmt.Errorf("webtier: publicAccessCidrs %q is a private range, which never reaches a public endpoint (allowed: public ranges; the private endpoint serves the VPC)", cidr)
		}
		if p.Bits() == 0 && !anywhere {
			return fmt.Errorf("webtier: publicAccessCidrs %q opens the cluster's API to the whole internet (allowed: your ranges; or set allowPublicAccessFromAnywhere: true to accept it)", cidr)
		}
	}
	return nil
}
