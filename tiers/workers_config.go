package tiers

import (
	"fmt"
	"strings"

	"github.com/tierstack/tierstack/components/webtier"
	"github.com/tierstack/tierstack/components/workers"
)

// WorkersOverrides are the tierstack:workers settings: background workers on a queue, off unless
// Enabled.
type WorkersOverrides struct {
	// Enabled true builds the Workers; every other field needs it.
	Enabled *bool `json:"enabled,omitempty"`
	// Image is the workers' container image; required with enabled (the web tier's default image
	// serves pages, it consumes no queue).
	Image string `json:"image,omitempty"`
	// Command replaces the image's CMD, one argument per item.
	Command []string `json:"command,omitempty"`
	// Env and Secrets are the workers' variables, as tierstack:app's: secrets by Secrets Manager ARN.
	Env     map[string]string `json:"env,omitempty"`
	Secrets map[string]string `json:"secrets,omitempty"`
	// CPU is in millicores and Memory in MiB; unset means 1000 and 1024.
	CPU    int `json:"cpu,omitempty"`
	Memory int `json:"memory,omitempty"`
	// Min and Max bound the workers; unset means 1 and 10. Min 0 only in mode eks.
	Min *int `json:"min,omitempty"`
	Max int  `json:"max,omitempty"`
	// JobTimeoutSeconds, VisibilityTimeoutSeconds, MaxReceives, RetentionSeconds and
	// BacklogPerWorker are workers.Args's.
	JobTimeoutSeconds        int `json:"jobTimeoutSeconds,omitempty"`
	VisibilityTimeoutSeconds int `json:"visibilityTimeoutSeconds,omitempty"`
	MaxReceives              int `json:"maxReceives,omitempty"`
	RetentionSeconds         int `json:"retentionSeconds,omitempty"`
	BacklogPerWorker         int `json:"backlogPerWorker,omitempty"`
	// InstanceType is the workers' Graviton type in mode autoscaling; unset means t4g.small.
	InstanceType string `json:"instanceType,omitempty"`
	// Schedules are the workers' known peaks, as tierstack:web's.
	Schedules []ScheduleSettings `json:"schedules,omitempty"`
}

// workersFields lists tierstack:workers's fields for error messages.
const workersFields = "enabled, image, command, env, secrets, cpu, memory, min, max, jobTimeoutSeconds, visibilityTimeoutSeconds, maxReceives, retentionSeconds, backlogPerWorker, instanceType, schedules [{name, cron, timeZone, min, desired, max}]"

// applyWorkers applies the tierstack:workers settings, in the web tier's mode: nothing unless
// enabled; refused with mode instance (the tier of one server has no NAT for private workers).
func (s *Spec) applyWorkers(o WorkersOverrides, mode webtier.Mode) error {
	if o.Enabled == nil || !*o.Enabled {
		if o.Image != "" || o.Command != nil || o.Env != nil || o.Secrets != nil || o.CPU != 0 || o.Memory != 0 || o.Min != nil || o.Max != 0 ||
			o.JobTimeoutSeconds != 0 || o.VisibilityTimeoutSeconds != 0 || o.MaxReceives != 0 || o.RetentionSeconds != 0 || o.BacklogPerWorker != 0 || o.InstanceType != "" || o.Schedules != nil {
			return fmt.Errorf("tierstack:workers sets fields without \"enabled\": true (allowed: \"enabled\": true with them, or no fields)")
		}
		s.Workers = nil
		return nil
	}
	if mode == webtier.ModeInstance {
		return fmt.Errorf("tier %s: tierstack:workers enabled is refused with tierstack:web mode instance: workers run in the private subnets, and the tier of one server has no NAT to reach SQS and the image registry from there (allowed: tier 10k or above, or mode autoscaling or eks)", s.Tier)
	}
	if o.Image == "" {
		return fmt.Errorf("tier %s: tierstack:workers image is not set (allowed: the workers' container image, such as 123456789012.dkr.ecr.us-east-1.amazonaws.com/jobs:1.0; the web tier's default image consumes no queue)", s.Tier)
	}
	a := workers.Args{
		Mode:    mode,
		App:     webtier.App{Image: o.Image, Env: o.Env, Secrets: o.Secrets, CPU: o.CPU, MemoryMiB: o.Memory},
		Command: o.Command, Min: o.Min, Max: o.Max,
		JobTimeoutSeconds: o.JobTimeoutSeconds, VisibilityTimeoutSeconds: o.VisibilityTimeoutSeconds,
		MaxReceives: o.MaxReceives, RetentionSeconds: o.RetentionSeconds, BacklogPerWorker: o.BacklogPerWorker,
		InstanceType: o.InstanceType,
		Unprotected:  s.Data.Unprotected, // protectData covers every data store
	}
	for _, sc := range o.Schedules {
		a.Schedules = append(a.Schedules, webtier.Schedule{Name: sc.Name, Cron: sc.Cron, TimeZone: sc.TimeZone, Min: sc.Min, Desired: sc.Desired, Max: sc.Max})
	}
	if err := a.Validate(); err != nil {
		return fmt.Errorf("tier %s: tierstack:workers %s", s.Tier, strings.TrimPrefix(err.Error(), "workers: "))
	}
	s.Workers = &a
	return nil
}
