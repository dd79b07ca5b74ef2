package tiers

import (
	"fmt"
	"maps"

	"github.com/tierstack/tierstack/components/datatier"
)

// DataOverrides are the tierstack:data settings. A zero field keeps the tier's value; pointers tell
// "set to zero" (or false) from "not set".
type DataOverrides struct {
	// Engine is aurora-mysql or aurora-postgresql, chosen once per stack.
	Engine string `json:"engine,omitempty"`
	// EngineVersion pins the engine version.
	EngineVersion string `json:"engineVersion,omitempty"`
	// DatabaseName is the database created with the cluster.
	DatabaseName string `json:"databaseName,omitempty"`
	// InstanceClass is db.serverless or a provisioned class.
	InstanceClass string `json:"instanceClass,omitempty"`
	// MinACU is the Serverless v2 minimum; 0 pauses an idle database where the version allows.
	MinACU *float64 `json:"minAcu,omitempty"`
	// MaxACU is the Serverless v2 maximum.
	MaxACU float64 `json:"maxAcu,omitempty"`
	// SecondsUntilAutoPause is the idle time before a pause.
	SecondsUntilAutoPause int `json:"secondsUntilAutoPause,omitempty"`
	// Readers is how many readers the tier runs itself.
	Readers *int `json:"readers,omitempty"`
	// ReaderScaling sets reader auto scaling's bounds and CPU target.
	ReaderScaling *ReaderScalingOverrides `json:"readerScaling,omitempty"`
	// BackupRetentionDays is 1 to 35.
	BackupRetentionDays int `json:"backupRetentionDays,omitempty"`
	// BackupWindow is hh24:mi-hh24:mi in UTC.
	BackupWindow string `json:"backupWindow,omitempty"`
	// MaintenanceWindow is ddd:hh24:mi-ddd:hh24:mi in UTC.
	MaintenanceWindow string `json:"maintenanceWindow,omitempty"`
	// BacktrackHours is the Aurora MySQL backtrack window, set before the first pulumi up.
	BacktrackHours *int `json:"backtrackHours,omitempty"`
	// PerformanceInsights turns Performance Insights on or off.
	PerformanceInsights *bool `json:"performanceInsights,omitempty"`
	// MonitoringInterval is the Enhanced Monitoring interval in seconds; 0 turns it off.
	MonitoringInterval *int `json:"monitoringInterval,omitempty"`
	// TimeZone is the database's time zone.
	TimeZone string `json:"timeZone,omitempty"`
	// Parameters override or add cluster parameters.
	Parameters map[string]string `json:"parameters,omitempty"`
	// Tables replace the tier's DynamoDB tables.
	Tables []TableConfig `json:"tables,omitempty"`
	// Shards is how many independent clusters to run.
	Shards int `json:"shards,omitempty"`
	// LogRetentionDays is how long the database's exported logs are kept; 0 keeps the stack's log
	// retention (tierstack:alarms logRetentionDays, or the tier's).
	LogRetentionDays int `json:"logRetentionDays,omitempty"`
	// ProtectData false turns off Pulumi's protect option on the stateful resources.
	ProtectData *bool `json:"protectData,omitempty"`
	// AcknowledgeDataLoss must be true to set protectData false from 10k up.
	AcknowledgeDataLoss bool `json:"acknowledgeDataLoss,omitempty"`
}

// ReaderScalingOverrides are the tierstack:data readerScaling settings.
type ReaderScalingOverrides struct {
	// Min is the fewest readers.
	Min int `json:"min"`
	// Max is the most readers.
	Max int `json:"max"`
	// TargetCPU is the readers' average CPU to hold (provisioned classes).
	TargetCPU float64 `json:"targetCpu,omitempty"`
	// TargetACU is the readers' average ACU utilisation to hold (Aurora Serverless v2).
	TargetACU float64 `json:"targetAcu,omitempty"`
}

// TableConfig is one DynamoDB table in tierstack:data tables.
type TableConfig struct {
	// Name is the table's name.
	Name string `json:"name"`
	// HashKey is the partition key.
	HashKey string `json:"hashKey"`
	// RangeKey is the sort key.
	RangeKey string `json:"rangeKey,omitempty"`
	// Attributes type every key attribute: S, N or B.
	Attributes map[string]string `json:"attributes"`
	// Indexes are global secondary indexes.
	Indexes []IndexConfig `json:"indexes,omitempty"`
	// TTLAttribute names the expiry attribute.
	TTLAttribute string `json:"ttlAttribute,omitempty"`
}

