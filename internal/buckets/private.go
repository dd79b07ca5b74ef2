// Package buckets makes the S3 buckets components keep: private, encrypted, their settings as
// resources of their own.
package buckets

import (
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/s3"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/tierstack/tierstack/internal/naming"
)

// Private is a bucket and the settings that make it private.
type Private struct {
	// Bucket is the bucket.
	Bucket *s3.BucketV2
	// Ownership is its object ownership setting: what must exist before a service that writes
	// through ACLs (CloudFront's standard logs) is pointed at it.
	Ownership *s3.BucketOwnershipControls
	// Encryption is its default encryption: what must exist before a service that checks it (a
	// load balancer's access logs) is pointed at it.
	Encryption *s3.BucketServerSideEncryptionConfigurationV2
}

// NewPrivate creates a bucket named name with its public access blocked, the given object
// ownership (BucketOwnerEnforced, or BucketOwnerPreferred where a service delivers through ACLs)
// and SSE-S3 by default — the one encryption every AWS log writer accepts. opts apply to the bucket
// and each setting alike, so that a bucket kept on delete keeps its settings.
func NewPrivate(ctx *pulumi.Context, name, ownership string, tags map[string]string, opts ...pulumi.ResourceOption) (Private, error) {
	var p Private
	var err error
	if p.Bucket, err = s3.NewBucketV2(ctx, name, &s3.BucketV2Args{Tags: naming.Tags(tags, name)}, opts...); err != nil {
		return p, err
	}
	if _, err := s3.NewBucketPublicAccessBlock(ctx, name, &s3.BucketPublicAccessBlockArgs{
		Bucket: p.Bucket.ID(), BlockPublicAcls: pulumi.Bool(true), BlockPublicPolicy: pulumi.Bool(true),
		IgnorePublicAcls: pulumi.Bool(true), RestrictPublicBuckets: pulumi.Bool(true),
	}, opts...); err != nil {
		return p, err
	}
	if p.Ownership, err = s3.NewBucketOwnershipControls(ctx, name, &s3.BucketOwnershipControlsArgs{
		Bucket: p.Bucket.ID(), Rule: s3.BucketOwnershipControlsRuleArgs{ObjectOwnership: pulumi.String(ownership)},
	}, opts...); err != nil {
		return p, err
	}
	p.Encryption, err = s3.NewBucketServerSideEncryptionConfigurationV2(ctx, name, &s3.BucketServerSideEncryptionConfigurationV2Args{
		Bucket: p.Bucket.ID(),
		Rules: s3.BucketServerSideEncryptionConfigurationV2RuleArray{s3.BucketServerSideEncryptionConfigurationV2RuleArgs{
			ApplyServerSideEncryptionByDefault: s3.BucketServerSideEncryptionConfigurationV2RuleApplyServerSideEncryptionByDefaultArgs{
				SseAlgorithm: pulumi.String("AES256"),
			},
		}},
	}, opts...)
	return p, err
}

// TLSOnlyStatement is the bucket policy statement that refuses every request to the bucket made
// without TLS.
func TLSOnlyStatement(bucketARN string) map[string]any {
	return map[string]any{"Sid": "TLSOnly", "Effect": "Deny", "Principal": "*", "Action": "s3:*",
		"Resource":  []string{bucketARN, bucketARN + "/*"},
		"Condition": map[string]any{"Bool": map[string]any{"aws:SecureTransport": "false"}}}
}
