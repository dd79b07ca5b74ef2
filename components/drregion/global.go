package drregion

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"regexp"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/kms"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/rds"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/tierstack/tierstack/internal/naming"
)

// Database is the primary's Aurora clusters, each the primary of an Aurora global database (built by
// the DataTier, datatier.Args.Global), to which the DRRegion adds a secondary cluster in the DR
// region. Its fields copy the DataTier's (datatier.GlobalSource): AWS requires the same engine and
// version in every member.
type Database struct {
	// Engine is the Aurora engine, such as aurora-mysql.
	Engine string
	// EngineVersion is the primary's engine version.
	EngineVersion string
	// ParameterFamily is the cluster parameter group family.
	ParameterFamily string
	// Parameters are the primary's cluster parameters, name and value.
	Parameters [][2]string
	// InstanceParameters are the primary's instance parameters, name and value (its
	// max_connections); empty for the engine's defaults.
	InstanceParameters [][2]string
	// InstanceClass is the class of the secondary's instances; "" means db.serverless.
	InstanceClass string
	// MinACU and MaxACU are the Serverless v2 range of the secondary's instances (the primary's).
	MinACU, MaxACU float64
	// Readers is how many readers the primary runs beside its writer: StrategyActiveActive runs as
	// many instances in each secondary as the primary runs in all (Readers + 1).
	Readers int
	// PerformanceInsights turns Performance Insights on for the secondary's instances, encrypted
	// with the DR region's key, as the primary has it.
	PerformanceInsights bool
	// WriteForwarding says that the engine version lets a secondary forward writes
	// (datatier.GlobalWriteForwarding); StrategyActiveActive requires it.
	WriteForwarding bool
	// Shards are the primary's global databases, one secondary each. Required, at least one.
	Shards []Shard
}

// Shard is one of the primary's global databases.
type Shard struct {
	// Name names the shard's children, such as shard-0. Required.
	Name string
	// GlobalClusterID is the global cluster's identifier (datatier.DataTier.GlobalClusterIDs), which
	// the secondary joins. Required.
	GlobalClusterID pulumi.StringInput
}

// Table is one of the primary's DynamoDB tables, replicated to the DR region.
type Table struct {
	// Name names the replica's child, as the table's name in the DataTier's Args. Required.
	Name string
	// ARN is the table's ARN. Required.
	ARN pulumi.StringInput
}

// GlobalClusterIdentifier is the identifier of a DRRegion's cluster for a shard (its secondary
// cluster, "db-<shard>"): named by project, stack, the DRRegion's name and the shard, so that two
// stacks in one account never share one; 1 to 63 letters, digits and hyphens starting with a
// letter, a hash where it would be longer. (The global clusters themselves are the DataTier's:
// datatier.GlobalClusterIdentifier.)
func GlobalClusterIdentifier(project, stack, name, shard string) string {
	s := unsafeIdentifier.ReplaceAllString(strings.ToLower(project+"-"+stack+"-"+name+"-"+shard), "-")
	s = strings.Trim(s, "-")
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		s = "g-" + s
	}
	if len(s) > 63 {
		sum := sha256.Sum256([]byte(s))
		s = strings.TrimRight(s[:54], "-") + "-" + hex.EncodeToString(sum[:])[:8]
	}
	return s
}

// unsafeIdentifier matches what an RDS identifier may not hold, runs of them at once.
var unsafeIdentifier = regexp.MustCompile(`[^a-z0-9]+`)

// SecondaryIgnoredFields are the inputs a member of a global database ignores, as the primary
// does (datatier.GlobalIgnoredFields): AWS sets them through the global database. The secondary
// ignores deletionProtection too: on from creation, it is turned off by hand only to turn the
// strategy down, and pulumi up must never turn it off or on behind the operator's back.
func SecondaryIgnoredFields() []string {
	return []string{"globalClusterIdentifier", "replicationSourceIdentifier", "engineVersion", "deletionProtection"}
}

// SecondaryInstances is how many instances a strategy runs in each secondary cluster, given the
// primary's readers:
//
//   - StrategyPilotLight: none, a headless secondary (Aurora User Guide, "Creating a headless Aurora
//     DB cluster in a secondary Region"): its storage replicates and is paid for, no compute is;
//     an instance is added when it is promoted (a runbook step, part of pilot light's RTO);
//   - StrategyWarmStandby: one reader, which keeps the region's buffer pool and query plans warm and
//     becomes the writer on a promotion;
//   - StrategyActiveActive: as many as the primary runs in all (its readers and its writer), since
//     the DR region serves as much as the primary does, and no reader auto scaling adds more there:
//     Aurora Auto Scaling is not supported on a secondary cluster (see docs/dr-region.md);
//   - StrategyBackupRestore: none (it has no secondary).
func SecondaryInstances(s Strategy, primaryReaders int) int {
	switch s {
	case StrategyWarmStandby:
		return 1
	case StrategyActiveActive:
		return primaryReaders + 1
	}
	return 0
}

