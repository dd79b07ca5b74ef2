package cachetier

import (
	"fmt"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/elasticache"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/secretsmanager"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/tierstack/tierstack/components/network"
	"github.com/tierstack/tierstack/internal/awsenv"
	"github.com/tierstack/tierstack/internal/naming"
	"github.com/tierstack/tierstack/internal/sgrules"
)

// TypeToken is the Pulumi type token of the CacheTier component.
const TypeToken = "tierstack:index:CacheTier"

// Args are the inputs of a CacheTier. Only Network is required: the zero value of every other field
// is a single Valkey 8.0 node (cache.t4g.small) in cluster mode disabled, encrypted at rest and in
// transit, with an AUTH token, daily snapshots kept 7 days, slow and engine logs kept 30 days, and
// the group and its key protected.
type Args struct {
	// Network is where the cache lives: its data subnets (through the CacheTier's own subnet group)
	// and its VPC (for the CacheTier's security group). Required.
	Network *network.Network

	// Engine is the cache engine; "" means EngineValkey. Fixed for the life of the stack.
	Engine Engine
	// EngineVersion pins the engine's major.minor version; "" means DefaultEngineVersion(Engine)
	// (Valkey 8.0, Redis OSS 7.1). Allowed: EngineVersions(Engine). Patches are not applied on their
	// own (auto minor version upgrade is off): raise this field to upgrade; a downgrade replaces the
	// group and is refused by CheckChange.
	EngineVersion string

	// Mode is the cluster mode; "" means ModeDisabled. A stack moves disabled → compatible → enabled,
	// one pulumi up per step and never back (see CheckModeChange).
	Mode ClusterMode
	// Replicas is how many read replicas stand beside the primary in ModeDisabled and ModeCompatible,
	// 0 to 5, placed round the Network's zones starting after the primary's. With one or more, the
	// group fails over automatically and is Multi-AZ. ModeCompatible needs at least 1. Must be 0 in
	// ModeEnabled, which counts ReplicasPerShard instead.
	Replicas int
	// Shards is how many shards (node groups) ModeEnabled spreads the data over, 1 to 500; 0 means 1.
	// Must be 0 in the other modes, which have exactly one. Shards can be added and removed in place.
	Shards int
	// ReplicasPerShard is how many read replicas each shard has in ModeEnabled, 0 to 5. With one or
	// more, the group is Multi-AZ. Must be 0 in the other modes.
	ReplicasPerShard int
	// NodeType is the node type of every node; "" means DefaultNodeType (cache.t4g.small). It must be a
	// "cache." type of a current-generation family (t3, t4g, m5, m6g, m7g, r5, r6g, r7g, c7gn); it
	// changes in place.
	NodeType string
	// Parameters are engine parameters (such as "maxmemory-policy": "volatile-lru") set on the
	// CacheTier's parameter groups. "cluster-enabled" is not allowed: the Mode sets it.
	Parameters map[string]string

	// DisableSnapshots turns off the daily snapshots, which are on by default.
	DisableSnapshots bool
	// SnapshotRetentionDays is how many days daily snapshots are kept, 1 to 35; 0 means 7.
	SnapshotRetentionDays int
	// SnapshotWindow is the daily time range (UTC, hh24:mi-hh24:mi, at least 60 minutes) in which
	// snapshots are taken; "" means DefaultSnapshotWindow (03:00-04:00). It must not overlap
	// MaintenanceWindow.
	SnapshotWindow string
	// MaintenanceWindow is the weekly time range (UTC, ddd:hh24:mi-ddd:hh24:mi, 60 minutes to 24 hours)
	// in which AWS patches the nodes; "" means DefaultMaintenanceWindow (sun:05:00-sun:06:00).
	MaintenanceWindow string
	// LogRetentionDays is how long the slow and engine logs are kept in CloudWatch Logs; 0 means 30.
	// It must be a value CloudWatch Logs accepts (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400,
	// 545, 731, 1096, 1827, 2192, 2557, 2922, 3288 or 3653).
	LogRetentionDays int

	// Unprotected lifts the protection of the replication group and its KMS key, so that pulumi
	// destroy can delete them (a final snapshot is still taken). The zero value protects both. The
	// key is kept in AWS on delete either way (RetainOnDelete), as every snapshot is encrypted with it.
	Unprotected bool
	// Tags are added to every resource the CacheTier creates, beside a Name tag.
	Tags map[string]string
}

