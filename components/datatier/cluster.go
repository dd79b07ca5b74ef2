package datatier

import (
	"fmt"
	"strconv"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/appautoscaling"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/kms"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/rds"
	"github.com/pulumi/pulumi-random/sdk/v4/go/random"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/tierstack/tierstack/internal/awsenv"
	"github.com/tierstack/tierstack/internal/naming"
)

// shared are the resources every shard uses.
type shared struct {
	subnetGroup    *rds.SubnetGroup
	securityGroup  *ec2.SecurityGroup
	parameterGroup *rds.ClusterParameterGroup
	// instanceParams is the instances' parameter group: max_connections (see ConnectionLimit).
	instanceParams *rds.ParameterGroup
	password       *random.RandomPassword
	monitoringRole *iam.Role // nil when Enhanced Monitoring is off
	// monitoringReady is what an instance waits on before it publishes Enhanced Monitoring: the
	// role's policy attachment (RDS refuses a role that does not yet have it).
	monitoringReady []pulumi.Resource
}

// buildShared creates the DB subnet group over the data subnets, the security group, the cluster
// parameter group, the master password and, with Enhanced Monitoring, its role.
func (d *DataTier) buildShared(ctx *pulumi.Context, name string, a Args, env awsenv.Env, key *kms.Key) (shared, error) {
	parent := pulumi.Parent(d)
	tags := func(child string) pulumi.StringMap { return naming.Tags(a.Tags, child) }
	var s shared
	var err error

	subnetName := naming.Child(name, "subnets")
	if s.subnetGroup, err = rds.NewSubnetGroup(ctx, subnetName, &rds.SubnetGroupArgs{
		Description: pulumi.String("tierstack " + name + ": the Network's data subnets"),
		SubnetIds:   a.Network.DataSubnetIDs,
		Tags:        tags(subnetName),
	}, parent); err != nil {
		return s, err
	}

	// No inline rules: clients are admitted one rule resource each (AllowFrom), and with no egress
	// rule the database starts no connection of its own.
	sgName := naming.Child(name, "sg")
	if s.securityGroup, err = ec2.NewSecurityGroup(ctx, sgName, &ec2.SecurityGroupArgs{
		VpcId:       a.Network.VPCID,
		Description: pulumi.String("tierstack database: clients are admitted by security group"),
		Tags:        tags(sgName),
	}, parent); err != nil {
		return s, err
	}
	d.SecurityGroupID = s.securityGroup.ID().ToStringOutput()

	family, err := ParameterGroupFamily(a.Engine, a.EngineVersion)
	if err != nil {
		return s, err
	}
	var params rds.ClusterParameterGroupParameterArray
	for _, p := range parameters(a.Engine, a.TimeZone, a.Parameters) {
		params = append(params, rds.ClusterParameterGroupParameterArgs{
			Name:  pulumi.String(p[0]),
			Value: pulumi.String(p[1]),
			// Static and dynamic parameters alike take effect at the next reboot: a parameter change
			// never restarts the database by itself.
			ApplyMethod: pulumi.String("pending-reboot"),
		})
	}
	pgName := naming.Child(name, "params")
	if s.parameterGroup, err = rds.NewClusterParameterGroup(ctx, pgName, &rds.ClusterParameterGroupArgs{
		Family:      pulumi.String(family),
		Description: pulumi.String("tierstack " + name + " cluster parameters"),
		Parameters:  params,
		Tags:        tags(pgName),
	}, parent); err != nil {
		return s, err
	}

	// The instances' parameter group holds max_connections, an instance-level parameter in Aurora
	// MySQL (Aurora User Guide, "Aurora MySQL configuration parameters", instance-level parameters),
	// static for Serverless v2: it takes effect when each instance reboots.
	var instanceParams rds.ParameterGroupParameterArray
	if limit, explicit := connectionLimit(a); explicit {
		instanceParams = append(instanceParams, rds.ParameterGroupParameterArgs{
			Name:        pulumi.String(maxConnectionsParameter),
			Value:       pulumi.String(strconv.Itoa(limit)),
			ApplyMethod: pulumi.String("pending-reboot"),
		})
	}
	ipgName := naming.Child(name, "instance-params")
	if s.instanceParams, err = rds.NewParameterGroup(ctx, ipgName, &rds.ParameterGroupArgs{
		Family:      pulumi.String(family),
		Description: pulumi.String("tierstack " + name + " instance parameters"),
		Parameters:  instanceParams,
		Tags:        tags(ipgName),
	}, parent); err != nil {
		return s, err
	}

	if s.password, err = newPassword(ctx, naming.Child(name, "master-password"), parent); err != nil {
		return s, err
	}

	if a.MonitoringInterval > 0 {
		roleName := naming.Child(name, "monitoring-role")
		if s.monitoringRole, err = iam.NewRole(ctx, roleName, &iam.RoleArgs{
			Description: pulumi.String("Lets RDS Enhanced Monitoring publish the database's OS metrics"),
			AssumeRolePolicy: pulumi.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow",` +
				`"Principal":{"Service":"monitoring.rds.amazonaws.com"},"Action":"sts:AssumeRole",` +
				`"Condition":{"StringEquals":{"aws:SourceAccount":"` + env.AccountID + `"}}}]}`),
			Tags: tags(roleName),
		}, parent); err != nil {
			return s, err
		}
		attachment, err := iam.NewRolePolicyAttachment(ctx, naming.Child(name, "monitoring"), &iam.RolePolicyAttachmentArgs{
			Role:      s.monitoringRole.Name,
			PolicyArn: pulumi.String(env.ManagedPolicyARN("service-role/AmazonRDSEnhancedMonitoringRole")),
		}, parent)
		if err != nil {
			return s, err
		}
		s.monitoringReady = []pulumi.Resource{attachment}
	}
	return s, nil
}

