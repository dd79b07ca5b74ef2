package insights

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/tierstack/tierstack/synth"
)

// streamingVerdict: a Kafka cluster survives a zone's loss when the copies of each partition left in
// the other zones are at least min.insync.replicas, so that writes with acks=all go on. MSK places a
// partition's replicas in different zones (rack awareness, broker.rack = the zone), so a zone holds
// at most ceil(replicationFactor / zones) of them. A serverless cluster survives when its subnets
// span two zones or more: AWS replicates its partitions over three zones itself ("MSK Serverless").
func streamingVerdict(zm zoneMap, resources []synth.Resource, lost string) (Verdict, bool) {
	found := false
	for _, r := range resources {
		switch r.Type {
		case "aws:msk/serverlessCluster:ServerlessCluster":
			found = true
			var zones []string
			for _, c := range list(r.Inputs, "vpcConfigs") {
				if m, ok := c.(map[string]any); ok {
					for _, z := range zm.of(&synth.Resource{URN: r.URN, Inputs: m, Dependencies: r.Dependencies}, "subnetIds") {
						if !slices.Contains(zones, z) {
							zones = append(zones, z)
						}
					}
				}
			}
			if len(zones) > 0 && !others(zones, lost) {
				return Verdict{Why: r.Name + " has subnets in that zone only"}, true
			}
		case "aws:msk/cluster:Cluster":
			found = true
			zones := zm.of(&r, "brokerNodeGroupInfo.clientSubnets")
			if len(zones) > 0 && !slices.Contains(zones, lost) {
				continue
			}
			if len(zones) > 0 && !others(zones, lost) {
				return Verdict{Why: r.Name + " has every broker in that zone"}, true
			}
			rf, minISR := replication(zm.ix, &r)
			n := max(len(zones), 1)
			left := rf - (rf+n-1)/n
			if left < minISR {
				return Verdict{Why: fmt.Sprintf("%s keeps %d of each partition's %d copies without that zone, under min.insync.replicas %d: writes with acks=all are refused", r.Name, left, rf, minISR)}, true
			}
		}
	}
	if !found {
		return Verdict{}, false
	}
	return Verdict{Survives: true, Why: "each partition keeps at least min.insync.replicas copies in the other zones (a serverless cluster: AWS replicates over three zones)"}, true
}

// replication reads default.replication.factor and min.insync.replicas from the configuration a
// provisioned cluster uses; Kafka's defaults (1 and 1) when the plan does not hold it.
func replication(ix index, r *synth.Resource) (rf, minISR int) {
	rf, minISR = 1, 1
	conf := ix.ref(r, str(r.Inputs, "configurationInfo.arn"), "aws:msk/configuration:Configuration")
	if conf == nil {
		return rf, minISR
	}
	for _, line := range strings.Split(str(conf.Inputs, "serverProperties"), "\n") {
		k, v, ok := strings.Cut(strings.TrimSpace(line), "=")
		n, err := strconv.Atoi(strings.TrimSpace(v))
		if !ok || err != nil {
			continue
		}
		switch strings.TrimSpace(k) {
		case "default.replication.factor":
			rf = n
		case "min.insync.replicas":
			minISR = n
		}
	}
	return rf, minISR
}
