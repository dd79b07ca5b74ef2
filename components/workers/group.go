package workers

import (
	"maps"
	"slices"
	"strconv"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/autoscaling"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/tierstack/tierstack/components/webtier"
	"github.com/tierstack/tierstack/internal/naming"
)

// BacklogExpression is the metric the workers' group tracks: visible messages per worker in
// service, AWS's "backlog per instance" (EC2 Auto Scaling User Guide, "Create a target tracking
// scaling policy using metric math", the SQS example).
const BacklogExpression = "messages / workers"

// runGroup runs the workers on an Auto Scaling group of their own in the private subnets: no load
// balancer, no inbound rule, IMDSv2, an encrypted root volume, the same boot script as the app's
// instances without a published port; scaled by target tracking on the backlog per worker.
func (w *Workers) runGroup(ctx *pulumi.Context) error {
	a, name, parent := w.args, w.name, pulumi.Parent(w)
	backends, err := webtier.ResolveBackends(a.Mode, a.Backends)
	if err != nil {
		return err
	}
	roleName := naming.Child(name, "role")
	role, err := iam.NewRole(ctx, roleName, &iam.RoleArgs{
		Description:      pulumi.String("The workers' instances: their queue, their secrets, Session Manager"),
		AssumeRolePolicy: pulumi.String(webtier.EC2Trust(w.env)),
		Tags:             naming.Tags(a.Tags, roleName),
	}, parent)
	if err != nil {
		return err
	}
	w.RoleARN = role.Arn
	grants, err := w.grantRole(ctx, role, backends, true)
	if err != nil {
		return err
	}
	profileName := naming.Child(name, "profile")
	profile, err := iam.NewInstanceProfile(ctx, profileName, &iam.InstanceProfileArgs{Role: role.Name, Tags: naming.Tags(a.Tags, profileName)}, parent)
	if err != nil {
		return err
	}
	userData := w.userData(backends)
	ltName := naming.Child(name, "lt")
	// The container reads the queue with the instance role: one hop more than the host (IMDSv2).
	lt, err := webtier.NewLaunchTemplate(ctx, ltName, webtier.LaunchTemplate{
		Image: webtier.AMIParameter, InstanceType: a.InstanceType, SecurityGroupID: w.sg.ID().ToStringOutput(),
		ProfileARN: profile.Arn, UserData: userData, InstanceName: naming.Child(name, "worker"), Tags: a.Tags,
	}, parent)
	if err != nil {
		return err
	}
	group, err := autoscaling.NewGroup(ctx, naming.Child(name, "asg"), &autoscaling.GroupArgs{
		VpcZoneIdentifiers: a.Network.PrivateSubnetIDs,
		MinSize:            pulumi.Int(a.min),
		MaxSize:            pulumi.Int(a.Max),
		DesiredCapacity:    pulumi.Int(a.min),
		LaunchTemplate: &autoscaling.GroupLaunchTemplateArgs{
			Id:      lt.ID(),
			Version: lt.LatestVersion.ApplyT(func(v int) string { return strconv.Itoa(v) }).(pulumi.StringOutput),
		},
		// The backlog per worker divides by the workers in service, a group metric Auto Scaling
		// publishes only when collected.
		EnabledMetrics:     pulumi.StringArray{pulumi.String("GroupInServiceInstances")},
		MetricsGranularity: pulumi.String("1Minute"),
		HealthCheckType:    pulumi.String("EC2"),
		CapacityRebalance:  pulumi.Bool(true),
		// A new launch template version replaces workers a few at a time.
		InstanceRefresh: &autoscaling.GroupInstanceRefreshArgs{
			Strategy:    pulumi.String("Rolling"),
			Preferences: &autoscaling.GroupInstanceRefreshPreferencesArgs{MinHealthyPercentage: pulumi.Int(50)},
		},
		Tags: webtier.GroupTags(a.Tags, naming.Child(name, "worker")),
	}, parent,
		// Target tracking moves the desired capacity; Pulumi must not move it back.
		pulumi.IgnoreChanges([]string{"desiredCapacity"}),
		// Workers boot once the NAT routes (SQS, the registry) and their grants exist.
		pulumi.DependsOn(append(append([]pulumi.Resource{}, a.Network.InternetConnectivity...), grants...)))
	if err != nil {
		return err
	}
	w.AutoScalingGroupName = group.Name
	if err := webtier.BuildSchedules(ctx, name, a.Schedules, group, parent); err != nil {
		return err
	}
	_, err = autoscaling.NewPolicy(ctx, naming.Child(name, "backlog"), &autoscaling.PolicyArgs{
		AutoscalingGroupName: group.Name,
		PolicyType:           pulumi.String("TargetTrackingScaling"),
		TargetTrackingConfiguration: &autoscaling.PolicyTargetTrackingConfigurationArgs{
			TargetValue:                   pulumi.Float64(float64(a.BacklogPerWorker)),
			CustomizedMetricSpecification: backlogMetric(w.QueueName, group.Name),
		},
	}, parent)
	return err
}

