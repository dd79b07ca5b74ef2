package network

import (
	"encoding/json"
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/tierstack/tierstack/internal/awsenv"
	"github.com/tierstack/tierstack/internal/naming"
)

// buildFlowLogs sends the VPC's flow logs (accepted and rejected traffic) to a CloudWatch log group,
// through a role that only the flow-logs service of this account can assume and that may only write
// to that group.
func (n *Network) buildFlowLogs(ctx *pulumi.Context, name string, a checkedArgs, env awsenv.Env, tags func(string) pulumi.StringMap) error {
	parent := pulumi.Parent(n)
	groupName := naming.Child(name, "flow-logs")
	group, err := cloudwatch.NewLogGroup(ctx, groupName, &cloudwatch.LogGroupArgs{
		RetentionInDays: pulumi.Int(a.FlowLogRetentionDays),
		KmsKeyId:        a.FlowLogKeyARN,
		Tags:            tags(groupName),
	}, parent,
		// Flow logs are security evidence: turning them off or destroying the stack leaves the group
		// and its events in place, each event deleted when its retention ends. The empty group stays
		// until someone deletes it.
		pulumi.RetainOnDelete(true))
	if err != nil {
		return err
	}
	n.FlowLogGroup = group

	trust, err := json.Marshal(map[string]any{
		"Version": "2012-10-17",
		"Statement": []map[string]any{{
			"Effect":    "Allow",
			"Principal": map[string]any{"Service": "vpc-flow-logs.amazonaws.com"},
			"Action":    "sts:AssumeRole",
			// Confused-deputy guard: only flow logs of this account may use the role.
			"Condition": map[string]any{"StringEquals": map[string]any{"aws:SourceAccount": env.AccountID}},
		}},
	})
	if err != nil {
		return fmt.Errorf("flow logs trust policy: %w", err)
	}
	roleName := naming.Child(name, "flow-logs-role")
	role, err := iam.NewRole(ctx, roleName, &iam.RoleArgs{
		AssumeRolePolicy: pulumi.String(trust),
		Description:      pulumi.String("Lets VPC flow logs write to their own log group"),
		Tags:             tags(roleName),
	}, parent)
	if err != nil {
		return err
	}
	policy, err := iam.NewRolePolicy(ctx, naming.Child(name, "flow-logs-policy"), &iam.RolePolicyArgs{
		Role:   role.ID(),
		Policy: group.Arn.ApplyT(flowLogsWritePolicy).(pulumi.StringOutput),
	}, parent)
	if err != nil {
		return err
	}

	flowName := naming.Child(name, "flow-log")
	_, err = ec2.NewFlowLog(ctx, flowName, &ec2.FlowLogArgs{
		VpcId:                  n.VPC.ID(),
		TrafficType:            pulumi.String("ALL"),
		LogDestinationType:     pulumi.String("cloud-watch-logs"),
		LogDestination:         group.Arn,
		IamRoleArn:             role.Arn,
		MaxAggregationInterval: pulumi.Int(60),
		Tags:                   tags(flowName),
	}, parent,
		// The role can write only once its policy exists; on destroy the flow log goes first.
		pulumi.DependsOn([]pulumi.Resource{policy}),
		// AWS refuses a second flow log of the same VPC, traffic type and destination
		// (FlowLogAlreadyExists), so a replacement must wait for its original to go.
		pulumi.DeleteBeforeReplace(true))
	return err
}

// flowLogsWritePolicy is the least-privilege policy that lets flow logs write to one log group.
func flowLogsWritePolicy(groupArn string) (string, error) {
	doc, err := json.Marshal(map[string]any{
		"Version": "2012-10-17",
		"Statement": []map[string]any{{
			"Effect":   "Allow",
			"Action":   []string{"logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"},
			"Resource": []string{groupArn, groupArn + ":*"},
		}, {
			// The service checks that its group exists; this call cannot be scoped to one group.
			"Effect":   "Allow",
			"Action":   []string{"logs:DescribeLogGroups"},
			"Resource": "*",
		}},
	})
	if err != nil {
		return "", fmt.Errorf("flow logs write policy: %w", err)
	}
	return string(doc), nil
}
