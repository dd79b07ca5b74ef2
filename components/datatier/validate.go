package datatier

import (
	"fmt"
	"maps"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/tierstack/tierstack/components/network"
	"github.com/tierstack/tierstack/internal/signals"
)

// AWS limits the DataTier checks before it registers anything.
const (
	// MaxReaders is the most Aurora Replicas a cluster has beside its writer (AWS, "Aurora Replicas":
	// 15).
	MaxReaders = 15
	// MaxGlobalReaders is the most Aurora Replicas the primary cluster of a global database with
	// one secondary region has: 15 - s, s the number of secondary regions (Aurora User Guide,
	// "Configuration requirements of an Amazon Aurora global database", the table's "Read-only
	// instances (max allowed, given actual number of secondary Regions)" row). tierstack builds
	// one secondary region.
	MaxGlobalReaders = MaxReaders - 1
	// MaxACULimit is the largest Serverless v2 maximum on recent engine versions (256 ACUs).
	MaxACULimit = 256
	// MaxBacktrackHours is the longest backtrack window AWS allows (72 hours).
	MaxBacktrackHours = 72
	// MaxIndexes is the most global secondary indexes a DynamoDB table has by default (20).
	MaxIndexes = 20
	// MaxShards bounds Shards: each shard is a whole cluster.
	MaxShards = 16
	// DefaultLogRetentionDays is how long the exported database logs are kept when
	// Args.LogRetentionDays is 0.
	DefaultLogRetentionDays = 30
)

// monitoringIntervals are the Enhanced Monitoring intervals RDS accepts, 0 meaning off.
var monitoringIntervals = []int{0, 1, 5, 10, 15, 30, 60}

