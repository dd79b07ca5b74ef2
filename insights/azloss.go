package insights

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/tierstack/tierstack/synth"
)

// ZoneLoss is what losing one availability zone does to the stack.
type ZoneLoss struct {
	// Survives is true when web capacity, the database writer, the cache primary and NAT egress all
	// carry on (after failover) without the zone.
	Survives bool `json:"survives"`
	// Why says what is lost, or why nothing is.
	Why string `json:"why"`
	// Checks are the verdicts one by one: web, database, cache, nat, streaming, files; only those the plan
	// has.
	Checks map[string]Verdict `json:"checks"`
}

// Verdict is one part's fate when a zone is lost.
type Verdict struct {
	// Survives is true when the part carries on.
	Survives bool `json:"survives"`
	// Why says why.
	Why string `json:"why"`
}

// zoneMap knows the zone of each subnet, by subnet URN.
type zoneMap struct {
	ix     index
	zones  []string
	subnet map[string]string
}

// subnetType is the type token of a subnet.
const subnetType = "aws:ec2/subnet:Subnet"

// newZoneMap reads the zones from the plan's subnets.
func newZoneMap(ix index, resources []synth.Resource) zoneMap {
	zm := zoneMap{ix: ix, subnet: map[string]string{}}
	for _, r := range resources {
		if r.Type != subnetType {
			continue
		}
		z := str(r.Inputs, "availabilityZone")
		if z == "" {
			continue
		}
		zm.subnet[r.URN] = z
		if !slices.Contains(zm.zones, z) {
			zm.zones = append(zm.zones, z)
		}
	}
	sort.Strings(zm.zones)
	return zm
}

// of returns the zones of the subnets r names by ID in its input at path (a list or one ID),
// sorted and distinct. In a preview, where IDs are unknown, they are the zones of the subnets r
// depends on.
func (zm zoneMap) of(r *synth.Resource, path string) []string {
	ids := strs(r.Inputs, path)
	if id := str(r.Inputs, path); id != "" {
		ids = []string{id}
	}
	var out []string
	add := func(urn string) {
		if z, ok := zm.subnet[urn]; ok && !slices.Contains(out, z) {
			out = append(out, z)
		}
	}
	for _, id := range ids {
		if s := zm.ix.ref(r, id, subnetType); s != nil && id != synth.UnknownPlaceholder {
			add(s.URN)
		} else if id == synth.UnknownPlaceholder {
			for _, d := range r.Dependencies {
				add(d)
			}
		}
	}
	sort.Strings(out)
	return out
}

// zoneOfSubnet returns the zone of the subnet r names at path, "" when unknown.
func (zm zoneMap) zoneOfSubnet(r *synth.Resource, path string) string {
	if zones := zm.of(r, path); len(zones) == 1 {
		return zones[0]
	}
	return ""
}

// others reports whether zones holds a zone other than lost.
func others(zones []string, lost string) bool {
	return slices.ContainsFunc(zones, func(z string) bool { return z != lost })
}

// AZLoss says, for each zone of the plan's subnets, whether the stack survives its loss.
func AZLoss(resources []synth.Resource) map[string]ZoneLoss {
	ix := newIndex(resources)
	zm := newZoneMap(ix, resources)
	out := make(map[string]ZoneLoss, len(zm.zones))
	for _, z := range zm.zones {
		checks := map[string]Verdict{}
		if v, ok := webVerdict(zm, resources, z); ok {
			checks["web"] = v
		}
		if v, ok := databaseVerdict(zm, resources, z); ok {
			checks["database"] = v
		}
		if v, ok := cacheVerdict(zm, resources, z); ok {
			checks["cache"] = v
		}
		if v, ok := natVerdict(zm, resources, z); ok {
			checks["nat"] = v
		}
		if v, ok := streamingVerdict(zm, resources, z); ok {
			checks["streaming"] = v
		}
		if v, ok := filesVerdict(zm, resources, z); ok {
			checks["files"] = v
		}
		if v, ok := workersVerdict(zm, resources, z); ok {
			checks["workers"] = v
		}
		zl := ZoneLoss{Survives: true, Checks: checks}
		var lost []string
		for _, part := range []string{"web", "workers", "database", "cache", "nat", "streaming", "files"} {
			if v, ok := checks[part]; ok && !v.Survives {
				zl.Survives = false
				lost = append(lost, part+": "+v.Why)
			}
		}
		var kept []string
		for _, part := range []string{"web", "workers", "database", "cache", "nat", "streaming", "files"} {
			if v, ok := checks[part]; ok && v.Survives {
				kept = append(kept, part)
			}
		}
		switch {
		case len(lost) > 0:
			zl.Why = strings.Join(lost, "; ")
		case len(kept) == 0:
			zl.Why = "nothing the check knows runs in the plan"
		default:
			zl.Why = strings.Join(kept, ", ") + " carry on in the other zones"
		}
		out[z] = zl
	}
	return out
}

