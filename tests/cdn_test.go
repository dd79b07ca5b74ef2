package tests

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tierstack/tierstack/components/edge"
	"github.com/tierstack/tierstack/synth"
	"github.com/tierstack/tierstack/tiers"
)

// Resource types of the CDN.
const (
	cdnTypeDistribution = "aws:cloudfront/distribution:Distribution"
	cdnTypeOAC          = "aws:cloudfront/originAccessControl:OriginAccessControl"
)

// From 10k CloudFront fronts the app: /static/* from a private, versioned bucket through origin
// access control, cached and compressed; the rest to the load balancer, not cached, every header
// forwarded; viewers on HTTPS only, HTTP/2 and 3, IPv6, logs to a bucket, the WAF attached.
func TestCDNFrontsTheAppFrom10k(t *testing.T) {
	s := planTier(t, domainConfig(tiers.Tier10k, ""))
	dist := s.Named(cdnTypeDistribution, "edge-cdn")
	assert.Equal(t, true, input(dist, "enabled"))
	assert.Equal(t, "http2and3", str(dist, "httpVersion"))
	assert.Equal(t, true, input(dist, "isIpv6Enabled"))
	assert.Equal(t, "PriceClass_100", str(dist, "priceClass"), "North America and Europe: the cheapest, at every tier")
	assert.Equal(t, []string{"app.example.com"}, strs(dist, "aliases"))

	alb := s.Named(webTypeALB, "web-alb")
	assert.Equal(t, "app", str(dist, "origins.0.originId"))
	origin := s.Named(edgeTypeRecord, "edge-origin-primary")
	assert.Equal(t, alb.Outputs["dnsName"], str(origin, "aliases.0.name"))
	assert.Equal(t, origin.Outputs["fqdn"], str(dist, "origins.0.domainName"), "the load balancer, through origin.<domain>")
	assert.Equal(t, "https-only", str(dist, "origins.0.customOriginConfig.originProtocolPolicy"), "the load balancer holds the domain's certificate")
	assert.Equal(t, []string{"TLSv1.2"}, strs(dist, "origins.0.customOriginConfig.originSslProtocols"))
	assets := s.Named(webTypeBucket, "edge-cdn-assets")
	assert.Equal(t, "assets", str(dist, "origins.1.originId"))
	assert.Equal(t, assets.Outputs["bucketRegionalDomainName"], str(dist, "origins.1.domainName"))
	assert.Equal(t, s.Named(cdnTypeOAC, "edge-cdn").ID, str(dist, "origins.1.originAccessControlId"))
	oac := s.Named(cdnTypeOAC, "edge-cdn")
	assert.Equal(t, "always", str(oac, "signingBehavior"))
	assert.Equal(t, "sigv4", str(oac, "signingProtocol"))

	assert.Equal(t, "app", str(dist, "defaultCacheBehavior.targetOriginId"))
	assert.Equal(t, edge.CachingDisabledPolicyID, str(dist, "defaultCacheBehavior.cachePolicyId"), "the app's answers are not cached")
	assert.Equal(t, edge.AllViewerPolicyID, str(dist, "defaultCacheBehavior.originRequestPolicyId"))
	assert.Contains(t, strs(dist, "defaultCacheBehavior.allowedMethods"), "POST")
	assert.Equal(t, "/static/*", str(dist, "orderedCacheBehaviors.0.pathPattern"))
	assert.Equal(t, "assets", str(dist, "orderedCacheBehaviors.0.targetOriginId"))
	assert.Equal(t, edge.CachingOptimizedPolicyID, str(dist, "orderedCacheBehaviors.0.cachePolicyId"))
	assert.Equal(t, true, input(dist, "orderedCacheBehaviors.0.compress"))
	for _, p := range []string{"defaultCacheBehavior", "orderedCacheBehaviors.0"} {
		assert.Equal(t, "redirect-to-https", str(dist, p+".viewerProtocolPolicy"), "%s: no HTTP viewer path", p)
	}
	assert.Equal(t, s.Named("aws:acm/certificate:Certificate", "edge-cert").Outputs["arn"], str(dist, "viewerCertificate.acmCertificateArn"),
		"in us-east-1 the one certificate serves the load balancer and CloudFront")
	assert.Equal(t, "TLSv1.2_2021", str(dist, "viewerCertificate.minimumProtocolVersion"))
	assert.Equal(t, "sni-only", str(dist, "viewerCertificate.sslSupportMethod"))
	logs := s.Named(webTypeBucket, "edge-cdn-logs")
	assert.NotEmpty(t, logs.Provider, "the log bucket is made in us-east-1: CloudFront logs to no opt-in region")
	assert.Equal(t, logs.Outputs["bucketDomainName"], str(dist, "loggingConfig.bucket"))
	acl := s.Named(wafTypeACL, "edge-waf")
	assert.Equal(t, "CLOUDFRONT", str(acl, "scope"))
	assert.NotEmpty(t, acl.Provider, "a CLOUDFRONT web ACL is made through the us-east-1 provider")
	assert.Equal(t, acl.Outputs["arn"], str(dist, "webAclId"))
	assert.False(t, s.Has(wafTypeAssociation, "edge-waf-association"), "the distribution names its ACL")

	// The asset bucket: private, versioned, kept in AWS when it leaves the stack, and readable by
	// this distribution only. Not protected: turning the CDN off must not need protectData false.
	assert.False(t, assets.Protect)
	assert.True(t, assets.RetainOnDelete)
	assert.Equal(t, "Enabled", str(s.Named("aws:s3/bucketVersioningV2:BucketVersioningV2", "edge-cdn-assets"), "versioningConfiguration.status"))
	assert.Equal(t, "BucketOwnerEnforced", str(s.Named("aws:s3/bucketOwnershipControls:BucketOwnershipControls", "edge-cdn-assets"), "rule.objectOwnership"))
	assert.Equal(t, "BucketOwnerPreferred", str(s.Named("aws:s3/bucketOwnershipControls:BucketOwnershipControls", "edge-cdn-logs"), "rule.objectOwnership"),
		"CloudFront delivers standard logs through the bucket ACL")
	for _, b := range []string{"edge-cdn-assets", "edge-cdn-logs"} {
		pab := s.Named(webTypePAB, b)
		for _, k := range []string{"blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"} {
			assert.Equal(t, true, input(pab, k), "%s: %s", b, k)
		}
	}
	var policy struct {
		Statement []struct {
			Effect    string
			Principal any
			Condition map[string]map[string]string
		}
	}
	require.NoError(t, json.Unmarshal([]byte(str(s.Named("aws:s3/bucketPolicy:BucketPolicy", "edge-cdn-assets"), "policy")), &policy))
	require.Len(t, policy.Statement, 2)
	assert.Equal(t, map[string]any{"Service": "cloudfront.amazonaws.com"}, policy.Statement[0].Principal)
	assert.Equal(t, dist.Outputs["arn"], policy.Statement[0].Condition["StringEquals"]["AWS:SourceArn"])
	assert.Equal(t, "Deny", policy.Statement[1].Effect)

	// The load balancer admits CloudFront only, on HTTPS: nobody goes around the CDN and its WAF.
	albSG := s.Named(typeSecurityGroup, "web-alb-sg")
	assert.Nil(t, input(albSG, "ingress"), "rule resources, never inline: the CDN's rule comes before the open ones go")
	var albRules []string
	for _, r := range s.All(typeSGRule) {
		if str(r, "securityGroupId") == albSG.ID && str(r, "type") == "ingress" {
			albRules = append(albRules, r.Name)
		}
	}
	assert.Equal(t, []string{"web-alb-from-cloudfront"}, albRules)
	fromCF := s.Named(typeSGRule, "web-alb-from-cloudfront")
	assert.Equal(t, 443, num(fromCF, "fromPort"))
	assert.Empty(t, strs(fromCF, "cidrBlocks"))
	assert.Regexp(t, `^pl-`, strs(fromCF, "prefixListIds")[0])
	assert.Equal(t, "https://app.example.com", s.Outputs["url"])
	assert.Equal(t, s.Named(cdnTypeDistribution, "edge-cdn").Outputs["domainName"], s.Outputs["cdnDomainName"])
	assert.Equal(t, s.Named(cdnTypeDistribution, "edge-cdn").ID, s.Outputs["distributionId"])
	assert.Equal(t, assets.Outputs["bucket"], s.Outputs["assetBucket"])
}

