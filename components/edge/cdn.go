package edge

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudfront"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/s3"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"golang.org/x/text/language"

	"github.com/tierstack/tierstack/internal/awsenv"
	"github.com/tierstack/tierstack/internal/buckets"
	"github.com/tierstack/tierstack/internal/naming"
)

// CDNTypeToken is the Pulumi type token of the CDN component.
const CDNTypeToken = "tierstack:index:CDN"

// The CloudFront managed policies the CDN uses, by their fixed IDs (CloudFront Developer Guide,
// "Use managed cache policies" and "Use managed origin request policies").
const (
	// CachingOptimizedPolicyID caches by path, compressed; for static assets.
	CachingOptimizedPolicyID = "658327ea-f89d-4fab-a63d-7e88639e58f6"
	// CachingDisabledPolicyID caches nothing; for the dynamic app.
	CachingDisabledPolicyID = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad"
	// AllViewerPolicyID forwards every header, cookie and query string, Host included: the app sees
	// the request as the viewer sent it, and the load balancer's certificate matches the Host.
	AllViewerPolicyID = "216adef6-5c7f-47e4-b989-5492eafa07d3"
)

// CloudFrontZoneID is the hosted zone of every CloudFront distribution, for alias records.
const CloudFrontZoneID = "Z2FDTNDATAQYW2"

// PriceClasses are CloudFront's price classes, cheapest first.
var PriceClasses = []string{"PriceClass_100", "PriceClass_200", "PriceClass_All"}

// CDNArgs are the inputs of a CDN.
type CDNArgs struct {
	// LoadBalancerDNSName is the load balancer the dynamic requests go to. Required.
	LoadBalancerDNSName pulumi.StringInput
	// AppOrigin is the name CloudFront reaches the app by in place of LoadBalancerDNSName: an
	// Origin's FQDN (origin.<domain>), which can send it to the DR region's load balancer too. With
	// HTTPSOrigin the load balancers' certificates are checked against the viewer's Host (AllViewer
	// forwards it), not against this name. nil uses LoadBalancerDNSName.
	AppOrigin pulumi.StringInput
	// AssetFailover is the DR region's copy of the asset bucket: /static/* then comes from an
	// origin group that fails over to it. nil serves the asset bucket alone.
	AssetFailover *AssetFailover
	// HTTPSOrigin says the load balancer serves HTTPS with a certificate for Aliases: CloudFront
	// then reaches it over HTTPS (TLS 1.2), forwarding the viewer's Host. False reaches it over
	// HTTP: a load balancer's own name cannot hold a certificate.
	HTTPSOrigin bool
	// Aliases are the names the distribution answers to; they need CertificateARN.
	Aliases []string
	// CertificateARN is a validated certificate in us-east-1 for Aliases; nil serves the
	// distribution's own *.cloudfront.net name with CloudFront's certificate.
	CertificateARN pulumi.StringInput
	// OriginSecret is sent to the load balancer in webtier.OriginSecretHeader ("X-Origin-Verify"),
	// which admits only requests that carry it; nil sends none.
	OriginSecret pulumi.StringInput
	// Logs is the AWS provider for us-east-1, where the access-log bucket goes: CloudFront delivers
	// standard logs to no bucket in the opt-in regions. Nil puts it with the stack.
	Logs pulumi.ProviderResource
	// WebACLARN is a CLOUDFRONT-scope web ACL; nil for none.
	WebACLARN pulumi.StringInput
	// PriceClass is where CloudFront serves from; "" means PriceClass_100.
	PriceClass string
	// LogDays is how long access logs are kept; 0 means 90.
	LogDays int
	// AllowCountries, when set, serves only viewers in these countries (ISO 3166-1 alpha-2 codes,
	// such as DE); DenyCountries serves everyone else. At most one of them.
	AllowCountries []string
	// DenyCountries are countries not served.
	DenyCountries []string
	// Tags are added to every resource, beside a Name tag.
	Tags map[string]string
}

