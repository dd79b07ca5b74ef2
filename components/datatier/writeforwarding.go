package datatier

// GlobalWriteForwarding reports whether an engine version lets a secondary cluster of an Aurora
// global database forward its writes to the primary (enableGlobalWriteForwarding):
//
//   - Aurora MySQL 2.08.1 and higher, so every Aurora MySQL 3 and 8.4 version the DataTier runs
//     (Aurora User Guide, "Using write forwarding in an Aurora MySQL global database", "Region and
//     version availability of write forwarding in Aurora MySQL");
//   - Aurora PostgreSQL 16 and every major after it, all minor versions; 15.4 and higher 15
//     versions; 14.9 and higher 14 versions; no 13 version (Aurora User Guide, "Using write
//     forwarding in an Aurora PostgreSQL global database", "Region and version availability of
//     write forwarding in Aurora PostgreSQL"; read 2026-12-04).
//
// The 16.4+, 15.8+ and 14.13+ sometimes quoted are local (in-cluster) write forwarding's versions
// (Aurora User Guide, "Local write forwarding in Aurora PostgreSQL"), another feature.
func GlobalWriteForwarding(e Engine, version string) bool {
	if e == EngineMySQL {
		return versionFrom(e, version, 0, nil)
	}
	return versionFrom(e, version, 0, map[int]int{14: 9, 15: 4, 16: 0})
}
