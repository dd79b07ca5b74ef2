package edge

import (
	"fmt"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/route53"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/tierstack/tierstack/internal/awsenv"
	"github.com/tierstack/tierstack/internal/naming"
)

// TypeToken is the Pulumi type token of the Edge component.
const TypeToken = "tierstack:index:Edge"

// Target is where the service's names point: an address (the single web server's Elastic IP), or
// an alias to a load balancer or a CloudFront distribution. Set one.
type Target struct {
	// Address is an IPv4 address: the names get an A record with it.
	Address pulumi.StringInput
	// AliasDNSName and AliasZoneID are the DNS name and canonical hosted zone of a load balancer or
	// a distribution: the names get an A alias record to it.
	AliasDNSName pulumi.StringInput
	// AliasZoneID is the alias target's hosted zone.
	AliasZoneID pulumi.StringInput
	// IPv6 adds an AAAA alias record beside the A one (a distribution answers on IPv6).
	IPv6 bool
	// EvaluateHealth has Route 53 check the alias target's health (a load balancer's).
	EvaluateHealth bool
	// Ready are what must exist before the names move to the target: the web tier, so that users
	// arrive once the instances behind the load balancer are registered.
	Ready []pulumi.Resource
}

// Args are the inputs of an Edge.
type Args struct {
	// Domain is the service's name, such as app.example.com. Required.
	Domain string
	// AlternativeNames are more names for the service; wildcards get no record of their own.
	AlternativeNames []string
	// HostedZoneID is the Route 53 public hosted zone that holds the names. Required.
	HostedZoneID string
	// Target is where the names point. Required.
	Target Target
	// HTTPS says the target serves HTTPS (a certificate for the names is on it): URL says https.
	HTTPS bool
}

// Edge is the service under its own domain: one record per name, each the same resource whatever
// it points at, so that moving from an address to a load balancer updates the record in place.
type Edge struct {
	pulumi.ResourceState

	// URL is the service's address under its domain.
	URL pulumi.StringOutput `pulumi:"url"`
	// Records are the records by logical name.
	Records map[string]*route53.Record
}

// New creates the records. It checks the names against the hosted zone before it registers
// anything.
func New(ctx *pulumi.Context, name string, args *Args, opts ...pulumi.ResourceOption) (*Edge, error) {
	if args == nil || args.Domain == "" || args.HostedZoneID == "" {
		return nil, fmt.Errorf("edge %s: domain and hostedZoneId are required (allowed: a DNS name and the Route 53 zone that holds it)", name)
	}
	t := args.Target
	byAddress, byAlias := t.Address != nil, t.AliasDNSName != nil && t.AliasZoneID != nil
	if byAddress == byAlias {
		return nil, fmt.Errorf("edge %s: target needs an address or an alias's DNS name and zone, one of them", name)
	}
	_, inv, err := awsenv.Resolve(ctx, opts)
	if err != nil {
		return nil, fmt.Errorf("edge %s: %w", name, err)
	}
	if _, err := CheckZone(ctx, args.Domain, args.AlternativeNames, args.HostedZoneID, inv); err != nil {
		return nil, fmt.Errorf("edge %s: %w", name, err)
	}
	e := &Edge{Records: map[string]*route53.Record{}}
	if err := ctx.RegisterComponentResource(TypeToken, name, e, opts...); err != nil {
		return nil, fmt.Errorf("edge %s: %w", name, err)
	}
	for _, host := range append([]string{args.Domain}, args.AlternativeNames...) {
		if strings.HasPrefix(host, "*.") {
			continue
		}
		types := []string{"A"}
		if byAlias && t.IPv6 {
			types = append(types, "AAAA")
		}
		for _, typ := range types {
			record := &route53.RecordArgs{ZoneId: pulumi.String(args.HostedZoneID), Name: pulumi.String(host), Type: pulumi.String(typ)}
			if byAddress {
				// A short TTL: when the tier grows, resolvers leave the address within a minute,
				// before the server behind it goes.
				record.Records, record.Ttl = pulumi.StringArray{t.Address}, pulumi.Int(60)
			} else {
				record.Aliases = route53.RecordAliasArray{route53.RecordAliasArgs{
					Name: t.AliasDNSName, ZoneId: t.AliasZoneID, EvaluateTargetHealth: pulumi.Bool(t.EvaluateHealth),
				}}
			}
			logical := naming.Child(name, host)
			if typ == "AAAA" {
				logical = naming.Child(name, host+"-aaaa")
			}
			r, err := route53.NewRecord(ctx, logical, record, pulumi.Parent(e), pulumi.DependsOn(t.Ready))
			if err != nil {
				return nil, fmt.Errorf("edge %s: %w", name, err)
			}
			e.Records[logical] = r
		}
	}
	scheme := "http"
	if args.HTTPS {
		scheme = "https"
	}
	e.URL = pulumi.String(scheme + "://" + args.Domain).ToStringOutput()
	if err := ctx.RegisterResourceOutputs(e, pulumi.Map{"url": e.URL}); err != nil {
		return nil, fmt.Errorf("edge %s: registering outputs: %w", name, err)
	}
	return e, nil
}
