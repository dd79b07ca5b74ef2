// Package signals describes what a component's operators should watch: one Signal per metric, with
// the threshold that means trouble and what to check first. It is pure data and imports no AWS SDK
// package, so every component can describe its signals cheaply; the Observability component turns
// one list into CloudWatch alarms and a dashboard, so no alarm lacks its graph and no graph its alarm.
package signals

import "github.com/pulumi/pulumi/sdk/v3/go/pulumi"

// Layer is the part of the architecture a signal belongs to.
type Layer string

// The layers, in the order the dashboard shows them.
const (
	LayerEdge  Layer = "edge"
	LayerWeb   Layer = "web"
	LayerData  Layer = "data"
	LayerCache Layer = "cache"
	// LayerStreaming is Kafka (the Streaming component).
	LayerStreaming Layer = "streaming"
	// LayerWorkers is the background workers and their queue (the Workers component).
	LayerWorkers Layer = "workers"
	LayerLogs    Layer = "logs"
)

// Golden is the golden signal a metric shows: one dashboard row each.
type Golden string

// The four golden signals.
const (
	Latency    Golden = "latency"
	Traffic    Golden = "traffic"
	Errors     Golden = "errors"
	Saturation Golden = "saturation"
)

// Severity says whether a breach wakes someone up (Page) or waits for working hours (Notify). Both
// go to the alarm topic; only paging alarms take part in the composite "service unhealthy" alarm.
type Severity string

// The severities.
const (
	Page   Severity = "page"
	Notify Severity = "notify"
)

// Kind is what a threshold measures, which decides the range it may take.
type Kind string

// The kinds of threshold.
const (
	// Percent is 0 to 100.
	Percent Kind = "percent"
	// Count is a whole number of things (requests, connections, hosts), 0 or more.
	Count Kind = "count"
	// Seconds is a duration, 0 or more.
	Seconds Kind = "seconds"
	// Milliseconds is a duration, 0 or more.
	Milliseconds Kind = "milliseconds"
	// Bytes is a size, 0 or more.
	Bytes Kind = "bytes"
)

// Comparison is how the statistic is compared with the threshold: CloudWatch's static-threshold
// ComparisonOperator values.
type Comparison string

// The comparisons CloudWatch accepts for a static threshold.
const (
	Above     Comparison = "GreaterThanThreshold"
	AtOrAbove Comparison = "GreaterThanOrEqualToThreshold"
	Below     Comparison = "LessThanThreshold"
	AtOrBelow Comparison = "LessThanOrEqualToThreshold"
)

// defaultEvals is the evaluation periods of a signal that sets none.
const defaultEvals = 3

// Missing is CloudWatch's TreatMissingData: what a period without data counts as.
type Missing string

// The missing-data treatments CloudWatch accepts.
const (
	// MissingNotBreaching counts a gap as good: right for error counts that are only reported
	// when an error happens.
	MissingNotBreaching Missing = "notBreaching"
	// MissingBreaching counts a gap as bad: right for a heartbeat whose silence is the failure.
	MissingBreaching Missing = "breaching"
	// MissingIgnore keeps the alarm in its state through a gap.
	MissingIgnore Missing = "ignore"
	// MissingMissing lets the alarm go to INSUFFICIENT_DATA after a long enough gap.
	MissingMissing Missing = "missing"
)

// Metric names one CloudWatch metric and the statistic to take of it.
type Metric struct {
	// Namespace is the metric's namespace, such as AWS/RDS.
	Namespace string
	// Name is the metric's name, such as CPUUtilization.
	Name string
	// Dimensions pick the resource; values may be outputs of the resource.
	Dimensions map[string]pulumi.StringInput
	// Statistic is Average, Sum, Minimum, Maximum or SampleCount, or a percentile such as p99
	// (which CloudWatch takes as an extended statistic).
	Statistic string
	// Region is where the metric lives when that is not the stack's region: us-east-1 for
	// CloudFront and for the web ACLs in front of a distribution. "" means the stack's region.
	Region string
}

// Signal is one thing worth watching: a metric (or a percentage of two), the threshold past which
// someone must look, and what to look at first.
type Signal struct {
	// ID names the signal within the stack, such as "web-cpu": the alarm's child name and the key
	// that tierstack:alarms overrides it by. Lowercase letters, digits and hyphens.
	ID string
	// Family names the kind of signal when a component has several of it (one per node, shard or
	// table), such as "cache-cpu": tierstack:alarms overrides every member by it. "" means ID.
	Family string
	// Title is the dashboard graph's title, such as "Web CPU".
	Title string
	// Resource names what is watched, such as "Auto Scaling group web-asg", for the description.
	Resource string
	// Layer is the part of the architecture.
	Layer Layer
	// Golden is the golden signal the metric shows.
	Golden Golden
	// Metric is what is watched.
	Metric Metric
	// Per, when set, makes the signal a percentage: 100 × Metric / Per (5xx responses per request).
	// Metric and Per then share the Statistic of Metric, which must be Sum.
	Per *Metric
	// Growth, when set, watches how much Metric grew over one period (metric math DIFF) rather
	// than its value: for a running total, such as a container's restart count, whose alarm would
	// otherwise stay in ALARM until the total resets. Not with Per.
	Growth bool
	// Kind is what the threshold measures; with Per it is Percent.
	Kind Kind
	// Threshold is the value past which the alarm fires.
	Threshold float64
	// Comparison is how the statistic compares with Threshold.
	Comparison Comparison
	// Period is the length of one evaluation period in seconds: 10, 20 or 30 for high-resolution
	// metrics, else a multiple of 60. 0 means 60.
	Period int
	// EvaluationPeriods is how many periods are looked at; 0 means 3.
	EvaluationPeriods int
	// DatapointsToAlarm is how many of those must breach; 0 means all of them.
	DatapointsToAlarm int
	// HighResolution says the metric is stored at one-second resolution, so that a period under
	// 60 seconds has data. AWS's own metrics are not.
	HighResolution bool
	// Missing is what a period without data counts as. Required: a deliberate choice per signal.
	Missing Missing
	// Meaning says what a breach means, for the alarm's description.
	Meaning string
	// CheckFirst says what to look at first, for the alarm's description.
	CheckFirst string
	// Severity says whether a breach pages or only notifies.
	Severity Severity
	// RecoverInstance adds EC2's recover action to the alarm: for a status-check failure of a
	// single instance, which EC2 then moves to healthy hardware.
	RecoverInstance bool
}

// WithDefaults returns s with its zero period, evaluation periods and datapoints filled in.
func (s Signal) WithDefaults() Signal {
	if s.Period == 0 {
		s.Period = 60
	}
	if s.EvaluationPeriods == 0 {
		s.EvaluationPeriods = defaultEvals
	}
	if s.DatapointsToAlarm == 0 {
		s.DatapointsToAlarm = s.EvaluationPeriods
	}
	if s.Per != nil {
		s.Kind = Percent
	}
	if s.Family == "" {
		s.Family = s.ID
	}
	return s
}

// Description is the alarm's description: the resource, what a breach means and what to check
// first, cut to the 1024 characters CloudWatch accepts.
func (s Signal) Description() string {
	d := s.Resource + ": " + s.Meaning + " Check first: " + s.CheckFirst
	if len(d) > MaxDescription {
		d = d[:MaxDescription]
	}
	return d
}