// backlogMetric is BacklogExpression over the queue's visible messages and the group's workers in
// service.
func backlogMetric(queue, group pulumi.StringInput) *autoscaling.PolicyTargetTrackingConfigurationCustomizedMetricSpecificationArgs {
	type metric = autoscaling.PolicyTargetTrackingConfigurationCustomizedMetricSpecificationMetricArgs
	type stat = autoscaling.PolicyTargetTrackingConfigurationCustomizedMetricSpecificationMetricMetricStatArgs
	type named = autoscaling.PolicyTargetTrackingConfigurationCustomizedMetricSpecificationMetricMetricStatMetricArgs
	type dims = autoscaling.PolicyTargetTrackingConfigurationCustomizedMetricSpecificationMetricMetricStatMetricDimensionArray
	type dim = autoscaling.PolicyTargetTrackingConfigurationCustomizedMetricSpecificationMetricMetricStatMetricDimensionArgs
	return &autoscaling.PolicyTargetTrackingConfigurationCustomizedMetricSpecificationArgs{
		Metrics: autoscaling.PolicyTargetTrackingConfigurationCustomizedMetricSpecificationMetricArray{
			metric{Id: pulumi.String("messages"), Label: pulumi.String("Visible messages"), ReturnData: pulumi.Bool(false),
				MetricStat: &stat{Stat: pulumi.String("Sum"), Metric: named{
					Namespace: pulumi.String("AWS/SQS"), MetricName: pulumi.String("ApproximateNumberOfMessagesVisible"),
					Dimensions: dims{dim{Name: pulumi.String("QueueName"), Value: queue}},
				}}},
			metric{Id: pulumi.String("workers"), Label: pulumi.String("Workers in service"), ReturnData: pulumi.Bool(false),
				MetricStat: &stat{Stat: pulumi.String("Average"), Metric: named{
					Namespace: pulumi.String("AWS/AutoScaling"), MetricName: pulumi.String("GroupInServiceInstances"),
					Dimensions: dims{dim{Name: pulumi.String("AutoScalingGroupName"), Value: group}},
				}}},
			metric{Id: pulumi.String("backlog"), Label: pulumi.String("Backlog per worker"), Expression: pulumi.String(BacklogExpression), ReturnData: pulumi.Bool(true)},
		},
	}
}

// userData is the workers' boot script once their settings are known: the app's env, the
// backends' variables (late ones read from their secrets at start), QUEUE_URL.
func (w *Workers) userData(b webtier.ResolvedBackends) pulumi.StringOutput {
	a := w.args
	conn := maps.Clone(b.Connection)
	if conn == nil {
		conn = map[string]pulumi.StringInput{}
	}
	conn[QueueURLVariable] = w.QueueURL
	settings := webtier.BootSettings{App: a.App, Connection: conn, FromSecrets: b.FromSecrets, Mounts: a.Mounts}
	return settings.Render(func(env map[string]string, fields map[string]webtier.SecretFieldValue, mounts []webtier.MountedFiles) string {
		return webtier.WorkerUserData(a.App, a.Command, w.env.Region, env, fields, mounts, a.JobTimeoutSeconds)
	})
}

// sortedKeys are m's keys in order.
func sortedKeys(m map[string]string) []string { return slices.Sorted(maps.Keys(m)) }
