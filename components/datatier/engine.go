package datatier

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
)

// Engine is the Aurora engine family of a DataTier. It is chosen once per stack: changing it
// replaces the cluster and everything in it.
type Engine string

// The engines.
const (
	// EngineMySQL is Aurora MySQL, the write-ups' engine and the default.
	EngineMySQL Engine = "aurora-mysql"
	// EnginePostgreSQL is Aurora PostgreSQL.
	EnginePostgreSQL Engine = "aurora-postgresql"
)

// Engines returns the allowed engines, as a new slice.
func Engines() []Engine { return []Engine{EngineMySQL, EnginePostgreSQL} }

// DefaultEngineVersion is the pinned version a DataTier runs when Args.EngineVersion is empty.
// Aurora MySQL 3.08.2 (MySQL 8.0 compatible) and Aurora PostgreSQL 16.6 both support Serverless v2
// auto-pause (minimum 0 ACUs) and a 256-ACU maximum. Upgrade by setting EngineVersion: a minor
// version moves in place during the maintenance window (automatic minor upgrades are off); a major
// version changes the parameter group family too.
func DefaultEngineVersion(e Engine) string {
	if e == EnginePostgreSQL {
		return "16.6"
	}
	return "8.0.mysql_aurora.3.08.2"
}

// ParameterGroupFamily is the cluster parameter group family of an engine version:
// aurora-mysql8.0 for Aurora MySQL 3, aurora-postgresql16 for Aurora PostgreSQL 16.
func ParameterGroupFamily(e Engine, version string) (string, error) {
	switch e {
	case EngineMySQL:
		if strings.HasPrefix(version, "8.0.mysql_aurora.3.") {
			return "aurora-mysql8.0", nil
		}
		if strings.HasPrefix(version, "8.4.") {
			return "aurora-mysql8.4", nil
		}
		return "", fmt.Errorf("engineVersion %q is not an Aurora MySQL 3 or 8.4 version (allowed: such as %s)", version, DefaultEngineVersion(e))
	case EnginePostgreSQL:
		major, _, ok := strings.Cut(version, ".")
		if n, err := strconv.Atoi(major); ok && err == nil && n >= 13 {
			return "aurora-postgresql" + major, nil
		}
		return "", fmt.Errorf("engineVersion %q is not an Aurora PostgreSQL 13 or later version (allowed: such as %s)", version, DefaultEngineVersion(e))
	}
	return "", fmt.Errorf("engine %q is not known (allowed: %s, %s)", e, EngineMySQL, EnginePostgreSQL)
}

// SupportsAutoPause reports whether an engine version lets Serverless v2 scale to 0 ACUs and pause:
// Aurora MySQL 3.08.0 and later, Aurora PostgreSQL 13.15, 14.12, 15.7, 16.3 and later (AWS, "Aurora
// Serverless v2 capacity", read 2026-11-23).
func SupportsAutoPause(e Engine, version string) bool {
	return versionFrom(e, version, 8, map[int]int{13: 15, 14: 12, 15: 7, 16: 3})
}

// versionFrom reports whether an engine version is one a feature arrived in or later: Aurora MySQL
// 3.<mysqlMinor> and later in 8.0 (every 8.4 version), Aurora PostgreSQL <major>.<minor> and later
// for each major postgresFirst names, and every major above them.
func versionFrom(e Engine, version string, mysqlMinor int, postgresFirst map[int]int) bool {
	switch e {
	case EngineMySQL:
		rest, ok := strings.CutPrefix(version, "8.0.mysql_aurora.3.")
		if !ok {
			return strings.HasPrefix(version, "8.4.")
		}
		minor, _, _ := strings.Cut(rest, ".")
		n, err := strconv.Atoi(minor)
		return err == nil && n >= mysqlMinor
	case EnginePostgreSQL:
		major, minor, ok := strings.Cut(version, ".")
		m, err1 := strconv.Atoi(major)
		n, err2 := strconv.Atoi(strings.SplitN(minor, ".", 2)[0])
		if !ok || err1 != nil || err2 != nil {
			return false
		}
		if need, ok := postgresFirst[m]; ok {
			return n >= need
		}
		return m > slices.Max(slices.Collect(maps.Keys(postgresFirst)))
	}
	return false
}

// Port is the engine's port.
func (e Engine) Port() int {
	if e == EnginePostgreSQL {
		return 5432
	}
	return 3306
}

// LogExports are the logs the cluster sends to CloudWatch Logs: errors and slow queries for MySQL,
// the server log (with slow statements) for PostgreSQL.
func (e Engine) LogExports() []string {
	if e == EnginePostgreSQL {
		return []string{"postgresql"}
	}
	return []string{"error", "slowquery"}
}

// LogGroupName is the CloudWatch Logs group RDS publishes an exported log of a cluster to:
// /aws/rds/cluster/<cluster identifier>/<log> (Aurora User Guide, "Publishing Aurora MySQL logs to
// Amazon CloudWatch Logs" and "Publishing Aurora PostgreSQL logs to Amazon CloudWatch Logs"). RDS
// creates it, without expiry or key, unless it exists.
func LogGroupName(clusterIdentifier, log string) string {
	return "/aws/rds/cluster/" + clusterIdentifier + "/" + log
}

// HasBacktrack reports whether the engine can rewind the cluster in place (Aurora MySQL only).
func (e Engine) HasBacktrack() bool { return e == EngineMySQL }

// regionsWithoutBacktrack are the regions where Aurora MySQL has no backtracking: AWS Knowledge
// Center, "aurora-mysql-cluster-backtrack" (Cape Town, Ningxia, Hong Kong, Milan, Stockholm, Bahrain,
// São Paulo), with Beijing and GovCloud, where the AWS Config rule for backtracking is not offered
// either; read 2026-11-23. A region added later is assumed to have it until AWS says otherwise.
var regionsWithoutBacktrack = []string{
	"af-south-1", "ap-east-1", "cn-north-1", "cn-northwest-1", "eu-north-1", "eu-south-1",
	"me-south-1", "sa-east-1", "us-gov-east-1", "us-gov-west-1",
}

// BacktrackAvailable reports whether Aurora MySQL can backtrack in a region.
func BacktrackAvailable(region string) bool {
	for _, r := range regionsWithoutBacktrack {
		if r == region {
			return false
		}
	}
	return true
}

// DefaultParameters are the cluster parameters a DataTier sets, by engine: the utf8mb4 character set
// and collation, the time zone, TLS required in transit, and the slow-query log that LogExports ships.
// Args.Parameters override or add to them.
func DefaultParameters(e Engine, timeZone string) map[string]string {
	if e == EnginePostgreSQL {
		return map[string]string{
			"timezone":                   timeZone,
			"client_encoding":            "UTF8",
			"rds.force_ssl":              "1",
			"log_min_duration_statement": "1000",
		}
	}
	return map[string]string{
		"character_set_server":     "utf8mb4",
		"collation_server":         "utf8mb4_0900_ai_ci",
		"time_zone":                timeZone,
		"require_secure_transport": "ON",
		"slow_query_log":           "1",
		"long_query_time":          "1",
	}
}

// parameters merges the defaults and the overrides, sorted by name.
func parameters(e Engine, timeZone string, overrides map[string]string) [][2]string {
	all := DefaultParameters(e, timeZone)
	maps.Copy(all, overrides)
	// max_connections goes to the instances' parameter group (see ConnectionLimit).
	delete(all, maxConnectionsParameter)
	names := slices.Sorted(maps.Keys(all))
	out := make([][2]string, len(names))
	for i, n := range names {
		out[i] = [2]string{n, all[n]}
	}
	return out
}
