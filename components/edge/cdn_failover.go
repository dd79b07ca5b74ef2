package edge

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudfront"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// The origin IDs of the asset failover.
const (
	// AssetReplicaOriginID is the origin of the DR region's copy of the asset bucket.
	AssetReplicaOriginID = "assets-dr"
	// AssetGroupID is the origin group /static/* comes from with an AssetFailover: the asset
	// bucket first, its DR copy when the asset bucket fails.
	AssetGroupID = "assets-failover"
)

// AssetFailoverStatusCodes are the answers of the asset bucket on which CloudFront asks the DR copy
// instead: the server errors a region in trouble gives (500, 502, 503, 504), and 403 and 404 — what
// S3 answers through origin access control for an object it does not hold (without s3:ListBucket,
// a missing key is 403), so that an object written to one bucket only (the DR one after a
// fail-over, or one not replicated yet) is still found. CloudFront fails over only for GET, HEAD and
// OPTIONS (CloudFront Developer Guide, "Optimize high availability with CloudFront origin
// failover" and "Request and response behavior for origin groups"), which is all /static/*
// allows; a timeout or refused connection fails over too. A miss costs one more request to S3.
var AssetFailoverStatusCodes = []int{403, 404, 500, 502, 503, 504}

// AssetFailover is the DR region's copy of the asset bucket, which /static/* fails over to.
type AssetFailover struct {
	// BucketRegionalDomainName is the replica bucket's regional name
	// (bucket.s3.<region>.amazonaws.com). Required. The replica is read through the CDN's origin
	// access control, so its bucket policy must admit the distribution (AssetBucketPolicy) and its
	// objects must be SSE-S3 or SSE-KMS with a key that admits CloudFront.
	BucketRegionalDomainName pulumi.StringInput
}

// assetsTarget is the origin (or origin group) /static/* comes from.
func assetsTarget(a CDNArgs) string {
	if a.AssetFailover != nil {
		return AssetGroupID
	}
	return "assets"
}

// addTo adds the replica's origin, signed with the same origin access control (one serves any
// number of S3 origins), and the origin group.
func (f *AssetFailover) addTo(dist *cloudfront.DistributionArgs, oac *cloudfront.OriginAccessControl) error {
	origins, ok := dist.Origins.(cloudfront.DistributionOriginArray)
	if !ok {
		return fmt.Errorf("asset failover: the distribution's origins are a %T, not a list", dist.Origins)
	}
	dist.Origins = append(origins, cloudfront.DistributionOriginArgs{
		OriginId: pulumi.String(AssetReplicaOriginID), DomainName: f.BucketRegionalDomainName, OriginAccessControlId: oac.ID(),
	})
	dist.OriginGroups = cloudfront.DistributionOriginGroupArray{cloudfront.DistributionOriginGroupArgs{
		OriginId: pulumi.String(AssetGroupID),
		FailoverCriteria: cloudfront.DistributionOriginGroupFailoverCriteriaArgs{
			StatusCodes: pulumi.ToIntArray(AssetFailoverStatusCodes),
		},
		Members: cloudfront.DistributionOriginGroupMemberArray{
			cloudfront.DistributionOriginGroupMemberArgs{OriginId: pulumi.String("assets")},
			cloudfront.DistributionOriginGroupMemberArgs{OriginId: pulumi.String(AssetReplicaOriginID)},
		},
	}}
	return nil
}