// Without a domain the distribution serves its own name with CloudFront's certificate and reaches
// the load balancer over HTTP, on port 80, which the load balancer opens to CloudFront alone.
func TestCDNWithoutADomain(t *testing.T) {
	s := planTier(t, tierConfig(tiers.Tier10k))
	dist := s.Named(cdnTypeDistribution, "edge-cdn")
	assert.Equal(t, true, input(dist, "viewerCertificate.cloudfrontDefaultCertificate"))
	assert.Empty(t, strs(dist, "aliases"))
	assert.Equal(t, "http-only", str(dist, "origins.0.customOriginConfig.originProtocolPolicy"))
	assert.Equal(t, 80, num(s.Named(typeSGRule, "web-alb-from-cloudfront"), "fromPort"))
	assert.Regexp(t, `^https://d[0-9a-f]+\.cloudfront\.net$`, s.Outputs["url"])
	var said bool
	for _, w := range s.Warnings {
		said = said || strings.Contains(w.Message, "no tierstack:domain: the service answers on CloudFront's own dxxxx.cloudfront.net name")
	}
	assert.True(t, said, "the plan says where the service answers without a domain")
	for _, w := range s.Warnings {
		assert.NotContains(t, w.Message, "HTTP (80) only", "users reach CloudFront, not the load balancer")
	}
	withDomain := planTier(t, domainConfig(tiers.Tier10k, ""))
	for _, w := range withDomain.Warnings {
		assert.NotContains(t, w.Message, "no tierstack:domain")
	}
}

