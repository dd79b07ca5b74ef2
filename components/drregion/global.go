package drregion

import (
	"crypto/sha256"
	"encoding/hex"
	"regexp"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/rds"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/tierstack/tierstack/internal/naming"
)

// Database is the primary's Aurora clusters, each made the primary of an Aurora global database
// with a secondary cluster in the DR region. Its fields copy the DataTier's (datatier.GlobalSource):
// AWS requires the same engine and version in every member.
type Database struct {
	// Engine is the Aurora engine, such as aurora-mysql.
	Engine string
	// EngineVersion is the primary's engine version.
	EngineVersion string
	// ParameterFamily is the cluster parameter group family.
	ParameterFamily string
	// Parameters are the primary's cluster parameters, name and value.
	Parameters [][2]string
	// MinACU and MaxACU are the Serverless v2 range a secondary's instances run in once added.
	MinACU, MaxACU float64
	// Shards are the primary's clusters, one global database each. Required, at least one.
	Shards []Shard
}

// Shard is one of the primary's clusters.
type Shard struct {
	// Name names the shard's children, such as shard-0. Required.
	Name string
	// ClusterARN is the primary cluster's ARN, the global cluster's source. Required.
	ClusterARN pulumi.StringInput
}

// Table is one of the primary's DynamoDB tables, replicated to the DR region.
type Table struct {
	// Name names the replica's child, as the table's name in the DataTier's Args. Required.
	Name string
	// ARN is the table's ARN. Required.
	ARN pulumi.StringInput
}

// GlobalClusterIdentifier is the global cluster of a shard: unique per account across regions
// (Aurora User Guide, "Configuration requirements of an Amazon Aurora global database", naming
// requirements), so it is named by project, stack, the DRRegion's name and the shard; 1 to 63
// letters, digits and hyphens starting with a letter, a hash where it would be longer.
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

// buildGlobalDatabase makes each of the primary's clusters the primary of an Aurora global
// database, never replacing it, and adds a headless secondary cluster in the DR region.
//
// The global cluster lives in the primary region (it is created from the source cluster, in the
// source cluster's region: RDS API CreateGlobalCluster, SourceDBClusterIdentifier) and takes no
// engine, engineVersion, databaseName or storageEncrypted: AWS takes them from the source, and each
// of those inputs replaces it (forcenew data for aws:rds/globalCluster:GlobalCluster). forceDestroy
// is required with sourceDbClusterIdentifier: the provider's delete then removes every member
// from the global cluster before deleting it (terraform-provider-aws
// internal/service/rds/global_cluster.go, resourceGlobalClusterDelete), so the primary stays.
//
// The secondary has no instance: a "headless" secondary cluster, which Aurora supports
// (Aurora User Guide, "Creating a headless Aurora DB cluster in a secondary Region"). Its storage
// replicates and costs; an instance is added when it is promoted (a runbook step, part of the RTO).
// It has deletion protection from creation (after a failover it is the only copy) and is not
// Pulumi-protected, so that pilotLight -> backupRestore deletes it once the operator has turned
// that protection off (docs/dr-region.md); deletion order follows
// the dependencies: secondary, then global cluster, then the primary leaves it (Pulumi deletes
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
	var params rds.ClusterParameterGroupParameterArray
	for _, p := range db.Parameters {
		params = append(params, rds.ClusterParameterGroupParameterArgs{
			Name: pulumi.String(p[0]), Value: pulumi.String(p[1]), ApplyMethod: pulumi.String("pending-reboot"),
		})
	}
	pg, err := rds.NewClusterParameterGroup(ctx, b.child("db-params"), &rds.ClusterParameterGroupArgs{
		Family:      pulumi.String(db.ParameterFamily),
		Description: pulumi.String("tierstack " + b.name + " secondary cluster parameters, the primary's"),
		Parameters:  params,
		Tags:        naming.Tags(a.Tags, b.child("db-params")),
	}, b.inDR()...)
	if err != nil {
		return err
	}
	b.d.SecurityGroupID = sg.ID().ToStringOutput()
	var globals, secondaries pulumi.StringArray
	for _, shard := range db.Shards {
		globalName := b.child("global-" + shard.Name)
		global, err := rds.NewGlobalCluster(ctx, globalName, &rds.GlobalClusterArgs{
			GlobalClusterIdentifier:   pulumi.String(GlobalClusterIdentifier(ctx.Project(), ctx.Stack(), b.name, shard.Name)),
			SourceDbClusterIdentifier: shard.ClusterARN,
			ForceDestroy:              pulumi.Bool(true),
			DeletionProtection:        pulumi.Bool(false),
		}, b.inPrimary()...)
		if err != nil {
			return err
		}
		secondaryName := b.child("db-" + shard.Name)
		secondary, err := rds.NewCluster(ctx, secondaryName, &rds.ClusterArgs{
			ClusterIdentifier:           pulumi.String(GlobalClusterIdentifier(ctx.Project(), ctx.Stack(), b.name, "db-"+shard.Name)),
			Engine:                      pulumi.String(db.Engine),
			EngineMode:                  pulumi.String("provisioned"),
			EngineVersion:               pulumi.String(db.EngineVersion),
			GlobalClusterIdentifier:     global.GlobalClusterIdentifier,
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
		}, b.inDR(pulumi.IgnoreChanges(SecondaryIgnoredFields()),
			// A secondary copies the whole volume before it is available: hours for a large one.
			pulumi.Timeouts(&pulumi.CustomTimeouts{Create: "4h", Update: "4h", Delete: "2h"}))...)
		if err != nil {
			return err
		}
		globals = append(globals, global.ID().ToStringOutput())
		secondaries = append(secondaries, secondary.Arn)
		b.d.signalInputs.Secondaries = append(b.d.signalInputs.Secondaries, SecondarySignalInputs{Shard: shard.Name, ClusterIdentifier: secondary.ClusterIdentifier})
	}
	b.d.GlobalClusterIDs, b.d.SecondaryClusterARNs = globals.ToStringArrayOutput(), secondaries.ToStringArrayOutput()
	return nil
}
