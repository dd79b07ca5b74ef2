package datatier

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

	"github.com/tierstack/tierstack/internal/awsenv"
	"github.com/tierstack/tierstack/internal/kmskey"
	"github.com/tierstack/tierstack/internal/naming"
	"github.com/tierstack/tierstack/internal/sgrules"
)

// TypeToken is the Pulumi type token of the DataTier component.
const TypeToken = "tierstack:index:DataTier"

// DataTier is an Aurora cluster (one per shard) in a Network's data subnets, its credentials in
// Secrets Manager, and DynamoDB tables, all encrypted with a key of its own. Its security group
// admits nobody until AllowFrom admits a client's security group.
type DataTier struct {
	pulumi.ResourceState

	// Cluster is shard 0's cluster, the escape hatch for anything this component does not expose.
	Cluster *rds.Cluster
	// Clusters are every shard's cluster, shard 0 first.
	Clusters []*rds.Cluster
	// Engine is the engine the tier runs.
	Engine Engine
	// GlobalClusters are every shard's global cluster, shard 0 first; empty without Args.Global.
	GlobalClusters []*rds.GlobalCluster
	// WriterEndpoint is shard 0's writer endpoint: the global writer endpoint with Args.Global (it
	// follows the writer to the DR region after a switchover or a failover), the cluster's otherwise.
	WriterEndpoint pulumi.StringOutput `pulumi:"writerEndpoint"`
	// ReaderEndpoint is shard 0's reader endpoint, which spreads connections over the readers.
	ReaderEndpoint pulumi.StringOutput `pulumi:"readerEndpoint"`
	// ShardWriterEndpoints are every shard's writer endpoint, shard 0 first: the global writer
	// endpoints with Args.Global.
	ShardWriterEndpoints pulumi.StringArrayOutput `pulumi:"shardWriterEndpoints"`
	// GlobalClusterIDs are every shard's global cluster identifier, shard 0 first; empty without
	// Args.Global. A secondary cluster in the DR region joins the global database by it.
	GlobalClusterIDs pulumi.StringArrayOutput `pulumi:"globalClusterIds"`
	// Port is the engine's port.
	Port pulumi.IntOutput `pulumi:"port"`
	// DatabaseName is the database created with the cluster.
	DatabaseName pulumi.StringOutput `pulumi:"databaseName"`
	// SecretARN is the Secrets Manager secret the application reads: its own database user's
	// credentials and the endpoints, as JSON (engine, host, readerHost, port, username, password,
	// dbname, shardHosts, masterarn), in the shape Secrets Manager's rotation functions expect. The
	// same secret at every tier.
	SecretARN pulumi.StringOutput `pulumi:"secretArn"`
	// MasterSecretARN is the secret with the master user's credentials, for administration only:
	// the application is not given it.
	MasterSecretARN pulumi.StringOutput `pulumi:"masterSecretArn"`
	// SecurityGroupID is the database's security group; clients are admitted with AllowFrom.
	SecurityGroupID pulumi.StringOutput `pulumi:"securityGroupId"`
	// ClusterARN and ClusterIdentifier are shard 0's cluster's.
	ClusterARN pulumi.StringOutput `pulumi:"clusterArn"`
	// ClusterIdentifier is shard 0's cluster identifier.
	ClusterIdentifier pulumi.StringOutput `pulumi:"clusterIdentifier"`
	// KMSKeyARN is the key that encrypts the clusters, their Performance Insights, the secret and
	// the tables.
	KMSKeyARN pulumi.StringOutput `pulumi:"kmsKeyArn"`
	// TableNames are the tables' physical names, by their names in Args.
	TableNames pulumi.StringMapOutput `pulumi:"tableNames"`
	// TableARNs are the tables' ARNs, by their names in Args.
	TableARNs pulumi.StringMapOutput `pulumi:"tableArns"`

	name string
	port int
	args Args // as New was given them, defaults applied: what Signals describes
	// hosts are every shard's writer endpoint as the app reaches it, shard 0 first.
	hosts []pulumi.StringOutput
	// appDocument is the application's secret's value (its package tests read it).
	appDocument pulumi.StringOutput
	// replicaKey encrypts the secrets' replicas in the DR region; nil without Args.Global.
	replicaKey *kms.Key
}

