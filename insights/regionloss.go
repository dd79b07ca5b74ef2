package insights

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/tierstack/tierstack/synth"
)

// RegionLoss is what losing the stack's whole primary region does: whether its data survives
// elsewhere, and how much of it may be lost.
type RegionLoss struct {
	// Region is the region lost: the stack's own.
	Region string `json:"region"`
	// Survives is true when a copy of every database cluster and table lives in another region.
	Survives bool `json:"survives"`
	// Serves is true when the service keeps answering from another region without a rebuild.
	Serves bool `json:"serves"`
	// CopiedTo are the regions the data is copied to.
	CopiedTo []string `json:"copiedTo,omitempty"`
	// RPO is the most data lost, as the copies' schedule allows (empty when nothing is copied or
	// the schedule is not read).
	RPO string `json:"rpo,omitempty"`
	// RTO is how long until the service answers from the other region, as the DR region's
	// strategy states it (the stack output drRto); empty when the plan has no DR region.
	RTO string `json:"rto,omitempty"`
	// ServedFrom are the other regions where a load balancer has running web capacity behind it.
	ServedFrom []string `json:"servedFrom,omitempty"`
	// Why says what survives and what does not.
	Why string `json:"why"`
}

// Types RegionLossOf reads.
const (
	backupPlanType        = "aws:backup/plan:Plan"
	backupSelectionType   = "aws:backup/selection:Selection"
	replicationConfigType = "aws:s3/bucketReplicationConfig:BucketReplicationConfig"
	clusterType           = "aws:rds/cluster:Cluster"
	tableType             = "aws:dynamodb/table:Table"
	globalClusterType     = "aws:rds/globalCluster:GlobalCluster"
	tableReplicaType      = "aws:dynamodb/tableReplica:TableReplica"
)

// liveReplicationLag is what a live copy loses: an Aurora global database's replication lag,
// typically under a second, and a DynamoDB global table's, within a second (Aurora User Guide,
// "Using Amazon Aurora Global Database"; DynamoDB Developer Guide, "Global tables").
const liveReplicationLag = time.Second

