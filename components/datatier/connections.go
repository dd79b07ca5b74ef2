package datatier

import (
	"math"
	"strconv"
)

// maxConnectionsParameter is the engine parameter that bounds connections.
const maxConnectionsParameter = "max_connections"

// maxConnectionsLimit is the largest max_connections a DataTier accepts: Aurora MySQL's ceiling
// (Aurora User Guide, "Managing performance and scaling for Aurora MySQL": "up to 16,000").
const maxConnectionsLimit = 16000

// postgresPausingCap is the ceiling Aurora PostgreSQL puts on max_connections when the minimum
// capacity is below 1 ACU (Aurora User Guide, "Performance and scaling for Aurora Serverless v2",
// "Maximum connections for Aurora Serverless v2": capped at 2,000).
const postgresPausingCap = 2000

// ConnectionLimit is the max_connections the tier's instances run with and its connections alarm is
// computed from. On Aurora Serverless v2 it is set explicitly in the instances' parameter group:
// Parameters["max_connections"] when given, else MaxConnections for MaxACU (capped at 2,000 on
// Aurora PostgreSQL below 1 ACU minimum, as Aurora caps it). Aurora holds max_connections constant
// while an instance scales and reads it only when the instance starts (it is a static parameter
// for Serverless v2: Aurora User Guide, "Performance and scaling for Aurora Serverless v2",
// "Maximum connections for Aurora Serverless v2"), so a tier change that raises it takes effect when
// each instance reboots; plan --from says so. With a provisioned class it is the class's default
// (MaxConnections), unless Parameters sets it; a class change restarts the instance, which applies it.
func ConnectionLimit(args Args) (int, error) {
	a, err := args.checkedWithout() // the limit does not depend on where the tier is placed
	if err != nil {
		return 0, err
	}
	n, _ := connectionLimit(a)
	return n, nil
}

// connectionLimit is ConnectionLimit for checked args, and whether the tier sets it explicitly in
// the instances' parameter group.
func connectionLimit(a Args) (int, bool) {
	if v, ok := a.Parameters[maxConnectionsParameter]; ok {
		n, _ := strconv.Atoi(v) // checked() validated it
		return n, true
	}
	n := int(MaxConnections(a))
	if !a.serverless() {
		return n, false
	}
	if a.Engine == EnginePostgreSQL && a.MinACU < 1 {
		n = min(n, postgresPausingCap)
	}
	return max(1, n), true
}

// connectionsAlarmAt is the connection count the connections alarm fires at: 80 % of the limit.
func connectionsAlarmAt(a Args) float64 {
	n, _ := connectionLimit(a)
	return math.Floor(float64(n) * 0.8)
}
