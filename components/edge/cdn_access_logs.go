package edge

import (
	"encoding/json"
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/s3"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/tierstack/tierstack/internal/awsenv"
	"github.com/tierstack/tierstack/internal/buckets"
	"github.com/tierstack/tierstack/internal/naming"
)

// AssetAccessLogPrefix is where the asset bucket's server access logs go in their bucket.
const AssetAccessLogPrefix = "assets/"

// logAssetAccess gives the asset bucket S3 server access logging into a bucket of its own in the
// same region and account (S3 requires both of the target), never into itself. The log bucket is
// private, owner-enforced (S3's logging service then writes through its bucket policy, not ACLs),
// encrypted with SSE-S3 — the one default encryption server access logging supports for its
// target; SSE-KMS is not (Amazon S3 User Guide, "Enabling Amazon S3 server access logging") — and
// its logs expire after LogDays. Like the assets, it is kept when the CDN leaves the stack.
func (c *CDN) logAssetAccess(ctx *pulumi.Context, name string, a CDNArgs, env awsenv.Env, assets *s3.BucketV2, kept []pulumi.ResourceOption) error {
	logName := naming.Child(name, "assets-access-logs")
	logBucket, err := buckets.NewPrivate(ctx, logName, "BucketOwnerEnforced", a.Tags, kept...)
	if err != nil {
		return err
	}
	logs := logBucket.Bucket
	expiry, err := s3.NewBucketLifecycleConfigurationV2(ctx, logName, &s3.BucketLifecycleConfigurationV2Args{
		Bucket: logs.ID(),
		Rules: s3.BucketLifecycleConfigurationV2RuleArray{s3.BucketLifecycleConfigurationV2RuleArgs{
			Id: pulumi.String("expire-server-access-logs"), Status: pulumi.String("Enabled"),
			Filter:     &s3.BucketLifecycleConfigurationV2RuleFilterArgs{Prefix: pulumi.String("")},
			Expiration: &s3.BucketLifecycleConfigurationV2RuleExpirationArgs{Days: pulumi.Int(a.LogDays)},
		}},
	}, kept...)
	if err != nil {
		return err
	}
	policy, err := s3.NewBucketPolicy(ctx, logName, &s3.BucketPolicyArgs{
		Bucket: logs.ID(),
		Policy: pulumi.All(logs.Arn, assets.Arn).ApplyT(func(v []any) (string, error) {
			return ServerAccessLogPolicy(v[0].(string), v[1].(string), env.AccountID)
		}).(pulumi.StringOutput),
	}, kept...)
	if err != nil {
		return err
	}
	// S3 checks that it may write (the policy) when logging is turned on; the encryption and the
	// expiry are in place before the first log arrives.
	_, err = s3.NewBucketLoggingV2(ctx, naming.Child(name, "assets"), &s3.BucketLoggingV2Args{
		Bucket:       assets.ID(),
		TargetBucket: logs.ID(),
		TargetPrefix: pulumi.String(AssetAccessLogPrefix),
	}, append(append([]pulumi.ResourceOption{}, kept...), pulumi.DependsOn([]pulumi.Resource{policy, logBucket.Encryption, expiry}))...)
	return err
}

// ServerAccessLogPolicy is the policy of a bucket that receives S3 server access logs: S3's
// logging service may put objects under AssetAccessLogPrefix for the one source bucket of the one
// account (aws:SourceArn and aws:SourceAccount, as the Amazon S3 User Guide's "Permissions for
// log delivery" advises), and nothing reaches the bucket without TLS.
func ServerAccessLogPolicy(logBucketARN, sourceBucketARN, account string) (string, error) {
	doc, err := json.Marshal(map[string]any{
		"Version": "2012-10-17",
		"Statement": []map[string]any{
			{"Sid": "S3ServerAccessLogs", "Effect": "Allow", "Principal": map[string]any{"Service": "logging.s3.amazonaws.com"},
				"Action": "s3:PutObject", "Resource": logBucketARN + "/" + AssetAccessLogPrefix + "*",
				"Condition": map[string]any{
					"ArnLike":      map[string]any{"aws:SourceArn": sourceBucketARN},
					"StringEquals": map[string]any{"aws:SourceAccount": account},
				}},
			buckets.TLSOnlyStatement(logBucketARN),
		},
	})
	if err != nil {
		return "", fmt.Errorf("server access log policy: %w", err)
	}
	return string(doc), nil
}