// RegionLossOf says what losing region, where the plan's default provider deploys, does to the
// stack: which clusters and tables AWS Backup copies to another region (the plans' copy actions
// and their selections), how old the newest copy may be (the schedule plus the completion window),
// whether the asset bucket is replicated, and whether anything serves from elsewhere. The copies'
// own transfer time is not counted.
func RegionLossOf(region string, resources []synth.Resource) RegionLoss {
	rl := RegionLoss{Region: region}
	ix := newIndex(resources)
	copied := map[string]bool{} // ARNs and URNs of what a cross-region copy covers
	var worst time.Duration
	for _, sel := range resources {
		if sel.Type != backupSelectionType {
			continue
		}
		plan := ix.ref(&sel, str(sel.Inputs, "planId"), backupPlanType)
		if plan == nil {
			continue
		}
		for _, rule := range list(plan.Inputs, "rules") {
			r, _ := rule.(map[string]any)
			var away []string
			for _, ca := range list(r, "copyActions") {
				c, _ := ca.(map[string]any)
				dest := arnRegion(str(c, "destinationVaultArn"))
				if dest == "" {
					// A preview knows no ARN: the vaults the plan depends on say where they are.
					dest = vaultRegionAway(ix, plan, region)
				}
				if dest != "" && dest != region {
					away = append(away, dest)
				}
			}
			if len(away) == 0 {
				continue
			}
			for _, d := range away {
				if !slices.Contains(rl.CopiedTo, d) {
					rl.CopiedTo = append(rl.CopiedTo, d)
				}
			}
			// By ARN, and by URN through the selection's dependencies: a preview knows no ARN.
			for _, arn := range strs(sel.Inputs, "resources") {
				copied[arn] = true
			}
			for _, urn := range sel.Dependencies {
				copied[urn] = true
			}
			age, ok := scheduleInterval(str(r, "schedule"))
			if window, has := num(r, "completionWindow"); has {
				age += time.Duration(window) * time.Minute
			}
			if ok && age > worst {
				worst = age
			}
		}
	}
	rl.ServedFrom = servingRegions(ix, resources, region)
	rl.Serves = len(rl.ServedFrom) > 0
	live, liveTo := liveCopies(ix, resources, region)
	for _, d := range liveTo {
		if !slices.Contains(rl.CopiedTo, d) {
			rl.CopiedTo = append(rl.CopiedTo, d)
		}
	}
	var data, lost []string
	allLive := true
	for _, r := range resources {
		if r.Type != clusterType && r.Type != tableType {
			continue
		}
		if away := regionOf(ix, &r, region); away != region {
			continue // a copy in another region (a global database's secondary), not data of this one
		}
		data = append(data, r.Name)
		arn, _ := r.Outputs["arn"].(string)
		isLive := live[r.URN] || (arn != "" && live[arn])
		allLive = allLive && isLive
		if !isLive && !copied[r.URN] && (arn == "" || !copied[arn]) {
			lost = append(lost, r.Name)
		}
	}
	replicated := false
	for _, r := range resources {
		if r.Type == replicationConfigType {
			for _, rule := range list(r.Inputs, "rules") {
				if dest := str(rule.(map[string]any), "destination.bucket"); dest != "" {
					replicated = true
				}
			}
		}
	}
	slices.Sort(rl.CopiedTo)
	switch {
	case len(data) == 0:
		rl.Why = "the plan holds no database or table"
		rl.Survives = true
	case len(rl.CopiedTo) == 0:
		rl.Why = fmt.Sprintf("the data lives only in %s (Aurora's automated backups and snapshots, and DynamoDB's, stay in their region): set tierstack:drRegion", region)
	case len(lost) > 0:
		rl.Why = fmt.Sprintf("not copied out of %s: %s", region, strings.Join(lost, ", "))
	case allLive:
		rl.Survives = true
		rl.RPO = liveReplicationLag.String()
		parts := []string{fmt.Sprintf("every database is the primary of an Aurora global database and every table a global table, replicated live to %s (the replication lag, typically under %s, is lost)", strings.Join(rl.CopiedTo, ", "), rl.RPO)}
		if replicated {
			parts = append(parts, "the assets are replicated")
		}
		if rl.Serves {
			parts = append(parts, fmt.Sprintf("the web tier already runs in %s: the secondaries are promoted and the traffic moved there", strings.Join(rl.ServedFrom, ", ")))
		} else {
			parts = append(parts, "nothing serves from there: the secondaries are promoted and the service built there with pulumi up")
		}
		rl.Why = strings.Join(parts, "; ")
	default:
		rl.Survives = true
		parts := []string{fmt.Sprintf("every database and table is copied to %s by AWS Backup", strings.Join(rl.CopiedTo, ", "))}
		if worst > 0 {
			rl.RPO = formatDuration(worst)
			parts[0] += fmt.Sprintf(" (up to %s of writes lost, plus the copy's time)", rl.RPO)
		}
		if replicated {
			parts = append(parts, "the assets are replicated")
		}
		parts = append(parts, "nothing serves from there: the service is rebuilt with pulumi up and the data restored from the copies")
		rl.Why = strings.Join(parts, "; ")
	}
	return rl
}

// arnRegion is the region field of an ARN, "" when it is not one.
func arnRegion(arn string) string {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) < 6 || parts[0] != "arn" {
		return ""
	}
	return parts[3]
}

// dailyCron and hourlyCron match AWS Backup schedules (EventBridge cron: minutes hours
// day-of-month month day-of-week year) that run once a day and once an hour.
var (
	dailyCron  = regexp.MustCompile(`^cron\(\d+ \d+ [*?] \* [*?] \*\)$`)
	hourlyCron = regexp.MustCompile(`^cron\(\d+ \* [*?] \* [*?] \*\)$`)
)

// scheduleInterval is the time between two runs of a backup schedule, when it is a daily or hourly
// cron expression.
func scheduleInterval(schedule string) (time.Duration, bool) {
	switch {
	case dailyCron.MatchString(schedule):
		return 24 * time.Hour, true
	case hourlyCron.MatchString(schedule):
		return time.Hour, true
	}
	return 0, false
}

// formatDuration writes a duration in hours and minutes: 27h, 1h30m.
func formatDuration(d time.Duration) string {
	h, m := int(d.Hours()), int(d.Minutes())%60
	switch {
	case m == 0:
		return fmt.Sprintf("%dh", h)
	case h == 0:
		return fmt.Sprintf("%dm", m)
	}
	return fmt.Sprintf("%dh%dm", h, m)
}

