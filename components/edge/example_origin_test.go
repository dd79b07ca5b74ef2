package edge_test

import (
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/tierstack/tierstack/components/edge"
)

// origin.<domain> in another Go Pulumi program: the name a CloudFront distribution reaches its app
// by, a failover pair between two regions' load balancers held by the operator's switch. Flip the
// switch with ServeFrom (or `aws route53 update-health-check --no-inverted`) once the DR database
// is promoted.
func ExampleNewOrigin() {
	pulumi.Run(func(ctx *pulumi.Context) error {
		origin, err := edge.NewOrigin(ctx, "edge-origin", &edge.OriginArgs{
			Domain:       "app.example.com",
			HostedZoneID: "Z0123456789ABCDEFGHIJ",
			Primary: edge.LoadBalancer{
				DNSName: pulumi.String("web-1234567890.us-east-1.elb.amazonaws.com"), ZoneID: pulumi.String("Z35SXDOTRQ7X7K"),
			},
			Secondary: &edge.LoadBalancer{
				DNSName: pulumi.String("dr-web-1234567890.us-west-2.elb.amazonaws.com"), ZoneID: pulumi.String("Z1H1FL5HABSF5"),
			},
			ServeFrom: edge.ServeFromPrimary,
		})
		if err != nil {
			return err
		}
		ctx.Export("originName", pulumi.String(origin.Name)) // the CDN's app origin: origin.FQDN
		ctx.Export("switchHealthCheckId", origin.SwitchID)
		return nil
	})
}
