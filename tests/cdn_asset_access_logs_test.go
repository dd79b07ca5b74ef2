package tests

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tierstack/tierstack/components/edge"
	"github.com/tierstack/tierstack/tiers"
)

const typeBucketLogging = "aws:s3/bucketLoggingV2:BucketLoggingV2"

// The asset bucket logs every request (S3 server access logging) into a bucket of its own in the
// stack's region, never into itself: private, owner-enforced, SSE-S3 (server access logging takes
// no SSE-KMS target), expiring after cdnLogDays, written only by S3's logging service for the
// asset bucket of this account, over TLS; kept with the assets when the CDN leaves the stack.
func TestAssetBucketHasServerAccessLogs(t *testing.T) {
	for _, region := range []string{"us-east-1", "eu-west-1"} {
		cfg := domainConfig(tiers.Tier10k, `{"cdnLogDays":30}`)
		if region != "us-east-1" {
			cfg["aws:region"] = region
			cfg["tierstack:network"] = `{"availabilityZones":["eu-west-1a","eu-west-1b","eu-west-1c"]}`
		}
		s := planTier(t, cfg)
		assets := s.Named(webTypeBucket, "edge-cdn-assets")
		logs := s.Named(webTypeBucket, "edge-cdn-assets-access-logs")
		logging := s.Named(typeBucketLogging, "edge-cdn-assets")
		assert.Equal(t, assets.ID, str(logging, "bucket"), region)
		assert.Equal(t, logs.ID, str(logging, "targetBucket"), region)
		assert.NotEqual(t, str(logging, "bucket"), str(logging, "targetBucket"), "not into itself")
		assert.Equal(t, edge.AssetAccessLogPrefix, str(logging, "targetPrefix"))
		assert.Equal(t, assets.Provider, logs.Provider, "%s: the target is in the source's region and account", region)
		assert.True(t, logs.RetainOnDelete)
		assert.True(t, logging.RetainOnDelete)

		enc := s.Named("aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2", "edge-cdn-assets-access-logs")
		assert.Equal(t, "AES256", str(enc, "rules.0.applyServerSideEncryptionByDefault.sseAlgorithm"), "SSE-S3, which server access logging supports")
		assert.Equal(t, "BucketOwnerEnforced", str(s.Named("aws:s3/bucketOwnershipControls:BucketOwnershipControls", "edge-cdn-assets-access-logs"), "rule.objectOwnership"))
		block := s.Named("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "edge-cdn-assets-access-logs")
		assert.Equal(t, true, input(block, "restrictPublicBuckets"))
		life := s.Named("aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2", "edge-cdn-assets-access-logs")
		assert.Equal(t, 30, num(life, "rules.0.expiration.days"))
		assert.Equal(t, "Enabled", str(life, "rules.0.status"))

		var policy struct {
			Statement []struct {
				Sid, Effect string
				Principal   any
				Action      any
				Resource    any
				Condition   map[string]map[string]any
			}
		}
		require.NoError(t, json.Unmarshal([]byte(str(s.Named("aws:s3/bucketPolicy:BucketPolicy", "edge-cdn-assets-access-logs"), "policy")), &policy))
		require.Len(t, policy.Statement, 2)
		w := policy.Statement[0]
		assert.Equal(t, map[string]any{"Service": "logging.s3.amazonaws.com"}, w.Principal)
		assert.Equal(t, "s3:PutObject", w.Action)
		assert.Equal(t, logs.Outputs["arn"].(string)+"/assets/*", w.Resource)
		assert.Equal(t, assets.Outputs["arn"], w.Condition["ArnLike"]["aws:SourceArn"])
		assert.Equal(t, "123456789012", w.Condition["StringEquals"]["aws:SourceAccount"])
		assert.Equal(t, "Deny", policy.Statement[1].Effect, "TLS only")
		// The log bucket logs nowhere (it would log its own deliveries).
		for _, l := range s.All(typeBucketLogging) {
			assert.NotEqual(t, logs.ID, str(l, "bucket"))
		}
	}
}
