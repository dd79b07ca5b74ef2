package drregion

import (
	"fmt"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/tierstack/tierstack/components/cachetier"
	"github.com/tierstack/tierstack/components/network"
	"github.com/tierstack/tierstack/components/webtier"
	"github.com/tierstack/tierstack/internal/awsenv"
	"github.com/tierstack/tierstack/internal/naming"
	"github.com/tierstack/tierstack/internal/signals"
)

// TypeToken is the Pulumi type token of the DRRegion component.
const TypeToken = "tierstack:index:DRRegion"

// DRRegion is the service's disaster-recovery region: its own Network and what the Strategy keeps
// there, with the pieces of the primary region that feed it.
type DRRegion struct {
	pulumi.ResourceState

	// Strategy is the strategy the region was built with.
	Strategy Strategy
	// Objectives are the strategy's RPO and RTO, and why.
	Objectives Objectives
	// Region is the DR region's name, as its provider reports it.
	Region string
	// CIDR is the DR VPC's range.
	CIDR string
	// Network is the DR region's VPC.
	Network *network.Network
	// Web is the DR region's web tier; nil without Args.Web.
	Web *webtier.WebTier
	// Cache is the DR region's cache; nil without Args.Cache.
	Cache *cachetier.CacheTier

	// StrategyName is the strategy, as an output.
	StrategyName pulumi.StringOutput `pulumi:"strategy"`
	// RPO is the most recent data a loss of the primary region may lose, such as 27h or 1s.
	RPO pulumi.StringOutput `pulumi:"rpo"`
	// RTO is how long until the service answers from the DR region, such as 8h or 10m.
	RTO pulumi.StringOutput `pulumi:"rto"`
	// RegionName is the DR region, as an output.
	RegionName pulumi.StringOutput `pulumi:"region"`
	// VPCID is the DR VPC's ID.
	VPCID pulumi.StringOutput `pulumi:"vpcId"`
	// BackupVaultARN is the DR region's vault, which holds the copies; empty without Args.Backup.
	BackupVaultARN pulumi.StringOutput `pulumi:"backupVaultArn"`
	// SourceVaultARN is the primary region's vault, which holds the backups; empty without
	// Args.Backup.
	SourceVaultARN pulumi.StringOutput `pulumi:"sourceVaultArn"`
	// BackupPlanID is the AWS Backup plan's ID; empty without Args.Backup.
	BackupPlanID pulumi.StringOutput `pulumi:"backupPlanId"`
	// ReplicaBucket is the name of the DR region's copy of the asset bucket; empty without
	// Args.Assets.
	ReplicaBucket pulumi.StringOutput `pulumi:"replicaBucket"`
	// GlobalClusterIDs are the Aurora global clusters the secondaries joined, one per shard (the
	// DataTier's); empty without Args.Database.
	GlobalClusterIDs pulumi.StringArrayOutput `pulumi:"globalClusterIds"`
	// SecondaryClusterARNs are the DR region's secondary clusters, one per shard; empty without
	// Args.Database.
	SecondaryClusterARNs pulumi.StringArrayOutput `pulumi:"secondaryClusterArns"`
	// SecurityGroupID is the secondary clusters' security group; empty without Args.Database.
	SecurityGroupID pulumi.StringOutput `pulumi:"databaseSecurityGroupId"`
	// TableReplicaARNs are the DR region's table replicas, by table name; empty without
	// Args.Tables.
	TableReplicaARNs pulumi.StringMapOutput `pulumi:"tableReplicaArns"`
	// LoadBalancerDNSName is the DR web tier's load balancer's DNS name, for a failover record's
	// alias; empty without Args.Web.
	LoadBalancerDNSName pulumi.StringOutput `pulumi:"loadBalancerDnsName"`
	// LoadBalancerZoneID is that load balancer's canonical hosted zone, for the alias; empty
	// without Args.Web.
	LoadBalancerZoneID pulumi.StringOutput `pulumi:"loadBalancerZoneId"`
	// WebSecurityGroupID is the DR app's security group, which the DR cache admits (and the
	// secondary clusters may); empty without Args.Web.
	WebSecurityGroupID pulumi.StringOutput `pulumi:"webSecurityGroupId"`
	// CacheEndpoint is the DR cache's endpoint; empty without Args.Cache.
	CacheEndpoint pulumi.StringOutput `pulumi:"cacheEndpoint"`

	// readers are the secondary's reader endpoint for the DR region's app; nil without
	// Args.Database.
	readers *Readers
	// signalInputs name what Signals watches, filled in as the pieces are built.
	signalInputs SignalInputs
}

