package drregion

import (
	"strconv"
	"strings"
)

// writeForwardingEngines says, for messages, which engine versions have global write forwarding.
const writeForwardingEngines = "aurora-mysql 8.0.mysql_aurora.3.* and 8.4.*, aurora-postgresql 14.9+, 15.4+ and 16 and later"

// WriteForwardingSupported reports whether an engine version lets a global database's secondary
// cluster forward writes to the primary (global write forwarding), which StrategyActiveActive
// needs: the DR region's app then writes through its own cluster, in a region without the writer.
// Aurora MySQL has it from 2.08.1, so in every version with global databases (3.* and 8.4);
// Aurora PostgreSQL in every 16+ minor, 15.4+ and 14.9+, not in 13 (Aurora User Guide, "Using write
// forwarding in an Aurora MySQL global database" and "… in an Aurora PostgreSQL global database",
// "Region and version availability", read 2026-12-04). Slice C of issue 16 keeps the data tier's
// facts: at merge, one of the two copies goes.
func WriteForwardingSupported(engine, version string) bool {
	if !GlobalDatabaseEngine(engine, version) {
		return false
	}
	if engine == "aurora-mysql" {
		return true
	}
	majorText, rest, _ := strings.Cut(version, ".")
	minorText, _, _ := strings.Cut(rest, ".")
	major, err := strconv.Atoi(majorText)
	if err != nil {
		return false
	}
	minor, err := strconv.Atoi(minorText)
	if err != nil && major < 16 {
		return false
	}
	switch {
	case major >= 16:
		return true
	case major == 15:
		return minor >= 4
	case major == 14:
		return minor >= 9
	}
	return false
}
