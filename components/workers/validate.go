package workers

import (
	"fmt"

	"github.com/tierstack/tierstack/components/webtier"
)

// checkedArgs are Args with their defaults applied.
type checkedArgs struct {
	Args
	// min is Min resolved.
	min int
	// visibility is VisibilityTimeoutSeconds resolved.
	visibility int
}

// Validate checks the arguments as New does, before anything is registered.
func (args *Args) Validate() error {
	_, err := args.checked()
	return err
}

// checked applies the defaults to a copy of args and validates it. Its errors name the settings as
// tierstack:workers names them.
func (args *Args) checked() (checkedArgs, error) {
	var a Args
	if args != nil {
		a = *args
	}
	switch a.Mode {
	case webtier.ModeAutoScaling, webtier.ModeEKS:
	case webtier.ModeInstance:
		return checkedArgs{}, fmt.Errorf("workers: mode instance is not allowed: workers run in the private subnets, which reach SQS only through NAT, and the tier of one server has none (allowed: mode autoscaling or eks, the tiers from 10k)")
	default:
		return checkedArgs{}, fmt.Errorf("workers: mode %q is not known (allowed: autoscaling or eks)", a.Mode)
	}
	replicas := a.App.Replicas
	a.App.Replicas = webtier.Replicas{}
	app, err := a.App.Validated()
	if err != nil {
		return checkedArgs{}, fmt.Errorf("workers: %s", trimPrefix(err.Error(), "webtier: app "))
	}
	if replicas != (webtier.Replicas{}) {
		return checkedArgs{}, fmt.Errorf("workers: app replicas is set (allowed: none; the workers' bounds are min and max)")
	}
	a.App = app
	if err := webtier.CheckCommand(a.Command); err != nil {
		return checkedArgs{}, fmt.Errorf("workers: %w", err)
	}
	c := checkedArgs{Args: a, min: 1}
	if a.Min != nil {
		c.min = *a.Min
	}
	if c.Max == 0 {
		c.Max = max(10, c.min)
	}
	switch {
	case c.min < 0 || c.Max > MaxWorkers || c.Max < 1:
		return checkedArgs{}, fmt.Errorf("workers: min %d / max %d are out of range (allowed: min 0 or more, max 1 to %d)", c.min, c.Max, MaxWorkers)
	case c.min > c.Max:
		return checkedArgs{}, fmt.Errorf("workers: min %d is above max %d (allowed: min at most max)", c.min, c.Max)
	case c.min == 0 && a.Mode != webtier.ModeEKS:
		return checkedArgs{}, fmt.Errorf("workers: min 0 in mode %s is not allowed: a target tracking policy does not scale a group out from zero instances (allowed: min 1 or more; scale to zero needs mode eks, where KEDA starts the first worker)", a.Mode)
	}
	if c.Schedules, err = webtier.CheckSchedules(c.Schedules, c.min, c.Max); err != nil {
		return checkedArgs{}, fmt.Errorf("workers: %s", trimPrefix(err.Error(), "webtier: "))
	}
	if c.BacklogPerWorker == 0 {
		c.BacklogPerWorker = DefaultBacklogPerWorker
	}
	if c.BacklogPerWorker < 1 || c.BacklogPerWorker > 100000 {
		return checkedArgs{}, fmt.Errorf("workers: backlogPerWorker %d is out of range (allowed: 1 to 100000)", c.BacklogPerWorker)
	}
	if c.JobTimeoutSeconds == 0 {
		c.JobTimeoutSeconds = DefaultJobTimeoutSeconds
	}
	if c.JobTimeoutSeconds < 1 || c.JobTimeoutSeconds > MaxJobTimeoutSeconds {
		return checkedArgs{}, fmt.Errorf("workers: jobTimeoutSeconds %d is out of range (allowed: 1 to %d, below SQS's longest visibility timeout)", c.JobTimeoutSeconds, MaxJobTimeoutSeconds)
	}
	c.visibility = c.VisibilityTimeoutSeconds
	if c.visibility == 0 {
		c.visibility = min(max(2*c.JobTimeoutSeconds, c.JobTimeoutSeconds+30), MaxVisibilityTimeoutSeconds)
	}
	if c.visibility <= c.JobTimeoutSeconds || c.visibility > MaxVisibilityTimeoutSeconds {
		return checkedArgs{}, fmt.Errorf("workers: visibilityTimeoutSeconds %d must be longer than jobTimeoutSeconds %d, or a job still running is received by a second worker (allowed: %d to %d)",
			c.visibility, c.JobTimeoutSeconds, c.JobTimeoutSeconds+1, MaxVisibilityTimeoutSeconds)
	}
	if c.MaxReceives == 0 {
		c.MaxReceives = DefaultMaxReceives
	}
	if c.MaxReceives < 1 || c.MaxReceives > 1000 {
		return checkedArgs{}, fmt.Errorf("workers: maxReceives %d is out of range (allowed: 1 to 1000, SQS's maxReceiveCount)", c.MaxReceives)
	}
	if c.RetentionSeconds == 0 {
		c.RetentionSeconds = DefaultRetentionSeconds
	}
	if c.RetentionSeconds < 60 || c.RetentionSeconds > MaxRetentionSeconds {
		return checkedArgs{}, fmt.Errorf("workers: retentionSeconds %d is out of range (allowed: 60 to %d, 7 days, so that the dead-letter queue's 14 days keep a failed message 7 days more)", c.RetentionSeconds, MaxRetentionSeconds)
	}
	if c.InstanceType == "" {
		c.InstanceType = "t4g.small"
	}
	if a.Mode == webtier.ModeAutoScaling {
		if err := webtier.CheckInstanceType(c.InstanceType, c.App.CPU); err != nil {
			return checkedArgs{}, fmt.Errorf("workers: %w", err)
		}
	}
	seen := map[string]bool{}
	for _, m := range c.Mounts {
		if err := webtier.CheckMountPath(m.Path); err != nil {
			return checkedArgs{}, fmt.Errorf("workers: %s", trimPrefix(err.Error(), "webtier: "))
		}
		if seen[m.Path] {
			return checkedArgs{}, fmt.Errorf("workers: mount path %q is given twice (allowed: each path once)", m.Path)
		}
		seen[m.Path] = true
		if m.FileSystemID == nil || m.FileSystemARN == nil || m.AccessPointID == nil || m.AccessPointARN == nil {
			return checkedArgs{}, fmt.Errorf("workers: mount %s lacks its file system or access point (allowed: a webtier.Mount with FileSystemID, FileSystemARN, AccessPointID and AccessPointARN)", m.Path)
		}
	}
	if _, err := webtier.ResolveBackends(a.Mode, a.Backends); err != nil {
		return checkedArgs{}, fmt.Errorf("workers: %s", trimPrefix(err.Error(), "webtier: "))
	}
	for k := range c.App.Env {
		if k == QueueURLVariable {
			return checkedArgs{}, fmt.Errorf("workers: app env %s is set by the workers (allowed: another name)", k)
		}
	}
	return c, nil
}

// trimPrefix drops prefix from s when it starts with it.
func trimPrefix(s, prefix string) string {
	if len(s) >= len(prefix) && s[:len(prefix)] == prefix {
		return s[len(prefix):]
	}
	return s
}
