package cachetier

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
)

// The window rules. Formats: ddd:hh24:mi-ddd:hh24:mi for the weekly maintenance window and
// hh24:mi-hh24:mi for the daily snapshot window, in UTC (ElastiCache API reference,
// CreateReplicationGroup PreferredMaintenanceWindow and SnapshotWindow; the provider checks them with
// verify.ValidOnceAWeekWindowFormat and ValidOnceADayWindowFormat in
// internal/service/elasticache/replication_group.go). Lengths: a maintenance window may span up to
// 24 hours and AWS assigns 60 minutes by default ("Managing ElastiCache cluster maintenance",
// docs.aws.amazon.com/AmazonElastiCache/latest/dg/maintenance-window.html, seen 2026-11-22); a
// CacheTier asks at least those 60 minutes of both windows, so that a snapshot or a patch never has
// less time than AWS itself would give it.
const (
	minWindowMinutes        = 60
	maxMaintenanceMinutes   = 24 * 60
	minutesPerDay           = 24 * 60
	minutesPerWeek          = 7 * minutesPerDay
	snapshotWindowFormat    = "hh24:mi-hh24:mi, UTC, at least 60 minutes, such as 03:00-04:00"
	maintenanceWindowFormat = "ddd:hh24:mi-ddd:hh24:mi, UTC, days sun to sat in lowercase, 60 minutes to 24 hours, such as sun:05:00-sun:06:00"
)

var (
	dailyWindowPattern  = regexp.MustCompile(`^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-3]):([0-5]\d)$`)
	weeklyWindowPattern = regexp.MustCompile(`^(sun|mon|tue|wed|thu|fri|sat):([01]\d|2[0-3]):([0-5]\d)-(sun|mon|tue|wed|thu|fri|sat):([01]\d|2[0-3]):([0-5]\d)$`)
	weekdays            = []string{"sun", "mon", "tue", "wed", "thu", "fri", "sat"}
)

// window is a time range as minutes: within a day for a snapshot window, within a week (from Sunday
// 00:00 UTC) for a maintenance window. end < start means it wraps past midnight (or the week's end).
type window struct{ start, end int }

// length is how many minutes the window lasts, within a period of the given length.
func (w window) length(period int) int {
	return ((w.end-w.start)%period + period) % period
}

// parseSnapshotWindow reads a daily hh24:mi-hh24:mi window.
func parseSnapshotWindow(s string) (window, error) {
	m := dailyWindowPattern.FindStringSubmatch(s)
	if m == nil {
		return window{}, fmt.Errorf("snapshotWindow %q is malformed (allowed: %s)", s, snapshotWindowFormat)
	}
	w := window{start: clock(m[1], m[2]), end: clock(m[3], m[4])}
	if n := w.length(minutesPerDay); n < minWindowMinutes {
		return window{}, fmt.Errorf("snapshotWindow %q lasts %d minutes (allowed: %s)", s, n, snapshotWindowFormat)
	}
	return w, nil
}

// parseMaintenanceWindow reads a weekly ddd:hh24:mi-ddd:hh24:mi window.
func parseMaintenanceWindow(s string) (window, error) {
	m := weeklyWindowPattern.FindStringSubmatch(s)
	if m == nil {
		return window{}, fmt.Errorf("maintenanceWindow %q is malformed (allowed: %s)", s, maintenanceWindowFormat)
	}
	w := window{
		start: slices.Index(weekdays, m[1])*minutesPerDay + clock(m[2], m[3]),
		end:   slices.Index(weekdays, m[4])*minutesPerDay + clock(m[5], m[6]),
	}
	if n := w.length(minutesPerWeek); n < minWindowMinutes || n > maxMaintenanceMinutes {
		return window{}, fmt.Errorf("maintenanceWindow %q lasts %d minutes (allowed: %s)", s, n, maintenanceWindowFormat)
	}
	return w, nil
}

// overlaps reports whether a daily snapshot window, taken every day of the week, shares a minute
// with a weekly maintenance window.
func overlaps(snapshot, maintenance window) bool {
	for day := range 7 {
		s := window{start: day*minutesPerDay + snapshot.start, end: day*minutesPerDay + snapshot.start + snapshot.length(minutesPerDay)}
		m := window{start: maintenance.start, end: maintenance.start + maintenance.length(minutesPerWeek)}
		// Compare on a line two weeks long, so that ranges wrapping the week's end meet their match.
		for _, shift := range []int{-minutesPerWeek, 0, minutesPerWeek} {
			if s.start < m.end+shift && m.start+shift < s.end {
				return true
			}
		}
	}
	return false
}

// clock turns hh and mi digits (already checked by a pattern) into minutes after midnight.
func clock(hh, mi string) int {
	h, _ := strconv.Atoi(hh)
	m, _ := strconv.Atoi(mi)
	return h*60 + m
}
