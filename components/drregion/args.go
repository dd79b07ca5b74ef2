package drregion

import (
	"fmt"
	"slices"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/tierstack/tierstack/components/network"
)

// Args are the inputs of a DRRegion. Provider and PrimaryCIDR are required; the zero value of every
// other field is a working default, said in its comment.
type Args struct {
	// Strategy is the recovery strategy; "" means StrategyBackupRestore (see BuiltStrategies for
	// the ones built today).
	Strategy Strategy
	// Provider is an AWS provider for the DR region, derived from the stack's (same credentials,
	// same allowed accounts). Required: every resource that lives in the DR region is made through
	// it, never through the default provider.
	Provider pulumi.ProviderResource
	// PrimaryCIDR is the primary VPC's IPv4 range. Required: the DR range must not overlap it.
	PrimaryCIDR string
	// Network is the DR region's VPC. Its CIDR "" means DefaultCIDR(PrimaryCIDR), the next block of
	// the primary's size; a range that overlaps PrimaryCIDR is refused. AvailabilityZones should be
	// pinned, as the primary's are (zones of the DR region). NATStrategy "" means none under
	// StrategyBackupRestore and StrategyPilotLight, where nothing runs in the region to need a way out
	// (a headless secondary cluster and table replicas need none); a NAT gateway
	// costs money by the hour; NATPerAZ under StrategyWarmStandby and StrategyActiveActive, whose
	// web tier pulls its image and reaches AWS APIs from private subnets. Flow logs follow the field as for any Network, encrypted with a
	// key of the DR region.
	Network network.Args
	// Backup is what AWS Backup copies to the DR region; nil backs up nothing (the component then
	// builds no vault, plan or role).
	Backup *Backup
	// Assets is the bucket S3 replicates to the DR region; nil replicates none.
	Assets *Assets
	// Database is the primary's Aurora clusters, each made the primary of a global database with a
	// headless secondary in the DR region. Required by strategies with live data
	// (Strategy.LiveData), refused by StrategyBackupRestore.
	Database *Database
	// Tables are the primary's DynamoDB tables, each given a replica in the DR region. Used by
	// strategies with live data only; refused by StrategyBackupRestore.
	Tables []Table
	// Web is the DR region's web tier (see Web): defined at zero under StrategyPilotLight, running
	// under StrategyWarmStandby and StrategyActiveActive; nil builds none. Refused by
	// StrategyBackupRestore.
	Web *Web
	// Cache is the DR region's cache (see Cache), with the web tier, under StrategyWarmStandby and
	// StrategyActiveActive; nil builds none. Refused by the other strategies.
	Cache *Cache
	// BackupRetentionDays is how long recovery points are kept, in both vaults; 0 means 35.
	BackupRetentionDays int
	// Tags are added to every resource the DRRegion creates, beside a Name tag.
	Tags map[string]string
}

// Backup is what the primary region backs up and copies to the DR region.
type Backup struct {
	// ResourceARNs are the Aurora clusters (every shard's) and DynamoDB tables to back up. Required.
	ResourceARNs pulumi.StringArrayInput
	// KeyARNs are the KMS keys those resources are encrypted with: the backup role may use them to
	// read the resources and copy their recovery points.
	KeyARNs pulumi.StringArrayInput
}

// Assets is the primary's asset bucket, replicated to a bucket of the DR region.
type Assets struct {
	// BucketName is the source bucket's name. Required.
	BucketName pulumi.StringInput
	// BucketARN is the source bucket's ARN. Required.
	BucketARN pulumi.StringInput
	// Versioning is the source bucket's versioning resource: replication is configured only once
	// it is on (S3 refuses a replication configuration on a bucket without versioning). Required.
	Versioning pulumi.Resource
	// DistributionARN is the CloudFront distribution that serves the replica when the asset bucket
	// fails (its /static/* origin group): the replica's bucket policy lets it alone read, through
	// origin access control. nil admits no distribution.
	DistributionARN pulumi.StringInput
}

// buildable lists the strategies New builds: BuiltStrategies (a variable, so that the package's
// own tests can build the secondaries of the strategies not yet built whole).
var buildable = BuiltStrategies

// DefaultBackupRetentionDays is how long recovery points are kept when Args does not say: the
// longest automated backup retention Aurora has (35 days).
const DefaultBackupRetentionDays = 35

// Validate checks the arguments as New does before it registers anything, so that a caller
// composing several components can refuse bad input first.
func (args *Args) Validate() error {
	_, err := args.checked()
	return err
}