// checked applies the defaults to a copy and validates it.
func (a CDNArgs) checked() (CDNArgs, error) {
	if a.PriceClass == "" {
		a.PriceClass = "PriceClass_100"
	}
	if a.LogDays == 0 {
		a.LogDays = 90
	}
	switch {
	case !slices.Contains(PriceClasses, a.PriceClass):
		return a, fmt.Errorf("priceClass %q is not a CloudFront price class (allowed: PriceClass_100, PriceClass_200, PriceClass_All)", a.PriceClass)
	case a.LogDays < 1 || a.LogDays > 3650:
		return a, fmt.Errorf("cdnLogDays %d is out of range (allowed: 1 to 3650)", a.LogDays)
	case len(a.Aliases) > 0 && a.CertificateARN == nil:
		return a, fmt.Errorf("aliases need a certificate in us-east-1 (allowed: no aliases, or a certificateArn)")
	case a.HTTPSOrigin && len(a.Aliases) == 0:
		return a, fmt.Errorf("an HTTPS origin needs the aliases its certificate covers (allowed: httpsOrigin false without aliases)")
	case len(a.AllowCountries) > 0 && len(a.DenyCountries) > 0:
		return a, fmt.Errorf("allowCountries and denyCountries are both set (allowed: one of them)")
	case a.AssetFailover != nil && a.AssetFailover.BucketRegionalDomainName == nil:
		return a, fmt.Errorf("assetFailover needs the replica bucket's bucketRegionalDomainName (allowed: nil, or the DR bucket's regional name)")
	}
	for _, list := range [][]string{a.AllowCountries, a.DenyCountries} {
		for i, code := range list {
			if !IsCountryCode(code) {
				return a, fmt.Errorf("country %q is not an ISO 3166-1 alpha-2 country code (allowed: two capital letters such as DE, US, JP)", code)
			}
			if slices.Contains(list[:i], code) {
				return a, fmt.Errorf("country %q is listed twice", code)
			}
		}
	}
	return a, nil
}

// Validate checks the arguments as NewCDN does, inputs aside.
func (a CDNArgs) Validate() error {
	_, err := a.checked()
	return err
}

// CDN is a CloudFront distribution in front of the web tier: /static/* from a private S3 bucket,
// cached and compressed; everything else to the load balancer, not cached. Viewers use HTTPS only.
type CDN struct {
	pulumi.ResourceState

	// DomainName is the distribution's own name (dxxxx.cloudfront.net).
	DomainName pulumi.StringOutput `pulumi:"domainName"`
	// DistributionID and DistributionARN are the distribution's.
	DistributionID pulumi.StringOutput `pulumi:"distributionId"`
	// DistributionARN is the distribution's ARN.
	DistributionARN pulumi.StringOutput `pulumi:"distributionArn"`
	// AssetBucket is the name of the bucket /static/* is served from, under static/.
	AssetBucket pulumi.StringOutput `pulumi:"assetBucket"`
	// AssetBucketARN is the asset bucket's ARN.
	AssetBucketARN pulumi.StringOutput `pulumi:"assetBucketArn"`
	// AssetVersioning is the asset bucket's versioning: what a replication configuration of the
	// bucket waits for (S3 refuses one on a bucket without versioning).
	AssetVersioning *s3.BucketVersioningV2
}

// NewCDN creates the distribution, its asset bucket, the bucket of the asset bucket's server
// access logs and the bucket of the distribution's logs.
func NewCDN(ctx *pulumi.Context, name string, args *CDNArgs, opts ...pulumi.ResourceOption) (*CDN, error) {
	if args == nil || args.LoadBalancerDNSName == nil {
		return nil, fmt.Errorf("cdn %s: loadBalancerDnsName is required (allowed: the DNS name of the web tier's load balancer)", name)
	}
	a, err := args.checked()
	if err != nil {
		return nil, fmt.Errorf("cdn %s: %w", name, err)
	}
	env, _, err := awsenv.Resolve(ctx, opts)
	if err != nil {
		return nil, fmt.Errorf("cdn %s: %w", name, err)
	}
	c := &CDN{}
	if err := ctx.RegisterComponentResource(CDNTypeToken, name, c, opts...); err != nil {
		return nil, fmt.Errorf("cdn %s: %w", name, err)
	}
	if err := c.build(ctx, name, a, env); err != nil {
		return nil, fmt.Errorf("cdn %s: %w", name, err)
	}
	if err := ctx.RegisterResourceOutputs(c, pulumi.Map{
		"domainName": c.DomainName, "distributionId": c.DistributionID, "distributionArn": c.DistributionARN, "assetBucket": c.AssetBucket,
		"assetBucketArn": c.AssetBucketARN,
	}); err != nil {
		return nil, fmt.Errorf("cdn %s: registering outputs: %w", name, err)
	}
	return c, nil
}

