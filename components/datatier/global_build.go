package datatier

import (
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/rds"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/tierstack/tierstack/internal/naming"
)

// GlobalClusterIdentifier is the identifier of the global cluster a DataTier builds from the
// cluster of the shard whose children are named prefix ("data", "data-shard-1"): the
// ClusterIdentifier of "<prefix>-global". A global cluster's identifier is unique in the account
// across regions (RDS API CreateGlobalCluster), so it carries the project and the stack.
func GlobalClusterIdentifier(project, stack, prefix string) string {
	return ClusterIdentifier(project, stack, naming.Child(prefix, "global"))
}

// buildGlobal makes a shard's cluster the primary of an Aurora global database, never replacing it:
// an rds.GlobalCluster in the cluster's own region (created from its source cluster, in that
// cluster's region: RDS API CreateGlobalCluster, SourceDBClusterIdentifier), named "<prefix>-global".
//
// It takes no engine, databaseName or storageEncrypted (AWS takes them from the source, and each of
// those inputs replaces the global cluster: forcenew data for aws:rds/globalCluster:GlobalCluster),
// and an engineVersion only once the global database exists (Global.EngineVersion). forceDestroy is
// required with sourceDbClusterIdentifier: the provider's delete removes every member from the
// global cluster first (terraform-provider-aws internal/service/rds/global_cluster.go,
// resourceGlobalClusterDelete), so the primary stays and a strategy without live data deletes the
// global cluster in one pulumi up. Deletion order follows the dependencies: the DR region's
// secondary (which takes this global cluster's identifier), then the global cluster, then the
// primary leaves it (terraform-provider-aws #8186, #26236). Neither protected nor with deletion
// protection, for that same downgrade: the data is in the member clusters, which keep theirs.
func (d *DataTier) buildGlobal(ctx *pulumi.Context, prefix string, a Args, cluster *rds.Cluster) (*rds.GlobalCluster, error) {
	args := &rds.GlobalClusterArgs{
		GlobalClusterIdentifier:   pulumi.String(GlobalClusterIdentifier(ctx.Project(), ctx.Stack(), prefix)),
		SourceDbClusterIdentifier: cluster.Arn,
		ForceDestroy:              pulumi.Bool(true),
		DeletionProtection:        pulumi.Bool(false),
	}
	if a.Global.EngineVersion != "" {
		args.EngineVersion = pulumi.String(a.Global.EngineVersion)
	}
	return rds.NewGlobalCluster(ctx, naming.Child(prefix, "global"), args, pulumi.Parent(d))
}