// WriteForwarding reports whether a strategy turns on global write forwarding on its secondaries:
// only StrategyActiveActive, where the DR region's app writes while its cluster is a secondary.
func (s Strategy) WriteForwarding() bool { return s == StrategyActiveActive }

// buildGlobalDatabase adds a secondary cluster in the DR region to each of the primary's global
// databases (built by the DataTier), with what the strategy runs in it.
//
// The secondaries share a key of the DR region, a subnet group over the DR Network's data subnets,
// a security group, and parameter groups with the primary's parameters (the cluster's and the
// instances'), so that a promoted secondary behaves as the primary did. A secondary has no master
// credentials (AWS takes them from the global database) and the engine and version of the
// primary. It has deletion protection from creation (after a failover it is the only copy) and is
// not Pulumi-protected, so that a move to a strategy without live data deletes it once the operator
// has turned that protection off (docs/dr-region.md); deletion order follows the dependencies: each
// secondary, then its global cluster (the DataTier's), then the primary leaves it (Pulumi deletes
// dependents first).
func (b builder) buildGlobalDatabase() error {
	ctx, a, db := b.ctx, b.a, b.a.Database
	key, err := newKey(ctx, b.child("db-key"), "tierstack: the DR region's secondary Aurora clusters", b.drEnv, a.Tags, false, b.inDR(b.kept()...)...)
	if err != nil {
		return err
	}
	subnets, err := rds.NewSubnetGroup(ctx, b.child("db-subnets"), &rds.SubnetGroupArgs{
		Description: pulumi.String("tierstack " + b.name + ": the DR Network's data subnets"),
		SubnetIds:   b.d.Network.DataSubnetIDs,
		Tags:        naming.Tags(a.Tags, b.child("db-subnets")),
	}, b.inDR()...)
	if err != nil {
		return err
	}
	sg, err := ec2.NewSecurityGroup(ctx, b.child("db-sg"), &ec2.SecurityGroupArgs{
		VpcId:       b.d.Network.VPCID,
		Description: pulumi.String("tierstack DR database: clients are admitted by security group"),
		Tags:        naming.Tags(a.Tags, b.child("db-sg")),
	}, b.inDR()...)
	if err != nil {
		return err
	}
	pg, ipg, err := b.buildParameterGroups()
	if err != nil {
		return err
	}
	b.d.SecurityGroupID = sg.ID().ToStringOutput()
	var globals, secondaries pulumi.StringArray
	var readers []pulumi.StringOutput
	for _, shard := range db.Shards {
		secondaryName := b.child("db-" + shard.Name)
		args := &rds.ClusterArgs{
			ClusterIdentifier:           pulumi.String(GlobalClusterIdentifier(ctx.Project(), ctx.Stack(), b.name, "db-"+shard.Name)),
			Engine:                      pulumi.String(db.Engine),
			EngineMode:                  pulumi.String("provisioned"),
			EngineVersion:               pulumi.String(db.EngineVersion),
			GlobalClusterIdentifier:     shard.GlobalClusterID,
			DbSubnetGroupName:           subnets.Name,
			VpcSecurityGroupIds:         pulumi.StringArray{sg.ID().ToStringOutput()},
			DbClusterParameterGroupName: pg.Name,
			StorageEncrypted:            pulumi.Bool(true),
			KmsKeyId:                    key.Arn,
			// On from creation: while it is a secondary its data is the primary's, but after a
			// failover it is the only copy, and a pulumi up that turned the strategy down then would
			// delete it. Turning the strategy down takes it off by hand first (docs/dr-region.md).
			DeletionProtection: pulumi.Bool(true),
			SkipFinalSnapshot:  pulumi.Bool(true),
			CopyTagsToSnapshot: pulumi.Bool(true),
			Serverlessv2ScalingConfiguration: &rds.ClusterServerlessv2ScalingConfigurationArgs{
				MinCapacity: pulumi.Float64(db.MinACU), MaxCapacity: pulumi.Float64(db.MaxACU),
			},
			Tags: naming.Tags(a.Tags, secondaryName),
		}
		if a.Strategy.WriteForwarding() {
			// Aurora User Guide, "Using write forwarding in an Aurora MySQL global database" (and
			// PostgreSQL): EnableGlobalWriteForwarding on the secondary's CreateDBCluster or
			// ModifyDBCluster, no reboot; the app sets aurora_replica_read_consistency per session.
			args.EnableGlobalWriteForwarding = pulumi.Bool(true)
		}
		secondary, err := rds.NewCluster(ctx, secondaryName, args, b.inDR(pulumi.IgnoreChanges(SecondaryIgnoredFields()),
			// A secondary copies the whole volume before it is available: hours for a large one.
			pulumi.Timeouts(&pulumi.CustomTimeouts{Create: "4h", Update: "4h", Delete: "2h"}))...)
		if err != nil {
			return err
		}
		if err := b.buildSecondaryInstances(shard.Name, secondary, subnets, ipg, key); err != nil {
			return err
		}
		globals = append(globals, shard.GlobalClusterID)
		secondaries = append(secondaries, secondary.Arn)
		readers = append(readers, secondary.ReaderEndpoint)
		b.d.signalInputs.Secondaries = append(b.d.signalInputs.Secondaries, SecondarySignalInputs{Shard: shard.Name, ClusterIdentifier: secondary.ClusterIdentifier})
	}
	b.d.GlobalClusterIDs, b.d.SecondaryClusterARNs = globals.ToStringArrayOutput(), secondaries.ToStringArrayOutput()
	b.d.readers = &Readers{host: readers[0], forwarding: a.Strategy.WriteForwarding()}
	return nil
}