// build creates the buckets, the origin access control and the distribution.
func (c *CDN) build(ctx *pulumi.Context, name string, a CDNArgs, env awsenv.Env) error {
	parent := pulumi.Parent(c)
	kept := []pulumi.ResourceOption{parent, pulumi.RetainOnDelete(true)}
	assetsName := naming.Child(name, "assets")
	// The assets are the site's: versioned and kept in AWS when the CDN leaves the stack (not
	// protected: turning the CDN off must not need the database unprotected too).
	assetsBucket, err := buckets.NewPrivate(ctx, assetsName, "BucketOwnerEnforced", a.Tags, kept...)
	if err != nil {
		return err
	}
	assets := assetsBucket.Bucket
	versioning, err := s3.NewBucketVersioningV2(ctx, assetsName, &s3.BucketVersioningV2Args{
		Bucket:                  assets.ID(),
		VersioningConfiguration: s3.BucketVersioningV2VersioningConfigurationArgs{Status: pulumi.String("Enabled")},
	}, kept...)
	if err != nil {
		return err
	}
	c.AssetBucket, c.AssetBucketARN, c.AssetVersioning = assets.Bucket, assets.Arn, versioning
	if err := c.logAssetAccess(ctx, name, a, env, assets, kept); err != nil {
		return err
	}
	// CloudFront's standard logs are delivered through the bucket's ACL: ACLs stay enabled there
	// (BucketOwnerPreferred), public ones blocked.
	logsName := naming.Child(name, "logs")
	logsKept := kept
	if a.Logs != nil {
		logsKept = append(append([]pulumi.ResourceOption{}, kept...), pulumi.Provider(a.Logs))
	}
	logsBucket, err := buckets.NewPrivate(ctx, logsName, "BucketOwnerPreferred", a.Tags, logsKept...)
	if err != nil {
		return err
	}
	logs, logsOwner := logsBucket.Bucket, logsBucket.Ownership
	if _, err := s3.NewBucketLifecycleConfigurationV2(ctx, logsName, &s3.BucketLifecycleConfigurationV2Args{
		Bucket: logs.ID(),
		Rules: s3.BucketLifecycleConfigurationV2RuleArray{s3.BucketLifecycleConfigurationV2RuleArgs{
			Id: pulumi.String("expire-access-logs"), Status: pulumi.String("Enabled"),
			Filter:     &s3.BucketLifecycleConfigurationV2RuleFilterArgs{Prefix: pulumi.String("")},
			Expiration: &s3.BucketLifecycleConfigurationV2RuleExpirationArgs{Days: pulumi.Int(a.LogDays)},
		}},
	}, logsKept...); err != nil {
		return err
	}

	oac, err := cloudfront.NewOriginAccessControl(ctx, name, &cloudfront.OriginAccessControlArgs{
		Description:                   pulumi.String("tierstack: CloudFront reads the asset bucket, signed"),
		OriginAccessControlOriginType: pulumi.String("s3"),
		SigningBehavior:               pulumi.String("always"),
		SigningProtocol:               pulumi.String("sigv4"),
	}, parent)
	if err != nil {
		return err
	}

	appOrigin := a.LoadBalancerDNSName
	if a.AppOrigin != nil {
		appOrigin = a.AppOrigin
	}
	protocol := "http-only"
	if a.HTTPSOrigin {
		protocol = "https-only"
	}
	viewerCert := cloudfront.DistributionViewerCertificateArgs{CloudfrontDefaultCertificate: pulumi.Bool(true)}
	if a.CertificateARN != nil {
		viewerCert = cloudfront.DistributionViewerCertificateArgs{
			AcmCertificateArn: a.CertificateARN, SslSupportMethod: pulumi.String("sni-only"),
			MinimumProtocolVersion: pulumi.String(ViewerTLSPolicy),
		}
	}
	var aliases pulumi.StringArray
	for _, n := range a.Aliases {
		aliases = append(aliases, pulumi.String(n))
	}
	distArgs := &cloudfront.DistributionArgs{
		Enabled:       pulumi.Bool(true),
		Comment:       pulumi.String("tierstack " + name),
		Aliases:       aliases,
		IsIpv6Enabled: pulumi.Bool(true),
		HttpVersion:   pulumi.String("http2and3"),
		PriceClass:    pulumi.String(a.PriceClass),
		Origins: cloudfront.DistributionOriginArray{
			cloudfront.DistributionOriginArgs{
				OriginId: pulumi.String("app"), DomainName: appOrigin, CustomHeaders: originHeaders(a),
				CustomOriginConfig: &cloudfront.DistributionOriginCustomOriginConfigArgs{
					HttpPort: pulumi.Int(80), HttpsPort: pulumi.Int(443), OriginProtocolPolicy: pulumi.String(protocol),
					OriginSslProtocols: pulumi.StringArray{pulumi.String("TLSv1.2")},
				},
			},
			cloudfront.DistributionOriginArgs{
				OriginId: pulumi.String("assets"), DomainName: assets.BucketRegionalDomainName, OriginAccessControlId: oac.ID(),
			},
		},
		DefaultCacheBehavior: cloudfront.DistributionDefaultCacheBehaviorArgs{
			TargetOriginId:        pulumi.String("app"),
			ViewerProtocolPolicy:  pulumi.String("redirect-to-https"),
			AllowedMethods:        pulumi.ToStringArray([]string{"GET", "HEAD", "OPTIONS", "PUT", "POST", "PATCH", "DELETE"}),
			CachedMethods:         pulumi.ToStringArray([]string{"GET", "HEAD"}),
			CachePolicyId:         pulumi.String(CachingDisabledPolicyID),
			OriginRequestPolicyId: pulumi.String(AllViewerPolicyID),
			// No compression here: CachingDisabled does not let CloudFront compress; the app
			// gets Accept-Encoding and may.
		},
		OrderedCacheBehaviors: cloudfront.DistributionOrderedCacheBehaviorArray{cloudfront.DistributionOrderedCacheBehaviorArgs{
			PathPattern:          pulumi.String("/static/*"),
			TargetOriginId:       pulumi.String(assetsTarget(a)),
			ViewerProtocolPolicy: pulumi.String("redirect-to-https"),
			AllowedMethods:       pulumi.ToStringArray([]string{"GET", "HEAD"}),
			CachedMethods:        pulumi.ToStringArray([]string{"GET", "HEAD"}),
			CachePolicyId:        pulumi.String(CachingOptimizedPolicyID),
			Compress:             pulumi.Bool(true),
		}},
		Restrictions:      cloudfront.DistributionRestrictionsArgs{GeoRestriction: geoRestriction(a)},
		ViewerCertificate: viewerCert,
		LoggingConfig: &cloudfront.DistributionLoggingConfigArgs{
			Bucket: logs.BucketDomainName, Prefix: pulumi.String("cloudfront/"), IncludeCookies: pulumi.Bool(false),
		},
		Tags: naming.Tags(a.Tags, name),
	}
	if a.WebACLARN != nil {
		distArgs.WebAclId = a.WebACLARN
	}
	if a.AssetFailover != nil {
		if err := a.AssetFailover.addTo(distArgs, oac); err != nil {
			return err
		}
	}
	// CloudFront delivers logs through the log bucket's ACL: the bucket must have ACLs enabled
	// before the distribution is created.
	dist, err := cloudfront.NewDistribution(ctx, name, distArgs, parent, pulumi.DependsOn([]pulumi.Resource{logsOwner}))
	if err != nil {
		return err
	}
	c.DomainName, c.DistributionID, c.DistributionARN = dist.DomainName, dist.ID().ToStringOutput(), dist.Arn
	// Only this distribution reads the assets, signed (origin access control), and only over TLS.
	_, err = s3.NewBucketPolicy(ctx, assetsName, &s3.BucketPolicyArgs{
		Bucket: assets.ID(),
		Policy: pulumi.All(assets.Arn, dist.Arn).ApplyT(func(v []any) (string, error) {
			return AssetBucketPolicy(v[0].(string), v[1].(string))
		}).(pulumi.StringOutput),
	}, kept...)
	return err
}

