package webtier

import (
	"fmt"
	"slices"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/kms"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/tierstack/tierstack/internal/awsenv"
	"github.com/tierstack/tierstack/internal/kmskey"
	"github.com/tierstack/tierstack/internal/naming"
)

// clusterLogs are the EKS control plane's log group and the key that encrypts it (in mode eks the
// cluster's Kubernetes secrets and Container Insights' log groups too).
type clusterLogs struct {
	key   *kms.Key
	group *cloudwatch.LogGroup
}

// ControlPlaneLogGroupName is the log group EKS writes a cluster's control plane logs to:
// /aws/eks/<cluster>/cluster, a name EKS fixes.
func ControlPlaneLogGroupName(clusterName string) string {
	return "/aws/eks/" + clusterName + "/cluster"
}

// buildClusterLogs creates the control plane's log group, with a retention and the key, before the
// cluster; EKS writes to it, creating it without a retention if it is missing. It is made wherever
// the load balancer is (modes autoscaling and eks), not only beside the cluster: EKS often creates
// the group again while it deletes a cluster, after Pulumi has deleted it, and a group of that name
// left in AWS makes the next create fail (ResourceAlreadyExistsException) — on 100k → 10k → 100k.
// Kept in the stack at 10k, the group catches what EKS writes while the cluster goes, with its
// retention, and is there, unchanged, when the cluster comes back; the key keeps its logs readable.
func (w *WebTier) buildClusterLogs(ctx *pulumi.Context, name string, a checkedArgs, env awsenv.Env) (clusterLogs, error) {
	parent := pulumi.Parent(w)
	// One key for the cluster's secrets and its log groups (the region's CloudWatch Logs may use it
	// for the account's log groups only).
	key, err := kmskey.NewWith(ctx, naming.Child(name, "eks-key"), "tierstack "+name+": the EKS cluster's Kubernetes secrets and logs", env, a.Tags,
		[]kmskey.Statement{kmskey.Logs(env)}, parent)
	if err != nil {
		return clusterLogs{}, err
	}
	logsName := naming.Child(name, "eks-logs")
	group, err := cloudwatch.NewLogGroup(ctx, logsName, &cloudwatch.LogGroupArgs{
		Name:            pulumi.String(ControlPlaneLogGroupName(ClusterName(name, ctx.Stack()))),
		RetentionInDays: pulumi.Int(a.Cluster.LogRetentionDays),
		KmsKeyId:        key.Arn,
		Tags:            naming.Tags(a.Tags, logsName),
	}, parent)
	if err != nil {
		return clusterLogs{}, err
	}
	return clusterLogs{key: key, group: group}, nil
}

// checkedLogRetention applies the default (90 days) to clusterLogRetentionDays and validates it:
// in mode autoscaling too, which keeps the control plane's log group.
func checkedLogRetention(days int) (int, error) {
	if days == 0 {
		days = 90
	}
	if !slices.Contains(LogRetentionValues, days) {
		return days, fmt.Errorf("webtier: clusterLogRetentionDays %d is not a CloudWatch Logs retention (allowed: %s)", days, strings.Trim(fmt.Sprint(LogRetentionValues), "[]"))
	}
	return days, nil
}
