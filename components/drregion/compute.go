package drregion

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/tierstack/tierstack/components/cachetier"
	"github.com/tierstack/tierstack/components/webtier"
)

// CloudFrontPrefixList is the AWS-managed prefix list of CloudFront's origin-facing servers. Its
// name is the same in every region and its ID is not (Amazon VPC User Guide, "AWS-managed prefix
// lists"), so the DR load balancer's is looked up in the DR region.
const CloudFrontPrefixList = "com.amazonaws.global.cloudfront.origin-facing"

// compute is what New prepares, before it registers anything, for the web tier and cache.
type compute struct {
	web   *webtier.Args
	cache *cachetier.Args
}

// prepareCompute works out the DR web tier's and cache's arguments for the DR region and, behind
// CloudFront (an origin secret), looks up CloudFront's prefix list there, through the DR
// provider.
func (a Args) prepareCompute(ctx *pulumi.Context, drRegion string) (compute, error) {
	var out compute
	if a.Web == nil {
		return out, nil
	}
	web, err := a.webArgs(drRegion)
	if err != nil {
		return out, err
	}
	if web.OriginSecret != nil {
		list, err := ec2.LookupManagedPrefixList(ctx, &ec2.LookupManagedPrefixListArgs{Name: pulumi.StringRef(CloudFrontPrefixList)},
			pulumi.Provider(a.Provider))
		if err != nil {
			return out, fmt.Errorf("looking up %s in %s: %w", CloudFrontPrefixList, drRegion, err)
		}
		web.CloudFrontPrefixListID = list.Id
	}
	out.web = &web
	if out.cache, err = a.cacheArgs(); err != nil {
		return out, err
	}
	return out, nil
}

// buildCompute builds the DR web tier (its load balancer, target group and Auto Scaling group, in
// the DR Network) and the DR cache, which admits only the web tier's security group; the web
// tier connects to the cache and Web.Backends.
func (b builder) buildCompute(c compute) error {
	if c.web == nil {
		return nil
	}
	d := b.d
	webArgs := *c.web
	webArgs.Network, webArgs.Tags = d.Network, b.a.Tags
	var cache *cachetier.CacheTier
	if c.cache != nil {
		cacheArgs := *c.cache
		cacheArgs.Network, cacheArgs.Tags = d.Network, b.a.Tags
		var err error
		if cache, err = cachetier.New(b.ctx, b.child("cache"), &cacheArgs, b.inDR()...); err != nil {
			return err
		}
		webArgs.Backends = append(webArgs.Backends, cache)
		d.Cache, d.CacheEndpoint = cache, cache.Endpoint
	}
	if d.readers != nil {
		// The secondary's reader endpoint, a name of this region that no replicated secret holds.
		webArgs.Backends = append(webArgs.Backends, d.readers)
	}
	web, err := webtier.New(b.ctx, b.child("web"), &webArgs, b.inDR()...)
	if err != nil {
		return err
	}
	if cache != nil {
		if _, err := cache.AllowFrom(b.ctx, "web", web.SecurityGroupID); err != nil {
			return err
		}
	}
	if b.a.Database != nil {
		// The DR app is the secondary clusters' one client: reads there, and writes through them
		// where write forwarding is on.
		port := 3306
		if b.a.Database.Engine == "aurora-postgresql" {
			port = 5432
		}
		if _, err := ec2.NewSecurityGroupRule(b.ctx, b.child("db-allow-web"), &ec2.SecurityGroupRuleArgs{
			Type: pulumi.String("ingress"), Description: pulumi.String("the DR database from the DR app"),
			Protocol: pulumi.String("tcp"), FromPort: pulumi.Int(port), ToPort: pulumi.Int(port),
			SecurityGroupId: d.SecurityGroupID, SourceSecurityGroupId: web.SecurityGroupID,
		}, b.inDR()...); err != nil {
			return err
		}
	}
	d.Web = web
	d.LoadBalancerDNSName, d.LoadBalancerZoneID = web.LoadBalancerDNSName, web.LoadBalancerZoneID
	d.WebSecurityGroupID = web.SecurityGroupID
	if !webArgs.Parked {
		b.d.signalInputs.Web = &WebSignalInputs{LoadBalancerARNSuffix: web.LoadBalancerARNSuffix, TargetGroupARNSuffix: web.TargetGroupARNSuffix,
			Serving: b.a.Strategy == StrategyActiveActive}
	}
	return nil
}