// longestChild is the longest suffix a DataTier appends to its name for an identifier AWS limits to
// 63 characters: shard 15's 15th reader instance.
const longestChild = "-shard-15-reader-15"

// New creates a DataTier. It checks args and its name and looks up the environment through the
// provider its children will use before it registers anything.
func New(ctx *pulumi.Context, name string, args *Args, opts ...pulumi.ResourceOption) (*DataTier, error) {
	if err := naming.CheckName("datatier", name, longestChild, 63, "RDS instance identifier"); err != nil {
		return nil, err
	}
	a, err := args.checked()
	if err != nil {
		return nil, err
	}
	env, _, err := awsenv.Resolve(ctx, opts)
	if err != nil {
		return nil, fmt.Errorf("datatier %s: %w", name, err)
	}
	if a.BacktrackHours > 0 && !BacktrackAvailable(env.Region) {
		return nil, fmt.Errorf("datatier %s: backtrackHours %d is set in %s, where Aurora has no backtracking (allowed: 0 there)", name, a.BacktrackHours, env.Region)
	}
	var drEnv awsenv.Env
	if a.Global != nil {
		if drEnv, err = globalEnv(ctx, a.Global, env); err != nil {
			return nil, fmt.Errorf("datatier %s: %w", name, err)
		}
	}
	d := &DataTier{Engine: a.Engine, name: name, port: a.Engine.Port(), args: a}
	if err := ctx.RegisterComponentResource(TypeToken, name, d, opts...); err != nil {
		return nil, fmt.Errorf("datatier %s: %w", name, err)
	}
	if err := d.build(ctx, name, a, env, drEnv); err != nil {
		return nil, fmt.Errorf("datatier %s: %w", name, err)
	}
	if err := ctx.RegisterResourceOutputs(d, pulumi.Map{
		"writerEndpoint":       d.WriterEndpoint,
		"readerEndpoint":       d.ReaderEndpoint,
		"shardWriterEndpoints": d.ShardWriterEndpoints,
		"globalClusterIds":     d.GlobalClusterIDs,
		"port":                 d.Port,
		"databaseName":         d.DatabaseName,
		"secretArn":            d.SecretARN,
		"masterSecretArn":      d.MasterSecretARN,
		"securityGroupId":      d.SecurityGroupID,
		"clusterArn":           d.ClusterARN,
		"clusterIdentifier":    d.ClusterIdentifier,
		"kmsKeyArn":            d.KMSKeyARN,
		"tableNames":           d.TableNames,
		"tableArns":            d.TableARNs,
	}); err != nil {
		return nil, fmt.Errorf("datatier %s: registering outputs: %w", name, err)
	}
	return d, nil
}

// Validate checks the arguments as New does, so that a caller composing several components can
// refuse bad input before any of them registers a resource. It leaves out Network, which exists only
// once the Network is built: New checks it (Network.CheckFor).
func (args *Args) Validate() error {
	_, err := args.checkedWithout()
	return err
}

// AllowFrom admits the security group source to the database port: one rule resource per client,
// named "name-allow-client", so that adding a client never rewrites the group.
func (d *DataTier) AllowFrom(ctx *pulumi.Context, client string, source pulumi.StringInput) (*ec2.SecurityGroupRule, error) {
	return sgrules.AllowFrom(ctx, d, d.name, client, d.SecurityGroupID, source, d.port, "database")
}

