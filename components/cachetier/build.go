package cachetier

import (
	"encoding/json"
	"fmt"
	"sort"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/elasticache"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/kms"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/tierstack/tierstack/internal/awsenv"
	"github.com/tierstack/tierstack/internal/kmskey"
	"github.com/tierstack/tierstack/internal/naming"
	"github.com/tierstack/tierstack/internal/secrets"
)

// AuthTokenLength is the length of the generated AUTH token: letters and digits only, well inside
// ElastiCache's rules (16 to 128 printable characters, none of / " @ %; ModifyReplicationGroup
// AuthToken in the ElastiCache API reference).
const AuthTokenLength = 64

// build creates the CacheTier's children. Every input whose change would replace the replication
// group (port, encryption at rest and its key, subnet group, replication group ID, network type,
// data tiering, snapshot to restore) is the same in every mode and at every size, so moving through
// the modes and adding shards or replicas only updates it in place.
func (c *CacheTier) build(ctx *pulumi.Context, name string, a checkedArgs, env awsenv.Env) error {
	parent := pulumi.Parent(c)
	tags := func(child string) pulumi.StringMap { return naming.Tags(a.Tags, child) }

	// The key also encrypts the slow and engine log groups: CloudWatch Logs of the region may use it.
	key, err := kmskey.NewWith(ctx, naming.Child(name, "key"), fmt.Sprintf("Encrypts cache %s, its snapshots, its secret and its logs", name), env, a.Tags,
		[]kmskey.Statement{kmskey.Logs(env)}, parent, pulumi.Protect(!a.Unprotected),
		// Every snapshot, the final one included, is encrypted with this key: it outlives the stack.
		pulumi.RetainOnDelete(true))
	if err != nil {
		return err
	}
	c.KMSKeyARN = key.Arn

	subnetsName := naming.Child(name, "subnets")
	subnets, err := elasticache.NewSubnetGroup(ctx, subnetsName, &elasticache.SubnetGroupArgs{
		Description: pulumi.String(fmt.Sprintf("Data subnets of cache %s", name)),
		SubnetIds:   a.Network.DataSubnetIDs,
		Tags:        tags(subnetsName),
	}, parent)
	if err != nil {
		return err
	}

	// The group's own security group has no inline rules: no egress (a cache calls nothing) and no
	// ingress until AllowFrom adds one rule resource per client.
	sgName := naming.Child(name, "sg")
	sg, err := ec2.NewSecurityGroup(ctx, sgName, &ec2.SecurityGroupArgs{
		VpcId:       a.Network.VPCID,
		Description: pulumi.String(fmt.Sprintf("Cache %s: admits only the clients it names, on port %d", name, Port)),
		Tags:        tags(sgName),
	}, parent)
	if err != nil {
		return err
	}
	c.securityGrp, c.SecurityGroupID = sg, sg.ID().ToStringOutput()

	params, err := c.buildParameterGroups(ctx, name, a, tags)
	if err != nil {
		return err
	}
	token, err := secrets.Password(ctx, naming.Child(name, "auth-token"), AuthTokenLength, parent)
	if err != nil {
		return err
	}
	if err := c.buildLogGroups(ctx, name, a, key, tags); err != nil {
		return err
	}
	if err := c.buildReplicationGroup(ctx, name, a, groupInputs{
		key: key, subnets: subnets, sg: sg, params: params, token: token.Result,
	}, tags); err != nil {
		return err
	}
	return c.buildSecret(ctx, name, a, key, token.Result)
}