// ViewerTLSPolicy is the distribution's security policy with its own certificate: TLS 1.2 and 1.3.
const ViewerTLSPolicy = "TLSv1.2_2021"

// AssetBucketPolicy lets one distribution read a bucket through its origin access control, and
// refuses every request without TLS.
func AssetBucketPolicy(bucketARN, distributionARN string) (string, error) {
	doc, err := json.Marshal(map[string]any{
		"Version": "2012-10-17",
		"Statement": []map[string]any{
			{"Sid": "CloudFrontReadsAssets", "Effect": "Allow", "Principal": map[string]any{"Service": "cloudfront.amazonaws.com"},
				"Action": "s3:GetObject", "Resource": bucketARN + "/*",
				"Condition": map[string]any{"StringEquals": map[string]any{"AWS:SourceArn": distributionARN}}},
			buckets.TLSOnlyStatement(bucketARN),
		},
	})
	if err != nil {
		return "", fmt.Errorf("asset bucket policy: %w", err)
	}
	return string(doc), nil
}

// geoRestriction is the distribution's country list: an allow list, a deny list, or none.
func geoRestriction(a CDNArgs) cloudfront.DistributionRestrictionsGeoRestrictionArgs {
	switch {
	case len(a.AllowCountries) > 0:
		return cloudfront.DistributionRestrictionsGeoRestrictionArgs{RestrictionType: pulumi.String("whitelist"), Locations: pulumi.ToStringArray(a.AllowCountries)}
	case len(a.DenyCountries) > 0:
		return cloudfront.DistributionRestrictionsGeoRestrictionArgs{RestrictionType: pulumi.String("blacklist"), Locations: pulumi.ToStringArray(a.DenyCountries)}
	}
	return cloudfront.DistributionRestrictionsGeoRestrictionArgs{RestrictionType: pulumi.String("none")}
}