// buildParameterGroups creates the secondaries' cluster and instance parameter groups, with the
// primary's family and parameters.
func (b builder) buildParameterGroups() (*rds.ClusterParameterGroup, *rds.ParameterGroup, error) {
	db := b.a.Database
	var params rds.ClusterParameterGroupParameterArray
	for _, p := range db.Parameters {
		params = append(params, rds.ClusterParameterGroupParameterArgs{
			Name: pulumi.String(p[0]), Value: pulumi.String(p[1]), ApplyMethod: pulumi.String("pending-reboot"),
		})
	}
	pg, err := rds.NewClusterParameterGroup(b.ctx, b.child("db-params"), &rds.ClusterParameterGroupArgs{
		Family:      pulumi.String(db.ParameterFamily),
		Description: pulumi.String("tierstack " + b.name + " secondary cluster parameters, the primary's"),
		Parameters:  params,
		Tags:        naming.Tags(b.a.Tags, b.child("db-params")),
	}, b.inDR()...)
	if err != nil {
		return nil, nil, err
	}
	var instanceParams rds.ParameterGroupParameterArray
	for _, p := range db.InstanceParameters {
		instanceParams = append(instanceParams, rds.ParameterGroupParameterArgs{
			Name: pulumi.String(p[0]), Value: pulumi.String(p[1]), ApplyMethod: pulumi.String("pending-reboot"),
		})
	}
	ipg, err := rds.NewParameterGroup(b.ctx, b.child("db-instance-params"), &rds.ParameterGroupArgs{
		Family:      pulumi.String(db.ParameterFamily),
		Description: pulumi.String("tierstack " + b.name + " secondary instance parameters, the primary's"),
		Parameters:  instanceParams,
		Tags:        naming.Tags(b.a.Tags, b.child("db-instance-params")),
	}, b.inDR()...)
	return pg, ipg, err
}

// buildSecondaryInstances adds to a secondary the instances its strategy runs (SecondaryInstances),
// each in the next zone of the DR Network. No Aurora Auto Scaling target is registered for a
// secondary: AWS does not support it there.
func (b builder) buildSecondaryInstances(shard string, cluster *rds.Cluster, subnets *rds.SubnetGroup, params *rds.ParameterGroup, key *kms.Key) error {
	db, zones := b.a.Database, b.d.Network.Zones
	class := db.InstanceClass
	if class == "" {
		class = "db.serverless"
	}
	for i := 0; i < SecondaryInstances(b.a.Strategy, db.Readers); i++ {
		name := b.child(fmt.Sprintf("db-%s-reader-%d", shard, i+1))
		args := &rds.ClusterInstanceArgs{
			ClusterIdentifier:       cluster.ID(),
			Engine:                  pulumi.String(db.Engine),
			InstanceClass:           pulumi.String(class),
			DbSubnetGroupName:       subnets.Name,
			DbParameterGroupName:    params.Name,
			PromotionTier:           pulumi.Int(min(i, 15)),
			PubliclyAccessible:      pulumi.Bool(false),
			AutoMinorVersionUpgrade: pulumi.Bool(false),
			CaCertIdentifier:        pulumi.String("rds-ca-rsa2048-g1"),
			Tags:                    naming.Tags(b.a.Tags, name),
		}
		if len(zones) > 0 {
			args.AvailabilityZone = pulumi.String(zones[i%len(zones)])
		}
		if db.PerformanceInsights {
			args.PerformanceInsightsEnabled = pulumi.Bool(true)
			args.PerformanceInsightsKmsKeyId = key.Arn
			args.PerformanceInsightsRetentionPeriod = pulumi.Int(7)
		}
		if _, err := rds.NewClusterInstance(b.ctx, name, args, b.inDR()...); err != nil {
			return err
		}
	}
	return nil
}
