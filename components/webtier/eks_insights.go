package webtier

import (
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	awseks "github.com/pulumi/pulumi-aws/sdk/v6/go/aws/eks"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/tierstack/tierstack/internal/awsenv"
	"github.com/tierstack/tierstack/internal/naming"
)

// ObservabilityAddon is the EKS add-on of CloudWatch Container Insights: the CloudWatch agent
// (node, pod and container metrics in the ContainerInsights namespace) and Fluent Bit (the
// containers' logs into CloudWatch Logs).
const ObservabilityAddon = "amazon-cloudwatch-observability"

// insightsLogGroups are the log groups Container Insights writes to, by their last name part:
// made first with a retention, since the agent makes missing ones kept for ever.
var insightsLogGroups = []string{"application", "dataplane", "host", "performance"}

// ContainerInsightsLogGroup is the name of one of a cluster's Container Insights log groups:
// "application" holds the app's container logs.
func ContainerInsightsLogGroup(clusterName, kind string) string {
	return "/aws/containerinsights/" + clusterName + "/" + kind
}

// buildInsights installs Container Insights as an EKS add-on configured as InsightsConfiguration
// states (metrics and logs; no Application Signals), its agent given AWS's
// CloudWatchAgentServerPolicy by Pod Identity, writing into log groups made first with the
// cluster's log retention, encrypted with the cluster's key.
func (w *WebTier) buildInsights(ctx *pulumi.Context, name string, a checkedArgs, env awsenv.Env, parts eksParts, version string, after []pulumi.Resource) (pulumi.Resource, error) {
	parent := pulumi.Parent(w)
	groups := []pulumi.Resource{}
	for _, kind := range insightsLogGroups {
		child := naming.Child(name, "insights-"+kind)
		g, err := cloudwatch.NewLogGroup(ctx, child, &cloudwatch.LogGroupArgs{
			Name:            pulumi.String(ContainerInsightsLogGroup(parts.clusterName, kind)),
			RetentionInDays: pulumi.Int(a.Cluster.LogRetentionDays),
			KmsKeyId:        parts.key.Arn,
			Tags:            naming.Tags(a.Tags, child),
		}, parent)
		if err != nil {
			return nil, err
		}
		groups = append(groups, g)
		if kind == "application" {
			w.AppLogGroup = g.Name
		}
	}
	trust, err := PodIdentityTrust(env, parts.clusterName, "amazon-cloudwatch", "cloudwatch-agent")
	if err != nil {
		return nil, err
	}
	roleName := naming.Child(name, "insights-role")
	role, err := iam.NewRole(ctx, roleName, &iam.RoleArgs{
		Description:      pulumi.String("Container Insights' agent in " + parts.clusterName),
		AssumeRolePolicy: pulumi.String(trust),
		Tags:             naming.Tags(a.Tags, roleName),
	}, parent)
	if err != nil {
		return nil, err
	}
	grant, err := iam.NewRolePolicyAttachment(ctx, roleName, &iam.RolePolicyAttachmentArgs{
		Role: role.Name, PolicyArn: pulumi.String(env.ManagedPolicyARN("CloudWatchAgentServerPolicy")),
	}, parent)
	if err != nil {
		return nil, err
	}
	config, err := InsightsConfiguration()
	if err != nil {
		return nil, err
	}
	child := naming.Child(name, "addon-"+ObservabilityAddon)
	return awseks.NewAddon(ctx, child, &awseks.AddonArgs{
		ClusterName:              pulumi.String(parts.clusterName),
		AddonName:                pulumi.String(ObservabilityAddon),
		AddonVersion:             pulumi.String(version),
		ConfigurationValues:      pulumi.String(config),
		ResolveConflictsOnCreate: pulumi.String("OVERWRITE"),
		ResolveConflictsOnUpdate: pulumi.String("PRESERVE"),
		PodIdentityAssociations: awseks.AddonPodIdentityAssociationArray{awseks.AddonPodIdentityAssociationArgs{
			RoleArn: role.Arn, ServiceAccount: pulumi.String("cloudwatch-agent"),
		}},
		Tags: naming.Tags(a.Tags, child),
	}, parent, pulumi.DependsOn(append(append([]pulumi.Resource{parts.cluster, grant}, groups...), after...)))
}
