package insights

import (
	"fmt"
	"strings"

	"github.com/tierstack/tierstack/synth"
)

// workersComponent is the Workers' type in a URN's parent chain.
const workersComponent = "tierstack:index:Workers$"

// ofWorkers reports whether r is a child of a Workers component.
func ofWorkers(r *synth.Resource) bool { return strings.Contains(r.URN, workersComponent) }

// workersVerdict: the workers' queue is regional (SQS stores messages across several zones, "Amazon
// SQS architecture" in the Developer Guide), so a zone's loss loses no job; the workers' own Auto
// Scaling group carries on, or relaunches, in its other zones. On EKS the workers run on the node
// groups, which the web verdict covers.
func workersVerdict(zm zoneMap, resources []synth.Resource, lost string) (Verdict, bool) {
	found := false
	for _, r := range resources {
		if !ofWorkers(&r) {
			continue
		}
		switch r.Type {
		case "aws:sqs/queue:Queue":
			found = true
		case "aws:autoscaling/group:Group":
			found = true
			zones := zm.of(&r, "vpcZoneIdentifiers")
			if len(zones) > 0 && !others(zones, lost) {
				return Verdict{Why: fmt.Sprintf("%s launches in %s only", r.Name, strings.Join(zones, ", "))}, true
			}
		}
	}
	if !found {
		return Verdict{}, false
	}
	return Verdict{Survives: true, Why: "the queue is regional (no job is lost) and the workers run, or relaunch, in the other zones"}, true
}
