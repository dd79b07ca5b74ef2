package drregion

import (
	"fmt"
	"strings"
	"time"
)

// Strategy is how much of the service runs in the DR region before a disaster, from a copy of the
// data only to the full service in both regions. The four are the ones AWS's whitepaper "Disaster
// Recovery of Workloads on AWS: Recovery in the Cloud" ("Disaster recovery options in the cloud")
// names, cheapest and slowest first.
type Strategy string

const (
	// StrategyBackupRestore copies backups and assets to the DR region; nothing runs there.
	StrategyBackupRestore Strategy = "backupRestore"
	// StrategyPilotLight keeps the data live in the DR region (a global database secondary, table
	// replicas) with the web tier defined at zero.
	StrategyPilotLight Strategy = "pilotLight"
	// StrategyWarmStandby adds the web tier running small in the DR region.
	StrategyWarmStandby Strategy = "warmStandby"
	// StrategyActiveActive runs the full service in both regions.
	StrategyActiveActive Strategy = "activeActive"
)

// Strategies lists every strategy, cheapest first.
func Strategies() []Strategy {
	return []Strategy{StrategyBackupRestore, StrategyPilotLight, StrategyWarmStandby, StrategyActiveActive}
}

// BuiltStrategies lists the strategies New builds: all four. What each builds: backupRestore copies
// backups and assets; pilotLight adds the live data and the web tier defined at zero (Args.Web,
// parked); warmStandby runs that web tier small, with a cache (Args.Cache) and NAT gateways;
// activeActive runs both at the primary's size.
func BuiltStrategies() []Strategy { return Strategies() }

// LiveData reports whether the strategy keeps the data live in the DR region: an Aurora global
// database secondary per shard and a replica of every table (Args.Database and Args.Tables are
// then required), instead of only backup copies.
func (s Strategy) LiveData() bool { return s != StrategyBackupRestore }

// RunsCompute reports whether the strategy runs anything in the DR region before a disaster (the
// web tier, a database instance): warmStandby and activeActive do; backupRestore and pilotLight
// keep only data there.
func (s Strategy) RunsCompute() bool { return s == StrategyWarmStandby || s == StrategyActiveActive }

// ParseStrategy reads a strategy by name, in any case; "" is StrategyBackupRestore.
func ParseStrategy(s string) (Strategy, error) {
	if s == "" {
		return StrategyBackupRestore, nil
	}
	for _, st := range Strategies() {
		if strings.EqualFold(s, string(st)) {
			return st, nil
		}
	}
	return "", fmt.Errorf("strategy %q is not known (allowed: %s)", s, strategyList(Strategies()))
}

// strategyList joins strategies for a message.
func strategyList(list []Strategy) string {
	names := make([]string, len(list))
	for i, s := range list {
		names[i] = string(s)
	}
	return strings.Join(names, ", ")
}

// Objectives are what a strategy promises when the primary region is lost: the most data lost
// (RPO) and the longest time until the service answers again (RTO), both upper bounds, and why.
type Objectives struct {
	// RPO is the most recent data that may be lost.
	RPO time.Duration
	// RTO is how long until the service answers from the DR region.
	RTO time.Duration
	// Why says where the figures come from.
	Why string
}

// Objectives returns the RPO and RTO a strategy gives as tierstack builds it, and why. The bands
// follow AWS's whitepaper "Disaster Recovery of Workloads on AWS" (backup and restore: hours; pilot
// light: tens of minutes; warm standby: minutes; multi-site active/active: near zero), made concrete
// by what each strategy replicates and how.
func (s Strategy) Objectives() (Objectives, error) {
	switch s {
	case StrategyBackupRestore:
		return Objectives{RPO: 24*time.Hour + BackupCompletionWindow, RTO: 8 * time.Hour,
			Why: "the data in the DR region is the last daily AWS Backup copy: a backup a day, finished within its completion window, then copied, so up to a day and that window is lost (plus the cross-region copy's own time, which AWS does not bound); recovery restores the clusters and tables from their copies and builds the whole service in the DR region with pulumi up, hours for a large database (AWS whitepaper: backup and restore, RPO/RTO in hours)"}, nil
	case StrategyPilotLight:
		return Objectives{RPO: time.Second, RTO: 30 * time.Minute,
			Why: "an Aurora global database replicates with a lag typically under a second and DynamoDB global tables within a second, so seconds are lost; recovery promotes the secondary (minutes) and scales the web tier up from zero (tens of minutes) (AWS whitepaper: pilot light, tens of minutes)"}, nil
	case StrategyWarmStandby:
		return Objectives{RPO: time.Second, RTO: 10 * time.Minute,
			Why: "data as pilot light; the web tier already runs small in the DR region, so recovery is the database's promotion, the switch of traffic and scaling out under load, minutes (AWS whitepaper: warm standby, minutes)"}, nil
	case StrategyActiveActive:
		return Objectives{RPO: time.Second, RTO: time.Minute,
			Why: "both regions serve at full size, so only the writes not yet replicated (a second's lag) and the move of the write region (under a minute for a managed failover, Aurora User Guide) are at stake (AWS whitepaper: multi-site active/active, near zero)"}, nil
	}
	return Objectives{}, fmt.Errorf("strategy %q is not known (allowed: %s)", s, strategyList(Strategies()))
}

// FormatObjective writes an RPO or RTO as people say it: 1s, 10m, 24h30m.
func FormatObjective(d time.Duration) string {
	s := d.String()
	s = strings.TrimSuffix(s, "0s")
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	if s == "" {
		return "0s"
	}
	return s
}