// buildParameterGroups creates the CacheTier's two parameter groups, of the engine version's family
// and with Args.Parameters: "params" with cluster-enabled no, which ModeDisabled uses, and
// "cluster-params" with cluster-enabled yes, which ModeCompatible and ModeEnabled use. Both exist in
// every mode (a parameter group is free), so the step to ModeCompatible only switches the group's
// parameterGroupName in place — the one other change AWS accepts in the same request as the mode
// ("Modifying cluster mode") — and cluster-enabled, a static parameter, is never edited on a group in
// use. It returns the name of each, by cluster-enabled value.
func (c *CacheTier) buildParameterGroups(ctx *pulumi.Context, name string, a checkedArgs, tags func(string) pulumi.StringMap) (map[string]pulumi.StringOutput, error) {
	names := make([]string, 0, len(a.Parameters))
	for k := range a.Parameters {
		names = append(names, k)
	}
	sort.Strings(names)
	out := map[string]pulumi.StringOutput{}
	for _, mode := range []ClusterMode{ModeDisabled, ModeEnabled} {
		role, clusterEnabled := parameterGroupFor(mode)
		list := elasticache.ParameterGroupParameterArray{elasticache.ParameterGroupParameterArgs{
			Name: pulumi.String(clusterEnabledParameter), Value: pulumi.String(clusterEnabled),
		}}
		for _, k := range names {
			list = append(list, elasticache.ParameterGroupParameterArgs{Name: pulumi.String(k), Value: pulumi.String(a.Parameters[k])})
		}
		groupName := naming.Child(name, role)
		pg, err := elasticache.NewParameterGroup(ctx, groupName, &elasticache.ParameterGroupArgs{
			Family:      pulumi.String(a.family),
			Description: pulumi.String(fmt.Sprintf("Cache %s, cluster-enabled %s", name, clusterEnabled)),
			Parameters:  list,
			Tags:        tags(groupName),
		}, pulumi.Parent(c))
		if err != nil {
			return nil, err
		}
		out[clusterEnabled] = pg.Name
	}
	return out, nil
}

// buildLogGroups creates the log groups the slow log and the engine log go to. They are kept when the
// cache is removed (RetainOnDelete), their events expiring with their retention, as the engine log
// tells what happened to a cache that is gone. The cache's key encrypts them.
func (c *CacheTier) buildLogGroups(ctx *pulumi.Context, name string, a checkedArgs, key *kms.Key, tags func(string) pulumi.StringMap) error {
	for _, role := range []string{"slow-log", "engine-log"} {
		groupName := naming.Child(name, role)
		g, err := cloudwatch.NewLogGroup(ctx, groupName, &cloudwatch.LogGroupArgs{
			RetentionInDays: pulumi.Int(a.LogRetentionDays),
			KmsKeyId:        key.Arn,
			Tags:            tags(groupName),
		}, pulumi.Parent(c), pulumi.RetainOnDelete(true))
		if err != nil {
			return err
		}
		if role == "slow-log" {
			c.SlowLogGroup = g
		} else {
			c.EngineLogGroup = g
		}
	}
	return nil
}

// groupInputs are the children the replication group refers to.
type groupInputs struct {
	key     *kms.Key
	subnets *elasticache.SubnetGroup
	sg      *ec2.SecurityGroup
	params  map[string]pulumi.StringOutput
	token   pulumi.StringOutput
}

