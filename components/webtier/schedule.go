package webtier

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
	// The IANA time zone database, embedded: time zones are checked on machines without zoneinfo
	// (CI containers) as on any other.
	_ "time/tzdata"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/autoscaling"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/tierstack/tierstack/internal/naming"
)

// Schedule is a known peak's edge: at Cron, in TimeZone, the app's bounds become Min and Max, and
// its count Desired. A schedule sets the bounds until another one sets them again, so a peak takes
// two, one after the other in the list: the one before it, raising Min above the group's own min,
// and the one that ends it, putting Min back at the group's own. In mode autoscaling each is an
// Auto Scaling scheduled action; in mode eks the pair is one KEDA cron window (peakWindows) and a
// scheduled action on each node group's Auto Scaling group (docs/web-tier.md, "Known peaks").
type Schedule struct {
	// Name names the scheduled action: lower-case letters, digits and hyphens, unique.
	Name string
	// Cron is when it runs, in Unix cron syntax: minute hour day-of-month month day-of-week.
	Cron string
	// TimeZone is the IANA time zone Cron is read in, such as Europe/Paris; "" means Etc/UTC.
	TimeZone string
	// Min is the group's min from then on, within its own bounds (App.Replicas, at least 2):
	// above its own min it raises a peak, at its own min it ends one; 0 means the group's own min,
	// so that a schedule that ends a peak holds at every tier.
	Min int
	// Max is the group's max from then on: the group's own max (0 means it). A peak raises the
	// floor; it does not lower the ceiling, which KEDA's cron scaler cannot do on EKS.
	Max int
	// Desired is the count then, from Min to Max, on a schedule that raises a peak; 0 means Min on
	// EKS and leaves it to target tracking in the group (AWS raises it to Min where it is lower).
	// A schedule that ends a peak takes 0: the count falls back as the CPU says.
	Desired int
}

// scheduleNamePattern is a schedule's name: it names a child resource and the scheduled action.
var scheduleNamePattern = regexp.MustCompile(`^[a-z0-9]([a-z0-9-]{0,38}[a-z0-9])?$`)

// cronFields are the fields of a recurrence in Unix cron syntax, with their ranges and names, as
// Amazon EC2 Auto Scaling reads them (User Guide, "Scheduled scaling for Amazon EC2 Auto Scaling",
// "Recurring schedules": "[Minute] [Hour] [Day_of_Month] [Month_of_Year] [Day_of_Week]").
var cronFields = []struct {
	name     string
	min, max int
	names    []string
}{
	{"minute", 0, 59, nil},
	{"hour", 0, 23, nil},
	{"day of month", 1, 31, nil},
	{"month", 1, 12, []string{"JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"}},
	{"day of week", 0, 6, []string{"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"}},
}

// checkCron checks a recurrence: five fields, each *, or a list of values and ranges (a-b), each
// optionally stepped (/n), within the field's range; months and days of week also by name.
func checkCron(cron string) error {
	fields := strings.Fields(cron)
	if len(fields) != len(cronFields) {
		return fmt.Errorf("has %d fields (allowed: 5, minute hour day-of-month month day-of-week, such as \"0 13 * * MON-FRI\")", len(fields))
	}
	for i, f := range fields {
		spec := cronFields[i]
		value := func(s string) (int, bool) {
			for j, n := range spec.names {
				if strings.EqualFold(s, n) {
					return spec.min + j, true
				}
			}
			if s == "" || strings.Trim(s, "0123456789") != "" {
				return 0, false // digits only: no sign, no blank (leading zeros are cron's, "00")
			}
			v, err := strconv.Atoi(s)
			return v, err == nil && v >= spec.min && v <= spec.max
		}
		for _, part := range strings.Split(f, ",") {
			base, step, stepped := strings.Cut(part, "/")
			if stepped {
				if n, err := strconv.Atoi(step); err != nil || strings.Trim(step, "0123456789") != "" || n < 1 || n > spec.max {
					return fmt.Errorf("%s %q has a bad step (allowed: a whole number from 1 to %d)", spec.name, f, spec.max)
				}
			}
			if base == "*" {
				continue
			}
			lo, hi, isRange := strings.Cut(base, "-")
			a, okA := value(lo)
			b, okB := a, true
			if isRange {
				b, okB = value(hi)
			}
			if !okA || !okB || b < a {
				allowed := fmt.Sprintf("*, %d to %d", spec.min, spec.max)
				if spec.names != nil {
					allowed += " or " + spec.names[0] + " to " + spec.names[len(spec.names)-1]
				}
				return fmt.Errorf("%s %q is out of range (allowed: %s, lists with commas, ranges a-b, steps /n)", spec.name, f, allowed)
			}
		}
	}
	return nil
}

