package observability

import "github.com/tierstack/tierstack/internal/signals"

// The types of a signal, importable by programs outside tierstack: each is the very type the
// components' Signals functions return and Args take (an alias, not a copy), so a program can build
// its own signals and overrides beside the components'.
type (
	// Signal is one thing worth watching: a metric, the threshold past which someone must look, and
	// what to look at first. Its ID is the alarm's child name and the key overrides use.
	Signal = signals.Signal
	// Override changes one signal's alarm (or a family's), as tierstack:alarms sets it.
	Override = signals.Override
	// Metric names one CloudWatch metric and the statistic to take of it.
	Metric = signals.Metric
	// Layer is the part of the architecture a signal belongs to.
	Layer = signals.Layer
	// Golden is the golden signal a metric shows.
	Golden = signals.Golden
	// Severity says whether a breach pages or only notifies.
	Severity = signals.Severity
	// Kind is what a threshold measures.
	Kind = signals.Kind
	// Comparison is how the statistic is compared with the threshold.
	Comparison = signals.Comparison
	// Missing is what a period without data counts as.
	Missing = signals.Missing
)

// The layers, in the order the dashboard shows them.
const (
	LayerEdge  = signals.LayerEdge
	LayerWeb   = signals.LayerWeb
	LayerData  = signals.LayerData
	LayerCache = signals.LayerCache
	LayerLogs  = signals.LayerLogs
)

// The four golden signals.
const (
	Latency    = signals.Latency
	Traffic    = signals.Traffic
	Errors     = signals.Errors
	Saturation = signals.Saturation
)

// The severities: Page wakes someone up, Notify waits for working hours.
const (
	Page   = signals.Page
	Notify = signals.Notify
)

// The kinds of threshold.
const (
	Percent      = signals.Percent
	Count        = signals.Count
	Seconds      = signals.Seconds
	Milliseconds = signals.Milliseconds
	Bytes        = signals.Bytes
)

// The comparisons CloudWatch accepts for a static threshold.
const (
	Above     = signals.Above
	AtOrAbove = signals.AtOrAbove
	Below     = signals.Below
	AtOrBelow = signals.AtOrBelow
)

// The missing-data treatments CloudWatch accepts.
const (
	MissingNotBreaching = signals.MissingNotBreaching
	MissingBreaching    = signals.MissingBreaching
	MissingIgnore       = signals.MissingIgnore
	MissingMissing      = signals.MissingMissing
)
