package webtier

import (
	"fmt"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/autoscaling"
	awseks "github.com/pulumi/pulumi-aws/sdk/v6/go/aws/eks"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/tierstack/tierstack/internal/naming"
)

// PeakNodesPerZone is how many nodes each zone's node group needs for pods app pods of cpu
// millicores each on nodes of instanceType, spread over zones as the app's pods are (a zone holds
// at most one pod more than another): the zone's share of the pods over the pods a node holds
// (PodCPU), from nodes.Min to nodes.Max. A type whose vCPUs PodCPU cannot tell counts one pod a
// node. It counts the app's pods only: the controllers' and KEDA's pods, which need a little more
// room, the Cluster Autoscaler adds as before.
func PeakNodesPerZone(pods, zones, cpu int, instanceType string, nodes NodeCount) int {
	if zones < 1 || cpu < 1 {
		return nodes.Min
	}
	perNode := 1
	if room, known := PodCPU(instanceType); known && room/cpu > 1 {
		perNode = room / cpu
	}
	perZone := (pods + zones - 1) / zones
	return min(max((perZone+perNode-1)/perNode, nodes.Min), nodes.Max)
}

// buildNodeSchedules raises the node groups' minimum ahead of each known peak and puts it back
// after it: for each schedule, a scheduled action on every zone's node group's Auto Scaling group
// (EKS names it; the node group's resources[0].autoscalingGroups[0].name), at the schedule's time
// and zone, with the minimum the peak's pods need (PeakNodesPerZone) on a schedule that raises a
// peak and the node group's own minimum on one that ends it. The actions set no desired size and
// no max (-1): Auto Scaling raises the desired size to a minimum above it, and the Cluster
// Autoscaler, which reads the group's minimum, scales in no further. EKS has no scheduled scaling
// of its own (aws/containers-roadmap#1943) and rewrites the group's sizes from the node group's
// scaling config only when that is updated (docs/web-tier.md, "Known peaks").
func (w *WebTier) buildNodeSchedules(ctx *pulumi.Context, name string, a checkedArgs, groups []pulumi.Resource) error {
	if len(a.Schedules) == 0 {
		return nil
	}
	c := a.Cluster
	lo, _ := groupBounds(a.App.Replicas)
	for i, g := range groups {
		group, ok := g.(*awseks.NodeGroup)
		if !ok {
			return fmt.Errorf("node group %d is a %T, not an EKS node group", i, g)
		}
		asg := group.Resources.ApplyT(nodeGroupASG).(pulumi.StringOutput)
		for _, s := range a.Schedules {
			floor := c.NodesPerZone.Min
			if s.Min != lo {
				floor = PeakNodesPerZone(max(s.Min, s.Desired), len(groups), a.App.CPU, c.NodeInstanceType, c.NodesPerZone)
			}
			if _, err := autoscaling.NewSchedule(ctx, naming.AZChild(name, "nodes-schedule-"+s.Name, i), &autoscaling.ScheduleArgs{
				AutoscalingGroupName: asg,
				ScheduledActionName:  pulumi.String(s.Name),
				Recurrence:           pulumi.String(strings.Join(strings.Fields(s.Cron), " ")),
				TimeZone:             pulumi.String(s.TimeZone),
				MinSize:              pulumi.Int(floor),
				MaxSize:              pulumi.Int(-1),
				DesiredCapacity:      pulumi.Int(-1),
			}, pulumi.Parent(w), pulumi.DependsOn([]pulumi.Resource{group})); err != nil {
				return err
			}
		}
	}
	return nil
}

// nodeGroupASG is the name of a managed node group's Auto Scaling group, which EKS reports once the
// node group exists.
func nodeGroupASG(resources []awseks.NodeGroupResource) (string, error) {
	if len(resources) == 0 || len(resources[0].AutoscalingGroups) == 0 || resources[0].AutoscalingGroups[0].Name == nil {
		return "", fmt.Errorf("the node group reports no Auto Scaling group (resources[0].autoscalingGroups[0].name) to schedule")
	}
	return *resources[0].AutoscalingGroups[0].Name, nil
}
