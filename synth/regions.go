package synth

import (
	"fmt"
	"slices"
	"strings"
)

// region is the fake data plan gives for an AWS region.
type region struct {
	name        string
	description string
	zoneLetters string // the zones that need no opt-in, by letter
	zoneIDs     []int  // their AZ IDs' numbers, in the same order
}

// regions are the regions plan knows, with the zones an account commonly sees there (zone letters
// map to physical zones per account; AZ IDs do not). Compiled from the AWS "Regions and Zones"
// documentation, 2026.
var regions = []region{
	{"us-east-1", "US East (N. Virginia)", "abcdef", []int{1, 2, 4, 6, 3, 5}},
	{"us-east-2", "US East (Ohio)", "abc", []int{1, 2, 3}},
	{"us-west-1", "US West (N. California)", "ac", []int{1, 3}},
	{"us-west-2", "US West (Oregon)", "abcd", []int{2, 1, 3, 4}},
	{"ca-central-1", "Canada (Central)", "abd", []int{1, 2, 4}},
	{"sa-east-1", "South America (Sao Paulo)", "abc", []int{1, 2, 3}},
	{"eu-west-1", "Europe (Ireland)", "abc", []int{1, 2, 3}},
	{"eu-west-2", "Europe (London)", "abc", []int{2, 3, 1}},
	{"eu-west-3", "Europe (Paris)", "abc", []int{1, 2, 3}},
	{"eu-central-1", "Europe (Frankfurt)", "abc", []int{1, 2, 3}},
	{"eu-north-1", "Europe (Stockholm)", "abc", []int{1, 2, 3}},
	{"ap-south-1", "Asia Pacific (Mumbai)", "abc", []int{1, 3, 2}},
	{"ap-southeast-1", "Asia Pacific (Singapore)", "abc", []int{1, 2, 3}},
	{"ap-southeast-2", "Asia Pacific (Sydney)", "abc", []int{1, 3, 2}},
	{"ap-northeast-1", "Asia Pacific (Tokyo)", "acd", []int{4, 1, 2}},
	{"ap-northeast-2", "Asia Pacific (Seoul)", "abcd", []int{1, 2, 3, 4}},
	{"ap-northeast-3", "Asia Pacific (Osaka)", "abc", []int{3, 1, 2}},
	{"us-gov-west-1", "AWS GovCloud (US-West)", "abc", []int{1, 2, 3}},
	{"us-gov-east-1", "AWS GovCloud (US-East)", "abc", []int{1, 2, 3}},
	{"cn-north-1", "China (Beijing)", "abd", []int{1, 2, 4}},
}

// partitionInfo is what aws.GetPartition answers for a partition.
type partitionInfo struct {
	name, dnsSuffix, reverseDNSPrefix string
}

// partition returns the ARN partition the region belongs to: GovCloud and China have their own.
func (r region) partition() partitionInfo {
	switch {
	case strings.HasPrefix(r.name, "us-gov-"):
		return partitionInfo{"aws-us-gov", "amazonaws.com", "com.amazonaws"}
	case strings.HasPrefix(r.name, "cn-"):
		return partitionInfo{"aws-cn", "amazonaws.com.cn", "cn.com.amazonaws"}
	default:
		return partitionInfo{"aws", "amazonaws.com", "com.amazonaws"}
	}
}

// RegionNames lists the regions plan knows.
func RegionNames() []string {
	names := make([]string, len(regions))
	for i, r := range regions {
		names[i] = r.name
	}
	return names
}

// lookupRegion finds a region plan knows.
func lookupRegion(name string) (region, error) {
	i := slices.IndexFunc(regions, func(r region) bool { return r.name == name })
	if i < 0 {
		return region{}, fmt.Errorf("region %q is not one plan knows (allowed: %s)", name, strings.Join(RegionNames(), ", "))
	}
	return regions[i], nil
}

// zones returns the region's zone names and AZ IDs.
func (r region) zones() (names, ids []string) {
	prefix := azIDPrefix(r.name)
	for i, letter := range r.zoneLetters {
		names = append(names, r.name+string(letter))
		ids = append(ids, fmt.Sprintf("%s-az%d", prefix, r.zoneIDs[i]))
	}
	return names, ids
}

// azIDPrefix abbreviates a region for its AZ IDs: us-east-1 gives use1, ap-southeast-2 gives apse2.
func azIDPrefix(name string) string {
	parts := strings.Split(name, "-")
	if len(parts) != 3 && len(parts) != 4 {
		return name
	}
	area := parts[1]
	if parts[0] == "us" && parts[1] == "gov" && len(parts) == 4 {
		return "usg" + parts[2][:1] + parts[3]
	}
	if parts[0] == "cn" {
		return "cn" + parts[1][:1] + parts[2]
	}
	short := map[string]string{"northeast": "ne", "southeast": "se", "central": "c", "north": "n", "south": "s", "east": "e", "west": "w"}
	if s, ok := short[area]; ok {
		area = s
	}
	return parts[0] + area + parts[2]
}
