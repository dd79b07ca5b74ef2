package tests

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tierstack/tierstack/tiers"
)

// unscopedActions are the actions the tiers grant on Resource "*" because AWS gives them no
// resource-level permission: the IAM Service Authorization Reference lists no resource type for
// logs:DescribeLogGroups and ecr:GetAuthorizationToken, nor for the Describe actions the EKS
// controllers read with (the Load Balancer Controller's and the Cluster Autoscaler's), nor for the
// CloudWatch reads Chatbot makes for its messages (cloudwatch:GetMetricData, GetMetricWidgetImage,
// ListMetrics), nor for Session Manager's agent calls (ssm:UpdateInstanceInformation and the
// ssmmessages channel actions: conditions on the source instance only).
var unscopedActions = map[string]bool{"logs:DescribeLogGroups": true, "ecr:GetAuthorizationToken": true,
	"elasticloadbalancing:DescribeLoadBalancers": true, "elasticloadbalancing:DescribeListeners": true,
	"elasticloadbalancing:DescribeRules": true, "elasticloadbalancing:DescribeTargetGroups": true,
	"elasticloadbalancing:DescribeTargetGroupAttributes": true, "elasticloadbalancing:DescribeTargetHealth": true,
	"elasticloadbalancing:DescribeTags": true, "ec2:DescribeInstances": true, "ec2:DescribeNetworkInterfaces": true,
	"ec2:DescribeSecurityGroups": true, "ec2:DescribeSubnets": true, "ec2:DescribeVpcs": true,
	"ec2:DescribeAvailabilityZones": true, "ec2:DescribeImages": true, "ec2:DescribeInstanceTypes": true,
	"ec2:DescribeLaunchTemplateVersions": true, "ec2:GetInstanceTypesFromInstanceRequirements": true,
	"autoscaling:DescribeAutoScalingGroups": true, "autoscaling:DescribeAutoScalingInstances": true,
	"autoscaling:DescribeLaunchConfigurations": true, "autoscaling:DescribeScalingActivities": true,
	"autoscaling:DescribeTags": true,
	"cloudwatch:GetMetricData": true, "cloudwatch:GetMetricWidgetImage": true, "cloudwatch:ListMetrics": true,
	"ssm:UpdateInstanceInformation": true, "ssmmessages:CreateControlChannel": true, "ssmmessages:CreateDataChannel": true,
	"ssmmessages:OpenControlChannel": true, "ssmmessages:OpenDataChannel": true}

// No role policy in any tier, bastion included, grants an action on "*" where AWS lets the
// resource be named, and none grants a wildcard action.
func TestRolePoliciesNameTheirResources(t *testing.T) {
	for i, tier := range tiers.All() {
		cfg := tierConfig(tier, `"bastionAllowedCidrs":["203.0.113.0/24"]`)
		// The Slack function's role on even tiers, Chatbot's on odd ones.
		cfg["tierstack:alarms"] = `{"slack":"chatbot","slackWorkspaceId":"T07EA123LEP","slackChannelId":"C07EZ1ABC23"}`
		if i%2 == 0 {
			cfg["tierstack:alarms"], cfg["tierstack:slackWebhookUrl"] = `{"slack":"webhook"}`, testWebhook
		}
		s := planTier(t, cfg)
		policies := s.All("aws:iam/rolePolicy:RolePolicy")
		require.NotEmpty(t, policies, "tier %s", tier)
		for _, p := range policies {
			var doc struct {
				Statement []struct{ Action, Resource any }
			}
			require.NoError(t, json.Unmarshal([]byte(str(p, "policy")), &doc), "tier %s: %s", tier, p.Name)
			for i, st := range doc.Statement {
				actions := listOf(st.Action)
				for _, a := range actions {
					assert.NotContains(t, a, "*", "tier %s: %s statement %d grants a wildcard action", tier, p.Name, i)
				}
				for _, r := range listOf(st.Resource) {
					if r != "*" {
						continue
					}
					for _, a := range actions {
						assert.True(t, unscopedActions[a], "tier %s: %s statement %d grants %s on *", tier, p.Name, i, a)
					}
				}
			}
		}
	}
}

// listOf reads an IAM policy element that is a string or a list of strings.
func listOf(v any) []string {
	switch x := v.(type) {
	case string:
		return []string{x}
	case []any:
		out := make([]string, 0, len(x))
		for _, e := range x {
			s, _ := e.(string)
			out = append(out, s)
		}
		return out
	}
	return nil
}
