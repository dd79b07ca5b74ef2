package webtier

import "fmt"

// checkedParked checks Args.Parked: only an Auto Scaling group can be defined at zero (a single
// instance cannot, and an EKS cluster idles at a cost whatever its pods), and a parked group takes
// no schedules, which would raise its bounds behind Pulumi's back.
func checkedParked(a Args) error {
	if !a.Parked {
		return nil
	}
	if a.Mode != ModeAutoScaling {
		return fmt.Errorf("webtier: parked is set in mode %s (allowed: mode autoscaling, whose Auto Scaling group can be defined at zero)", a.Mode)
	}
	if len(a.Schedules) > 0 {
		return fmt.Errorf("webtier: schedules are set with parked, which keeps the group at zero (allowed: no schedules while parked)")
	}
	return nil
}

// capacity is the Auto Scaling group's minimum, maximum, desired capacity and the healthy
// instances Pulumi waits for: App.Replicas (at least 2, one per zone of two), or all 0 when parked.
func (a checkedArgs) capacity() (minSize, maxSize, desired, waitFor int) {
	if a.Parked {
		return 0, 0, 0, 0
	}
	r := a.App.Replicas
	minSize, maxSize = groupBounds(r)
	return minSize, maxSize, max(r.Desired, r.Min, 2), max(r.Min, 2)
}