// Signals describes what to watch of the DR region, as built (see the package function
// Signals): for the Observability, with a provider of the DR region in its RegionProviders.
func (d *DRRegion) Signals() []signals.Signal { return Signals(d.signalInputs) }

// longestRoleSuffix is the longest suffix the DRRegion appends to its name for an auto-named IAM
// role.
const longestRoleSuffix = "-replication-role"

// PrimaryRegionChildren are the names of the children of a DRRegion named name that live in the
// primary region, on the provider the component's options give (see the package doc). Every other
// child lives in the DR region, on Args.Provider. (The global clusters live in the primary region
// too, but they are the DataTier's children: datatier.Args.Global.)
func PrimaryRegionChildren(name string) []string {
	roles := []string{"backup-source-key", "backup-source-vault", "backup-role", "backup-role-keys", "backup-role-service",
		"backup-plan", "backup-selection", "replication-role", "replication-role-policy", "assets-replication"}
	out := make([]string, len(roles))
	for i, r := range roles {
		out[i] = naming.Child(name, r)
	}
	return out
}

// New creates a DRRegion. It checks args and its name, and looks up the DR region through
// Args.Provider, before it registers anything.
func New(ctx *pulumi.Context, name string, args *Args, opts ...pulumi.ResourceOption) (*DRRegion, error) {
	if err := naming.CheckComponent("drregion", name, longestRoleSuffix); err != nil {
		return nil, err
	}
	a, err := args.checked()
	if err != nil {
		return nil, err
	}
	drEnv, err := awsenv.Lookup(ctx, []pulumi.InvokeOption{pulumi.Provider(a.Provider)})
	if err != nil {
		return nil, fmt.Errorf("drregion %s: the DR region: %w", name, err)
	}
	primaryEnv, _, err := awsenv.Resolve(ctx, opts)
	if err != nil {
		return nil, fmt.Errorf("drregion %s: the primary region: %w", name, err)
	}
	if drEnv.Region == primaryEnv.Region {
		return nil, fmt.Errorf("drregion %s: the provider's region %s is the primary region (allowed: any region but %s)", name, drEnv.Region, primaryEnv.Region)
	}
	if a.Database != nil {
		if err := CheckGlobalDatabaseRegions(a.Database.Engine, a.Database.EngineVersion, primaryEnv.Region, drEnv.Region); err != nil {
			return nil, fmt.Errorf("drregion %s: %w", name, err)
		}
	}
	compute, err := a.prepareCompute(ctx, drEnv.Region)
	if err != nil {
		return nil, fmt.Errorf("drregion %s: %w", name, err)
	}
	obj, _ := a.Strategy.Objectives()
	d := &DRRegion{Strategy: a.Strategy, Objectives: obj, Region: drEnv.Region, CIDR: a.Network.CIDR,
		signalInputs: SignalInputs{Region: drEnv.Region}}
	if err := ctx.RegisterComponentResource(TypeToken, name, d, opts...); err != nil {
		return nil, fmt.Errorf("drregion %s: %w", name, err)
	}
	b := builder{ctx: ctx, name: name, a: a, d: d, drEnv: drEnv, primaryEnv: primaryEnv}
	if err := b.build(compute); err != nil {
		return nil, fmt.Errorf("drregion %s: %w", name, err)
	}
	if err := ctx.RegisterResourceOutputs(d, pulumi.Map{
		"strategy": d.StrategyName, "rpo": d.RPO, "rto": d.RTO, "region": d.RegionName, "vpcId": d.VPCID,
		"cidrBlock": pulumi.String(d.CIDR), "backupVaultArn": d.BackupVaultARN, "sourceVaultArn": d.SourceVaultARN,
		"backupPlanId": d.BackupPlanID, "replicaBucket": d.ReplicaBucket,
		"globalClusterIds": d.GlobalClusterIDs, "secondaryClusterArns": d.SecondaryClusterARNs,
		"databaseSecurityGroupId": d.SecurityGroupID, "tableReplicaArns": d.TableReplicaARNs,
		"loadBalancerDnsName": d.LoadBalancerDNSName, "loadBalancerZoneId": d.LoadBalancerZoneID,
		"webSecurityGroupId": d.WebSecurityGroupID, "cacheEndpoint": d.CacheEndpoint,
	}); err != nil {
		return nil, fmt.Errorf("drregion %s: registering outputs: %w", name, err)
	}
	return d, nil
}