var (
	identifierPattern = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_]{0,62}$`)
	usernamePattern   = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_]{0,15}$`)
	parameterPattern  = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_.]*$`)
	timeZonePattern   = regexp.MustCompile(`^(UTC|[A-Za-z_]+(/[A-Za-z0-9_+-]+)+)$`)
	dailyWindow       = regexp.MustCompile(`^([01][0-9]|2[0-3]):[0-5][0-9]-([01][0-9]|2[0-3]):[0-5][0-9]$`)
	weeklyWindow      = regexp.MustCompile(`^(mon|tue|wed|thu|fri|sat|sun):([01][0-9]|2[0-3]):[0-5][0-9]-(mon|tue|wed|thu|fri|sat|sun):([01][0-9]|2[0-3]):[0-5][0-9]$`)
	tableNamePattern  = regexp.MustCompile(`^[A-Za-z0-9_.-]{3,200}$`)
	attributeTypes    = []string{"S", "N", "B"}
)

// reservedUsernames are names RDS refuses for the master user.
var reservedUsernames = []string{"admin", "rdsadmin", "root", "postgres", "mysql", "system"}

// checked applies the defaults to a copy of args and validates it. Every error names the field, the
// bad value and what is allowed.
func (args *Args) checked() (Args, error) {
	a, err := args.checkedWithout()
	if err != nil {
		return a, err
	}
	// A DB subnet group needs subnets in two zones at least (RDS: DBSubnetGroupDoesNotCoverEnoughAZs).
	if err := a.Network.CheckFor("datatier", 2, network.SubnetData); err != nil {
		return a, err
	}
	return a, nil
}

// checkedWithout is checked without the Network, which exists only once it is built.
func (args *Args) checkedWithout() (Args, error) {
	var a Args
	if args != nil {
		a = *args
	}
	a.Parameters = maps.Clone(a.Parameters)
	a.Tables = slices.Clone(a.Tables)
	if a.Engine == "" {
		a.Engine = EngineMySQL
	}
	if !slices.Contains(Engines(), a.Engine) {
		return a, fmt.Errorf("datatier: engine %q is not known (allowed: %s, %s)", a.Engine, EngineMySQL, EnginePostgreSQL)
	}
	if a.EngineVersion == "" {
		a.EngineVersion = DefaultEngineVersion(a.Engine)
	}
	if _, err := ParameterGroupFamily(a.Engine, a.EngineVersion); err != nil {
		return a, fmt.Errorf("datatier: %w", err)
	}
	if a.DatabaseName == "" {
		a.DatabaseName = "app"
	}
	if !identifierPattern.MatchString(a.DatabaseName) {
		return a, fmt.Errorf("datatier: databaseName %q is not allowed (allowed: a letter, then up to 62 letters, digits and underscores)", a.DatabaseName)
	}
	if a.MasterUsername == "" {
		a.MasterUsername = "dbadmin"
	}
	if !usernamePattern.MatchString(a.MasterUsername) || slices.Contains(reservedUsernames, strings.ToLower(a.MasterUsername)) {
		return a, fmt.Errorf("datatier: masterUsername %q is not allowed (allowed: a letter, then up to 15 letters, digits and underscores, not one of %s)", a.MasterUsername, strings.Join(reservedUsernames, ", "))
	}
	if a.AppUsername == "" {
		a.AppUsername = "app"
	}
	if !usernamePattern.MatchString(a.AppUsername) || slices.Contains(reservedUsernames, strings.ToLower(a.AppUsername)) || strings.EqualFold(a.AppUsername, a.MasterUsername) {
		return a, fmt.Errorf("datatier: appUsername %q is not allowed (allowed: a letter, then up to 15 letters, digits and underscores, not one of %s, not the masterUsername %q)", a.AppUsername, strings.Join(reservedUsernames, ", "), a.MasterUsername)
	}
	if err := a.checkCapacity(); err != nil {
		return a, err
	}
	if !SupportsDataAPI(a.Engine, a.EngineVersion) {
		return a, fmt.Errorf("datatier: engineVersion %q of %s has no RDS Data API, through which the tier creates the application's database user (allowed: Aurora MySQL 3.07 or later, Aurora PostgreSQL 13.11, 14.8, 15.3, 16.1, 17.4 or later, such as %s)", a.EngineVersion, a.Engine, DefaultEngineVersion(a.Engine))
	}
	if err := a.checkReaders(); err != nil {
		return a, err
	}
	if err := a.checkGlobal(); err != nil {
		return a, err
	}
	if err := a.checkBackups(); err != nil {
		return a, err
	}
	if !slices.Contains(monitoringIntervals, a.MonitoringInterval) {
		return a, fmt.Errorf("datatier: monitoringInterval %d is not an Enhanced Monitoring interval (allowed: %v seconds, 0 for off)", a.MonitoringInterval, monitoringIntervals)
	}
	if a.TimeZone == "" {
		a.TimeZone = "UTC"
	}
	if !timeZonePattern.MatchString(a.TimeZone) {
		return a, fmt.Errorf("datatier: timeZone %q is not a time zone name (allowed: UTC or an Area/City name such as Europe/Paris)", a.TimeZone)
	}
	for _, name := range slices.Sorted(maps.Keys(a.Parameters)) {
		if !parameterPattern.MatchString(name) {
			return a, fmt.Errorf("datatier: parameters: name %q is not a parameter name (allowed: a letter, then letters, digits, underscores and dots; no spaces)", name)
		}
		if strings.TrimSpace(a.Parameters[name]) == "" {
			return a, fmt.Errorf("datatier: parameters: %s has an empty value (allowed: the value to set; leave the parameter out to keep its default)", name)
		}
	}
	if v, ok := a.Parameters[maxConnectionsParameter]; ok {
		if n, err := strconv.Atoi(v); err != nil || n < 1 || n > maxConnectionsLimit {
			return a, fmt.Errorf("datatier: parameters: max_connections %q is not allowed (allowed: a whole number from 1 to %d)", v, maxConnectionsLimit)
		}
	}
	if a.LogRetentionDays == 0 {
		a.LogRetentionDays = DefaultLogRetentionDays
	}
	if err := signals.CheckRetention(a.LogRetentionDays); err != nil {
		return a, fmt.Errorf("datatier: logRetentionDays %w", err)
	}
	if a.Shards == 0 {
		a.Shards = 1
	}
	if a.Shards < 1 || a.Shards > MaxShards {
		return a, fmt.Errorf("datatier: shards %d is out of range (allowed: 1 to %d; each shard is a whole cluster)", a.Shards, MaxShards)
	}
	if err := checkTables(a.Tables); err != nil {
		return a, err
	}
	return a, nil
}

// serverless reports whether the instances are Aurora Serverless v2.
func (a Args) serverless() bool { return a.InstanceClass == "" || a.InstanceClass == "db.serverless" }

func (a *Args) checkCapacity() error {
	if a.InstanceClass == "" {
		a.InstanceClass = "db.serverless"
	}
	if !strings.HasPrefix(a.InstanceClass, "db.") {
		return fmt.Errorf("datatier: instanceClass %q is not a DB instance class (allowed: db.serverless, or a class such as db.r7g.large)", a.InstanceClass)
	}
	if a.MaxACU == 0 {
		a.MaxACU = 4
	}
	if a.SecondsUntilAutoPause == 0 {
		a.SecondsUntilAutoPause = 1800
	}
	halfSteps := func(v float64) bool { return v*2 == math.Trunc(v*2) }
	if a.MinACU < 0 || a.MinACU > MaxACULimit || !halfSteps(a.MinACU) {
		return fmt.Errorf("datatier: minAcu %g is not allowed (allowed: 0 to %d in steps of 0.5)", a.MinACU, MaxACULimit)
	}
	if a.MaxACU < 1 || a.MaxACU > MaxACULimit || !halfSteps(a.MaxACU) {
		return fmt.Errorf("datatier: maxAcu %g is not allowed (allowed: 1 to %d in steps of 0.5)", a.MaxACU, MaxACULimit)
	}
	if a.MinACU > a.MaxACU {
		return fmt.Errorf("datatier: minAcu %g is above maxAcu %g (allowed: minAcu at most maxAcu)", a.MinACU, a.MaxACU)
	}
	if a.MinACU == 0 && !SupportsAutoPause(a.Engine, a.EngineVersion) {
		return fmt.Errorf("datatier: minAcu 0 (auto-pause) is not supported by %s %s (allowed: 0.5 or more, or an engine version with auto-pause: Aurora MySQL 3.08+, Aurora PostgreSQL 13.15+, 14.12+, 15.7+, 16.3+)", a.Engine, a.EngineVersion)
	}
	if a.SecondsUntilAutoPause < 300 || a.SecondsUntilAutoPause > 86400 {
		return fmt.Errorf("datatier: secondsUntilAutoPause %d is out of range (allowed: 300 to 86400)", a.SecondsUntilAutoPause)
	}
	return nil
}

func (a *Args) checkReaders() error {
	if a.Readers < 0 || a.Readers > MaxReaders {
		return fmt.Errorf("datatier: readers %d is out of range (allowed: 0 to %d; a cluster has at most %d Aurora Replicas)", a.Readers, MaxReaders, MaxReaders)
	}
	if a.Global != nil && a.Readers > MaxGlobalReaders {
		return fmt.Errorf("datatier: readers %d is more than the primary of a global database with one secondary region may have (allowed: 0 to %d, 15 minus the secondary regions)", a.Readers, MaxGlobalReaders)
	}
	s := a.ReaderScaling
	if s == nil {
		return nil
	}
	c := *s
	a.ReaderScaling = &c
	if c.TargetCPU == 0 {
		a.ReaderScaling.TargetCPU = 60
	}
	if c.TargetACU == 0 {
		a.ReaderScaling.TargetACU = 60
	}
	switch {
	case a.Global != nil && c.Max > MaxGlobalReaders:
		return fmt.Errorf("datatier: readerScaling max %d is more readers than the primary of a global database with one secondary region may have (allowed: up to %d, 15 minus the secondary regions, Aurora User Guide \"Configuration requirements of an Amazon Aurora global database\")", c.Max, MaxGlobalReaders)
	case c.Max > MaxReaders:
		return fmt.Errorf("datatier: readerScaling max %d is more readers than a cluster has (allowed: up to %d)", c.Max, MaxReaders)
	case c.Min > c.Max:
		return fmt.Errorf("datatier: readerScaling min %d is above max %d (allowed: min at most max)", c.Min, c.Max)
	case c.Min < a.Readers:
		return fmt.Errorf("datatier: readerScaling min %d is below readers %d (allowed: at least the readers the tier runs itself)", c.Min, a.Readers)
	case a.Readers < 1:
		return fmt.Errorf("datatier: readerScaling needs readers of 1 or more (allowed: readers ≥ 1; Aurora Auto Scaling adds to a cluster that has a reader)")
	case a.ReaderScaling.TargetCPU < 10 || a.ReaderScaling.TargetCPU > 90:
		return fmt.Errorf("datatier: readerScaling targetCpu %g is out of range (allowed: 10 to 90 percent)", c.TargetCPU)
	case a.ReaderScaling.TargetACU < 10 || a.ReaderScaling.TargetACU > 90:
		return fmt.Errorf("datatier: readerScaling targetAcu %g is out of range (allowed: 10 to 90 percent of maxAcu)", c.TargetACU)
	}
	return nil
}

func (a *Args) checkBackups() error {
	if a.BackupRetentionDays == 0 {
		a.BackupRetentionDays = 7
	}
	if a.BackupRetentionDays < 1 || a.BackupRetentionDays > 35 {
		return fmt.Errorf("datatier: backupRetentionDays %d is out of range (allowed: 1 to 35)", a.BackupRetentionDays)
	}
	if a.BackupWindow == "" {
		a.BackupWindow = "03:00-04:00"
	}
	if a.MaintenanceWindow == "" {
		a.MaintenanceWindow = "sun:04:30-sun:05:30"
	}
	if !dailyWindow.MatchString(a.BackupWindow) {
		return fmt.Errorf("datatier: backupWindow %q is not a daily window (allowed: hh24:mi-hh24:mi in UTC, such as 03:00-04:00)", a.BackupWindow)
	}
	if !weeklyWindow.MatchString(a.MaintenanceWindow) {
		return fmt.Errorf("datatier: maintenanceWindow %q is not a weekly window (allowed: ddd:hh24:mi-ddd:hh24:mi in UTC, such as sun:04:30-sun:05:30)", a.MaintenanceWindow)
	}
	if a.BacktrackHours < 0 || a.BacktrackHours > MaxBacktrackHours {
		return fmt.Errorf("datatier: backtrackHours %d is out of range (allowed: 0 to %d)", a.BacktrackHours, MaxBacktrackHours)
	}
	if a.BacktrackHours > 0 && a.Global != nil {
		return fmt.Errorf("datatier: backtrackHours %d is set on a global database (allowed: 0; Aurora global databases do not support backtracking)", a.BacktrackHours)
	}
	if a.BacktrackHours > 0 && !a.Engine.HasBacktrack() {
		return fmt.Errorf("datatier: backtrackHours %d is set for %s (allowed: 0; only Aurora MySQL backtracks)", a.BacktrackHours, a.Engine)
	}
	return nil
}

// checkTables refuses tables DynamoDB would refuse: no hash key, a key without an attribute type, an
// attribute that is no key (DynamoDB defines key attributes only), duplicate names.
func checkTables(tables []Table) error {
	seen := map[string]bool{}
	for _, t := range tables {
		where := fmt.Sprintf("datatier: tables: %q", t.Name)
		if !tableNamePattern.MatchString(t.Name) {
			return fmt.Errorf("%s is not a table name (allowed: 3 to 200 letters, digits, underscores, dots and hyphens)", where)
		}
		if seen[t.Name] {
			return fmt.Errorf("%s is declared twice (allowed: each table name once)", where)
		}
		seen[t.Name] = true
		if t.HashKey == "" {
			return fmt.Errorf("%s has no hashKey (allowed: the partition key attribute, declared in attributes)", where)
		}
		keys := map[string]bool{}
		needType := func(role, attr string) error {
			if attr == "" {
				return nil
			}
			keys[attr] = true
			typ, ok := t.Attributes[attr]
			if !ok {
				return fmt.Errorf("%s: %s %q has no type in attributes (allowed: S, N or B)", where, role, attr)
			}
			if !slices.Contains(attributeTypes, typ) {
				return fmt.Errorf("%s: attribute %q has type %q (allowed: S, N or B)", where, attr, typ)
			}
			return nil
		}
		if err := needType("hashKey", t.HashKey); err != nil {
			return err
		}
		if err := needType("rangeKey", t.RangeKey); err != nil {
			return err
		}
		if len(t.Indexes) > MaxIndexes {
			return fmt.Errorf("%s has %d indexes (allowed: up to %d global secondary indexes)", where, len(t.Indexes), MaxIndexes)
		}
		indexNames := map[string]bool{}
		for _, ix := range t.Indexes {
			if !tableNamePattern.MatchString(ix.Name) || indexNames[ix.Name] {
				return fmt.Errorf("%s: index name %q is not allowed (allowed: 3 to 200 letters, digits, underscores, dots and hyphens, each once)", where, ix.Name)
			}
			indexNames[ix.Name] = true
			if ix.HashKey == "" {
				return fmt.Errorf("%s: index %q has no hashKey (allowed: a partition key attribute declared in attributes)", where, ix.Name)
			}
			if err := needType("index "+ix.Name+" hashKey", ix.HashKey); err != nil {
				return err
			}
			if err := needType("index "+ix.Name+" rangeKey", ix.RangeKey); err != nil {
				return err
			}
		}
		for _, attr := range slices.Sorted(maps.Keys(t.Attributes)) {
			if !keys[attr] {
				return fmt.Errorf("%s: attribute %q is not a key of the table or an index (allowed: key attributes only; DynamoDB stores other attributes without declaring them)", where, attr)
			}
		}
		if t.TTLAttribute != "" && keys[t.TTLAttribute] {
			return fmt.Errorf("%s: ttlAttribute %q is a key (allowed: a non-key attribute holding epoch seconds)", where, t.TTLAttribute)
		}
	}
	return nil
}
