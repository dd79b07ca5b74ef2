package drregion

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// globalEngines says, for messages, which engine versions have Aurora global databases.
const globalEngines = "aurora-mysql 8.0.mysql_aurora.3.* and 8.4.*, aurora-postgresql 13 and later"

// GlobalDatabaseEngine reports whether an engine version can be the primary of an Aurora global
// database: Aurora MySQL 3 and 8.4, Aurora PostgreSQL 13 and later, the versions the DataTier runs
// (Aurora User Guide, "Supported Regions and DB engines for Aurora global databases", read
// 2026-12-04: Aurora MySQL version 3.01.0 and higher, 8.4 all versions, in every region that has
// it; Aurora PostgreSQL by region and minor version, all 13+ majors listed).
func GlobalDatabaseEngine(engine, version string) bool {
	switch engine {
	case "aurora-mysql":
		return strings.HasPrefix(version, "8.0.mysql_aurora.3.") || strings.HasPrefix(version, "8.4.")
	case "aurora-postgresql":
		major, _, _ := strings.Cut(version, ".")
		n, err := strconv.Atoi(major)
		return err == nil && n >= 13
	}
	return false
}

// regionsWithoutGlobalDatabase are the regions the Aurora User Guide's "Supported Regions and DB
// engines for Aurora global databases" marks "not available" for every engine (read 2026-12-04):
// Asia Pacific (Taipei), (New Zealand) and (Thailand). A region that opened after that page was
// read is not known here: AWS then refuses the secondary at pulumi up.
var regionsWithoutGlobalDatabase = []string{"ap-east-2", "ap-southeast-6", "ap-southeast-7"}

// mysqlRegionMinimum is the first Aurora MySQL 3 minor version with global databases where it is
// not 3.01 (same page): Hyderabad 3.02, Melbourne 3.03, Malaysia 3.04.
var mysqlRegionMinimum = map[string]int{"ap-south-2": 2, "ap-southeast-4": 3, "ap-southeast-5": 4}

// CheckGlobalDatabaseRegions refuses a primary or DR region where an engine version has no Aurora
// global database, as far as the Aurora User Guide's table says.
func CheckGlobalDatabaseRegions(engine, version, primary, dr string) error {
	for _, r := range []string{primary, dr} {
		if slices.Contains(regionsWithoutGlobalDatabase, r) {
			return fmt.Errorf("region %s has no Aurora global database (allowed: a primary and DR region pair outside %s; Aurora User Guide, \"Supported Regions and DB engines for Aurora global databases\")",
				r, strings.Join(regionsWithoutGlobalDatabase, ", "))
		}
		first, ok := mysqlRegionMinimum[r]
		if !ok || engine != "aurora-mysql" {
			continue
		}
		rest, isV3 := strings.CutPrefix(version, "8.0.mysql_aurora.3.")
		minor, _, _ := strings.Cut(rest, ".")
		if n, err := strconv.Atoi(minor); isV3 && (err != nil || n < first) {
			return fmt.Errorf("engine version %s has no Aurora global database in %s (allowed: 8.0.mysql_aurora.3.%02d.0 and later there; Aurora User Guide, \"Supported Regions and DB engines for Aurora global databases\")", version, r, first)
		}
	}
	return nil
}