// Outside us-east-1 CloudFront needs its own certificate there: a copy, made through the us-east-1
// provider and validated by the very records of the regional one (ACM asks for the same record in
// every region), so no record is managed twice.
func TestCDNCertificateCopyInUSEast1(t *testing.T) {
	cfg := domainConfig(tiers.Tier10k, "")
	cfg["aws:region"] = "eu-west-1"
	cfg["tierstack:network"] = `{"availabilityZones":["eu-west-1a","eu-west-1b","eu-west-1c"]}`
	s := planTier(t, cfg)
	regional := s.Named("aws:acm/certificate:Certificate", "edge-cert")
	copyCert := s.Named("aws:acm/certificate:Certificate", "edge-cert-us-east-1")
	assert.Empty(t, regional.Provider)
	assert.NotEmpty(t, copyCert.Provider)
	assert.Regexp(t, `^arn:aws:acm:us-east-1:`, copyCert.Outputs["arn"])
	assert.Regexp(t, `^arn:aws:acm:eu-west-1:`, regional.Outputs["arn"])
	assert.Equal(t, 1, len(s.All(edgeTypeRecord))-3, "one validation record beside the A and AAAA records and origin.<domain>")
	assert.Equal(t,
		strs(s.Named(edgeTypeValidation, "edge-cert-validation"), "validationRecordFqdns"),
		strs(s.Named(edgeTypeValidation, "edge-cert-us-east-1-validation"), "validationRecordFqdns"))
	dist := s.Named(cdnTypeDistribution, "edge-cdn")
	assert.Equal(t, copyCert.Outputs["arn"], str(dist, "viewerCertificate.acmCertificateArn"))
	assert.Equal(t, regional.Outputs["arn"], str(s.Named(webTypeListener, "web-https"), "certificateArn"))
}

// Where CloudFront is not (GovCloud) the tier keeps the WAF on the load balancer; asking for the
// CDN there is refused before anything is registered.
func TestCDNOnlyWhereCloudFrontIs(t *testing.T) {
	cfg := tierConfig(tiers.Tier10k)
	cfg["aws:region"] = "us-gov-west-1"
	cfg["tierstack:network"] = `{"availabilityZones":["us-gov-west-1a","us-gov-west-1b","us-gov-west-1c"]}`
	s := planTier(t, cfg)
	assert.Zero(t, s.Count(cdnTypeDistribution))
	assert.Equal(t, "REGIONAL", str(s.Named(wafTypeACL, "edge-waf"), "scope"))

	cfg["tierstack:edge"] = `{"cdn":true}`
	bad, err := runProgram(t, "", cfg, tiers.Program)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "tierstack:edge cdn is set in us-gov-west-1")
	assert.Empty(t, bad.Resources)
}