// groupBounds are the Auto Scaling group's own min and max: App.Replicas, at least 2 (two zones).
func groupBounds(r Replicas) (int, int) { return max(r.Min, 2), max(r.Max, 2) }

// checkedSchedules checks the schedules in mode m against the group's bounds, fills in the default
// time zone and max, and checks that each peak is raised and ended by two schedules that modes
// autoscaling and eks both carry out (checkPeaks): the same list is valid in both, so that a stack
// keeps its schedules from 10k to 100k.
func checkedSchedules(schedules []Schedule, m Mode, r Replicas) ([]Schedule, error) {
	if len(schedules) == 0 {
		return nil, nil
	}
	switch m {
	case ModeInstance:
		return nil, fmt.Errorf("webtier: schedules are set in mode instance, which runs one server and no Auto Scaling group (allowed: modes autoscaling and eks)")
	}
	lo, hi := groupBounds(r)
	return CheckSchedules(schedules, lo, hi)
}

// CheckSchedules checks schedules for a group (or a KEDA ScaledObject) bounded by lo and hi, as a
// WebTier checks its own, and returns them with the default time zone and max filled in: each
// within the bounds, and each peak raised and ended by two schedules that an Auto Scaling group
// and KEDA's cron scaler both carry out. Another workload scaled like the app (the Workers) takes
// its schedules through it.
func CheckSchedules(schedules []Schedule, lo, hi int) ([]Schedule, error) {
	if len(schedules) == 0 {
		return nil, nil
	}
	out := make([]Schedule, len(schedules))
	seen := map[string]bool{}
	for i, s := range schedules {
		if !scheduleNamePattern.MatchString(s.Name) {
			return nil, fmt.Errorf("webtier: schedule name %q is not a name (allowed: 1 to 40 lower-case letters, digits and hyphens, starting and ending with a letter or digit)", s.Name)
		}
		if seen[s.Name] {
			return nil, fmt.Errorf("webtier: schedule %q is named twice (allowed: each name once)", s.Name)
		}
		seen[s.Name] = true
		if err := checkCron(s.Cron); err != nil {
			return nil, fmt.Errorf("webtier: schedule %q cron %q %w", s.Name, s.Cron, err)
		}
		if s.TimeZone == "" {
			s.TimeZone = "Etc/UTC"
		}
		if _, err := time.LoadLocation(s.TimeZone); err != nil || s.TimeZone == "Local" {
			return nil, fmt.Errorf("webtier: schedule %q timeZone %q is not an IANA time zone (allowed: a name such as Europe/Paris, America/New_York or Etc/UTC)", s.Name, s.TimeZone)
		}
		if s.Min == 0 {
			s.Min = lo
		}
		if s.Min < lo || s.Min > hi {
			return nil, fmt.Errorf("webtier: schedule %q min %d is outside the group's bounds (allowed: %d to %d, the group's min and max, or 0 for its min)", s.Name, s.Min, lo, hi)
		}
		if s.Max == 0 {
			s.Max = hi
		}
		if s.Max != hi {
			return nil, fmt.Errorf("webtier: schedule %q max %d is not the group's max (allowed: %d, or 0 for it: a schedule raises the floor before a peak and keeps the ceiling, which KEDA's cron scaler cannot lower on EKS)", s.Name, s.Max, hi)
		}
		if s.Desired != 0 && (s.Desired < s.Min || s.Desired > s.Max) {
			return nil, fmt.Errorf("webtier: schedule %q desired %d is outside its bounds (allowed: %d to %d, or 0 to leave it to target tracking)", s.Name, s.Desired, s.Min, s.Max)
		}
		out[i] = s
	}
	if err := checkPeaks(out, lo); err != nil {
		return nil, err
	}
	return out, nil
}