// IndexConfig is one global secondary index.
type IndexConfig struct {
	// Name is the index's name.
	Name string `json:"name"`
	// HashKey is the index's partition key.
	HashKey string `json:"hashKey"`
	// RangeKey is the index's sort key.
	RangeKey string `json:"rangeKey,omitempty"`
}

// dataFields lists tierstack:data's fields for error messages.
const dataFields = "engine, engineVersion, databaseName, instanceClass, minAcu, maxAcu, secondsUntilAutoPause, readers, readerScaling, backupRetentionDays, backupWindow, maintenanceWindow, backtrackHours, performanceInsights, monitoringInterval, timeZone, parameters, tables, shards, logRetentionDays, protectData, acknowledgeDataLoss"

// applyData applies the tierstack:data overrides.
func (s *Spec) applyData(o DataOverrides) error {
	d := &s.Data
	if o.Engine != "" {
		d.Engine = datatier.Engine(o.Engine)
	}
	setString(&d.EngineVersion, o.EngineVersion)
	setString(&d.DatabaseName, o.DatabaseName)
	setString(&d.InstanceClass, o.InstanceClass)
	setString(&d.BackupWindow, o.BackupWindow)
	setString(&d.MaintenanceWindow, o.MaintenanceWindow)
	setString(&d.TimeZone, o.TimeZone)
	if o.MinACU != nil {
		d.MinACU = *o.MinACU
	}
	if o.MaxACU != 0 {
		d.MaxACU = o.MaxACU
	}
	if o.SecondsUntilAutoPause != 0 {
		d.SecondsUntilAutoPause = o.SecondsUntilAutoPause
	}
	if o.Readers != nil {
		d.Readers = *o.Readers
	}
	if o.ReaderScaling != nil {
		d.ReaderScaling = &datatier.ReaderScaling{Min: o.ReaderScaling.Min, Max: o.ReaderScaling.Max, TargetCPU: o.ReaderScaling.TargetCPU, TargetACU: o.ReaderScaling.TargetACU}
	}
	if o.BackupRetentionDays != 0 {
		d.BackupRetentionDays = o.BackupRetentionDays
	}
	if o.BacktrackHours != nil {
		d.BacktrackHours = *o.BacktrackHours
	} else if d.Engine == datatier.EnginePostgreSQL {
		d.BacktrackHours = 0 // the tier's backtrack window is Aurora MySQL's
	}
	if o.PerformanceInsights != nil {
		d.PerformanceInsights = *o.PerformanceInsights
	}
	if o.MonitoringInterval != nil {
		d.MonitoringInterval = *o.MonitoringInterval
	}
	if len(o.Parameters) > 0 {
		d.Parameters = maps.Clone(o.Parameters)
	}
	if o.Tables != nil {
		d.Tables = nil
		for _, t := range o.Tables {
			table := datatier.Table{Name: t.Name, HashKey: t.HashKey, RangeKey: t.RangeKey,
				Attributes: maps.Clone(t.Attributes), TTLAttribute: t.TTLAttribute}
			for _, ix := range t.Indexes {
				table.Indexes = append(table.Indexes, datatier.Index{Name: ix.Name, HashKey: ix.HashKey, RangeKey: ix.RangeKey})
			}
			d.Tables = append(d.Tables, table)
		}
	}
	if o.Shards != 0 {
		d.Shards = o.Shards
	}
	if o.LogRetentionDays != 0 {
		d.LogRetentionDays = o.LogRetentionDays
	}
	if o.ProtectData != nil && !*o.ProtectData {
		// Asked at every tier: a stack that goes down to 100 with protection off would delete the
		// cache it had at 10k without a word.
		if !o.AcknowledgeDataLoss {
			return fmt.Errorf("tierstack:data protectData false at tier %s would let pulumi up and pulumi destroy delete the database, its tables, the cache and their keys (allowed: true, or false with acknowledgeDataLoss: true)", s.Tier)
		}
		d.Unprotected = true
	}
	return nil
}

// setString sets *dst to v unless v is empty.
func setString(dst *string, v string) {
	if v != "" {
		*dst = v
	}
}