// webVerdict: the app's servers, Auto Scaling groups and EKS node groups outside the lost zone.
func webVerdict(zm zoneMap, resources []synth.Resource, lost string) (Verdict, bool) {
	var survivors, casualties []string
	for _, r := range resources {
		var zones []string
		var capacity float64
		switch r.Type {
		case "aws:ec2/instance:Instance":
			if strings.Contains(r.Name, "bastion") {
				continue
			}
			zones, capacity = zm.of(&r, "subnetId"), 1
		case "aws:autoscaling/group:Group":
			if ofWorkers(&r) {
				continue // workersVerdict's
			}
			zones = zm.of(&r, "vpcZoneIdentifiers")
			capacity, _ = num(r.Inputs, "desiredCapacity")
			if m, ok := num(r.Inputs, "minSize"); ok && m > capacity {
				capacity = m
			}
		case "eks:index:ManagedNodeGroup", "aws:eks/nodeGroup:NodeGroup":
			zones = zm.of(&r, "subnetIds")
			capacity, _ = num(r.Inputs, "scalingConfig.desiredSize")
		default:
			continue
		}
		switch {
		case capacity > 0 && others(zones, lost):
			survivors = append(survivors, fmt.Sprintf("%s (%s)", r.Name, strings.Join(zones, ", ")))
		default:
			casualties = append(casualties, fmt.Sprintf("%s (%s)", r.Name, strings.Join(zones, ", ")))
		}
	}
	switch {
	case len(survivors) == 0 && len(casualties) == 0:
		return Verdict{}, false
	case len(survivors) > 0:
		return Verdict{Survives: true, Why: "served from the other zones by " + strings.Join(survivors, ", ")}, true
	default:
		return Verdict{Why: "every server is in that zone or has no capacity elsewhere: " + strings.Join(casualties, ", ")}, true
	}
}

// databaseVerdict: an Aurora cluster fails over to an instance in another zone; a Multi-AZ RDS
// instance to its standby.
func databaseVerdict(zm zoneMap, resources []synth.Resource, lost string) (Verdict, bool) {
	instances := map[string][]string{} // cluster name → zones of its instances ("" unknown)
	found := false
	for _, r := range resources {
		switch r.Type {
		case "aws:rds/clusterInstance:ClusterInstance":
			id := str(r.Inputs, "clusterIdentifier")
			if c := zm.ix.ref(&r, id, "aws:rds/cluster:Cluster"); c != nil {
				id = c.Name
			}
			instances[id] = append(instances[id], str(r.Inputs, "availabilityZone"))
			found = true
		case "aws:rds/instance:Instance":
			found = true
			if multi, _ := boolean(r.Inputs, "multiAz"); multi {
				continue
			}
			if z := str(r.Inputs, "availabilityZone"); z == "" || z == lost {
				return Verdict{Why: r.Name + " is a Single-AZ database"}, true
			}
		}
	}
	if !found {
		return Verdict{}, false
	}
	for id, zones := range instances {
		if len(zones) == 1 {
			if zones[0] != "" && zones[0] != lost {
				continue // its only instance is elsewhere
			}
			return Verdict{Why: fmt.Sprintf("cluster %s has one instance (zone: %s): no replica to fail over to; Aurora recreates it elsewhere, an outage of many minutes", id, or(zones[0], "AWS's pick"))}, true
		}
		if !slices.ContainsFunc(zones, func(z string) bool { return z != lost }) {
			return Verdict{Why: fmt.Sprintf("every instance of cluster %s is in that zone", id)}, true
		}
	}
	return Verdict{Survives: true, Why: "the writer fails over to a reader in another zone"}, true
}