// build creates the DataTier's children: what the shards share, then each shard, then the tables.
func (d *DataTier) build(ctx *pulumi.Context, name string, a Args, env, drEnv awsenv.Env) error {
	parent := pulumi.Parent(d)
	protect := pulumi.Protect(!a.Unprotected)
	// CloudWatch Logs uses the key for the log groups the cluster exports to.
	key, err := kmskey.NewWith(ctx, naming.Child(name, "key"), "tierstack "+name+": database, backups, secrets, tables and logs",
		env, a.Tags, []kmskey.Statement{kmskey.Logs(env)}, parent, protect, pulumi.RetainOnDelete(true))
	if err != nil {
		return err
	}
	d.KMSKeyARN = key.Arn

	shared, err := d.buildShared(ctx, name, a, env, key)
	if err != nil {
		return err
	}
	var writers, globalIDs pulumi.StringArray
	var writerInstances []*rds.ClusterInstance
	for shard := 0; shard < a.Shards; shard++ {
		c, writer, err := d.buildShard(ctx, shardName(name, shard), shard, name, a, shared, key)
		if err != nil {
			return err
		}
		d.Clusters = append(d.Clusters, c)
		host := c.Endpoint
		if a.Global != nil {
			g, err := d.buildGlobal(ctx, shardName(name, shard), a, c)
			if err != nil {
				return err
			}
			d.GlobalClusters = append(d.GlobalClusters, g)
			globalIDs = append(globalIDs, g.GlobalClusterIdentifier)
			host = g.Endpoint
		}
		d.hosts = append(d.hosts, host)
		writers = append(writers, host)
		writerInstances = append(writerInstances, writer)
	}
	d.Cluster = d.Clusters[0]
	d.WriterEndpoint, d.ReaderEndpoint = d.hosts[0], d.Cluster.ReaderEndpoint
	d.ClusterARN, d.ClusterIdentifier = d.Cluster.Arn, d.Cluster.ClusterIdentifier
	d.ShardWriterEndpoints = writers.ToStringArrayOutput()
	if globalIDs == nil {
		globalIDs = pulumi.StringArray{}
	}
	d.GlobalClusterIDs = globalIDs.ToStringArrayOutput()
	if a.Global != nil {
		if d.replicaKey, err = d.buildReplicaKey(ctx, name, a, drEnv); err != nil {
			return err
		}
	}
	d.Port = pulumi.Int(a.Engine.Port()).ToIntOutput()
	d.DatabaseName = pulumi.String(a.DatabaseName).ToStringOutput()

	master, app, appReady, err := d.buildSecrets(ctx, name, a, shared, key)
	if err != nil {
		return err
	}
	if err := d.buildAppUser(ctx, name, a, env, key, master, app, appReady, writerInstances); err != nil {
		return err
	}
	return d.buildTables(ctx, name, a, key)
}

// shardName is the name prefix of a shard's resources: the tier's own name for shard 0, so that a
// single-shard tier and shard 0 are the same resources.
func shardName(name string, shard int) string {
	if shard == 0 {
		return name
	}
	return naming.AZChild(name, "shard", shard)
}

// keyARN is the key's ARN as an input.
func keyARN(k *kms.Key) pulumi.StringInput { return k.Arn }

var snapshotUnsafe = regexp.MustCompile(`[^a-z0-9]+`)

// ClusterIdentifier is a cluster's identifier: "<project>-<stack>-<cluster>", lowercased, runs of
// other characters made one hyphen, a letter first, as RDS requires (1 to 63 letters, digits and
// single hyphens, no trailing hyphen). A longer one keeps its first 54 characters and ends with a
// hash of the whole, so that two stacks never share one. It is fixed, not generated by Pulumi, so
// that the log groups RDS writes to (LogGroupName) can be created, with a retention and a key,
// before the cluster.
func ClusterIdentifier(project, stack, cluster string) string {
	s := snapshotUnsafe.ReplaceAllString(strings.ToLower(project+"-"+stack+"-"+cluster), "-")
	s = strings.Trim(s, "-")
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		s = "db-" + s
	}
	if len(s) > 63 {
		sum := sha256.Sum256([]byte(s))
		s = strings.TrimRight(s[:54], "-") + "-" + hex.EncodeToString(sum[:])[:8]
	}
	return s
}

// FinalSnapshotIdentifier is the name of the snapshot a cluster leaves when it is deleted:
// "<project>-<stack>-<cluster>-final", lowercased, runs of other characters made one hyphen, as RDS
// requires (a letter first, letters, digits and single hyphens, at most 255). Project and stack keep
// two programs' snapshots in one account apart.
func FinalSnapshotIdentifier(project, stack, cluster string) string {
	s := snapshotUnsafe.ReplaceAllString(strings.ToLower(project+"-"+stack+"-"+cluster+"-final"), "-")
	s = strings.Trim(s, "-")
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		s = "db-" + s
	}
	if len(s) > 255 {
		s = strings.TrimRight(s[:255], "-")
	}
	return s
}
