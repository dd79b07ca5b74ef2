package datatier

import (
	"strconv"
	"strings"
)

// SupportsDataAPI reports whether an engine version offers the RDS Data API on Aurora Serverless v2
// and provisioned instances, through which the tier creates the application's database user:
// Aurora MySQL 3.07 and later (8.4 included), Aurora PostgreSQL 13.11, 14.8, 15.3, 16.1, 17.4 and
// later (Aurora User Guide, "Supported Regions and Aurora DB engines for RDS Data API", US East
// (N. Virginia) row, read 2026-12-04; some regions may lag, which only AWS can settle).
func SupportsDataAPI(e Engine, version string) bool {
	switch e {
	case EngineMySQL:
		rest, ok := strings.CutPrefix(version, "8.0.mysql_aurora.3.")
		if !ok {
			return strings.HasPrefix(version, "8.4.")
		}
		minor, _, _ := strings.Cut(rest, ".")
		n, err := strconv.Atoi(minor)
		return err == nil && n >= 7
	case EnginePostgreSQL:
		major, minor, ok := strings.Cut(version, ".")
		m, err1 := strconv.Atoi(major)
		n, err2 := strconv.Atoi(strings.SplitN(minor, ".", 2)[0])
		if !ok || err1 != nil || err2 != nil {
			return false
		}
		first := map[int]int{13: 11, 14: 8, 15: 3, 16: 1, 17: 4}
		if need, ok := first[m]; ok {
			return n >= need
		}
		return m > 17
	}
	return false
}