// checkPeaks checks that every schedule raising Min above the group's own min (lo) is followed in
// the list by the one that ends its peak: Min back at lo, another time, the same time zone (a KEDA
// cron window has one start, one end and one time zone; keda v2.21.1 pkg/scalers/cron_scaler.go
// refuses a start equal to its end). A schedule that ends a peak sets no desired count.
func checkPeaks(schedules []Schedule, lo int) error {
	for i, s := range schedules {
		if s.Min == lo {
			if s.Desired != 0 {
				return fmt.Errorf("webtier: schedule %q desired %d is set on a schedule that ends a peak (min %d, the group's own) (allowed: 0: the count falls back as the CPU says; on EKS the end of a KEDA cron window sets none)", s.Name, s.Desired, lo)
			}
			continue
		}
		if i+1 == len(schedules) || schedules[i+1].Min != lo {
			return fmt.Errorf("webtier: schedule %q raises min to %d and is not followed by the schedule that ends its peak (allowed: the next schedule in the list with min %d, the group's own, at the peak's end, such as {name: %s-end, cron: \"0 16 * * *\", min: %d})", s.Name, s.Min, lo, s.Name, lo)
		}
		end := schedules[i+1]
		if end.TimeZone != s.TimeZone {
			return fmt.Errorf("webtier: schedule %q timeZone %q differs from %q of the peak it ends, %q (allowed: the same time zone: on EKS a peak is one KEDA cron window, with one time zone)", end.Name, end.TimeZone, s.TimeZone, s.Name)
		}
		if strings.Join(strings.Fields(end.Cron), " ") == strings.Join(strings.Fields(s.Cron), " ") {
			return fmt.Errorf("webtier: schedule %q cron %q is the cron of the peak it ends, %q (allowed: another time: a peak starts and ends at different times)", end.Name, end.Cron, s.Name)
		}
	}
	return nil
}

// buildSchedules creates a scheduled action on the group for each schedule. Only the group's name
// and the action's name are ForceNew on aws_autoscaling_schedule (terraform-provider-aws
// internal/service/autoscaling/schedule.go): a new time, zone or size is made in place.
func buildSchedules(ctx *pulumi.Context, name string, schedules []Schedule, group *autoscaling.Group, parent pulumi.ResourceOption) error {
	for _, s := range schedules {
		desired := s.Desired
		if desired == 0 {
			desired = -1 // leave the desired capacity as target tracking set it
		}
		if _, err := autoscaling.NewSchedule(ctx, naming.Child(name, "schedule-"+s.Name), &autoscaling.ScheduleArgs{
			AutoscalingGroupName: group.Name,
			ScheduledActionName:  pulumi.String(s.Name),
			Recurrence:           pulumi.String(strings.Join(strings.Fields(s.Cron), " ")),
			TimeZone:             pulumi.String(s.TimeZone),
			MinSize:              pulumi.Int(s.Min),
			MaxSize:              pulumi.Int(s.Max),
			DesiredCapacity:      pulumi.Int(desired),
		}, parent); err != nil {
			return err
		}
	}
	return nil
}

// BuildSchedules creates a scheduled action on group for each schedule (checked by CheckSchedules),
// each the child "<name>-schedule-<schedule's name>" of parent.
func BuildSchedules(ctx *pulumi.Context, name string, schedules []Schedule, group *autoscaling.Group, parent pulumi.ResourceOption) error {
	return buildSchedules(ctx, name, schedules, group, parent)
}
