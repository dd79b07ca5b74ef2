// Command floor is the build-time floor of tierstack: a trivial Pulumi program that imports the same
// AWS sub-packages as tierstack and does nothing with them. scripts/bench.sh builds it beside
// tierstack, so that tierstack's own share of the build time and memory shows.
package main

import (
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/acm"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/appautoscaling"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/autoscaling"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudfront"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/dynamodb"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/elasticache"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/kms"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/lb"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/rds"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/route53"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/s3"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/secretsmanager"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/wafv2"
	"github.com/pulumi/pulumi-random/sdk/v4/go/random"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// constructors names one resource constructor of each package, so that each is linked as
// tierstack links it; none is called.
var constructors = []any{
	aws.NewProvider, acm.NewCertificate, appautoscaling.NewTarget, autoscaling.NewGroup,
	cloudfront.NewDistribution, cloudwatch.NewLogGroup, dynamodb.NewTable, ec2.NewVpc,
	elasticache.NewReplicationGroup, iam.NewRole, kms.NewKey, lb.NewLoadBalancer, rds.NewCluster,
	route53.NewRecord, s3.NewBucketV2, secretsmanager.NewSecret, wafv2.NewWebAcl,
	random.NewRandomPassword,
}

func main() {
	pulumi.Run(func(ctx *pulumi.Context) error {
		ctx.Export("constructors", pulumi.Int(len(constructors)))
		return nil
	})
}
