package network

import (
	"encoding/json"
	"fmt"
	"regexp"
	"slices"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/tierstack/tierstack/internal/awsenv"
	"github.com/tierstack/tierstack/internal/naming"
)

// buildGatewayEndpoints creates the free S3 and DynamoDB gateway endpoints and attaches them to every
// route table, one association per table so that a new zone's table is only an addition. The S3
// endpoint admits only the account's own buckets and AWS's repositories (see S3EndpointPolicy).
func (n *Network) buildGatewayEndpoints(ctx *pulumi.Context, name string, a checkedArgs, env awsenv.Env, tables []routeTable, tags func(string) pulumi.StringMap) error {
	s3Policy, err := S3EndpointPolicy(env, a.S3EndpointExtraBuckets)
	if err != nil {
		return err
	}
	for _, service := range []string{"s3", "dynamodb"} {
		endpointName := naming.Child(name, service+"-endpoint")
		args := &ec2.VpcEndpointArgs{
			VpcId:           n.VPC.ID(),
			ServiceName:     pulumi.String(env.GatewayEndpointService(service)),
			VpcEndpointType: pulumi.String("Gateway"),
			Tags:            tags(endpointName),
		}
		if service == "s3" && s3Policy != "" {
			args.Policy = pulumi.String(s3Policy)
		}
		endpoint, err := ec2.NewVpcEndpoint(ctx, endpointName, args, pulumi.Parent(n))
		if err != nil {
			return err
		}
		if service == "s3" {
			n.S3PrefixListID = endpoint.PrefixListId
		} else {
			n.DynamoDBPrefixListID = endpoint.PrefixListId
		}
		for _, table := range tables {
			if _, err := ec2.NewVpcEndpointRouteTableAssociation(ctx, naming.Child(endpointName, table.role), &ec2.VpcEndpointRouteTableAssociationArgs{
				VpcEndpointId: endpoint.ID(),
				RouteTableId:  table.table.ID(),
			}, pulumi.Parent(n)); err != nil {
				return err
			}
		}
	}
	return nil
}

// awsRepositoryBuckets are the AWS-owned buckets an instance in the VPC reads from through the S3
// gateway endpoint, by region: Amazon Linux package repositories, ECR image layers, and the SSM
// agent's updates, documents and patch baselines. From the AWS docs: Amazon Linux 2023 User Guide
// ("Accessing the repositories through a gateway endpoint"), Amazon ECR User Guide ("Minimum Amazon
// S3 bucket permissions for Amazon ECR"), Systems Manager User Guide ("SSM Agent communications with
// AWS managed S3 buckets"); read 2026-11-23.
var awsRepositoryBuckets = []string{
	"al2023-repos-%s-*",
	"amazonlinux-2-repos-%s",
	"prod-%s-starport-layer-bucket",
	"aws-ssm-%s",
	"amazon-ssm-%s",
	"amazon-ssm-packages-%s",
	"%s-birdwatcher-prod",
	"aws-ssm-distributor-file-%s",
	"aws-ssm-document-attachments-%s",
	"patch-baseline-snapshot-%s",
}

// S3EndpointPolicy is the policy of a Network's S3 gateway endpoint in env: every S3 action on
// buckets of the deploying account (aws:ResourceAccount), reads from AWS's repositories, and every
// action on the extra buckets named. It is "" (no policy: any bucket) when extra holds "*".
func S3EndpointPolicy(env awsenv.Env, extra []string) (string, error) {
	if slices.Contains(extra, "*") {
		return "", nil
	}
	var repos []string
	for _, pattern := range awsRepositoryBuckets {
		repos = append(repos, env.ARN("s3", "", "", fmt.Sprintf(pattern, env.Region)+"/*"))
	}
	statements := []map[string]any{
		{
			"Sid":       "OwnAccountBuckets",
			"Effect":    "Allow",
			"Principal": "*",
			"Action":    "s3:*",
			"Resource":  "*",
			"Condition": map[string]any{"StringEquals": map[string]any{"aws:ResourceAccount": env.AccountID}},
		},
		{
			"Sid":       "AWSRepositories",
			"Effect":    "Allow",
			"Principal": "*",
			"Action":    []string{"s3:GetObject"},
			"Resource":  repos,
		},
	}
	if len(extra) > 0 {
		var resources []string
		for _, b := range extra {
			resources = append(resources, env.ARN("s3", "", "", b), env.ARN("s3", "", "", b+"/*"))
		}
		statements = append(statements, map[string]any{
			"Sid":       "ExtraBuckets",
			"Effect":    "Allow",
			"Principal": "*",
			"Action":    "s3:*",
			"Resource":  resources,
		})
	}
	doc, err := json.Marshal(map[string]any{"Version": "2012-10-17", "Statement": statements})
	if err != nil {
		return "", fmt.Errorf("s3 endpoint policy: %w", err)
	}
	return string(doc), nil
}

// bucketNamePattern is an S3 bucket name as AWS allows it: 3 to 63 lowercase letters, digits, dots
// and hyphens, starting and ending with a letter or digit.
var bucketNamePattern = regexp.MustCompile(`^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$`)

// validateBucketNames refuses names in S3EndpointExtraBuckets that no bucket can have.
func validateBucketNames(names []string) error {
	for _, b := range names {
		if b != "*" && !bucketNamePattern.MatchString(b) {
			return fmt.Errorf("s3EndpointExtraBuckets: %q is not a bucket name (allowed: 3 to 63 lowercase letters, digits, dots and hyphens, or * for any bucket)", b)
		}
	}
	return nil
}
