package drregion

import (
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/s3"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/tierstack/tierstack/internal/buckets"
	"github.com/tierstack/tierstack/internal/naming"
)

// buildReplication creates the replica bucket in the DR region (private, versioned, encrypted,
// TLS only, kept when it leaves the stack, as the assets are) and the source bucket's replication
// configuration, through a role that may replicate that bucket to this one and nothing else.
// Objects put before replication was on are not copied (S3 Batch Replication, or a re-upload,
// copies them); delete markers are replicated so that the replica serves what the source does, and
// S3 never replicates the deletion of a version, so no version is lost in either bucket.
func (b builder) buildReplication() error {
	ctx, a := b.ctx, b.a
	name := b.child("assets")
	kept := b.inDR(b.kept()...)
	replica, err := buckets.NewPrivate(ctx, name, "BucketOwnerEnforced", a.Tags, kept...)
	if err != nil {
		return err
	}
	versioning, err := s3.NewBucketVersioningV2(ctx, name, &s3.BucketVersioningV2Args{
		Bucket:                  replica.Bucket.ID(),
		VersioningConfiguration: s3.BucketVersioningV2VersioningConfigurationArgs{Status: pulumi.String("Enabled")},
	}, kept...)
	if err != nil {
		return err
	}
	// The replica is SSE-S3 (buckets.NewPrivate), which CloudFront reads through origin access
	// control with no key policy to change; an SSE-KMS replica would need its key to admit
	// cloudfront.amazonaws.com for this distribution (CloudFront Developer Guide, "Restrict access
	// to an Amazon S3 origin", SSE-KMS).
	distribution := pulumi.StringInput(pulumi.String(""))
	if a.Assets.DistributionARN != nil {
		distribution = a.Assets.DistributionARN
	}
	if _, err := s3.NewBucketPolicy(ctx, name, &s3.BucketPolicyArgs{
		Bucket: replica.Bucket.ID(),
		Policy: pulumi.All(replica.Bucket.Arn, distribution).ApplyT(func(v []any) string {
			return ReplicaBucketPolicy(v[0].(string), v[1].(string))
		}).(pulumi.StringOutput),
	}, kept...); err != nil {
		return err
	}

	role, err := iam.NewRole(ctx, b.child("replication-role"), &iam.RoleArgs{
		AssumeRolePolicy: pulumi.String(mustJSON(ServiceTrustPolicy("s3.amazonaws.com"))),
		Description:      pulumi.String("tierstack: S3 replicates the asset bucket to the DR region"),
		Tags:             naming.Tags(a.Tags, b.child("replication-role")),
	}, b.inPrimary()...)
	if err != nil {
		return err
	}
	policy, err := iam.NewRolePolicy(ctx, b.child("replication-role-policy"), &iam.RolePolicyArgs{
		Role: role.Name,
		Policy: pulumi.All(a.Assets.BucketARN, replica.Bucket.Arn).ApplyT(func(v []any) (string, error) {
			return ReplicationPolicy(v[0].(string), v[1].(string))
		}).(pulumi.StringOutput),
	}, b.inPrimary()...)
	if err != nil {
		return err
	}
	// S3 refuses a replication configuration until versioning is on in both buckets, and checks the
	// role when it is put.
	if _, err := s3.NewBucketReplicationConfig(ctx, b.child("assets-replication"), &s3.BucketReplicationConfigArgs{
		Bucket: a.Assets.BucketName,
		Role:   role.Arn,
		Rules: s3.BucketReplicationConfigRuleArray{s3.BucketReplicationConfigRuleArgs{
			Id:                      pulumi.String(replicationRuleID(b.drEnv.Region)),
			Status:                  pulumi.String("Enabled"),
			Filter:                  &s3.BucketReplicationConfigRuleFilterArgs{Prefix: pulumi.String("")},
			DeleteMarkerReplication: &s3.BucketReplicationConfigRuleDeleteMarkerReplicationArgs{Status: pulumi.String("Enabled")},
			Destination: s3.BucketReplicationConfigRuleDestinationArgs{
				Bucket: replica.Bucket.Arn, StorageClass: pulumi.String("STANDARD"),
				// Replication metrics (OperationsFailedReplication, which the DR signals watch),
				// without S3 Replication Time Control: S3 User Guide, "Using S3 Replication
				// metrics" — metrics can be enabled independently of S3 RTC; they are billed as
				// CloudWatch custom metrics, RTC adds a per-GB fee the pilot light does not need.
				Metrics: &s3.BucketReplicationConfigRuleDestinationMetricsArgs{Status: pulumi.String("Enabled")},
			},
		}},
	}, b.inPrimary(pulumi.DependsOn([]pulumi.Resource{a.Assets.Versioning, versioning, policy}))...); err != nil {
		return err
	}
	b.d.ReplicaBucket = replica.Bucket.Bucket
	b.d.signalInputs.Assets = &AssetSignalInputs{SourceBucket: a.Assets.BucketName, DestinationBucket: replica.Bucket.Bucket,
		RuleID: replicationRuleID(b.drEnv.Region)}
	return nil
}

// ReplicaBucketPolicy is the replica bucket's policy: every request without TLS refused and, with a
// distribution ARN, that distribution alone reading objects through its origin access control
// (Principal cloudfront.amazonaws.com, AWS:SourceArn the distribution: CloudFront Developer Guide,
// "Restrict access to an Amazon S3 origin"). "" admits no distribution.
func ReplicaBucketPolicy(bucketARN, distributionARN string) string {
	statements := []map[string]any{}
	if distributionARN != "" {
		statements = append(statements, map[string]any{
			"Sid": "CloudFrontReadsReplica", "Effect": "Allow", "Principal": map[string]any{"Service": "cloudfront.amazonaws.com"},
			"Action": "s3:GetObject", "Resource": bucketARN + "/*",
			"Condition": map[string]any{"StringEquals": map[string]any{"AWS:SourceArn": distributionARN}},
		})
	}
	statements = append(statements, buckets.TLSOnlyStatement(bucketARN))
	return mustJSON(map[string]any{"Version": "2012-10-17", "Statement": statements})
}
