package observability

import (
	"fmt"
	"regexp"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/tierstack/tierstack/components/network"
)

// CentralLogsArgs are the inputs of the central logging domain. The zero value of every field but
// Network is a sensible default.
type CentralLogsArgs struct {
	// Network is where the domain goes: its data subnets. Required.
	Network *network.Network
	// ZoneCount is how many zones the domain spans, zone-aware: 2 or 3, and at most the Network's
	// zones. 0 means 3.
	ZoneCount int
	// InstanceType is the data nodes' type, such as r7g.large.search. "" means r7g.large.search.
	InstanceType string
	// InstanceCount is how many data nodes; a multiple of ZoneCount, so that every zone holds as
	// many. 0 means one per zone.
	InstanceCount int
	// DedicatedMasters adds three dedicated master nodes (AWS's recommended count: a quorum that
	// survives one loss) of MasterInstanceType.
	DedicatedMasters bool
	// MasterInstanceType is the dedicated masters' type; "" means m7g.large.search.
	MasterInstanceType string
	// VolumeGiB is each data node's gp3 volume; 0 means 100.
	VolumeGiB int
	// EngineVersion is the OpenSearch version; "" means DefaultEngineVersion.
	EngineVersion string
	// ShipLogGroups are the CloudWatch log groups whose events go to the domain, by a stable short
	// key ("flow-logs", "cache-slow"): the key names the subscription filter, so adding one never
	// renames another.
	ShipLogGroups map[string]pulumi.StringInput
	// ShipperSubnets are where the shipping function runs: subnets with a way to Secrets Manager
	// and to the domain. Empty means the Network's private (application) subnets.
	ShipperSubnets pulumi.StringArrayInput
}

// DefaultEngineVersion is the OpenSearch version of a new domain.
const DefaultEngineVersion = "OpenSearch_2.19"

// DedicatedMasterCount is how many dedicated masters a domain with them has.
const DedicatedMasterCount = 3

// TLSPolicy is the domain endpoint's TLS policy: TLS 1.2 at least.
const TLSPolicy = "Policy-Min-TLS-1-2-PFS-2023-10"

var (
	// instanceTypePattern matches OpenSearch Service instance types of current EBS-backed families
	// (the .search suffix is part of the name), in the sizes they come in. Burstable T types are
	// left out (AWS advises against them for production domains), and so are the families with
	// instance storage (i3, i4g, i4i, im4gn, r6gd, r7gd), which take no EBS volume: the domain
	// always has one.
	instanceTypePattern = regexp.MustCompile(`^(m5|m6g|m7g|m7i|c5|c6g|c7g|c7i|r5|r6g|r7g|r7i|or1|or2|om2)\.(large|xlarge|2xlarge|4xlarge|8xlarge|12xlarge|16xlarge)\.search$`)
	// enginePattern matches OpenSearch engine versions.
	enginePattern = regexp.MustCompile(`^OpenSearch_[1-9][0-9]?\.[0-9]{1,2}$`)
	// shipKeyPattern is what a ShipLogGroups key may hold.
	shipKeyPattern = regexp.MustCompile(`^[a-z][a-z0-9-]{0,30}$`)
)

// checked returns the args with defaults filled in, or an error naming the field.
func (c CentralLogsArgs) checked() (CentralLogsArgs, error) {
	if c.Network == nil {
		return c, fmt.Errorf("network is required (allowed: the *network.Network whose data subnets hold the domain)")
	}
	if c.ZoneCount == 0 {
		c.ZoneCount = 3
	}
	if c.ZoneCount != 2 && c.ZoneCount != 3 {
		return c, fmt.Errorf("zoneCount %d is not one OpenSearch zone awareness takes (allowed: 2 or 3)", c.ZoneCount)
	}
	if c.InstanceType == "" {
		c.InstanceType = "r7g.large.search"
	}
	if c.MasterInstanceType == "" {
		c.MasterInstanceType = "m7g.large.search"
	}
	for field, t := range map[string]string{"instanceType": c.InstanceType, "masterInstanceType": c.MasterInstanceType} {
		if !instanceTypePattern.MatchString(t) {
			return c, fmt.Errorf("%s %q is not an OpenSearch instance type (allowed: <family>.<size>.search of a current family, such as r7g.large.search or m7g.xlarge.search; no burstable t types)", field, t)
		}
	}
	if c.InstanceCount == 0 {
		c.InstanceCount = c.ZoneCount
	}
	if c.InstanceCount < c.ZoneCount || c.InstanceCount%c.ZoneCount != 0 {
		return c, fmt.Errorf("instanceCount %d does not spread evenly over %d zones (allowed: a multiple of %d)", c.InstanceCount, c.ZoneCount, c.ZoneCount)
	}
	if c.VolumeGiB == 0 {
		c.VolumeGiB = 100
	}
	if c.VolumeGiB < 10 || c.VolumeGiB > 16384 {
		return c, fmt.Errorf("volumeGiB %d is out of range (allowed: 10 to 16384 for gp3)", c.VolumeGiB)
	}
	if c.EngineVersion == "" {
		c.EngineVersion = DefaultEngineVersion
	}
	if !enginePattern.MatchString(c.EngineVersion) {
		return c, fmt.Errorf("engineVersion %q is not an OpenSearch version (allowed: OpenSearch_X.Y, such as %s)", c.EngineVersion, DefaultEngineVersion)
	}
	for k, v := range c.ShipLogGroups {
		if !shipKeyPattern.MatchString(k) || v == nil {
			return c, fmt.Errorf("shipLogGroups key %q is not allowed (allowed: a lowercase letter, then up to 30 lowercase letters, digits and hyphens, with a log group name)", k)
		}
	}
	return c, nil
}