// buildShard creates one shard: its log groups, its cluster, its writer, its readers and their
// scaling. It returns the cluster and its writer.
func (d *DataTier) buildShard(ctx *pulumi.Context, prefix string, shard int, tierName string, a Args, s shared, key *kms.Key) (*rds.Cluster, *rds.ClusterInstance, error) {
	parent := pulumi.Parent(d)
	protect := pulumi.Protect(!a.Unprotected)
	clusterName := naming.Child(prefix, "cluster")
	identifier := ClusterIdentifier(ctx.Project(), ctx.Stack(), clusterName)
	logGroups, err := buildLogGroups(ctx, prefix, identifier, a, key, parent)
	if err != nil {
		return nil, nil, err
	}
	args := &rds.ClusterArgs{
		ClusterIdentifier: pulumi.String(identifier),
		Engine:            pulumi.String(string(a.Engine)),
		EngineMode:        pulumi.String("provisioned"),
		EngineVersion:     pulumi.String(a.EngineVersion),
		// A major version is changed only by editing EngineVersion (and the parameter group family
		// follows); without this flag AWS refuses the change.
		AllowMajorVersionUpgrade:    pulumi.Bool(true),
		DatabaseName:                pulumi.String(a.DatabaseName),
		MasterUsername:              pulumi.String(a.MasterUsername),
		MasterPassword:              s.password.Result,
		DbSubnetGroupName:           s.subnetGroup.Name,
		VpcSecurityGroupIds:         pulumi.StringArray{s.securityGroup.ID().ToStringOutput()},
		DbClusterParameterGroupName: s.parameterGroup.Name,
		StorageEncrypted:            pulumi.Bool(true),
		KmsKeyId:                    keyARN(key),
		DeletionProtection:          pulumi.Bool(true),
		SkipFinalSnapshot:           pulumi.Bool(false),
		FinalSnapshotIdentifier:     pulumi.String(FinalSnapshotIdentifier(ctx.Project(), ctx.Stack(), clusterName)),
		CopyTagsToSnapshot:          pulumi.Bool(true),
		// The RDS Data API, through which the tier creates the application's user (see buildAppUser).
		EnableHttpEndpoint:           pulumi.Bool(true),
		BackupRetentionPeriod:        pulumi.Int(a.BackupRetentionDays),
		PreferredBackupWindow:        pulumi.String(a.BackupWindow),
		PreferredMaintenanceWindow:   pulumi.String(a.MaintenanceWindow),
		EnabledCloudwatchLogsExports: pulumi.ToStringArray(a.Engine.LogExports()),
		// The scaling range is set whatever the instance class, so that moving between serverless and
		// provisioned instances is an in-place change of each instance.
		Serverlessv2ScalingConfiguration: &rds.ClusterServerlessv2ScalingConfigurationArgs{
			MinCapacity: pulumi.Float64(a.MinACU),
			MaxCapacity: pulumi.Float64(a.MaxACU),
		},
		Tags: naming.Tags(a.Tags, clusterName),
	}
	if a.MinACU == 0 {
		args.Serverlessv2ScalingConfiguration = &rds.ClusterServerlessv2ScalingConfigurationArgs{
			MinCapacity:           pulumi.Float64(0),
			MaxCapacity:           pulumi.Float64(a.MaxACU),
			SecondsUntilAutoPause: pulumi.Int(a.SecondsUntilAutoPause),
		}
	}
	if a.BacktrackHours > 0 {
		args.BacktrackWindow = pulumi.Int(a.BacktrackHours * 3600)
	}
	cluster, err := rds.NewCluster(ctx, clusterName, args, parent, protect,
		// The cluster holds the data: destroying the stack leaves it (and its final snapshot) in AWS.
		pulumi.RetainOnDelete(true),
		// Its log groups exist before it, so that RDS writes to them instead of creating its own.
		pulumi.DependsOn(logGroups),
		pulumi.IgnoreChanges(globalIgnored(a.Global != nil)))
	if err != nil {
		return nil, nil, err
	}

	zones := len(a.Network.Zones)
	newInstance := func(role string, index int, opts ...pulumi.ResourceOption) (*rds.ClusterInstance, error) {
		instanceName := naming.Child(prefix, role)
		ia := &rds.ClusterInstanceArgs{
			ClusterIdentifier:          cluster.ID(),
			Engine:                     pulumi.String(string(a.Engine)),
			InstanceClass:              pulumi.String(a.InstanceClass),
			DbSubnetGroupName:          s.subnetGroup.Name,
			DbParameterGroupName:       s.instanceParams.Name,
			AvailabilityZone:           pulumi.String(a.Network.Zones[index%zones]),
			PromotionTier:              pulumi.Int(min(index, 15)),
			PubliclyAccessible:         pulumi.Bool(false),
			AutoMinorVersionUpgrade:    pulumi.Bool(false),
			PreferredMaintenanceWindow: pulumi.String(a.MaintenanceWindow),
			CaCertIdentifier:           pulumi.String("rds-ca-rsa2048-g1"),
			Tags:                       naming.Tags(a.Tags, instanceName),
		}
		if a.PerformanceInsights {
			ia.PerformanceInsightsEnabled = pulumi.Bool(true)
			ia.PerformanceInsightsKmsKeyId = keyARN(key)
			ia.PerformanceInsightsRetentionPeriod = pulumi.Int(7)
		}
		if s.monitoringRole != nil {
			ia.MonitoringInterval = pulumi.Int(a.MonitoringInterval)
			ia.MonitoringRoleArn = s.monitoringRole.Arn
		}
		return rds.NewClusterInstance(ctx, instanceName, ia, append([]pulumi.ResourceOption{parent, pulumi.DependsOn(s.monitoringReady)}, opts...)...)
	}
	// The writer sits in the first zone; reader r in zone r, so the first reader is in another zone
	// (Multi-AZ failover) and readers spread as the Network's zones allow.
	writer, err := newInstance("writer", 0, protect)
	if err != nil {
		return nil, nil, err
	}
	instances := []pulumi.Resource{writer}
	for r := 1; r <= a.Readers; r++ {
		reader, err := newInstance(fmt.Sprintf("reader-%d", r), r)
		if err != nil {
			return nil, nil, err
		}
		instances = append(instances, reader)
	}
	if a.ReaderScaling != nil {
		// Aurora Auto Scaling acts on a cluster whose instances are available: register it after them.
		if err := buildReaderScaling(ctx, prefix, *a.ReaderScaling, a.serverless(), cluster, parent, pulumi.DependsOn(instances)); err != nil {
			return nil, nil, err
		}
	}
	return cluster, writer, nil
}

