package signals

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// LogRetentions are the retentions, in days, CloudWatch Logs accepts for a log group (PutRetentionPolicy).
// tierstack never keeps a log group forever, so "never expire" is not among them.
var LogRetentions = []int{1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653}

// CheckRetention reports whether CloudWatch Logs accepts days as a log group's retention.
func CheckRetention(days int) error {
	if !slices.Contains(LogRetentions, days) {
		allowed := make([]string, len(LogRetentions))
		for i, d := range LogRetentions {
			allowed[i] = strconv.Itoa(d)
		}
		return fmt.Errorf("%d days is not a CloudWatch Logs retention (allowed: %s)", days, strings.Join(allowed, ", "))
	}
	return nil
}