// Nothing at the edge changes from 10k up: the distribution, its buckets, the WAF, the certificate
// and the records are the same resources with the same inputs at 10k, 100k and 1m — but for the
// distribution's /static/* origin group at 1m, whose DR region it fails over to.
func TestEdgeUnchangedFrom10kUp(t *testing.T) {
	prev := planTier(t, domainConfig(tiers.Tier10k, ""))
	for _, tier := range []tiers.Tier{tiers.Tier100k, tiers.Tier1M} {
		next := planTier(t, domainConfig(tier, ""))
		changes := diffOf(t, prev.Plan, next.Plan)
		edgeResources := 0
		for _, r := range next.Resources {
			if !strings.HasPrefix(r.Name, "edge-") {
				continue
			}
			edgeResources++
			c, changed := changes[r.URN]
			if tier == tiers.Tier1M && r.Type == cdnTypeDistribution && changed {
				// 1m brings the DR region, whose replica /static/* fails over to: an origin and an
				// origin group, in place.
				assert.Equal(t, synth.Update, c.Action)
				assert.Subset(t, []string{"orderedCacheBehaviors", "originGroups", "origins"}, c.Keys)
				continue
			}
			if tier == tiers.Tier1M && strings.HasPrefix(r.Name, "edge-origin-") && changed {
				// 1m brings the DR load balancer: origin.<domain> becomes the primary of a failover
				// pair held by the operator's switch, in place; the switch and the secondary are new.
				assertOriginPairChange(t, r, c)
				continue
			}
			assert.False(t, changed, "tier %s changes %s %s: %+v", tier, r.Type, r.Name, c)
		}
		assert.Greater(t, edgeResources, 20, "the edge is in the plan")
		prev = next
	}
	// The price class is the user's to raise, in place.
	before := planTier(t, domainConfig(tiers.Tier100k, ""))
	after := planTier(t, domainConfig(tiers.Tier100k, `{"priceClass":"PriceClass_All"}`))
	c := diffOf(t, before.Plan, after.Plan)[after.Named(cdnTypeDistribution, "edge-cdn").URN]
	assert.Equal(t, synth.Update, c.Action)
	assert.Equal(t, []string{"priceClass"}, c.Keys)
}

// Bad CDN settings are refused before anything is registered.
func TestCDNBadSettings(t *testing.T) {
	for edgeSettings, want := range map[string]string{
		`{"priceClass":"PriceClass_50"}`:                             `tierstack:edge priceClass "PriceClass_50" is not a CloudFront price class`,
		`{"cdnLogDays":0,"cdn":false,"priceClass":"PriceClass_All"}`: "tierstack:edge priceClass, cdnLogDays, allowCountries and denyCountries set a CDN this stack does not have",
		`{"allowCountries":["DE"],"denyCountries":["FR"]}`:           "tierstack:edge allowCountries and denyCountries are both set",
		`{"allowCountries":["XX"]}`:                                  `tierstack:edge country "XX" is not an ISO 3166-1 alpha-2 country code`,
		`{"denyCountries":["UK"]}`:                                   `country "UK" is not an ISO 3166-1 alpha-2 country code`,
		`{"denyCountries":["EU"]}`:                                   `country "EU" is not`,
		`{"allowCountries":["de"]}`:                                  `country "de" is not`,
		`{"allowCountries":["DE","DE"]}`:                             `country "DE" is listed twice`,
		`{"cdnLogDays":5000}`:                                        "tierstack:edge cdnLogDays 5000 is out of range",
	} {
		s, err := runProgram(t, "", wafConfig(tiers.Tier10k, edgeSettings), tiers.Program)
		require.Error(t, err, edgeSettings)
		assert.Contains(t, err.Error(), want)
		assert.Empty(t, s.Resources)
	}
	_, err := runProgram(t, "", wafConfig(tiers.Tier100, `{"cdn":true}`), tiers.Program)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "tierstack:edge cdn needs a load balancer")

	// Credentials the us-east-1 provider would not take are refused, not silently dropped.
	cfg := tierConfig(tiers.Tier10k)
	cfg["aws:assumeRoles"] = `[{"roleArn":"arn:aws:iam::123456789012:role/deploy"}]`
	s, err := runProgram(t, "", cfg, tiers.Program)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "aws:assumeRoles is set, and the CDN's us-east-1 provider would not use it")
	assert.Empty(t, s.Resources)
	cfg["tierstack:edge"] = `{"cdn":false}`
	planTier(t, cfg)
}