// buildReaderScaling registers the cluster's reader count with Application Auto Scaling and tracks
// the readers' average ACU utilisation on Serverless v2 (a customized metric: AWS/RDS
// ACUUtilization by DBClusterIdentifier and Role READER, the form the Aurora User Guide's "Using a
// custom metric" example gives for CPU), their average CPU with a provisioned class.
func buildReaderScaling(ctx *pulumi.Context, prefix string, rs ReaderScaling, serverless bool, cluster *rds.Cluster, parent, after pulumi.ResourceOption) error {
	target, err := appautoscaling.NewTarget(ctx, naming.Child(prefix, "readers"), &appautoscaling.TargetArgs{
		ServiceNamespace:  pulumi.String("rds"),
		ScalableDimension: pulumi.String("rds:cluster:ReadReplicaCount"),
		ResourceId:        pulumi.Sprintf("cluster:%s", cluster.ClusterIdentifier),
		MinCapacity:       pulumi.Int(rs.Min),
		MaxCapacity:       pulumi.Int(rs.Max),
	}, parent, after)
	if err != nil {
		return err
	}
	tracking := &appautoscaling.PolicyTargetTrackingScalingPolicyConfigurationArgs{
		PredefinedMetricSpecification: &appautoscaling.PolicyTargetTrackingScalingPolicyConfigurationPredefinedMetricSpecificationArgs{
			PredefinedMetricType: pulumi.String("RDSReaderAverageCPUUtilization"),
		},
		TargetValue:      pulumi.Float64(rs.TargetCPU),
		ScaleInCooldown:  pulumi.Int(300),
		ScaleOutCooldown: pulumi.Int(300),
	}
	policyName := naming.Child(prefix, "readers-cpu")
	if serverless {
		policyName = naming.Child(prefix, "readers-acu")
		tracking.PredefinedMetricSpecification = nil
		tracking.CustomizedMetricSpecification = &appautoscaling.PolicyTargetTrackingScalingPolicyConfigurationCustomizedMetricSpecificationArgs{
			Namespace:  pulumi.String("AWS/RDS"),
			MetricName: pulumi.String("ACUUtilization"),
			Statistic:  pulumi.String("Average"),
			Unit:       pulumi.String("Percent"),
			Dimensions: appautoscaling.PolicyTargetTrackingScalingPolicyConfigurationCustomizedMetricSpecificationDimensionArray{
				appautoscaling.PolicyTargetTrackingScalingPolicyConfigurationCustomizedMetricSpecificationDimensionArgs{
					Name: pulumi.String("DBClusterIdentifier"), Value: cluster.ClusterIdentifier,
				},
				appautoscaling.PolicyTargetTrackingScalingPolicyConfigurationCustomizedMetricSpecificationDimensionArgs{
					Name: pulumi.String("Role"), Value: pulumi.String("READER"),
				},
			},
		}
		tracking.TargetValue = pulumi.Float64(rs.TargetACU)
	}
	_, err = appautoscaling.NewPolicy(ctx, policyName, &appautoscaling.PolicyArgs{
		PolicyType:                               pulumi.String("TargetTrackingScaling"),
		ServiceNamespace:                         target.ServiceNamespace,
		ScalableDimension:                        target.ScalableDimension,
		ResourceId:                               target.ResourceId,
		TargetTrackingScalingPolicyConfiguration: tracking,
	}, parent)
	return err
}