// buildReplicationGroup creates the replication group and sets the endpoint outputs.
func (c *CacheTier) buildReplicationGroup(ctx *pulumi.Context, name string, a checkedArgs, in groupInputs, tags func(string) pulumi.StringMap) error {
	_, clusterEnabled := parameterGroupFor(a.Mode)
	t := a.topology
	args := &elasticache.ReplicationGroupArgs{
		Description:        pulumi.String(fmt.Sprintf("Cache %s (%s)", name, engineTitle(a.Engine))),
		Engine:             pulumi.String(string(a.Engine)),
		EngineVersion:      pulumi.String(a.EngineVersion),
		NodeType:           pulumi.String(a.NodeType),
		Port:               pulumi.Int(Port),
		ClusterMode:        pulumi.String(string(a.Mode)),
		ParameterGroupName: in.params[clusterEnabled],
		SubnetGroupName:    in.subnets.Name,
		SecurityGroupIds:   pulumi.StringArray{in.sg.ID().ToStringOutput()},

		AtRestEncryptionEnabled:  pulumi.Bool(true),
		KmsKeyId:                 in.key.Arn,
		TransitEncryptionEnabled: pulumi.Bool(true),
		TransitEncryptionMode:    pulumi.String("required"),
		// A secret output: the random provider marks its result secret, and the group's schema marks
		// authToken sensitive.
		AuthToken: in.token,

		AutomaticFailoverEnabled: pulumi.Bool(t.AutomaticFailover),
		MultiAzEnabled:           pulumi.Bool(t.MultiAZ),

		MaintenanceWindow:       pulumi.String(a.MaintenanceWindow),
		SnapshotRetentionLimit:  pulumi.Int(a.SnapshotRetentionDays),
		FinalSnapshotIdentifier: pulumi.String(FinalSnapshotIdentifier(ctx.Project(), ctx.Stack(), name)),
		// Patches come when EngineVersion says so, not when AWS decides.
		AutoMinorVersionUpgrade: pulumi.Bool(false),
		// What pulumi up shows is what it does: changes apply now, not at the next maintenance window.
		ApplyImmediately: pulumi.Bool(true),
		LogDeliveryConfigurations: elasticache.ReplicationGroupLogDeliveryConfigurationArray{
			logDelivery("slow-log", c.SlowLogGroup),
			logDelivery("engine-log", c.EngineLogGroup),
		},
		Tags: tags(naming.Child(name, "group")),
	}
	if !a.DisableSnapshots {
		args.SnapshotWindow = pulumi.String(a.SnapshotWindow)
	}
	if a.Mode == ModeEnabled {
		args.NumNodeGroups = pulumi.Int(t.Shards)
		args.ReplicasPerNodeGroup = pulumi.Int(t.ReplicasPerShard)
	} else {
		// One shard: the primary and its replicas, placed zone by zone. After a move to ModeEnabled the
		// provider reads the same group back as numNodeGroups 1 and replicasPerNodeGroup = replicas, so
		// the switch of fields is no change to AWS.
		args.NumCacheClusters = pulumi.Int(t.Nodes)
		args.PreferredCacheClusterAzs = pulumi.ToStringArray(a.zones)
	}

	rg, err := elasticache.NewReplicationGroup(ctx, naming.Child(name, "group"), args,
		pulumi.Parent(c), pulumi.Protect(!a.Unprotected), pulumi.Timeouts(GroupTimeouts()))
	if err != nil {
		return err
	}
	c.ReplicationGroup = rg
	c.PrimaryEndpoint = rg.PrimaryEndpointAddress
	c.ReaderEndpoint = rg.ReaderEndpointAddress
	c.ConfigurationEndpoint = rg.ConfigurationEndpointAddress
	// From the compatible step on, clients use the configuration endpoint: AWS serves it in
	// compatible mode so that every client can move to it before the group leaves the primary
	// endpoint behind in mode enabled ("Modifying cluster mode").
	c.Endpoint = rg.PrimaryEndpointAddress
	if a.Mode != ModeDisabled {
		c.Endpoint = rg.ConfigurationEndpointAddress
	}
	c.Port = rg.Port.Elem()
	return nil
}

// logDelivery sends one of the engine's logs to a CloudWatch log group, as JSON.
func logDelivery(logType string, group *cloudwatch.LogGroup) elasticache.ReplicationGroupLogDeliveryConfigurationArgs {
	return elasticache.ReplicationGroupLogDeliveryConfigurationArgs{
		Destination:     group.Name,
		DestinationType: pulumi.String("cloudwatch-logs"),
		LogFormat:       pulumi.String("json"),
		LogType:         pulumi.String(logType),
	}
}

// buildSecret keeps the connection (host, port, AUTH token, engine and cluster mode) in a Secrets
// Manager secret encrypted with the CacheTier's key.
func (c *CacheTier) buildSecret(ctx *pulumi.Context, name string, a checkedArgs, key *kms.Key, token pulumi.StringOutput) error {
	value := pulumi.All(c.Endpoint, token).ApplyT(func(v []any) (string, error) {
		host, _ := v[0].(string)
		authToken, _ := v[1].(string)
		doc, err := json.Marshal(connection{Host: host, Port: Port, AuthToken: authToken, Engine: string(a.Engine), ClusterMode: string(a.Mode)})
		if err != nil {
			return "", fmt.Errorf("connection secret: %w", err)
		}
		return string(doc), nil
	}).(pulumi.StringOutput)
	secret, version, err := secrets.New(ctx, naming.Child(name, "connection"),
		fmt.Sprintf("Connection to cache %s: host, port, authToken (TLS required), engine, clusterMode", name),
		key.Arn, value, a.Tags, pulumi.Parent(c))
	if err != nil {
		return err
	}
	c.Secret, c.SecretARN = secret, secret.Arn
	// The mode, once the secret holds the endpoint of that mode: what a client that reads the host
	// from the secret waits for before it starts with the mode's protocol.
	mode := string(a.Mode)
	c.ClientMode = version.VersionId.ApplyT(func(string) string { return mode }).(pulumi.StringOutput)
	return nil
}

// connection is the JSON document the connection secret holds.
type connection struct {
	Host        string `json:"host"`
	Port        int    `json:"port"`
	AuthToken   string `json:"authToken"`
	Engine      string `json:"engine"`
	ClusterMode string `json:"clusterMode"`
}
