package insights

import (
	"slices"

	"github.com/tierstack/tierstack/synth"
)

// filesVerdict: a Regional EFS file system stores its data redundantly across the region's zones
// (Amazon EFS User Guide, "EFS file system types": Regional file systems are designed to survive the
// loss of a zone), so its clients go on through the mount targets of the other zones; it survives a
// zone's loss when it has a mount target outside that zone. A One Zone file system
// (availabilityZoneName set) does not survive the loss of its zone.
func filesVerdict(zm zoneMap, resources []synth.Resource, lost string) (Verdict, bool) {
	found := false
	for _, r := range resources {
		if r.Type != "aws:efs/fileSystem:FileSystem" {
			continue
		}
		found = true
		if z := str(r.Inputs, "availabilityZoneName"); z != "" && z == lost {
			return Verdict{Why: r.Name + " is a One Zone file system in that zone"}, true
		}
		var zones []string
		for _, mt := range resources {
			if mt.Type != "aws:efs/mountTarget:MountTarget" || !slices.Contains(mt.Dependencies, r.URN) {
				continue
			}
			zones = append(zones, zm.of(&mt, "subnetId")...)
		}
		if len(zones) > 0 && !others(zones, lost) {
			return Verdict{Why: r.Name + " has mount targets in that zone only"}, true
		}
	}
	if !found {
		return Verdict{}, false
	}
	return Verdict{Survives: true, Why: "a Regional EFS file system keeps its data in several zones; clients mount it through the mount targets of the other zones"}, true
}