// buildLogGroups creates the log groups RDS publishes the cluster's exported logs to, before the
// cluster exists: RDS creates a missing one itself, never expiring and without a key. Each keeps
// its events LogRetentionDays and is encrypted with the tier's key (whose policy lets CloudWatch
// Logs use it). They are kept in AWS when they leave the stack, as the cluster is. The pattern is
// terraform-provider-aws's documented one for aws_rds_cluster's enabled_cloudwatch_logs_exports (a
// log group named /aws/rds/cluster/<id>/<log> the cluster depends on).
func buildLogGroups(ctx *pulumi.Context, prefix, identifier string, a Args, key *kms.Key, parent pulumi.ResourceOption) ([]pulumi.Resource, error) {
	var groups []pulumi.Resource
	for _, log := range a.Engine.LogExports() {
		groupName := naming.Child(prefix, "log-"+log)
		g, err := cloudwatch.NewLogGroup(ctx, groupName, &cloudwatch.LogGroupArgs{
			Name:            pulumi.String(LogGroupName(identifier, log)),
			RetentionInDays: pulumi.Int(a.LogRetentionDays),
			KmsKeyId:        key.Arn,
			Tags:            naming.Tags(a.Tags, groupName),
		}, parent, pulumi.RetainOnDelete(true))
		if err != nil {
			return nil, err
		}
		groups = append(groups, g)
	}
	return groups, nil
}