// The Mermaid diagram draws the request path from what the plan holds: the domain, CloudFront and
// its WAF, origin.<domain>, the load balancer, the app, and the asset bucket behind /static/*.
func TestMermaidDrawsTheRequestPath(t *testing.T) {
	draw := func(cfg map[string]string) string {
		var b strings.Builder
		require.NoError(t, synth.WriteMermaid(&b, planTier(t, cfg).Plan))
		return b.String()
	}
	full := draw(domainConfig(tiers.Tier10k, ""))
	for _, want := range []string{
		`rp_dns["Route 53 app.example.com"]`, `rp_cdn["CloudFront edge-cdn + WAF edge-waf"]`, `rp_alb["ALB web-alb"]`,
		`rp_app["app: Auto Scaling group web-asg"]`, `rp_assets["S3 edge-cdn-assets: /static/*"]`,
		`rp_origin["Route 53 origin.app.example.com"]`,
		"rp_dns --> rp_cdn\n", "rp_cdn --> rp_origin\n", "rp_origin --> rp_alb\n", "rp_alb --> rp_app\n", "rp_cdn --> rp_assets\n",
	} {
		assert.Contains(t, full, want)
	}
	direct := draw(domainConfig(tiers.Tier10k, `{"cdn":false}`))
	assert.Contains(t, direct, `rp_alb["ALB web-alb + WAF edge-waf"]`)
	assert.Contains(t, direct, "rp_dns --> rp_alb\n")
	assert.NotContains(t, direct, "rp_cdn")
	single := draw(tierConfig(tiers.Tier100))
	assert.Contains(t, single, "rp_users --> rp_app\n")
	assert.Contains(t, single, `rp_app["app: instance web-server"]`)
}

// Countries: an allow list or a deny list of ISO 3166-1 alpha-2 codes, on the distribution.
func TestCDNGeoRestriction(t *testing.T) {
	s := planTier(t, wafConfig(tiers.Tier10k, `{"allowCountries":["DE","AT","CH"]}`))
	dist := s.Named(cdnTypeDistribution, "edge-cdn")
	assert.Equal(t, "whitelist", str(dist, "restrictions.geoRestriction.restrictionType"))
	assert.Equal(t, []string{"DE", "AT", "CH"}, strs(dist, "restrictions.geoRestriction.locations"))
	s = planTier(t, wafConfig(tiers.Tier10k, `{"denyCountries":["KP"]}`))
	assert.Equal(t, "blacklist", str(s.Named(cdnTypeDistribution, "edge-cdn"), "restrictions.geoRestriction.restrictionType"))
	s = planTier(t, tierConfig(tiers.Tier10k))
	assert.Equal(t, "none", str(s.Named(cdnTypeDistribution, "edge-cdn"), "restrictions.geoRestriction.restrictionType"))
	assert.True(t, edge.IsCountryCode("GB"))
	assert.False(t, edge.IsCountryCode("UK"), "the canonical code is GB")
}

