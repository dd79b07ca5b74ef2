package tiers

import (
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/tierstack/tierstack/components/webtier"
)

// AppSettings are the tierstack:app settings: the application, described once.
type AppSettings struct {
	// Image is the container image.
	Image string `json:"image,omitempty"`
	// Port is the port the container listens on.
	Port int `json:"port,omitempty"`
	// HealthPath answers 200 when the app is healthy.
	HealthPath string `json:"healthPath,omitempty"`
	// Env are environment variables.
	Env map[string]string `json:"env,omitempty"`
	// Secrets are environment variables read from Secrets Manager at start, by ARN.
	Secrets map[string]string `json:"secrets,omitempty"`
	// CPU is millicores per replica.
	CPU int `json:"cpu,omitempty"`
	// Memory is MiB per replica.
	Memory int `json:"memory,omitempty"`
	// Replicas bound the copies that run.
	Replicas *ReplicasSettings `json:"replicas,omitempty"`
}

// ReplicasSettings are tierstack:app replicas.
type ReplicasSettings struct {
	// Min is the fewest.
	Min int `json:"min,omitempty"`
	// Desired is how many start.
	Desired int `json:"desired,omitempty"`
	// Max is the most.
	Max int `json:"max,omitempty"`
}

// WebOverrides are the tierstack:web settings.
type WebOverrides struct {
	// Mode overrides the tier's mode: instance or autoscaling.
	Mode string `json:"mode,omitempty"`
	// InstanceType is the instances' Graviton type.
	InstanceType string `json:"instanceType,omitempty"`
	// IdleTimeoutSeconds is the load balancer's idle timeout.
	IdleTimeoutSeconds int `json:"idleTimeoutSeconds,omitempty"`
	// AccessLogDays is how long load balancer access logs are kept.
	AccessLogDays int `json:"accessLogDays,omitempty"`
	// EKSVersion is the EKS cluster's Kubernetes version (mode eks).
	EKSVersion string `json:"eksVersion,omitempty"`
	// NodeInstanceType is the EKS nodes' Graviton type.
	NodeInstanceType string `json:"nodeInstanceType,omitempty"`
	// NodesPerZone bound each zone's managed node group.
	NodesPerZone *ReplicasSettings `json:"nodesPerZone,omitempty"`
	// NodeDiskGiB is each node's root volume.
	NodeDiskGiB int `json:"nodeDiskGiB,omitempty"`
	// PublicAccessCIDRs reach the cluster's API from the internet; none: private only.
	PublicAccessCIDRs []string `json:"publicAccessCidrs,omitempty"`
	// AllowPublicAccessFromAnywhere acknowledges 0.0.0.0/0 in PublicAccessCIDRs.
	AllowPublicAccessFromAnywhere bool `json:"allowPublicAccessFromAnywhere,omitempty"`
	// AdminRoleARNs are IAM roles made cluster-admin by access entries.
	AdminRoleARNs []string `json:"adminRoleArns,omitempty"`
	// ClusterLogRetentionDays is how long the control plane's logs are kept.
	ClusterLogRetentionDays int `json:"clusterLogRetentionDays,omitempty"`
	// AddonVersions pin EKS add-on versions by add-on name.
	AddonVersions map[string]string `json:"addonVersions,omitempty"`
	// Image is a golden image for modes instance and autoscaling: an AMI ID or resolve:ssm: and a
	// parameter name.
	Image string `json:"image,omitempty"`
	// Schedules are known peaks (modes autoscaling and eks): each a schedule raising min and the
	// next ending it.
	Schedules []ScheduleSettings `json:"schedules,omitempty"`
	// Stickiness turns on load-balancer cookie stickiness (mode autoscaling); nil: off.
	Stickiness *StickinessSettings `json:"stickiness,omitempty"`
}

// ScheduleSettings are one of tierstack:web schedules.
type ScheduleSettings struct {
	// Name names the scheduled action.
	Name string `json:"name"`
	// Cron is when, in Unix cron syntax.
	Cron string `json:"cron"`
	// TimeZone is the IANA time zone Cron is read in; "" means Etc/UTC.
	TimeZone string `json:"timeZone,omitempty"`
	// Min is the group's minimum from then on; 0 means the group's own (a peak's end).
	Min int `json:"min"`
	// Desired is its desired capacity then; 0 leaves it to target tracking (on EKS, Min).
	Desired int `json:"desired,omitempty"`
	// Max is the group's maximum from then on: the group's own; 0 means it.
	Max int `json:"max"`
}

// StickinessSettings are tierstack:web stickiness.
type StickinessSettings struct {
	// Duration is how long the cookie pins a client to an instance, such as "1h": whole seconds,
	// 1s to 168h (a week).
	Duration string `json:"duration"`
}

const (
	appFields = "image, port, healthPath, env, secrets, cpu, memory, replicas {min, desired, max}"
	webFields = "mode, instanceType, idleTimeoutSeconds, accessLogDays, eksVersion, nodeInstanceType, nodesPerZone {min, desired, max}, nodeDiskGiB, publicAccessCidrs, allowPublicAccessFromAnywhere, adminRoleArns, clusterLogRetentionDays, addonVersions, image, schedules [{name, cron, timeZone, min, desired, max}], stickiness {duration}"
)

