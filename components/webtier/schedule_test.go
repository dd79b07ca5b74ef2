package webtier

import "testing"

// checkCron takes the Unix cron forms Auto Scaling reads and refuses the rest.
func TestCheckCron(t *testing.T) {
	valid := []string{
		"0 13 * * *", "30 13 * * MON-FRI", "*/15 8-18 1,15 JAN-MAR mon", "0 0 1 */3 *",
		"5,35 0-23/2 * * 0-6", "59 23 31 12 SAT", "0  9 * * 1", "00 09 * * *",
	}
	for _, c := range valid {
		if err := checkCron(c); err != nil {
			t.Errorf("checkCron(%q) = %v, want nil", c, err)
		}
	}
	invalid := []string{
		"", "0 13 * *", "0 13 * * * 2026", "60 * * * *", "* 24 * * *", "* * 0 * *", "* * 32 * *",
		"* * * 13 *", "* * * * 7", "* * ? * *", "* * L * *", "* * * * MON#2", "*/0 * * * *",
		"5-1 * * * *", "a * * * *", "-1 * * * *", "01x * * * *", "* * * FOO *", "1,,2 * * * *", "+5 * * * *", "*/-1 * * * *", "*/+1 * * * *",
	}
	for _, c := range invalid {
		if err := checkCron(c); err == nil {
			t.Errorf("checkCron(%q) = nil, want an error", c)
		}
	}
}