// The prefix list admits every CloudFront distribution; the load balancer forwards only requests
// that carry this CDN's secret header, answers 403 to the rest, and the secret stays secret.
func TestCDNOriginSecret(t *testing.T) {
	for _, cfg := range []map[string]string{tierConfig(tiers.Tier10k), domainConfig(tiers.Tier10k, "")} {
		s := planTier(t, cfg)
		front := "web-http"
		if s.Has(webTypeListener, "web-https") {
			front = "web-https"
		}
		listener := s.Named(webTypeListener, front)
		assert.Equal(t, "fixed-response", str(listener, "defaultActions.0.type"), front)
		assert.Equal(t, "403", str(listener, "defaultActions.0.fixedResponse.statusCode"))
		rule := s.Named("aws:lb/listenerRule:ListenerRule", "web-from-cdn")
		assert.Equal(t, listener.Outputs["arn"], str(rule, "listenerArn"), "the rule sits on the listener CloudFront uses")
		assert.Equal(t, "X-Origin-Verify", str(rule, "conditions.0.httpHeader.httpHeaderName"))
		assert.Equal(t, []string{synth.SecretPlaceholder}, strs(rule, "conditions.0.httpHeader.values"), "the secret is never in the plan")
		assert.Equal(t, "forward", str(rule, "actions.0.type"))
		dist := s.Named(cdnTypeDistribution, "edge-cdn")
		assert.Equal(t, "X-Origin-Verify", str(dist, "origins.0.customHeaders.0.name"))
		assert.Equal(t, synth.SecretPlaceholder, str(dist, "origins.0.customHeaders.0.value"))
	}
	// Without the CDN nothing checks the header: the load balancer serves whoever its group admits,
	// the internet on 80 and 443.
	direct := planTier(t, wafConfig(tiers.Tier10k, `{"cdn":false}`))
	assert.False(t, direct.Has("aws:lb/listenerRule:ListenerRule", "web-from-cdn"))
	open := direct.Named("aws:lb/listenerRule:ListenerRule", "web-to-app")
	assert.Equal(t, []string{"/*"}, strs(open, "conditions.0.pathPattern.values"))
	assert.Equal(t, "forward", str(open, "actions.0.type"))
	for _, name := range []string{"web-alb-http", "web-alb-https"} {
		assert.Equal(t, []string{"0.0.0.0/0"}, strs(direct.Named(typeSGRule, name), "cidrBlocks"), name)
	}
	assert.False(t, direct.Has(typeSGRule, "web-alb-from-cloudfront"))
}

// Turning the CDN on for a running 10k stack never locks users out while the distribution deploys:
// the CDN's rules are created, the open ones only deleted (which Pulumi does last); nothing that
// admits users is updated in place.
func TestCDNTurnedOnLocksNobodyOut(t *testing.T) {
	before := planTier(t, domainConfig(tiers.Tier10k, `{"cdn":false}`))
	after := planTier(t, domainConfig(tiers.Tier10k, ""))
	changes := diffOf(t, before.Plan, after.Plan)
	byName := map[string]synth.Change{}
	for _, c := range changes {
		byName[c.Name] = c
	}
	assert.Equal(t, synth.Create, byName["web-alb-from-cloudfront"].Action)
	assert.Equal(t, synth.Create, byName["web-from-cdn"].Action)
	for _, name := range []string{"web-alb-http", "web-alb-https", "web-to-app"} {
		assert.Equal(t, synth.Delete, byName[name].Action, name)
	}
	for _, name := range []string{"web-alb-sg", "web-https", "web-http", "web-alb"} {
		_, changed := byName[name]
		assert.False(t, changed, "%s is not changed in place", name)
	}
}

// assertOriginPairChange checks what the DR region's load balancer does to origin.<domain>: the
// record of 10k is updated in place into the primary of the failover pair (its routing policy, set
// identifier and the switch's health check), and only the switch and the secondary are created.
func assertOriginPairChange(t *testing.T, r synth.Resource, c synth.Change) {
	t.Helper()
	switch r.Name {
	case "edge-origin-primary":
		assert.Equal(t, synth.Update, c.Action, "%s", r.Name)
		assert.Subset(t, []string{"failoverRoutingPolicies", "healthCheckId", "setIdentifier"}, c.Keys)
	case "edge-origin-switch", "edge-origin-secondary":
		assert.Equal(t, synth.Create, c.Action, "%s", r.Name)
	default:
		t.Errorf("1m changes %s %s: %+v", r.Type, r.Name, c)
	}
}