// applyWeb applies the tierstack:app and tierstack:web settings.
func (s *Spec) applyWeb(app AppSettings, o WebOverrides) error {
	w := &s.Web
	if o.Mode != "" {
		w.Mode = webtier.Mode(o.Mode)
	}
	setString(&w.InstanceType, o.InstanceType)
	if o.IdleTimeoutSeconds != 0 {
		w.IdleTimeoutSeconds = o.IdleTimeoutSeconds
	}
	if o.AccessLogDays != 0 {
		w.AccessLogDays = o.AccessLogDays
	}
	c := &w.Cluster
	setString(&c.Version, o.EKSVersion)
	setString(&c.NodeInstanceType, o.NodeInstanceType)
	if n := o.NodesPerZone; n != nil {
		c.NodesPerZone = webtier.NodeCount{Min: n.Min, Desired: n.Desired, Max: n.Max}
	}
	if o.NodeDiskGiB != 0 {
		c.NodeDiskGiB = o.NodeDiskGiB
	}
	if o.PublicAccessCIDRs != nil {
		c.PublicAccessCIDRs = slices.Clone(o.PublicAccessCIDRs)
	}
	c.AllowPublicAccessFromAnywhere = c.AllowPublicAccessFromAnywhere || o.AllowPublicAccessFromAnywhere
	if o.AdminRoleARNs != nil {
		c.AdminRoleARNs = slices.Clone(o.AdminRoleARNs)
	}
	if o.ClusterLogRetentionDays != 0 {
		c.LogRetentionDays = o.ClusterLogRetentionDays
	}
	if o.AddonVersions != nil {
		c.AddonVersions = maps.Clone(o.AddonVersions)
	}
	setString(&w.Image, o.Image)
	if o.Schedules != nil {
		w.Schedules = make([]webtier.Schedule, len(o.Schedules))
		for i, sc := range o.Schedules {
			w.Schedules[i] = webtier.Schedule{Name: sc.Name, Cron: sc.Cron, TimeZone: sc.TimeZone, Min: sc.Min, Desired: sc.Desired, Max: sc.Max}
		}
	}
	if o.Stickiness != nil {
		seconds, err := stickinessSeconds(o.Stickiness.Duration)
		if err != nil {
			return err
		}
		w.StickinessSeconds = seconds
	}
	a := &w.App
	setString(&a.Image, app.Image)
	setString(&a.HealthPath, app.HealthPath)
	if app.Port != 0 {
		a.Port = app.Port
	}
	if app.CPU != 0 {
		a.CPU = app.CPU
	}
	if app.Memory != 0 {
		a.MemoryMiB = app.Memory
	}
	if app.Env != nil {
		a.Env = maps.Clone(app.Env)
	}
	if app.Secrets != nil {
		a.Secrets = maps.Clone(app.Secrets)
	}
	if r := app.Replicas; r != nil {
		if r.Min != 0 {
			a.Replicas.Min = r.Min
		}
		if r.Desired != 0 {
			a.Replicas.Desired = r.Desired
		}
		if r.Max != 0 {
			a.Replicas.Max = r.Max
		}
	}
	for name := range a.Env {
		if _, reserved := connectionNames[name]; reserved {
			return fmt.Errorf("tierstack:app env %s is set by the tier (allowed: any other name)", name)
		}
	}
	return nil
}

// connectionNames are the environment variables the tier sets for the app, with what they hold.
var connectionNames = map[string]string{
	"DATABASE_ENGINE":      "aurora-mysql or aurora-postgresql",
	"DATABASE_HOST":        "the writer endpoint",
	"DATABASE_READER_HOST": "the reader endpoint",
	"DATABASE_PORT":        "3306 or 5432",
	"DATABASE_NAME":        "the database",
	"DATABASE_SECRET_ARN":  "the credentials secret (JSON: username, password, host…)",
	"CACHE_HOST":           "the cache endpoint (the configuration endpoint from cluster mode compatible on)",
	"CACHE_PORT":           "6379",
	"CACHE_CLUSTER_MODE":   "disabled, compatible or enabled",
	"CACHE_SECRET_ARN":     "the cache secret (JSON: host, port, authToken…)",
}

// stickinessSeconds reads tierstack:web stickiness.duration: a Go duration of whole seconds from 1s
// to a week, the range of a load-balancer cookie.
func stickinessSeconds(duration string) (int, error) {
	d, err := time.ParseDuration(duration)
	if err != nil || d%time.Second != 0 || d < time.Second || d > webtier.MaxStickinessSeconds*time.Second {
		return 0, fmt.Errorf("tierstack:web stickiness duration %q is not a cookie duration (allowed: whole seconds from 1s to 168h, a week, such as 30m or 24h)", duration)
	}
	return int(d / time.Second), nil
}
