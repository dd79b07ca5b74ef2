package datatier

// SupportsDataAPI reports whether an engine version offers the RDS Data API on Aurora Serverless v2
// and provisioned instances, through which the tier creates the application's database user:
// Aurora MySQL 3.07 and later (8.4 included), Aurora PostgreSQL 13.11, 14.8, 15.3, 16.1, 17.4 and
// later (Aurora User Guide, "Supported Regions and Aurora DB engines for RDS Data API", US East
// (N. Virginia) row, read 2026-12-04; some regions may lag, which only AWS can settle).
func SupportsDataAPI(e Engine, version string) bool {
	return versionFrom(e, version, 7, map[int]int{13: 11, 14: 8, 15: 3, 16: 1, 17: 4})
}