// IsCountryCode reports whether code is an ISO 3166-1 alpha-2 country code, as CloudFront's geo
// restriction takes them: assigned to a country (not EU, not UN), in its canonical form (GB, not UK).
func IsCountryCode(code string) bool {
	if len(code) != 2 || strings.ToUpper(code) != code {
		return false
	}
	if exceptionallyReserved[code] {
		return false
	}
	r, err := language.ParseRegion(code)
	return err == nil && r.IsCountry() && r.String() == code
}

// exceptionallyReserved are two-letter codes ISO 3166 reserves without assigning them to a
// country (UK for GB, EU, UN…): Unicode's region data knows them, CloudFront does not.
var exceptionallyReserved = map[string]bool{
	"AC": true, "CP": true, "CQ": true, "DG": true, "EA": true, "EU": true, "EZ": true,
	"FX": true, "IC": true, "SU": true, "TA": true, "UK": true, "UN": true,
}

// originHeaders are the headers CloudFront adds to what it passes to the load balancer: the secret
// the load balancer checks.
func originHeaders(a CDNArgs) cloudfront.DistributionOriginCustomHeaderArray {
	if a.OriginSecret == nil {
		return nil
	}
	return cloudfront.DistributionOriginCustomHeaderArray{cloudfront.DistributionOriginCustomHeaderArgs{
		Name: pulumi.String(OriginSecretHeader), Value: a.OriginSecret,
	}}
}

// OriginSecretHeader is the header that carries CDNArgs.OriginSecret (webtier.OriginSecretHeader).
const OriginSecretHeader = "X-Origin-Verify"
