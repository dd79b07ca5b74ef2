package webtier

import (
	"encoding/json"
	"fmt"

	awseks "github.com/pulumi/pulumi-aws/sdk/v6/go/aws/eks"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/tierstack/tierstack/internal/awsenv"
	"github.com/tierstack/tierstack/internal/naming"
)

// Service accounts of the controllers tierstack installs in kube-system.
const (
	loadBalancerControllerAccount = "aws-load-balancer-controller"
	clusterAutoscalerAccount      = "cluster-autoscaler"
)

// PodIdentityTrust is the trust policy of a role that EKS Pod Identity gives to one service account
// (namespace/account) of one cluster of the account, and to nothing else. Pod Identity tags its
// sessions with the cluster's ARN, the namespace and the service account (EKS user guide, "Assign
// an IAM role to a Kubernetes service account"), which the conditions match.
func PodIdentityTrust(env awsenv.Env, clusterName, namespace, account string) (string, error) {
	doc, err := json.Marshal(map[string]any{"Version": "2012-10-17", "Statement": []map[string]any{{
		"Effect": "Allow", "Principal": map[string]any{"Service": "pods.eks.amazonaws.com"},
		"Action": []string{"sts:AssumeRole", "sts:TagSession"},
		"Condition": map[string]any{
			"StringEquals": map[string]any{
				"aws:SourceAccount":                         env.AccountID,
				"aws:RequestTag/eks-cluster-arn":            env.ARN("eks", env.Region, env.AccountID, "cluster/"+clusterName),
				"aws:RequestTag/kubernetes-namespace":       namespace,
				"aws:RequestTag/kubernetes-service-account": account,
			},
		},
	}}})
	if err != nil {
		return "", fmt.Errorf("pod identity trust: %w", err)
	}
	return string(doc), nil
}

// LoadBalancerControllerPolicy lets the AWS Load Balancer Controller do what a TargetGroupBinding
// needs and no more: read load balancers and the network (reads take no resource), and register
// and deregister targets in the one target group. It creates no load balancer: the WebTier owns it.
func LoadBalancerControllerPolicy(targetGroupARN string) (string, error) {
	doc, err := json.Marshal(map[string]any{"Version": "2012-10-17", "Statement": []map[string]any{
		{"Sid": "Read", "Effect": "Allow", "Resource": "*", "Action": []string{
			"elasticloadbalancing:DescribeLoadBalancers", "elasticloadbalancing:DescribeListeners",
			"elasticloadbalancing:DescribeRules", "elasticloadbalancing:DescribeTargetGroups",
			"elasticloadbalancing:DescribeTargetGroupAttributes", "elasticloadbalancing:DescribeTargetHealth",
			"elasticloadbalancing:DescribeTags", "ec2:DescribeInstances", "ec2:DescribeNetworkInterfaces",
			"ec2:DescribeSecurityGroups", "ec2:DescribeSubnets", "ec2:DescribeVpcs", "ec2:DescribeAvailabilityZones",
		}},
		{"Sid": "TheTargetGroupOnly", "Effect": "Allow", "Resource": targetGroupARN, "Action": []string{
			"elasticloadbalancing:RegisterTargets", "elasticloadbalancing:DeregisterTargets",
		}},
	}})
	if err != nil {
		return "", fmt.Errorf("load balancer controller policy: %w", err)
	}
	return string(doc), nil
}

// ClusterAutoscalerPolicy lets the Cluster Autoscaler read Auto Scaling groups and instance types,
// and resize or shrink only the groups EKS tagged as the cluster's own (AWS's "Cluster Autoscaler"
// guide, least-privilege form).
func ClusterAutoscalerPolicy(env awsenv.Env, clusterName string) (string, error) {
	doc, err := json.Marshal(map[string]any{"Version": "2012-10-17", "Statement": []map[string]any{
		{"Sid": "Read", "Effect": "Allow", "Resource": "*", "Action": []string{
			"autoscaling:DescribeAutoScalingGroups", "autoscaling:DescribeAutoScalingInstances",
			"autoscaling:DescribeLaunchConfigurations", "autoscaling:DescribeScalingActivities",
			"autoscaling:DescribeTags", "ec2:DescribeImages", "ec2:DescribeInstanceTypes",
			"ec2:DescribeLaunchTemplateVersions", "ec2:GetInstanceTypesFromInstanceRequirements",
		}},
		{"Sid": "TheClustersNodeGroups", "Effect": "Allow", "Action": "eks:DescribeNodegroup",
			"Resource": env.ARN("eks", env.Region, env.AccountID, "nodegroup/"+clusterName+"/*/*")},
		// Managed node groups' Auto Scaling groups are named eks-<node group>-<id>; EKS tags them
		// k8s.io/cluster-autoscaler/<cluster>: owned.
		{"Sid": "ResizeTheClustersGroupsOnly", "Effect": "Allow",
			"Resource": env.ARN("autoscaling", env.Region, env.AccountID, "autoScalingGroup:*:autoScalingGroupName/eks-*"),
			"Action":   []string{"autoscaling:SetDesiredCapacity", "autoscaling:TerminateInstanceInAutoScalingGroup"},
			"Condition": map[string]any{"StringEquals": map[string]any{
				"aws:ResourceTag/k8s.io/cluster-autoscaler/" + clusterName: "owned",
			}}},
	}})
	if err != nil {
		return "", fmt.Errorf("cluster autoscaler policy: %w", err)
	}
	return string(doc), nil
}