// CacheTier is an ElastiCache (Valkey or Redis OSS) replication group in a Network's data subnets,
// encrypted at rest with its own KMS key and in transit, behind an AUTH token kept in Secrets
// Manager, with a security group that admits only the clients AllowFrom names.
type CacheTier struct {
	pulumi.ResourceState

	// ReplicationGroup is the replication group itself, the escape hatch for anything this component
	// does not expose.
	ReplicationGroup *elasticache.ReplicationGroup
	// Engine, EngineVersion and Mode are what the CacheTier was built with.
	Engine        Engine
	EngineVersion string
	Mode          ClusterMode
	// Topology is the node layout the CacheTier was built with.
	Topology Topology

	// Endpoint is the address clients connect to in the CacheTier's mode: the primary endpoint in
	// ModeDisabled, the configuration endpoint in ModeCompatible and ModeEnabled — clients move to it
	// at the compatible step, while the group still serves the primary endpoint too, so that none is
	// left on the primary endpoint when the group reaches ModeEnabled. The connection secret's host
	// is this address.
	Endpoint pulumi.StringOutput `pulumi:"endpoint"`
	// PrimaryEndpoint is the primary's address in ModeDisabled and ModeCompatible; empty in ModeEnabled.
	PrimaryEndpoint pulumi.StringOutput `pulumi:"primaryEndpoint"`
	// ReaderEndpoint spreads reads over the replicas in ModeDisabled and ModeCompatible; empty in
	// ModeEnabled.
	ReaderEndpoint pulumi.StringOutput `pulumi:"readerEndpoint"`
	// ConfigurationEndpoint is where cluster-aware clients discover the shards, in ModeCompatible and
	// ModeEnabled; empty in ModeDisabled. Clients move to it during the compatible step.
	ConfigurationEndpoint pulumi.StringOutput `pulumi:"configurationEndpoint"`
	// Port is the port the cache listens on (Port, 6379).
	Port pulumi.IntOutput `pulumi:"port"`
	// SecretARN is the Secrets Manager secret that holds the connection: a JSON object with host,
	// port, authToken, engine and clusterMode. Applications read it at start; it is never in plain text
	// in the stack.
	SecretARN pulumi.StringOutput `pulumi:"secretArn"`
	// ClientMode is the cluster mode (Mode), known only once the connection secret holds the
	// endpoint of that mode. A client that reads its host from the secret at start and is told the
	// mode another way (an environment variable of a launch template) takes its mode from here, so
	// that it restarts with the new protocol only after the secret has the new host.
	ClientMode pulumi.StringOutput
	// SecurityGroupID is the cache's security group, which admits nothing until AllowFrom.
	SecurityGroupID pulumi.StringOutput `pulumi:"securityGroupId"`
	// KMSKeyARN is the KMS key that encrypts the cache, its snapshots and its secret.
	KMSKeyARN pulumi.StringOutput `pulumi:"kmsKeyArn"`

	// SlowLogGroup and EngineLogGroup receive the cache's slow log and engine log.
	SlowLogGroup, EngineLogGroup *cloudwatch.LogGroup
	// Secret is the connection secret (SecretARN).
	Secret *secretsmanager.Secret

	name         string
	args         Args // as New was given them, defaults applied: what Signals describes
	securityGrp  *ec2.SecurityGroup
	engineTitle  string
	allowedNames map[string]bool
}

// New creates a CacheTier. It checks args and its name, and looks up the region, account and
// partition through the provider its children will use, before it registers anything: a bad value
// fails with nothing created.
func New(ctx *pulumi.Context, name string, args *Args, opts ...pulumi.ResourceOption) (*CacheTier, error) {
	if err := checkName(name); err != nil {
		return nil, err
	}
	a, err := args.checked(true)
	if err != nil {
		return nil, err
	}
	env, _, err := awsenv.Resolve(ctx, opts)
	if err != nil {
		return nil, fmt.Errorf("cachetier %s: %w", name, err)
	}

	c := &CacheTier{
		Engine:        a.Engine,
		EngineVersion: a.EngineVersion,
		Mode:          a.Mode,
		Topology:      a.topology,
		name:          name,
		args:          a.Args,
		engineTitle:   engineTitle(a.Engine),
		allowedNames:  map[string]bool{},
	}
	if err := ctx.RegisterComponentResource(TypeToken, name, c, opts...); err != nil {
		return nil, fmt.Errorf("cachetier %s: %w", name, err)
	}
	if err := c.build(ctx, name, a, env); err != nil {
		return nil, fmt.Errorf("cachetier %s: %w", name, err)
	}
	if err := c.warn(ctx, name, a); err != nil {
		return nil, fmt.Errorf("cachetier %s: %w", name, err)
	}
	if err := ctx.RegisterResourceOutputs(c, pulumi.Map{
		"endpoint":              c.Endpoint,
		"primaryEndpoint":       c.PrimaryEndpoint,
		"readerEndpoint":        c.ReaderEndpoint,
		"configurationEndpoint": c.ConfigurationEndpoint,
		"port":                  c.Port,
		"secretArn":             c.SecretARN,
		"securityGroupId":       c.SecurityGroupID,
		"kmsKeyArn":             c.KMSKeyARN,
	}); err != nil {
		return nil, fmt.Errorf("cachetier %s: registering outputs: %w", name, err)
	}
	return c, nil
}