// builder holds what the build steps share.
type builder struct {
	ctx               *pulumi.Context
	name              string
	a                 Args
	d                 *DRRegion
	drEnv, primaryEnv awsenv.Env
}

// child names a child.
func (b builder) child(role string) string { return naming.Child(b.name, role) }

// inDR are the options of a child that lives in the DR region.
func (b builder) inDR(more ...pulumi.ResourceOption) []pulumi.ResourceOption {
	return append([]pulumi.ResourceOption{pulumi.Parent(b.d), pulumi.Provider(b.a.Provider)}, more...)
}

// inPrimary are the options of a child that lives in the primary region: the provider comes from
// the component's own options, as for any child.
func (b builder) inPrimary(more ...pulumi.ResourceOption) []pulumi.ResourceOption {
	return append([]pulumi.ResourceOption{pulumi.Parent(b.d)}, more...)
}

// kept are the options of what holds data (the vaults, their keys, the replica bucket): left in AWS
// when it leaves the stack, with what it holds. Not protected, as the CDN's asset bucket is not:
// turning the DR region off (unsetting tierstack:drRegion) must not need every store unprotected.
func (b builder) kept() []pulumi.ResourceOption {
	return []pulumi.ResourceOption{pulumi.RetainOnDelete(true)}
}

// build creates the children the strategy needs.
func (b builder) build(compute compute) error {
	d := b.d
	d.StrategyName = pulumi.String(string(d.Strategy)).ToStringOutput()
	d.RPO = pulumi.String(FormatObjective(d.Objectives.RPO)).ToStringOutput()
	d.RTO = pulumi.String(FormatObjective(d.Objectives.RTO)).ToStringOutput()
	d.RegionName = pulumi.String(d.Region).ToStringOutput()
	empty := pulumi.String("").ToStringOutput()
	d.BackupVaultARN, d.SourceVaultARN, d.BackupPlanID, d.ReplicaBucket = empty, empty, empty, empty
	d.SecurityGroupID = empty
	d.LoadBalancerDNSName, d.LoadBalancerZoneID, d.WebSecurityGroupID, d.CacheEndpoint = empty, empty, empty, empty
	d.GlobalClusterIDs = pulumi.StringArray{}.ToStringArrayOutput()
	d.SecondaryClusterARNs = pulumi.StringArray{}.ToStringArrayOutput()
	d.TableReplicaARNs = pulumi.StringMap{}.ToStringMapOutput()

	netArgs := b.a.Network
	netArgs.Tags = b.a.Tags
	if !netArgs.DisableFlowLogs {
		key, err := newKey(b.ctx, b.child("logs-key"), "tierstack: the DR region's log groups in "+b.drEnv.Region, b.drEnv, b.a.Tags, true,
			b.inDR(pulumi.RetainOnDelete(true))...)
		if err != nil {
			return err
		}
		netArgs.FlowLogKeyARN = key.Arn
	}
	net, err := network.New(b.ctx, b.child("network"), &netArgs, b.inDR()...)
	if err != nil {
		return err
	}
	d.Network, d.VPCID = net, net.VPCID
	if b.a.Backup != nil {
		if err := b.buildBackup(); err != nil {
			return err
		}
	}
	if b.a.Assets != nil {
		if err := b.buildReplication(); err != nil {
			return err
		}
	}
	if b.a.Database != nil {
		if err := b.buildGlobalDatabase(); err != nil {
			return err
		}
	}
	if len(b.a.Tables) > 0 {
		if err := b.buildTableReplicas(); err != nil {
			return err
		}
	}
	return b.buildCompute(compute)
}
