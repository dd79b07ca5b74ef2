package signals

import "fmt"

// Override changes one signal's alarm, as tierstack:alarms sets it. A zero field keeps the
// signal's value.
type Override struct {
	// Threshold replaces the threshold.
	Threshold *float64 `json:"threshold,omitempty"`
	// Period replaces the period, in seconds.
	Period int `json:"period,omitempty"`
	// EvaluationPeriods replaces how many periods are looked at.
	EvaluationPeriods int `json:"evaluationPeriods,omitempty"`
	// DatapointsToAlarm replaces how many of them must breach.
	DatapointsToAlarm int `json:"datapointsToAlarm,omitempty"`
	// Severity is page or notify.
	Severity Severity `json:"severity,omitempty"`
	// Disabled drops the signal: its alarm and, so that no graph lacks its alarm, its graph.
	Disabled bool `json:"disabled,omitempty"`
}

// Apply returns s with o applied and checked. The signal's defaults are filled in first, so that an
// override of the period alone keeps the evaluation periods.
func (o Override) Apply(s Signal) (Signal, error) {
	s = s.WithDefaults()
	if o.Threshold != nil {
		s.Threshold = *o.Threshold
	}
	if o.Period != 0 {
		s.Period = o.Period
	}
	if o.EvaluationPeriods != 0 {
		s.EvaluationPeriods = o.EvaluationPeriods
		if o.DatapointsToAlarm == 0 && s.DatapointsToAlarm > s.EvaluationPeriods {
			s.DatapointsToAlarm = s.EvaluationPeriods
		}
	}
	if o.DatapointsToAlarm != 0 {
		s.DatapointsToAlarm = o.DatapointsToAlarm
	}
	if o.Severity != "" {
		s.Severity = o.Severity
	}
	if err := s.Validate(); err != nil {
		return Signal{}, fmt.Errorf("override of %w", err)
	}
	return s, nil
}

// CheckOverride checks one override on its own, before the signals it applies to exist: the values
// that are wrong whatever the signal.
func CheckOverride(id string, o Override) error {
	if !idPattern.MatchString(id) {
		return fmt.Errorf("%q is not a signal id (allowed: a lowercase letter, then lowercase letters, digits and hyphens, as the alarm table in docs/observability.md lists them)", id)
	}
	if o.Threshold != nil && *o.Threshold < 0 {
		return fmt.Errorf("%s threshold %v is negative (allowed: 0 or more; a percentage at most 100)", id, *o.Threshold)
	}
	if o.Period != 0 {
		if err := CheckPeriod(o.Period, false); err != nil {
			return fmt.Errorf("%s %w", id, err)
		}
	}
	if o.EvaluationPeriods < 0 || o.DatapointsToAlarm < 0 {
		return fmt.Errorf("%s evaluationPeriods %d / datapointsToAlarm %d is negative (allowed: 1 or more)", id, o.EvaluationPeriods, o.DatapointsToAlarm)
	}
	if o.Severity != "" && o.Severity != Page && o.Severity != Notify {
		return fmt.Errorf("%s severity %q is not allowed (allowed: page, notify)", id, o.Severity)
	}
	return nil
}
