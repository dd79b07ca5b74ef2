package tests

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tierstack/tierstack/synth"
	"github.com/tierstack/tierstack/tiers"
)

const webTypeSchedule = "aws:autoscaling/schedule:Schedule"

// peakSchedules are a flash sale at 2 pm in Paris: the group's minimum raised at 13:30, put back at 16:00.
const peakSchedules = `{"schedules":[` +
	`{"name":"sale-up","cron":"30 13 * * MON-FRI","timeZone":"Europe/Paris","min":6,"desired":8,"max":10},` +
	`{"name":"sale-down","cron":"0 16 * * 1-5","timeZone":"Europe/Paris","min":2,"max":10}]}`

// peakApp bounds the group from 2 to 10.
const peakApp = `{"replicas":{"min":2,"max":10}}`

// No schedule unless configured.
func TestWebSchedulesAreAbsentByDefault(t *testing.T) {
	assert.Zero(t, planTier(t, tierConfig(tiers.Tier10k)).Count(webTypeSchedule))
}

// Each schedule is a scheduled action on the web tier's group, at its time in its zone, with its
// sizes; desired 0 leaves the desired capacity alone (-1).
func TestWebSchedulesAreScheduledActionsOnTheGroup(t *testing.T) {
	s := planTier(t, webConfig(tiers.Tier10k, peakSchedules, peakApp))
	require.Equal(t, 2, s.Count(webTypeSchedule))
	group := s.Named(webTypeASG, "web-asg")
	up := s.Named(webTypeSchedule, "web-schedule-sale-up")
	assert.Equal(t, "sale-up", str(up, "scheduledActionName"))
	assert.Equal(t, "30 13 * * MON-FRI", str(up, "recurrence"))
	assert.Equal(t, "Europe/Paris", str(up, "timeZone"))
	assert.Equal(t, 6, num(up, "minSize"))
	assert.Equal(t, 8, num(up, "desiredCapacity"))
	assert.Equal(t, 10, num(up, "maxSize"))
	assert.Contains(t, up.Dependencies, group.URN, "on the web tier's group")
	down := s.Named(webTypeSchedule, "web-schedule-sale-down")
	assert.Equal(t, -1, num(down, "desiredCapacity"), "target tracking keeps the desired capacity")
	assert.Equal(t, 2, num(down, "minSize"))

	utc := planTier(t, webConfig(tiers.Tier10k, `{"schedules":[{"name":"n","cron":"0 12 * * *","min":2,"max":10}]}`, peakApp))
	assert.Equal(t, "Etc/UTC", str(utc.Named(webTypeSchedule, "web-schedule-n"), "timeZone"))
}

// Adding schedules to a running 10k stack only creates them; moving one's time updates it in place.
func TestWebSchedulesChangeInPlace(t *testing.T) {
	rules := mustRules(t)
	before := planTier(t, webConfig(tiers.Tier10k, "", peakApp))
	after := planTier(t, webConfig(tiers.Tier10k, peakSchedules, peakApp))
	for _, c := range synth.Diff(before.Plan, after.Plan, rules) {
		assert.Equal(t, synth.Create, c.Action, "%s: adding schedules only creates them", c.URN)
		assert.Equal(t, webTypeSchedule, c.Type)
	}
	moved := planTier(t, webConfig(tiers.Tier10k, `{"schedules":[`+
		`{"name":"sale-up","cron":"0 13 * * MON-FRI","timeZone":"Europe/London","min":6,"desired":8,"max":10},`+
		`{"name":"sale-down","cron":"0 16 * * 1-5","timeZone":"Europe/London","min":2,"max":10}]}`, peakApp))
	changes := synth.Diff(after.Plan, moved.Plan, rules)
	require.Len(t, changes, 2)
	keys := map[string][]string{}
	for _, c := range changes {
		assert.Equal(t, synth.Update, c.Action, "%s", c.Name)
		keys[c.Name] = c.Keys
	}
	assert.ElementsMatch(t, []string{"recurrence", "timeZone"}, keys["web-schedule-sale-up"])
	assert.ElementsMatch(t, []string{"timeZone"}, keys["web-schedule-sale-down"], "a peak's two ends share a time zone")
}

