package datatier

import "github.com/tierstack/tierstack/components/network"

// Args are the inputs of a DataTier. Only Network is required: the zero value of every other field
// is a working default, said in its comment.
type Args struct {
	// Network is the Network whose data subnets hold the database. Required.
	Network *network.Network
	// Engine is the Aurora engine; "" means EngineMySQL. Changing it replaces the cluster.
	Engine Engine
	// EngineVersion is the engine version; "" means DefaultEngineVersion(Engine).
	EngineVersion string
	// DatabaseName is the database created with the cluster; "" means "app". Letters, digits and
	// underscores, starting with a letter, at most 63. Changing it replaces the cluster.
	DatabaseName string
	// MasterUsername is the administrator's name; "" means "dbadmin". Changing it replaces the cluster.
	// Its credentials are for administration: the application has a user of its own (AppUsername).
	MasterUsername string
	// AppUsername is the application's database user, with all privileges on DatabaseName and none
	// beyond it, and a secret of its own (SecretARN); "" means "app". The tier creates it on every
	// shard through the RDS Data API.
	AppUsername string
	// InstanceClass is every instance's class; "" means "db.serverless" (Aurora Serverless v2, sized
	// by MinACU and MaxACU). A provisioned class such as "db.r7g.large" changes each instance in place.
	InstanceClass string
	// MinACU is the Serverless v2 minimum in Aurora capacity units, in steps of 0.5; 0 means the
	// instance pauses when idle (where the engine version supports it) and resumes on the next
	// connection in about 15 seconds.
	MinACU float64
	// MaxACU is the Serverless v2 maximum, 1 to 256 in steps of 0.5; 0 means 4.
	MaxACU float64
	// SecondsUntilAutoPause is how long an instance at MinACU 0 idles before it pauses, 300 to 86400;
	// 0 means 1800.
	SecondsUntilAutoPause int
	// Readers is how many reader instances run beside the writer, each in the next zone after the
	// writer's, 0 to 15.
	Readers int
	// ReaderScaling adds Aurora Auto Scaling of readers (on their ACU utilisation on Serverless v2,
	// their CPU otherwise); nil means none.
	ReaderScaling *ReaderScaling
	// BackupRetentionDays is how long automated backups are kept, 1 to 35; 0 means 7.
	BackupRetentionDays int
	// BackupWindow is the daily backup window in UTC, hh24:mi-hh24:mi; "" means 03:00-04:00.
	BackupWindow string
	// MaintenanceWindow is the weekly maintenance window in UTC, ddd:hh24:mi-ddd:hh24:mi; "" means
	// sun:04:30-sun:05:30. Minor upgrades are never applied on their own; changes wait for it.
	MaintenanceWindow string
	// BacktrackHours is how far back an Aurora MySQL cluster can be rewound in place, 0 to 72; 0
	// means none. AWS turns backtracking on only when a cluster is created, and once set to 0 it can
	// never be turned on again: choose it before the first pulumi up.
	BacktrackHours int
	// PerformanceInsights turns on Performance Insights on every instance, encrypted with the tier's
	// key, with the free 7 days of history.
	PerformanceInsights bool
	// MonitoringInterval is the Enhanced Monitoring interval in seconds (1, 5, 10, 15, 30 or 60); 0
	// means off. Enhanced Monitoring publishes through an IAM role the tier creates.
	MonitoringInterval int
	// TimeZone is the database's time zone; "" means UTC.
	TimeZone string
	// Global makes each shard's cluster the primary of an Aurora global database, created by the
	// DataTier in the cluster's own region from the cluster itself, and replicates the secrets to
	// the DR region; the DR region's component (the DRRegion) adds a secondary cluster to each and a
	// replica to each table. The clusters then ignore what AWS changes through the global database
	// (globalClusterIdentifier, replicationSourceIdentifier, engineVersion) and the tables their
	// replicas; the secret's host follows the global writer endpoint; readers are limited to
	// MaxGlobalReaders; backtracking is refused. nil means no global database.
	Global *Global
	// Parameters override or add cluster parameters (see DefaultParameters). They apply at the next
	// reboot; changing one is an in-place update. max_connections is the exception: it goes to the
	// instances' parameter group (Aurora MySQL has it at instance level only), in place of
	// ConnectionLimit's value.
	Parameters map[string]string
	// LogRetentionDays is how long the log groups the cluster exports to (DefaultLogRetentionDays when
	// 0) keep their events; a value CloudWatch Logs accepts (1, 3, 5, 7, 14, 30, 60, 90 and so on).
	LogRetentionDays int
	// Tables are DynamoDB tables for write-heavy data, created beside the cluster.
	Tables []Table
	// Shards is how many independent clusters to run, for data split by key; 0 means 1. Shard 0 is
	// the cluster a single-shard tier has (same names); shard i adds clusters named "-shard-i", so
	// adding a shard only adds. Every shard has the same size, readers and settings.
	Shards int
	// Unprotected turns off Pulumi's protect option on the cluster, the writers, the tables and the
	// key, so that pulumi destroy can remove them. AWS deletion protection and final snapshots stay.
	Unprotected bool
	// Tags are added to every resource the DataTier creates, beside a Name tag.
	Tags map[string]string
}

// ReaderScaling is Aurora Auto Scaling of a cluster's readers (Application Auto Scaling on
// rds:cluster:ReadReplicaCount), target tracking on what moves with the readers' load. On Aurora
// Serverless v2 that is their average ACU utilisation (capacity in use over MaxACU): a Serverless v2
// reader first grows its own capacity, and its CPUUtilization is a share of the CPU at MaxACU, so an
// average CPU target is reached only once the readers are nearly at MaxACU and hardly ever fires
// (Aurora User Guide, "Performance and scaling for Aurora Serverless v2", CloudWatch metrics:
// CPUUtilization and ACUUtilization; AWS's advice there for readers near 100 % ACUUtilization is to
// add readers). With a provisioned class it is their average CPU. Min and Max count every reader,
// the ones Args.Readers creates included.
type ReaderScaling struct {
	// Min is the fewest readers; it must be at least Args.Readers.
	Min int
	// Max is the most readers, at most 15.
	Max int
	// TargetCPU is the average reader CPU to hold with a provisioned class, 10 to 90 percent; 0
	// means 60.
	TargetCPU float64
	// TargetACU is the average reader ACU utilisation to hold on Aurora Serverless v2, 10 to 90
	// percent of MaxACU; 0 means 60.
	TargetACU float64
}

// Table is a DynamoDB table: on-demand, point-in-time recovery, encrypted with the tier's key,
// deletion protection, and a stream of new and old images (which global tables need).
type Table struct {
	// Name is the table's name in config and outputs; the physical name is generated from it.
	// 3 to 200 letters, digits, underscores, dots and hyphens.
	Name string
	// HashKey is the partition key attribute. Required.
	HashKey string
	// RangeKey is the sort key attribute; "" means none.
	RangeKey string
	// Attributes give the type of every key attribute of the table and its indexes: S, N or B.
	Attributes map[string]string
	// Indexes are global secondary indexes.
	Indexes []Index
	// TTLAttribute names the attribute whose epoch-seconds value expires an item; "" means none.
	TTLAttribute string
}

// Index is a global secondary index of a Table, projecting all attributes.
type Index struct {
	// Name is the index's name. Required.
	Name string
	// HashKey is the index's partition key. Required.
	HashKey string
	// RangeKey is the index's sort key; "" means none.
	RangeKey string
}
