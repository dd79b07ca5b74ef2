package tiers

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/tierstack/tierstack/components/edge"
	"github.com/tierstack/tierstack/components/webtier"
	"github.com/tierstack/tierstack/internal/secrets"
)

// cloudFrontPrefixList is the AWS-managed prefix list of CloudFront's origin-facing servers.
const cloudFrontPrefixList = "com.amazonaws.global.cloudfront.origin-facing"

// lookUpEdge reads, before anything is registered, what the edge needs from AWS: the hosted zone
// (every name must be in it) and, with a CDN, CloudFront's prefix list, which the load balancer
// admits alone. region is the stack's region.
func lookUpEdge(ctx *pulumi.Context, s Settings, spec *Spec, region string) error {
	if s.Domain != "" {
		if _, err := edge.CheckZone(ctx, s.Domain, s.Edge.AlternativeNames, s.HostedZoneID, nil); err != nil {
			return fmt.Errorf("tier %s: tierstack:domain / tierstack:edge: %w", spec.Tier, err)
		}
	}
	if spec.CDN != nil {
		if strings.HasPrefix(region, "us-gov-") || strings.HasPrefix(region, "cn-") {
			// CloudFront is not in GovCloud, and in China it takes no ACM certificate: the WAF
			// stays on the load balancer there.
			if s.Edge.CDN != nil && *s.Edge.CDN {
				return fmt.Errorf("tier %s: tierstack:edge cdn is set in %s, where tierstack builds no CloudFront distribution (allowed: cdn false there)", spec.Tier, region)
			}
			spec.CDN = nil
			return nil
		}
		// CloudFront's certificate and web ACL are made through a us-east-1 provider that takes the
		// stack's profile; credentials given any other way would not reach it.
		for _, key := range unforwardedCredentials {
			if _, set := ctx.GetConfig(key); set {
				return fmt.Errorf("tier %s: %s is set, and the CDN's us-east-1 provider would not use it (allowed: credentials through aws:profile or the environment, or tierstack:edge cdn false)", spec.Tier, key)
			}
		}
		list, err := ec2.LookupManagedPrefixList(ctx, &ec2.LookupManagedPrefixListArgs{Name: pulumi.StringRef(cloudFrontPrefixList)})
		if err != nil {
			return fmt.Errorf("tier %s: looking up %s: %w", spec.Tier, cloudFrontPrefixList, err)
		}
		spec.Web.CloudFrontPrefixListID = list.Id
	}
	return nil
}

// edgeFront is what the edge builds before the web tier: the certificate, and the us-east-1
// provider that CloudFront's certificate and web ACL need.
type edgeFront struct {
	cert    *edge.Certificate
	usEast1 pulumi.ProviderResource
	// originSecret is what CloudFront sends the load balancer and the load balancer requires.
	originSecret pulumi.StringOutput
}

// buildEdgeFront builds the certificate (and its CloudFront copy) and sets the web tier's
// certificate.
func buildEdgeFront(ctx *pulumi.Context, s Settings, spec Spec, webArgs *webtier.Args) (edgeFront, error) {
	var front edgeFront
	if spec.CDN != nil {
		p, err := aws.NewProvider(ctx, "us-east-1", usEast1Provider(ctx))
		if err != nil {
			return front, fmt.Errorf("tier %s: %w", spec.Tier, err)
		}
		front.usEast1 = p
		secret, err := secrets.Password(ctx, "edge-origin-secret", 40)
		if err != nil {
			return front, fmt.Errorf("tier %s: %w", spec.Tier, err)
		}
		front.originSecret = secret.Result
		webArgs.OriginSecret = secret.Result
	}
	if s.Domain == "" || webArgs.Mode == webtier.ModeInstance {
		return front, nil
	}
	cert, err := edge.NewCertificate(ctx, "edge-cert", &edge.CertificateArgs{
		Domain: s.Domain, AlternativeNames: s.Edge.AlternativeNames, HostedZoneID: s.HostedZoneID,
		CloudFront: front.usEast1, Tags: webArgs.Tags,
	})
	if err != nil {
		return front, fmt.Errorf("tier %s: %w", spec.Tier, err)
	}
	front.cert = cert
	webArgs.CertificateARN = cert.ARN
	return front, nil
}