// Bad schedules are refused before anything is registered, naming the schedule, the field, the
// value and what is allowed.
func TestWebSchedulesBadInputIsRefused(t *testing.T) {
	one := func(fields string) string { return `{"schedules":[{` + fields + `}]}` }
	cases := []struct {
		name string
		tier tiers.Tier
		web  string
		want []string
	}{
		{"four cron fields", tiers.Tier10k, one(`"name":"a","cron":"0 13 * *","min":2,"max":10`), []string{`schedule "a" cron "0 13 * *"`, "4 fields", "allowed: 5"}},
		{"hour 24", tiers.Tier10k, one(`"name":"a","cron":"0 24 * * *","min":2,"max":10`), []string{`schedule "a"`, `hour "24"`, "0 to 23"}},
		{"minute step 0", tiers.Tier10k, one(`"name":"a","cron":"*/0 * * * *","min":2,"max":10`), []string{`schedule "a"`, `minute "*/0"`, "step"}},
		{"day of week 7", tiers.Tier10k, one(`"name":"a","cron":"0 1 * * 7","min":2,"max":10`), []string{`schedule "a"`, `day of week "7"`, "0 to 6 or SUN to SAT"}},
		{"unknown month", tiers.Tier10k, one(`"name":"a","cron":"0 1 * FOO *","min":2,"max":10`), []string{`schedule "a"`, `month "FOO"`, "JAN to DEC"}},
		{"EventBridge question mark", tiers.Tier10k, one(`"name":"a","cron":"0 1 ? * *","min":2,"max":10`), []string{`schedule "a"`, `day of month "?"`, "1 to 31"}},
		{"backwards range", tiers.Tier10k, one(`"name":"a","cron":"0 9-5 * * *","min":2,"max":10`), []string{`schedule "a"`, `hour "9-5"`}},
		{"unknown time zone", tiers.Tier10k, one(`"name":"a","cron":"0 1 * * *","timeZone":"Mars/Olympus","min":2,"max":10`), []string{`schedule "a" timeZone "Mars/Olympus"`, "Europe/Paris"}},
		{"local time zone", tiers.Tier10k, one(`"name":"a","cron":"0 1 * * *","timeZone":"Local","min":2,"max":10`), []string{`schedule "a" timeZone "Local"`, "IANA"}},
		{"min below the group", tiers.Tier10k, one(`"name":"a","cron":"0 1 * * *","min":1,"max":10`), []string{`schedule "a" min 1`, "2 to 10"}},
		{"max above the group", tiers.Tier10k, one(`"name":"a","cron":"0 1 * * *","min":2,"max":11`), []string{`schedule "a" max 11`, "not the group's max", "allowed: 10, or 0"}},
		{"max below min", tiers.Tier10k, one(`"name":"a","cron":"0 1 * * *","min":6,"max":4`), []string{`schedule "a" max 4`, "allowed: 10", "KEDA"}},
		{"max lowered on EKS too", tiers.Tier100k, one(`"name":"a","cron":"0 1 * * *","min":3,"max":8`), []string{`schedule "a" max 8`, "allowed: 10", "KEDA"}},
		{"desired outside", tiers.Tier10k, one(`"name":"a","cron":"0 1 * * *","min":6,"desired":11`), []string{`schedule "a" desired 11`, "6 to 10"}},
		{"bad name", tiers.Tier10k, one(`"name":"Sale Up","cron":"0 1 * * *","min":2,"max":10`), []string{`schedule name "Sale Up"`, "lower-case letters"}},
		{"name twice", tiers.Tier10k, `{"schedules":[{"name":"a","cron":"0 1 * * *","min":2,"max":10},{"name":"a","cron":"0 2 * * *","min":2,"max":10}]}`, []string{`schedule "a" is named twice`}},
		{"unknown field", tiers.Tier10k, one(`"name":"a","cron":"0 1 * * *","min":2,"max":10,"zone":"UTC"`), []string{"tierstack:web", "zone", "timeZone"}},
		{"mode instance", tiers.Tier100, one(`"name":"a","cron":"0 1 * * *","min":2,"max":10`), []string{"tierstack:web schedules", "mode instance", "modes autoscaling and eks"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s, err := runProgram(t, "", webConfig(c.tier, c.web, peakApp), tiers.Program)
			require.Error(t, err)
			for _, w := range c.want {
				assert.Contains(t, err.Error(), w)
			}
			assert.Empty(t, s.Resources, "nothing may be registered before the config is checked")
		})
	}
}
