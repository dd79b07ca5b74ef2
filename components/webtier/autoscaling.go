package webtier

import (
	"maps"
	"slices"
	"strconv"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/autoscaling"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/tierstack/tierstack/internal/naming"
)

// TargetCPU is the average CPU the Auto Scaling group holds by adding and removing instances (the
// high-availability write-up's 50 %).
const TargetCPU = 50

// DrainSeconds is how long a leaving instance waits, after the load balancer stopped sending to
// it, before it is terminated: the termination lifecycle hook's heartbeat (AWS allows 30 to 7200).
const DrainSeconds = 60

// buildAutoScaling runs the app on an Auto Scaling group across the private subnets of every zone,
// behind the load balancer: instances admit the load balancer only, have no public address, require
// IMDSv2 and boot the same container as mode instance.
func (w *WebTier) buildAutoScaling(ctx *pulumi.Context, name string, a checkedArgs, sg *ec2.SecurityGroup, role appRole, userData pulumi.StringOutput, lbs loadBalancer) error {
	parent := pulumi.Parent(w)
	net := a.Network
	// The chain load balancer → instances, one rule each way, so that neither group names a range.
	if _, err := ec2.NewSecurityGroupRule(ctx, naming.Child(name, "from-alb"), &ec2.SecurityGroupRuleArgs{
		Type: pulumi.String("ingress"), Description: pulumi.String("the app, from the load balancer"),
		Protocol: pulumi.String("tcp"), FromPort: pulumi.Int(HostPort), ToPort: pulumi.Int(HostPort),
		SecurityGroupId: sg.ID(), SourceSecurityGroupId: lbs.securityGroup.ID(),
	}, parent); err != nil {
		return err
	}
	if _, err := ec2.NewSecurityGroupRule(ctx, naming.Child(name, "alb-to-app"), &ec2.SecurityGroupRuleArgs{
		Type: pulumi.String("egress"), Description: pulumi.String("to the app only"),
		Protocol: pulumi.String("tcp"), FromPort: pulumi.Int(HostPort), ToPort: pulumi.Int(HostPort),
		SecurityGroupId: lbs.securityGroup.ID(), SourceSecurityGroupId: sg.ID(),
	}, parent); err != nil {
		return err
	}

	ltName := naming.Child(name, "lt")
	lt, err := NewLaunchTemplate(ctx, ltName, LaunchTemplate{
		Image: a.launchImage(), InstanceType: a.InstanceType, SecurityGroupID: sg.ID().ToStringOutput(),
		ProfileARN: role.profile.Arn, UserData: userData, InstanceName: naming.Child(name, "app"), Tags: a.Tags,
	}, parent)
	if err != nil {
		return err
	}

	minSize, maxSize, desired, waitFor := a.capacity()
	asgName := naming.Child(name, "asg")
	group, err := autoscaling.NewGroup(ctx, asgName, &autoscaling.GroupArgs{
		VpcZoneIdentifiers: net.PrivateSubnetIDs,
		MinSize:            pulumi.Int(minSize),
		MaxSize:            pulumi.Int(maxSize),
		DesiredCapacity:    pulumi.Int(desired),
		LaunchTemplate: &autoscaling.GroupLaunchTemplateArgs{
			Id:      lt.ID(),
			Version: lt.LatestVersion.ApplyT(func(v int) string { return strconv.Itoa(v) }).(pulumi.StringOutput),
		},
		TargetGroupArns: pulumi.StringArray{lbs.targetGroup.Arn},
		HealthCheckType: pulumi.String("ELB"),
		// The group is up once its minimum is healthy in the target group: whatever waits for the
		// web tier (the DNS record, the CDN) waits for the app to answer.
		WaitForElbCapacity: pulumi.Int(waitFor),
		// The app may wait at start for what it reads from secrets (the cache's address, while the
		// cache is created, ten minutes or more): the default ten minutes would fail the group.
		WaitForCapacityTimeout: pulumi.String("25m"),
		HealthCheckGracePeriod: pulumi.Int(300),
		CapacityRebalance:      pulumi.Bool(true),
		DefaultInstanceWarmup:  pulumi.Int(120),
		// A new launch template version replaces instances a few at a time, half of them serving.
		InstanceRefresh: &autoscaling.GroupInstanceRefreshArgs{
			Strategy:    pulumi.String("Rolling"),
			Preferences: &autoscaling.GroupInstanceRefreshPreferencesArgs{MinHealthyPercentage: pulumi.Int(50)},
		},
		Tags: groupTags(a.Tags, naming.Child(name, "app")),
	}, parent,
		// Target tracking moves the desired capacity; Pulumi must not move it back.
		pulumi.IgnoreChanges([]string{"desiredCapacity"}),
		// The instances boot once the NAT routes and the role's grants exist: they pull the image
		// and read the secrets at boot.
		pulumi.DependsOn(append(append([]pulumi.Resource{}, net.InternetConnectivity...), role.grants...)))
	if err != nil {
		return err
	}
	w.AutoScalingGroupName = group.Name
	// An instance that leaves the group first leaves the target group (the deregistration delay
	// lets its requests finish), then waits DrainSeconds in Terminating:Wait for the app to stop
	// cleanly before EC2 terminates it; nobody completes the hook, so it continues on its own.
	if _, err := autoscaling.NewLifecycleHook(ctx, naming.Child(name, "drain"), &autoscaling.LifecycleHookArgs{
		AutoscalingGroupName: group.Name,
		LifecycleTransition:  pulumi.String("autoscaling:EC2_INSTANCE_TERMINATING"),
		HeartbeatTimeout:     pulumi.Int(DrainSeconds),
		DefaultResult:        pulumi.String("CONTINUE"),
	}, parent); err != nil {
		return err
	}
	if err := buildSchedules(ctx, name, a.Schedules, group, parent); err != nil {
		return err
	}
	_, err = autoscaling.NewPolicy(ctx, naming.Child(name, "cpu"), &autoscaling.PolicyArgs{
		AutoscalingGroupName: group.Name,
		PolicyType:           pulumi.String("TargetTrackingScaling"),
		TargetTrackingConfiguration: &autoscaling.PolicyTargetTrackingConfigurationArgs{
			PredefinedMetricSpecification: &autoscaling.PolicyTargetTrackingConfigurationPredefinedMetricSpecificationArgs{
				PredefinedMetricType: pulumi.String("ASGAverageCPUUtilization"),
			},
			TargetValue: pulumi.Float64(TargetCPU),
		},
	}, parent)
	return err
}

// groupTags are the stack's tags and a Name, each propagated to the instances the group launches.
func groupTags(tags map[string]string, name string) autoscaling.GroupTagArray {
	out := autoscaling.GroupTagArray{}
	for _, k := range slices.Sorted(maps.Keys(tags)) {
		if k == "Name" {
			continue
		}
		out = append(out, autoscaling.GroupTagArgs{Key: pulumi.String(k), Value: pulumi.String(tags[k]), PropagateAtLaunch: pulumi.Bool(true)})
	}
	return append(out, autoscaling.GroupTagArgs{Key: pulumi.String("Name"), Value: pulumi.String(name), PropagateAtLaunch: pulumi.Bool(true)})
}