// buildEdgeBack builds what sits in front of the web tier once it exists: the WAF and the CDN; it
// adds their stack outputs and returns the CDN (nil without one). The CDN's app origin
// (origin.<domain>) and its assets' DR copy come from fwd, resolved by later steps.
func buildEdgeBack(ctx *pulumi.Context, spec Spec, front edgeFront, web *webtier.WebTier, fwd *forward, logs stackLogs, tags map[string]string, outputs pulumi.Map) (*edge.CDN, error) {
	var aclARN pulumi.StringInput
	if spec.Firewall != nil && web.LoadBalancer != nil {
		fw := *spec.Firewall
		fw.Tags = tags
		var opts []pulumi.ResourceOption
		if spec.CDN != nil {
			// In front of the distribution: a CLOUDFRONT web ACL, which lives in us-east-1.
			fw.CloudFront = true
			opts = append(opts, pulumi.Provider(front.usEast1))
		} else {
			fw.ResourceARN = web.LoadBalancerARN
		}
		key, err := logs.keyFor(ctx, fw.CloudFront, front.usEast1, tags)
		if err != nil {
			return nil, fmt.Errorf("tier %s: %w", spec.Tier, err)
		}
		if key != nil {
			fw.LogKeyARN = key.Arn
		}
		waf, err := edge.NewFirewall(ctx, "edge-waf", &fw, opts...)
		if err != nil {
			return nil, fmt.Errorf("tier %s: %w", spec.Tier, err)
		}
		aclARN = waf.WebACLARN
		outputs["webAclArn"] = waf.WebACLARN
	}
	var cdn *edge.CDN
	if spec.CDN != nil {
		args := *spec.CDN
		args.LoadBalancerDNSName, args.WebACLARN, args.Tags = web.LoadBalancerDNSName, aclARN, tags
		args.OriginSecret, args.Logs = front.originSecret, front.usEast1
		args.AppOrigin = fwd.originInput
		if fwd.replicaInput != nil {
			args.AssetFailover = &edge.AssetFailover{BucketRegionalDomainName: fwd.replicaInput}
		}
		if front.cert != nil {
			args.HTTPSOrigin, args.CertificateARN = true, front.cert.CloudFrontARN
			args.Aliases = front.cert.Names
		}
		var err error
		if cdn, err = edge.NewCDN(ctx, "edge-cdn", &args); err != nil {
			return nil, fmt.Errorf("tier %s: %w", spec.Tier, err)
		}
		outputs["cdnDomainName"] = cdn.DomainName
		outputs["distributionId"] = cdn.DistributionID
		outputs["assetBucket"] = cdn.AssetBucket
		outputs["url"] = pulumi.Sprintf("https://%s", cdn.DomainName)
	}
	if front.cert != nil {
		outputs["certificateArn"] = front.cert.ARN
	}
	return cdn, nil
}

// buildEdgeRecords builds the domain's records, last: to the CDN once it and origin.<domain> (nil
// without one) exist, or to the load balancer or the web server. Without a domain it warns where
// the service answers.
func buildEdgeRecords(ctx *pulumi.Context, s Settings, spec Spec, front edgeFront, web *webtier.WebTier, cdn *edge.CDN, origin *edge.Origin, outputs pulumi.Map) error {
	if s.Domain == "" {
		where := "the web server's Elastic IP, over HTTP"
		switch {
		case cdn != nil:
			where = "CloudFront's own dxxxx.cloudfront.net name, whose certificate still accepts TLS 1.0 and 1.1"
		case web.LoadBalancer != nil:
			where = "the load balancer's AWS name, over HTTP"
		}
		msg := fmt.Sprintf("tier %s: no tierstack:domain: the service answers on %s; set tierstack:domain and tierstack:hostedZoneId for HTTPS under your own name", spec.Tier, where)
		if err := ctx.Log.Warn(msg, nil); err != nil {
			return fmt.Errorf("tier %s: %w", spec.Tier, err)
		}
		return nil
	}
	// The names move once the web tier is all up, not as soon as the load balancer has a name.
	ready := []pulumi.Resource{web}
	target := edge.Target{Address: web.PublicIP, Ready: ready}
	switch {
	case cdn != nil:
		ready = append(ready, cdn)
		if origin != nil {
			ready = append(ready, origin)
		}
		target = edge.Target{AliasDNSName: cdn.DomainName, AliasZoneID: pulumi.String(edge.CloudFrontZoneID), IPv6: true, Ready: ready}
	case web.LoadBalancer != nil:
		target = edge.Target{AliasDNSName: web.LoadBalancerDNSName, AliasZoneID: web.LoadBalancerZoneID, EvaluateHealth: true, Ready: ready}
	}
	site, err := edge.New(ctx, "edge", &edge.Args{
		Domain: s.Domain, AlternativeNames: s.Edge.AlternativeNames, HostedZoneID: s.HostedZoneID,
		Target: target, HTTPS: front.cert != nil,
	})
	if err != nil {
		return fmt.Errorf("tier %s: %w", spec.Tier, err)
	}
	outputs["url"] = site.URL
	return nil
}

// unforwardedCredentials are the aws: settings usEast1Provider does not pass on, nor the EKS
// kubeconfig's `aws eks get-token` (which reads the default files and the profile only): a stack
// that uses them cannot have providers made from it.
var unforwardedCredentials = []string{"aws:assumeRole", "aws:assumeRoles", "aws:assumeRoleWithWebIdentity", "aws:accessKey", "aws:secretKey", "aws:token", "aws:sharedCredentialsFiles", "aws:sharedConfigFiles"}

// usEast1Provider is the stack's AWS provider settings in us-east-1, where CloudFront's certificate
// and web ACL are made with the same credentials in the same account.
func usEast1Provider(ctx *pulumi.Context) *aws.ProviderArgs { return derivedProvider(ctx, "us-east-1") }

// derivedProvider is the stack's AWS provider settings in another region: the profile and the
// accounts it may touch come from the stack's aws: config as they do for the default provider, so
// that what is made there uses the same credentials in the same account. The credentials it does
// not pass on (unforwardedCredentials) are refused before anything is registered.
func derivedProvider(ctx *pulumi.Context, region string) *aws.ProviderArgs {
	args := &aws.ProviderArgs{Region: pulumi.String(region)}
	if profile, ok := ctx.GetConfig("aws:profile"); ok && profile != "" {
		args.Profile = pulumi.String(profile)
	}
	if raw, ok := ctx.GetConfig("aws:allowedAccountIds"); ok {
		var accounts []string
		if json.Unmarshal([]byte(raw), &accounts) == nil && len(accounts) > 0 {
			args.AllowedAccountIds = pulumi.ToStringArray(accounts)
		}
	}
	return args
}