// AllowFrom admits a client to the cache: it registers, as a child of the CacheTier, the rule
// "name-allow-client" that lets the security group sourceSecurityGroupID reach the cache's port (and
// nothing else). client names the rule ("web"): a lowercase letter, then up to 39 lowercase letters,
// digits and hyphens, once per CacheTier. Sources are security groups, never CIDR ranges. Adding a
// client adds a rule; it never rewrites the cache's security group.
func (c *CacheTier) AllowFrom(ctx *pulumi.Context, client string, sourceSecurityGroupID pulumi.StringInput) (*ec2.SecurityGroupRule, error) {
	if c == nil || c.securityGrp == nil {
		return nil, fmt.Errorf("cachetier: AllowFrom %s: the CacheTier was not built by New", client)
	}
	if c.allowedNames[client] {
		return nil, fmt.Errorf("cachetier %s: client %q is already admitted (allowed: each client name once)", c.name, client)
	}
	rule, err := sgrules.AllowFrom(ctx, c, c.name, client, c.SecurityGroupID, sourceSecurityGroupID, Port, c.engineTitle)
	if err != nil {
		return nil, fmt.Errorf("cachetier %s: %w", c.name, err)
	}
	c.allowedNames[client] = true
	return rule, nil
}

// warn logs, on the CacheTier, what a user should act on before pulumi up: a node count over the
// default quota, and the compatible mode's one-way, no-other-change nature.
func (c *CacheTier) warn(ctx *pulumi.Context, name string, a checkedArgs) error {
	if a.topology.Nodes > DefaultNodeQuota {
		msg := fmt.Sprintf("cachetier %s: %d shards × %d nodes = %d nodes, over the default quota of %d nodes per cluster-mode-enabled group; ask AWS to raise \"Nodes per cluster per instance type\" (up to %d) before pulumi up",
			name, a.topology.Shards, 1+a.topology.ReplicasPerShard, a.topology.Nodes, DefaultNodeQuota, MaxNodes)
		if err := ctx.Log.Warn(msg, &pulumi.LogArgs{Resource: c}); err != nil {
			return err
		}
	}
	if a.Mode == ModeCompatible {
		msg := fmt.Sprintf("cachetier %s: cluster mode compatible is a step, not a place to stay: AWS allows no scaling or engine change in it. Move every client to the cluster protocol and the configuration endpoint (the connection secret's host now), then set mode enabled (shards 1, replicasPerShard %d) in the next pulumi up",
			name, a.Replicas)
		if err := ctx.Log.Warn(msg, &pulumi.LogArgs{Resource: c}); err != nil {
			return err
		}
	}
	return nil
}

// engineTitle names an engine in descriptions.
func engineTitle(e Engine) string {
	if e == EngineRedis {
		return "Redis OSS"
	}
	return "Valkey"
}

// checkName refuses a component name that would make AWS refuse a child's name. The longest is the
// replication group's ID, "name-group" plus Pulumi's suffix, which AWS limits to 40 characters, with
// no two hyphens in a row.
func checkName(name string) error {
	if err := naming.CheckComponent("cachetier", name, ""); err != nil {
		return err
	}
	limit := maxReplicationGroupID - naming.AutoNameSuffix - len(groupSuffix)
	if len(name) > limit {
		return fmt.Errorf("cachetier name %q has %d characters (allowed: at most %d, so that its replication group ID %q plus Pulumi's %d-character suffix fits AWS's %d-character limit)",
			name, len(name), limit, name+groupSuffix, naming.AutoNameSuffix, maxReplicationGroupID)
	}
	if strings.Contains(name+"-", "--") {
		return fmt.Errorf("cachetier name %q is not allowed (allowed: no hyphen at the end and no two in a row, as ElastiCache IDs need)", name)
	}
	return nil
}
