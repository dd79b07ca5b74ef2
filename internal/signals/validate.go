package signals

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// Limits CloudWatch puts on alarms (PutMetricAlarm and PutCompositeAlarm).
const (
	// MaxDescription is the longest alarm description CloudWatch accepts.
	MaxDescription = 1024
	// MaxCompositeRule is the longest composite alarm rule CloudWatch accepts.
	MaxCompositeRule = 10240
	// MaxCompositeChildren is how many alarms one composite alarm's rule may name.
	MaxCompositeChildren = 100
	// maxShortRange is the longest evaluation range (period × evaluation periods) of an alarm whose
	// period is under an hour: one day.
	maxShortRange = 86400
	// maxLongRange is the longest evaluation range of an alarm whose period is an hour or more:
	// seven days.
	maxLongRange = 604800
)

var (
	idPattern         = regexp.MustCompile(`^[a-z][a-z0-9-]{0,62}$`)
	percentilePattern = regexp.MustCompile(`^p(\d{1,2}(\.\d{1,2})?|100)$`)
	statistics        = []string{"Average", "Sum", "Minimum", "Maximum", "SampleCount"}
)

// CheckPeriod reports whether CloudWatch accepts period seconds for an alarm on a metric of that
// resolution: 10, 20 or 30 on a high-resolution metric, else any positive multiple of 60.
func CheckPeriod(period int, highResolution bool) error {
	switch {
	case period > 0 && period%60 == 0:
		return nil
	case highResolution && (period == 10 || period == 20 || period == 30):
		return nil
	case period == 10 || period == 20 || period == 30:
		return fmt.Errorf("period %d is for high-resolution metrics, and this one is stored per minute (allowed: a multiple of 60)", period)
	}
	return fmt.Errorf("period %d is not one CloudWatch accepts (allowed: 10, 20 or 30 on a high-resolution metric, else a multiple of 60)", period)
}

// CheckRange reports whether CloudWatch accepts evaluations periods of period seconds: at most one
// day in all when the period is under an hour, seven days otherwise.
func CheckRange(period, evaluations int) error {
	if evaluations < 1 {
		return fmt.Errorf("evaluationPeriods %d is not allowed (allowed: 1 or more)", evaluations)
	}
	limit := maxShortRange
	if period >= 3600 {
		limit = maxLongRange
	}
	if period*evaluations > limit {
		return fmt.Errorf("period %d × evaluationPeriods %d is %d seconds (allowed: at most %d, CloudWatch's longest evaluation range for that period)",
			period, evaluations, period*evaluations, limit)
	}
	return nil
}

// CheckThreshold reports whether threshold is in the range of a kind: 0–100 for a percentage, 0 or
// more otherwise, a whole number for a count.
func CheckThreshold(kind Kind, threshold float64) error {
	switch kind {
	case Percent:
		if threshold < 0 || threshold > 100 {
			return fmt.Errorf("threshold %v is a percentage out of range (allowed: 0 to 100)", threshold)
		}
	case Count:
		if threshold < 0 || threshold != float64(int64(threshold)) {
			return fmt.Errorf("threshold %v is not a count (allowed: a whole number, 0 or more)", threshold)
		}
	case Seconds, Milliseconds, Bytes:
		if threshold < 0 {
			return fmt.Errorf("threshold %v is negative (allowed: 0 or more %s)", threshold, kind)
		}
	default:
		return fmt.Errorf("kind %q is not a threshold kind (allowed: percent, count, seconds, milliseconds, bytes)", kind)
	}
	return nil
}

// IsPercentile reports whether stat is a percentile statistic such as p99 or p99.9, which CloudWatch
// takes as an extended statistic and never together with a plain one.
func IsPercentile(stat string) bool {
	if !percentilePattern.MatchString(stat) {
		return false
	}
	v, err := strconv.ParseFloat(stat[1:], 64)
	return err == nil && v >= 0 && v <= 100
}

