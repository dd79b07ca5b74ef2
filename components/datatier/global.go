package datatier

import (
	"fmt"
	"regexp"

	"github.com/tierstack/tierstack/internal/awsenv"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Global makes a DataTier's clusters the primaries of Aurora global databases and gives the DR
// region what its app reads: a replica of each secret, encrypted with a key of the DR region.
type Global struct {
	// Region is the DR region: the secrets are replicated there. Required, and not the tier's own.
	Region string
	// Provider is an AWS provider for Region: the replicas' key is created through it. Required by
	// New (Validate, which runs before the provider exists, leaves it out).
	Provider pulumi.ProviderResource
	// EngineVersion is the engine version each global cluster is given, through which AWS upgrades
	// every member of a global database (the member clusters ignore their own engineVersion). ""
	// gives none, as the pulumi up that creates a global database must: AWS refuses an engine
	// version on a global cluster made from a source cluster (RDS API CreateGlobalCluster,
	// EngineVersion: "Can't be specified if SourceDBClusterIdentifier is specified"). Once the
	// global databases exist, setting it to Args.EngineVersion's value is an in-place update that
	// upgrades them: a minor version member by member, the secondaries first (terraform-provider-aws
	// internal/service/rds/global_cluster.go, globalClusterUpgradeMinorEngineVersion). Otherwise it
	// must be Args.EngineVersion's value. A major version is refused by plan --from: see
	// docs/database.md, "Upgrading the engine of a global database".
	EngineVersion string
}

// GlobalPrimaryMinACU is the Serverless v2 minimum the tiers give the primary cluster of a global
// database (see docs/database.md, "Capacity of a global primary"): a writer that idles at a few ACUs
// must first grow before it keeps up with a burst of writes, and a global database replicates every
// one of them to the DR region, where a secondary that falls behind is what a failover loses.
const GlobalPrimaryMinACU = 8

// regionPattern is what an AWS region name looks like: us-east-1, ap-southeast-7, us-gov-west-1.
var regionPattern = regexp.MustCompile(`^[a-z]{2}(-[a-z]+)+-[0-9]+$`)

// checkGlobal validates a's Global, with its defaults applied; the provider is New's to check.
func (a *Args) checkGlobal() error {
	g := a.Global
	if g == nil {
		return nil
	}
	if !regionPattern.MatchString(g.Region) {
		return fmt.Errorf("datatier: global region %q is not a region name (allowed: the DR region, such as us-west-2)", g.Region)
	}
	if g.EngineVersion != "" && g.EngineVersion != a.EngineVersion {
		return fmt.Errorf("datatier: global engineVersion %q differs from engineVersion %q (allowed: \"\" while the global databases are created, then %q: every member and every new secondary runs the global cluster's version)", g.EngineVersion, a.EngineVersion, a.EngineVersion)
	}
	return nil
}

// GlobalIgnoredFields are the cluster inputs that AWS changes through an Aurora global database
// and that a member cluster must therefore ignore: the provider reads globalClusterIdentifier
// into the primary's state once a global cluster is built from it (left unset in config, the next
// update would call RemoveFromGlobalCluster), a switchover sets replicationSourceIdentifier on the
// demoted cluster, and engine upgrades go through the global cluster's engineVersion
// (terraform-provider-aws website/docs/r/rds_global_cluster.html.markdown, "New Global Cluster
// From Existing DB Cluster" and "Upgrading Engine Versions": both use lifecycle ignore_changes on
// these fields).
func GlobalIgnoredFields() []string {
	return []string{"globalClusterIdentifier", "replicationSourceIdentifier", "engineVersion"}
}

// globalIgnored is what a shard's cluster ignores: GlobalIgnoredFields when it is the primary of a
// global database, nothing otherwise, so that a stack without a DR region keeps upgrading its
// engine through its own engineVersion.
func globalIgnored(global bool) []string {
	if !global {
		return nil
	}
	return GlobalIgnoredFields()
}

// GlobalSource is what a secondary cluster in another region copies from the tier: the engine and
// version, the parameter groups' family and parameters (AWS requires the same engine and version in
// every member; identical parameters keep a promoted secondary behaving as the primary did), and the
// shape of its instances.
type GlobalSource struct {
	// Engine is the engine.
	Engine Engine
	// EngineVersion is the engine version.
	EngineVersion string
	// ParameterFamily is the cluster parameter group family.
	ParameterFamily string
	// Parameters are the cluster parameters, name and value, sorted by name.
	Parameters [][2]string
	// InstanceParameters are the instances' parameters (max_connections, see ConnectionLimit), name
	// and value; empty when the tier leaves them at their defaults.
	InstanceParameters [][2]string
	// InstanceClass is every instance's class, such as db.serverless.
	InstanceClass string
	// MinACU and MaxACU are the primary's Serverless v2 range.
	MinACU, MaxACU float64
	// Readers is how many readers the primary runs beside its writer (without auto scaling's).
	Readers int
	// PerformanceInsights says whether the primary's instances have Performance Insights.
	PerformanceInsights bool
	// Port is the engine's port.
	Port int
}

// GlobalSource returns what a secondary cluster copies from the tier.
func (d *DataTier) GlobalSource() (GlobalSource, error) {
	family, err := ParameterGroupFamily(d.args.Engine, d.args.EngineVersion)
	if err != nil {
		return GlobalSource{}, err
	}
	var instance [][2]string
	if limit, explicit := connectionLimit(d.args); explicit {
		instance = [][2]string{{maxConnectionsParameter, fmt.Sprint(limit)}}
	}
	return GlobalSource{
		Engine: d.args.Engine, EngineVersion: d.args.EngineVersion, ParameterFamily: family,
		Parameters:         parameters(d.args.Engine, d.args.TimeZone, d.args.Parameters),
		InstanceParameters: instance, InstanceClass: d.args.InstanceClass,
		MinACU: d.args.MinACU, MaxACU: d.args.MaxACU, Readers: d.args.Readers,
		PerformanceInsights: d.args.PerformanceInsights, Port: d.port,
	}, nil
}

// globalEnv checks Global's provider and looks up the DR region through it: its region must be
// Global.Region, and not the tier's own.
func globalEnv(ctx *pulumi.Context, g *Global, env awsenv.Env) (awsenv.Env, error) {
	if g.Provider == nil {
		return awsenv.Env{}, fmt.Errorf("global provider is required (allowed: an aws.Provider for %s, derived from the stack's)", g.Region)
	}
	drEnv, err := awsenv.Lookup(ctx, []pulumi.InvokeOption{pulumi.Provider(g.Provider)})
	if err != nil {
		return awsenv.Env{}, fmt.Errorf("the DR region: %w", err)
	}
	if drEnv.Region != g.Region {
		return awsenv.Env{}, fmt.Errorf("global provider is for %s, not the global region %s (allowed: a provider for %s)", drEnv.Region, g.Region, g.Region)
	}
	if drEnv.Region == env.Region {
		return awsenv.Env{}, fmt.Errorf("global region %s is the tier's own region (allowed: any region but %s)", g.Region, env.Region)
	}
	return drEnv, nil
}