// vaultRegionAway is the region of a backup vault that plan depends on outside region, by its
// provider's region input; "" when there is none.
func vaultRegionAway(ix index, plan *synth.Resource, region string) string {
	for _, d := range plan.Dependencies {
		v := ix.byURN[d]
		if v == nil || v.Type != "aws:backup/vault:Vault" || v.Provider == "" {
			continue
		}
		if p := ix.byURN[v.Provider]; p != nil {
			if r := str(p.Inputs, "region"); r != "" && r != region {
				return r
			}
		}
	}
	return ""
}

// regionOf is the region a resource lives in: its provider's region input, region (the stack's)
// when it is on the default provider or the provider does not say.
func regionOf(ix index, r *synth.Resource, region string) string {
	if r.Provider == "" {
		return region
	}
	if p := ix.byURN[r.Provider]; p != nil {
		if reg := str(p.Inputs, "region"); reg != "" {
			return reg
		}
	}
	return region
}

// liveCopies finds the clusters and tables replicated live out of region: a cluster that is the
// source of a global cluster with a secondary cluster in another region, a table with a
// TableReplica in another region. It returns their ARNs and URNs, and the regions they go to.
func liveCopies(ix index, resources []synth.Resource, region string) (map[string]bool, []string) {
	live := map[string]bool{}
	var to []string
	add := func(reg string) {
		if !slices.Contains(to, reg) {
			to = append(to, reg)
		}
	}
	for _, g := range resources {
		if g.Type != globalClusterType {
			continue
		}
		id := str(g.Inputs, "globalClusterIdentifier")
		for _, c := range resources {
			// A member names the global cluster, or (in a preview, where the name is not known
			// yet) depends on it.
			member := (id != "" && str(c.Inputs, "globalClusterIdentifier") == id) || slices.Contains(c.Dependencies, g.URN)
			if c.Type != clusterType || !member {
				continue
			}
			if reg := regionOf(ix, &c, region); reg != region {
				markSource(live, ix, &g, str(g.Inputs, "sourceDbClusterIdentifier"), clusterType)
				add(reg)
			}
		}
	}
	for _, r := range resources {
		if r.Type != tableReplicaType {
			continue
		}
		if reg := regionOf(ix, &r, region); reg != region {
			markSource(live, ix, &r, str(r.Inputs, "globalTableArn"), tableType)
			add(reg)
		}
	}
	return live, to
}

// markSource marks what a replicating resource copies as live: by the ARN its input names and, as
// a preview knows no ARN, by the resources of the source's type it depends on.
func markSource(live map[string]bool, ix index, r *synth.Resource, arn, sourceType string) {
	if arn != "" {
		live[arn] = true
	}
	for _, d := range r.Dependencies {
		if src := ix.byURN[d]; src != nil && src.Type == sourceType {
			live[d] = true
		}
	}
}

// Types servingRegions reads.
const (
	autoScalingGroupType = "aws:autoscaling/group:Group"
	eksNodeGroupType     = "aws:eks/nodeGroup:NodeGroup"
	loadBalancerType     = "aws:lb/loadBalancer:LoadBalancer"
)

// servingRegions are the regions other than region where a load balancer has web capacity running
// behind it before any disaster: an Auto Scaling group or an EKS node group whose minimum is above
// zero in the same region. A group at zero (a pilot light's) serves nothing until it is scaled.
func servingRegions(ix index, resources []synth.Resource, region string) []string {
	balancers := map[string]bool{}
	for _, r := range resources {
		if r.Type == loadBalancerType {
			balancers[regionOf(ix, &r, region)] = true
		}
	}
	var out []string
	for _, r := range resources {
		var least float64
		switch r.Type {
		case autoScalingGroupType:
			least, _ = num(r.Inputs, "minSize")
		case eksNodeGroupType:
			least, _ = num(r.Inputs, "scalingConfig.minSize")
		default:
			continue
		}
		reg := regionOf(ix, &r, region)
		if reg != region && least > 0 && balancers[reg] && !slices.Contains(out, reg) {
			out = append(out, reg)
		}
	}
	slices.Sort(out)
	return out
}
