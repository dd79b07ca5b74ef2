// Command floor is the build-time floor of tierstack: a trivial Pulumi program that imports the same
// SDK packages as tierstack (the AWS sub-packages, pulumi-eks, the Kubernetes kinds it creates and
// pulumi-random) and does nothing with them. scripts/bench.sh builds it beside tierstack, so that
// tierstack's own share of the build time and memory shows.
package main

import (
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/acm"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/appautoscaling"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/autoscaling"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/chatbot"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudfront"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/dynamodb"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	awseks "github.com/pulumi/pulumi-aws/sdk/v6/go/aws/eks"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/elasticache"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/kms"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/lambda"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/lb"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/opensearch"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/rds"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/route53"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/s3"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/secretsmanager"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/sns"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/sqs"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/wafv2"
	"github.com/pulumi/pulumi-eks/sdk/v2/go/eks"
	"github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes"
	"github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/apiextensions"
	appsv1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/apps/v1"
	autoscalingv2 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/autoscaling/v2"
	corev1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/core/v1"
	policyv1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/policy/v1"
	"github.com/pulumi/pulumi-random/sdk/v4/go/random"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// constructors names one resource constructor of each package, so that each is linked as
// tierstack links it; none is called.
var constructors = []any{
	aws.NewProvider, acm.NewCertificate, appautoscaling.NewTarget, autoscaling.NewGroup, chatbot.NewSlackChannelConfiguration,
	cloudfront.NewDistribution, cloudwatch.NewLogGroup, dynamodb.NewTable, ec2.NewVpc, awseks.NewNodeGroup,
	elasticache.NewReplicationGroup, iam.NewRole, kms.NewKey, lambda.NewFunction, lb.NewLoadBalancer,
	opensearch.NewDomain, rds.NewCluster, route53.NewRecord, s3.NewBucketV2, secretsmanager.NewSecret,
	sns.NewTopic, sqs.NewQueue, wafv2.NewWebAcl, eks.NewCluster, kubernetes.NewProvider,
	apiextensions.NewCustomResource, appsv1.NewDeployment, autoscalingv2.NewHorizontalPodAutoscaler,
	corev1.NewService, policyv1.NewPodDisruptionBudget, random.NewRandomPassword,
}

func main() {
	pulumi.Run(func(ctx *pulumi.Context) error {
		ctx.Export("constructors", pulumi.Int(len(constructors)))
		return nil
	})
}