// checkStatistic reports whether CloudWatch accepts stat.
func checkStatistic(stat string) error {
	for _, s := range statistics {
		if stat == s {
			return nil
		}
	}
	if IsPercentile(stat) {
		return nil
	}
	return fmt.Errorf("statistic %q is not one CloudWatch accepts (allowed: %s, or a percentile such as p99)", stat, strings.Join(statistics, ", "))
}

// Validate checks a signal, defaults filled in, against CloudWatch's rules. Errors name the
// signal, the field, the bad value and what is allowed.
func (s Signal) Validate() error {
	if !idPattern.MatchString(s.ID) {
		return fmt.Errorf("signal id %q is not allowed (allowed: a lowercase letter, then up to 62 lowercase letters, digits and hyphens)", s.ID)
	}
	wrap := func(err error) error { return fmt.Errorf("signal %s: %w", s.ID, err) }
	s = s.WithDefaults()
	if s.Metric.Namespace == "" || s.Metric.Name == "" {
		return wrap(fmt.Errorf("metric has no namespace or name (allowed: both set, such as AWS/RDS CPUUtilization)"))
	}
	if err := checkStatistic(s.Metric.Statistic); err != nil {
		return wrap(err)
	}
	if s.Growth && s.Per != nil {
		return fmt.Errorf("signal %s: growth and per together (allowed: one of them)", s.ID)
	}
	if s.Per != nil {
		if s.Metric.Statistic != "Sum" {
			return wrap(fmt.Errorf("statistic %q of a rate is not allowed (allowed: Sum, so that the rate is a share of counts)", s.Metric.Statistic))
		}
		if s.Per.Region != s.Metric.Region {
			return wrap(fmt.Errorf("rate over metrics in regions %q and %q is not allowed (allowed: both in one region, as metric math needs)", s.Metric.Region, s.Per.Region))
		}
	}
	if err := CheckThreshold(s.Kind, s.Threshold); err != nil {
		return wrap(err)
	}
	switch s.Comparison {
	case Above, AtOrAbove, Below, AtOrBelow:
	default:
		return wrap(fmt.Errorf("comparison %q is not allowed (allowed: %s, %s, %s, %s)", s.Comparison, Above, AtOrAbove, Below, AtOrBelow))
	}
	if err := CheckPeriod(s.Period, s.HighResolution); err != nil {
		return wrap(err)
	}
	if err := CheckRange(s.Period, s.EvaluationPeriods); err != nil {
		return wrap(err)
	}
	if s.DatapointsToAlarm < 1 || s.DatapointsToAlarm > s.EvaluationPeriods {
		return wrap(fmt.Errorf("datapointsToAlarm %d is not allowed (allowed: 1 to evaluationPeriods, %d)", s.DatapointsToAlarm, s.EvaluationPeriods))
	}
	switch s.Missing {
	case MissingNotBreaching, MissingBreaching, MissingIgnore, MissingMissing:
	default:
		return wrap(fmt.Errorf("treatMissingData %q is not allowed (allowed: notBreaching, breaching, ignore, missing; choose one deliberately)", s.Missing))
	}
	switch s.Golden {
	case Latency, Traffic, Errors, Saturation:
	default:
		return wrap(fmt.Errorf("golden %q is not a golden signal (allowed: latency, traffic, errors, saturation)", s.Golden))
	}
	if s.Severity != Page && s.Severity != Notify {
		return wrap(fmt.Errorf("severity %q is not allowed (allowed: page, notify)", s.Severity))
	}
	if s.Resource == "" || s.Meaning == "" || s.CheckFirst == "" {
		return wrap(fmt.Errorf("description is incomplete (allowed: resource, meaning and checkFirst all set, so that the alarm says what to do)"))
	}
	return nil
}

// CheckAll validates every signal and refuses two with one ID.
func CheckAll(list []Signal) error {
	seen := map[string]bool{}
	for _, s := range list {
		if err := s.Validate(); err != nil {
			return err
		}
		if seen[s.ID] {
			return fmt.Errorf("signal id %q is used twice (allowed: one signal per id)", s.ID)
		}
		seen[s.ID] = true
	}
	return nil
}