// podRole creates a role for a service account, its policy (none if policy is nil) and the Pod
// Identity association that gives it to the service account; it returns the association and the
// role.
func (w *WebTier) podRole(ctx *pulumi.Context, name, child string, a checkedArgs, env awsenv.Env, parts eksParts, namespace, account string, policy pulumi.StringInput, after []pulumi.Resource) (pulumi.Resource, *iam.Role, error) {
	parent := pulumi.Parent(w)
	trust, err := PodIdentityTrust(env, parts.clusterName, namespace, account)
	if err != nil {
		return nil, nil, err
	}
	roleName := naming.Child(name, child+"-role")
	role, err := iam.NewRole(ctx, roleName, &iam.RoleArgs{
		Description:      pulumi.String("Pod Identity of " + namespace + "/" + account + " in " + parts.clusterName),
		AssumeRolePolicy: pulumi.String(trust),
		Tags:             naming.Tags(a.Tags, roleName),
	}, parent)
	if err != nil {
		return nil, nil, err
	}
	if policy != nil {
		grant, err := iam.NewRolePolicy(ctx, roleName, &iam.RolePolicyArgs{Role: role.ID(), Policy: policy}, parent)
		if err != nil {
			return nil, nil, err
		}
		after = append([]pulumi.Resource{grant}, after...)
	}
	identity, err := awseks.NewPodIdentityAssociation(ctx, naming.Child(name, child+"-identity"), &awseks.PodIdentityAssociationArgs{
		ClusterName:    pulumi.String(parts.clusterName),
		Namespace:      pulumi.String(namespace),
		ServiceAccount: pulumi.String(account),
		RoleArn:        role.Arn,
		Tags:           naming.Tags(a.Tags, naming.Child(name, child+"-identity")),
	}, parent, pulumi.DependsOn(after))
	return identity, role, err
}

// buildControllers installs the AWS Load Balancer Controller (which registers the nodes serving
// the app in the load balancer's target group) and the Cluster Autoscaler (which adds nodes when
// pods wait for room and removes idle ones), each from its pinned chart, with a role of its own
// given by Pod Identity before its pods start.
func (w *WebTier) buildControllers(ctx *pulumi.Context, name string, a checkedArgs, env awsenv.Env, parts eksParts, k8s *kubernetes.Provider, lbs loadBalancer, ready []pulumi.Resource) (*helmRelease, error) {
	parent := pulumi.Parent(w)
	release, _ := kubernetesRelease(a.Cluster.Version)
	lbcPolicy := lbs.targetGroup.Arn.ApplyT(LoadBalancerControllerPolicy).(pulumi.StringOutput)
	lbcIdentity, _, err := w.podRole(ctx, name, "lbc", a, env, parts, "kube-system", loadBalancerControllerAccount, lbcPolicy, []pulumi.Resource{parts.cluster})
	if err != nil {
		return nil, err
	}
	lbc, err := newHelmRelease(ctx, naming.Child(name, "lbc"), loadBalancerControllerAccount, "kube-system",
		helmChart{Name: LoadBalancerControllerChart, Repo: LoadBalancerControllerRepo, Version: LoadBalancerControllerChartVersion},
		pulumi.Map{
			"clusterName":  pulumi.String(parts.clusterName),
			"region":       pulumi.String(env.Region),
			"vpcId":        a.Network.VPCID,
			"replicaCount": pulumi.Int(2),
			"serviceAccount": pulumi.Map{
				"create": pulumi.Bool(true), "name": pulumi.String(loadBalancerControllerAccount),
			},
			// tierstack binds a target group it owns; the controller mutates no Service.
			"enableServiceMutatorWebhook": pulumi.Bool(false),
		}, parent, pulumi.Provider(k8s), pulumi.DependsOn(append([]pulumi.Resource{lbcIdentity}, ready...)))
	if err != nil {
		return nil, err
	}

	caPolicy, err := ClusterAutoscalerPolicy(env, parts.clusterName)
	if err != nil {
		return nil, err
	}
	caIdentity, _, err := w.podRole(ctx, name, "autoscaler", a, env, parts, "kube-system", clusterAutoscalerAccount, pulumi.String(caPolicy), []pulumi.Resource{parts.cluster})
	if err != nil {
		return nil, err
	}
	if _, err := newHelmRelease(ctx, naming.Child(name, "autoscaler"), clusterAutoscalerAccount, "kube-system",
		helmChart{Name: ClusterAutoscalerChart, Repo: ClusterAutoscalerRepo, Version: release.ClusterAutoscalerChart},
		pulumi.Map{
			"cloudProvider": pulumi.String("aws"),
			"awsRegion":     pulumi.String(env.Region),
			"autoDiscovery": pulumi.Map{"clusterName": pulumi.String(parts.clusterName)},
			"image":         pulumi.Map{"tag": pulumi.String(release.ClusterAutoscalerImage)},
			"rbac": pulumi.Map{"serviceAccount": pulumi.Map{
				"create": pulumi.Bool(true), "name": pulumi.String(clusterAutoscalerAccount),
			}},
			"extraArgs": pulumi.Map{
				// One group per zone: keep the zones even, and pick the group that wastes least.
				"balance-similar-node-groups": pulumi.Bool(true),
				// The zone labels differ between the groups by design; they must not keep them
				// from counting as similar.
				"balancing-ignore-label":      pulumi.String("topology.k8s.aws/zone-id"),
				"expander":                    pulumi.String("least-waste"),
				"skip-nodes-with-system-pods": pulumi.Bool(false),
			},
		}, parent, pulumi.Provider(k8s), pulumi.DependsOn(append([]pulumi.Resource{caIdentity}, ready...))); err != nil {
		return nil, err
	}
	return lbc, nil
}
