package tests

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/tierstack/tierstack/internal/signals"
)

// CloudWatch's own rules for an alarm's period: 10, 20 or 30 seconds only on high-resolution
// metrics, else a positive multiple of 60.
func TestAlarmPeriodsAreOnesCloudWatchAccepts(t *testing.T) {
	cases := []struct {
		period int
		hiRes  bool
		ok     bool
	}{
		{60, false, true}, {300, false, true}, {3600, false, true},
		{10, true, true}, {20, true, true}, {30, true, true},
		{10, false, false}, {30, false, false}, {45, false, false}, {90, false, false}, {0, false, false}, {-60, false, false}, {15, true, false},
	}
	for _, c := range cases {
		err := signals.CheckPeriod(c.period, c.hiRes)
		assert.Equal(t, c.ok, err == nil, "period %d (high resolution %v): got %v", c.period, c.hiRes, err)
	}
}

// An alarm looks back at most one day when its period is under an hour, seven days otherwise.
func TestAlarmEvaluationRangeIsWithinCloudWatchsLimit(t *testing.T) {
	cases := []struct {
		period, evaluations int
		ok                  bool
	}{
		{60, 1440, true}, {60, 1441, false}, {300, 288, true}, {300, 289, false},
		{3600, 168, true}, {3600, 169, false}, {60, 0, false},
	}
	for _, c := range cases {
		err := signals.CheckRange(c.period, c.evaluations)
		assert.Equal(t, c.ok, err == nil, "%d × %d: got %v", c.period, c.evaluations, err)
	}
}

func TestThresholdsStayInTheirKindsRange(t *testing.T) {
	cases := []struct {
		kind      signals.Kind
		threshold float64
		ok        bool
	}{
		{signals.Percent, 0, true}, {signals.Percent, 100, true}, {signals.Percent, 100.5, false}, {signals.Percent, -1, false},
		{signals.Count, 0, true}, {signals.Count, 12, true}, {signals.Count, -1, false}, {signals.Count, 1.5, false},
		{signals.Seconds, 0.25, true}, {signals.Seconds, -0.1, false}, {signals.Bytes, -1, false},
		{signals.Kind("furlongs"), 1, false},
	}
	for _, c := range cases {
		err := signals.CheckThreshold(c.kind, c.threshold)
		assert.Equal(t, c.ok, err == nil, "%s %v: got %v", c.kind, c.threshold, err)
	}
}

// Percentiles go to CloudWatch as extended statistics, which it never takes beside a plain one.
func TestPercentilesAreRecognised(t *testing.T) {
	for stat, want := range map[string]bool{"p99": true, "p95": true, "p99.9": true, "p100": true, "p0": true,
		"p101": false, "p": false, "P99": false, "Average": false, "p99.999": false} {
		assert.Equal(t, want, signals.IsPercentile(stat), stat)
	}
}

func TestLogRetentionsAreOnesCloudWatchLogsAccepts(t *testing.T) {
	for _, days := range []int{1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653} {
		assert.NoError(t, signals.CheckRetention(days), days)
	}
	for _, days := range []int{0, 2, 10, 31, 364, 366, 3650, 9999} {
		assert.Error(t, signals.CheckRetention(days), days)
	}
}

// A signal's alarm must make sense whole: a statistic CloudWatch knows, a deliberate missing-data
// treatment, a description that says what to check, at most as many breaching points as it looks at.
func TestSignalValidationCatchesWhatCloudWatchWouldRefuse(t *testing.T) {
	good := signals.Signal{ID: "web-cpu", Title: "CPU", Resource: "r", Meaning: "m", CheckFirst: "c", Layer: signals.LayerWeb,
		Golden: signals.Saturation, Kind: signals.Percent, Threshold: 80, Comparison: signals.AtOrAbove, Missing: signals.MissingMissing,
		Severity: signals.Page, Metric: signals.Metric{Namespace: "AWS/EC2", Name: "CPUUtilization", Statistic: "Average"}}
	assert.NoError(t, good.Validate())
	cases := map[string]func(s *signals.Signal){
		"statistic":        func(s *signals.Signal) { s.Metric.Statistic = "Mean" },
		"missing data":     func(s *signals.Signal) { s.Missing = "" },
		"comparison":       func(s *signals.Signal) { s.Comparison = "GreaterThanUpperThreshold" },
		"datapoints":       func(s *signals.Signal) { s.EvaluationPeriods, s.DatapointsToAlarm = 2, 3 },
		"no check first":   func(s *signals.Signal) { s.CheckFirst = "" },
		"id":               func(s *signals.Signal) { s.ID = "Web CPU" },
		"golden":           func(s *signals.Signal) { s.Golden = "vibes" },
		"rate not of sums": func(s *signals.Signal) { s.Per = &signals.Metric{Namespace: "AWS/EC2", Name: "X", Statistic: "Sum"} },
	}
	for name, breakIt := range cases {
		s := good
		breakIt(&s)
		assert.Error(t, s.Validate(), name)
	}
}