// checked applies the defaults to a copy of args and validates it.
func (args *Args) checked() (Args, error) {
	if args == nil {
		return Args{}, fmt.Errorf("drregion: args are required (allowed: a provider for the DR region and the primary's cidr)")
	}
	a := *args
	a.Network.AvailabilityZones = slices.Clone(a.Network.AvailabilityZones)
	if a.Strategy == "" {
		a.Strategy = StrategyBackupRestore
	}
	if _, err := a.Strategy.Objectives(); err != nil {
		return a, fmt.Errorf("drregion: %w", err)
	}
	if !slices.Contains(buildable(), a.Strategy) {
		return a, fmt.Errorf("drregion: strategy %s is not built yet (allowed for now: %s)", a.Strategy, strategyList(BuiltStrategies()))
	}
	if a.Provider == nil {
		return a, fmt.Errorf("drregion: provider is required (allowed: an aws.Provider for the DR region, derived from the stack's)")
	}
	if a.PrimaryCIDR == "" {
		return a, fmt.Errorf("drregion: primaryCidr is required (allowed: the primary VPC's IPv4 range, such as 10.0.0.0/16)")
	}
	if a.Network.CIDR == "" {
		cidr, err := DefaultCIDR(a.PrimaryCIDR)
		if err != nil {
			return a, fmt.Errorf("drregion: %w", err)
		}
		a.Network.CIDR = cidr
	}
	if Overlaps(a.Network.CIDR, a.PrimaryCIDR) {
		return a, fmt.Errorf("drregion: cidr %s overlaps the primary's %s (allowed: a range that shares no address with %s, such as the default next block)",
			a.Network.CIDR, a.PrimaryCIDR, a.PrimaryCIDR)
	}
	if a.Network.NATStrategy == "" {
		a.Network.NATStrategy = network.NATNone
		if a.Strategy.RunsCompute() {
			a.Network.NATStrategy = network.NATPerAZ
		}
	}
	if a.Strategy.RunsCompute() && a.Web != nil && a.Network.NATStrategy == network.NATNone {
		return a, fmt.Errorf("drregion: network natStrategy none is set with strategy %s, whose web tier pulls its image from private subnets (allowed: single or perAz)", a.Strategy)
	}
	if err := a.Network.Validate(); err != nil {
		return a, fmt.Errorf("drregion: %s", strings.TrimPrefix(err.Error(), "network: "))
	}
	if a.BackupRetentionDays == 0 {
		a.BackupRetentionDays = DefaultBackupRetentionDays
	}
	if a.BackupRetentionDays < 1 || a.BackupRetentionDays > 36500 {
		return a, fmt.Errorf("drregion: backupRetentionDays %d is out of range (allowed: 1 to 36500)", a.BackupRetentionDays)
	}
	if a.Backup != nil && a.Backup.ResourceARNs == nil {
		return a, fmt.Errorf("drregion: backup resourceArns is required with backup (allowed: the ARNs of the clusters and tables to copy)")
	}
	if err := a.checkLiveData(); err != nil {
		return a, err
	}
	if err := a.checkWeb(); err != nil {
		return a, err
	}
	if _, err := a.cacheArgs(); err != nil {
		return a, err
	}
	if a.Assets != nil && (a.Assets.BucketName == nil || a.Assets.BucketARN == nil || a.Assets.Versioning == nil) {
		return a, fmt.Errorf("drregion: assets needs the source bucket's name, ARN and versioning resource (allowed: nil assets, or all three)")
	}
	return a, nil
}

// checkLiveData checks Database and Tables against the strategy.
func (a Args) checkLiveData() error {
	if !a.Strategy.LiveData() {
		if a.Database != nil || len(a.Tables) > 0 {
			return fmt.Errorf("drregion: database and tables are set with strategy %s, which keeps no live data in the DR region (allowed: none, or a strategy such as %s)", a.Strategy, StrategyPilotLight)
		}
		return nil
	}
	db := a.Database
	if db == nil || len(db.Shards) == 0 {
		return fmt.Errorf("drregion: database is required with strategy %s (allowed: the primary's Aurora clusters, one shard at least)", a.Strategy)
	}
	if !GlobalDatabaseEngine(db.Engine, db.EngineVersion) {
		return fmt.Errorf("drregion: database engine %s %s has no Aurora global database (allowed: %s)", db.Engine, db.EngineVersion, globalEngines)
	}
	if a.Strategy.WriteForwarding() && !db.WriteForwarding {
		return fmt.Errorf("drregion: strategy %s needs global write forwarding, which database engine %s %s does not have (allowed: an engine version with it, datatier.GlobalWriteForwarding: Aurora MySQL 3 and 8.4, Aurora PostgreSQL 14.9+, 15.4+, 16 and later; or strategy %s)", a.Strategy, db.Engine, db.EngineVersion, StrategyWarmStandby)
	}
	if db.ParameterFamily == "" {
		return fmt.Errorf("drregion: database parameterFamily is required with strategy %s (allowed: the primary's cluster parameter group family)", a.Strategy)
	}
	seen := map[string]bool{}
	for _, s := range db.Shards {
		if s.Name == "" || s.GlobalClusterID == nil || seen[s.Name] {
			return fmt.Errorf("drregion: database shard %q needs a unique name and its global cluster's identifier (allowed: names such as shard-0, the DataTier's globalClusterIds)", s.Name)
		}
		seen[s.Name] = true
	}
	seen = map[string]bool{}
	for _, t := range a.Tables {
		if t.Name == "" || t.ARN == nil || seen[t.Name] {
			return fmt.Errorf("drregion: table %q needs a unique name and its ARN (allowed: the DataTier's table names)", t.Name)
		}
		seen[t.Name] = true
	}
	return nil
}