// cacheVerdict: a replication group survives with automatic failover to a replica in another zone.
func cacheVerdict(zm zoneMap, resources []synth.Resource, lost string) (Verdict, bool) {
	found := false
	for _, r := range resources {
		if r.Type != "aws:elasticache/replicationGroup:ReplicationGroup" {
			continue
		}
		found = true
		zones := strs(r.Inputs, "preferredCacheClusterAzs")
		if len(zones) == 0 {
			if sg := zm.ix.ref(&r, str(r.Inputs, "subnetGroupName"), "aws:elasticache/subnetGroup:SubnetGroup"); sg != nil {
				zones = zm.of(sg, "subnetIds")
			}
		}
		if len(zones) > 0 && !slices.Contains(zones, lost) {
			continue // no node in that zone
		}
		replicas, ok := num(r.Inputs, "replicasPerNodeGroup")
		if n, nok := num(r.Inputs, "numCacheClusters"); nok {
			replicas, ok = n-1, true
		}
		if !ok || replicas < 1 {
			return Verdict{Why: r.Name + " has no replica: its primary is its only node"}, true
		}
		if on, _ := boolean(r.Inputs, "automaticFailoverEnabled"); !on {
			return Verdict{Why: r.Name + " has no automatic failover: a replica is not promoted"}, true
		}
		if len(zones) > 0 && !others(zones, lost) {
			return Verdict{Why: r.Name + " has every node in that zone"}, true
		}
	}
	if !found {
		return Verdict{}, false
	}
	return Verdict{Survives: true, Why: "a replica in another zone is promoted, or no node is in that zone"}, true
}

// natVerdict: private subnets in other zones must not send their traffic through a NAT gateway in
// the lost zone.
func natVerdict(zm zoneMap, resources []synth.Resource, lost string) (Verdict, bool) {
	natZone := map[string]string{} // NAT gateway URN → zone
	for _, r := range resources {
		if r.Type == "aws:ec2/natGateway:NatGateway" {
			natZone[r.URN] = zm.zoneOfSubnet(&r, "subnetId")
		}
	}
	if len(natZone) == 0 {
		return Verdict{}, false
	}
	const tableType = "aws:ec2/routeTable:RouteTable"
	viaNAT := map[string]string{} // route table URN → NAT gateway URN
	for _, r := range resources {
		if r.Type != "aws:ec2/route:Route" || str(r.Inputs, "natGatewayId") == "" {
			continue
		}
		table := zm.ix.ref(&r, str(r.Inputs, "routeTableId"), tableType)
		nat := zm.ix.ref(&r, str(r.Inputs, "natGatewayId"), "aws:ec2/natGateway:NatGateway")
		if table != nil && nat != nil {
			viaNAT[table.URN] = nat.URN
		}
	}
	var stranded []string
	for _, r := range resources {
		if r.Type != "aws:ec2/routeTableAssociation:RouteTableAssociation" {
			continue
		}
		table := zm.ix.ref(&r, str(r.Inputs, "routeTableId"), tableType)
		if table == nil {
			continue
		}
		nat, ok := viaNAT[table.URN]
		if !ok {
			continue
		}
		subnetZone := zm.zoneOfSubnet(&r, "subnetId")
		if natZone[nat] == lost && subnetZone != lost && !slices.Contains(stranded, subnetZone) {
			stranded = append(stranded, subnetZone)
		}
	}
	if len(stranded) > 0 {
		sort.Strings(stranded)
		return Verdict{Why: "the private subnets of " + strings.Join(stranded, ", ") + " reach the internet through the NAT gateway in that zone"}, true
	}
	return Verdict{Survives: true, Why: "no private subnet of another zone reaches the internet through a NAT gateway in that zone"}, true
}

// or returns s, or fallback when s is empty.
func or(s, fallback string) string {
	if s == "" {
		return fallback
	}
	return s
}
