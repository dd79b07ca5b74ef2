package edge

import (
	"fmt"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/route53"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/tierstack/tierstack/internal/awsenv"
	"github.com/tierstack/tierstack/internal/naming"
)

// OriginTypeToken is the Pulumi type token of the Origin component.
const OriginTypeToken = "tierstack:index:Origin"

// OriginLabel is the label before the domain of the name CloudFront reaches the app by:
// origin.<domain> (OriginName).
const OriginLabel = "origin"

// OriginName is the name CloudFront reaches the app by for the service domain: origin.<domain>.
func OriginName(domain string) string { return OriginLabel + "." + domain }

// Routing says how origin.<domain> picks between the two regions' load balancers.
type Routing string

const (
	// RoutingFailover answers with the primary region's load balancer while the operator's
	// switch (ServeFrom) says so, and with the DR region's once it says dr: traffic moves after the
	// database, never on its own. The default.
	RoutingFailover Routing = "failover"
	// RoutingLatency answers, from each CloudFront edge, with the closer healthy region: for
	// activeActive, where either region takes writes (write forwarding) or the two are connected.
	RoutingLatency Routing = "latency"
)

// Routings are the routings, in the order messages list them.
var Routings = []Routing{RoutingFailover, RoutingLatency}

// ServeFrom is the operator's switch: which region origin.<domain> sends users to.
type ServeFrom string

const (
	// ServeFromPrimary serves from the primary region (the default).
	ServeFromPrimary ServeFrom = "primary"
	// ServeFromDR serves from the DR region: set it once the DR database is promoted.
	ServeFromDR ServeFrom = "dr"
)

// ParseServeFrom reads a ServeFrom setting, in any case; "" means ServeFromPrimary.
func ParseServeFrom(s string) (ServeFrom, error) {
	switch strings.ToLower(s) {
	case "", string(ServeFromPrimary):
		return ServeFromPrimary, nil
	case string(ServeFromDR):
		return ServeFromDR, nil
	}
	return "", fmt.Errorf("serveFrom %q is not known (allowed: primary, dr)", s)
}

// LoadBalancer is one region's load balancer, as an alias record names it.
type LoadBalancer struct {
	// DNSName is the load balancer's DNS name. Required.
	DNSName pulumi.StringInput
	// ZoneID is the load balancer's canonical hosted zone. Required.
	ZoneID pulumi.StringInput
	// Region is the load balancer's region, such as us-east-1. Required by RoutingLatency.
	Region string
}

// OriginArgs are the inputs of an Origin.
type OriginArgs struct {
	// Domain is the service's name, such as app.example.com: the record is origin.<Domain>, in
	// the same zone. Required.
	Domain string
	// HostedZoneID is the Route 53 public hosted zone that holds Domain. Required.
	HostedZoneID string
	// Primary is the primary region's load balancer. Required.
	Primary LoadBalancer
	// Secondary is the DR region's load balancer; nil makes origin.<Domain> a plain alias to
	// Primary (the same record, which becomes the PRIMARY of the pair once Secondary is set).
	Secondary *LoadBalancer
	// Routing is how the pair picks a region; "" means RoutingFailover. Needs Secondary.
	Routing Routing
	// ServeFrom is the switch; "" means ServeFromPrimary. ServeFromDR needs Secondary.
	ServeFrom ServeFrom
	// Ready are what must exist before the records point at the load balancers.
	Ready []pulumi.Resource
	// Tags are added to the switch health check, beside a Name tag.
	Tags map[string]string
}

// checked applies the defaults to a copy and validates it.
func (a OriginArgs) checked() (OriginArgs, error) {
	if a.Routing == "" {
		a.Routing = RoutingFailover
	}
	if a.ServeFrom == "" {
		a.ServeFrom = ServeFromPrimary
	}
	if err := CheckNames(a.Domain, nil, ""); err != nil {
		return a, err
	}
	if n := OriginName(a.Domain); len(n) > 253 {
		return a, fmt.Errorf("domain %q makes the origin name %s longer than 253 characters (allowed: a domain of at most %d)", a.Domain, n, 253-len(OriginLabel)-1)
	}
	if !zoneIDPattern.MatchString(a.HostedZoneID) {
		return a, fmt.Errorf("hostedZoneId %q is not a Route 53 zone ID (allowed: one such as Z0123456789ABCDEFGHIJ)", a.HostedZoneID)
	}
	if a.Primary.DNSName == nil || a.Primary.ZoneID == nil {
		return a, fmt.Errorf("primary needs the load balancer's DNS name and zone ID (allowed: the web tier's LoadBalancerDNSName and LoadBalancerZoneID)")
	}
	if a.Secondary != nil && (a.Secondary.DNSName == nil || a.Secondary.ZoneID == nil) {
		return a, fmt.Errorf("secondary needs the DR load balancer's DNS name and zone ID (allowed: nil, or both)")
	}
	switch a.Routing {
	case RoutingFailover, RoutingLatency:
	default:
		return a, fmt.Errorf("routing %q is not known (allowed: %s, %s)", a.Routing, RoutingFailover, RoutingLatency)
	}
	switch a.ServeFrom {
	case ServeFromPrimary, ServeFromDR:
	default:
		return a, fmt.Errorf("serveFrom %q is not known (allowed: %s, %s)", a.ServeFrom, ServeFromPrimary, ServeFromDR)
	}
	if a.Secondary == nil {
		if a.ServeFrom == ServeFromDR {
			return a, fmt.Errorf("serveFrom dr without a DR load balancer to serve from (allowed: primary, or dr once the DR region runs the web tier)")
		}
		if a.Routing == RoutingLatency {
			return a, fmt.Errorf("routing latency without a DR load balancer (allowed: failover, or latency with a secondary)")
		}
		return a, nil
	}
	if a.Routing == RoutingLatency {
		if a.Primary.Region == "" || a.Secondary.Region == "" || a.Primary.Region == a.Secondary.Region {
			return a, fmt.Errorf("routing latency needs both load balancers' regions, distinct (got %q and %q)", a.Primary.Region, a.Secondary.Region)
		}
	}
	return a, nil
}

// Validate checks the arguments as NewOrigin does, the hosted zone's lookup aside.
func (a OriginArgs) Validate() error {
	_, err := a.checked()
	return err
}

// Origin is origin.<domain>, the name the CDN reaches the app by: an alias to the primary region's
// load balancer and, with a DR load balancer, a pair of records between the two regions — a
// failover pair whose PRIMARY is held by an operator's switch, or latency records.
type Origin struct {
	pulumi.ResourceState

	// Name is origin.<domain>.
	Name string
	// FQDN is the record's name once it exists: what the CDN's app origin waits for.
	FQDN pulumi.StringOutput `pulumi:"fqdn"`
	// SwitchID is the switch health check's ID, for `aws route53 update-health-check`; empty
	// without a secondary.
	SwitchID pulumi.StringOutput `pulumi:"switchHealthCheckId"`
	// Primary is the record to the primary region's load balancer.
	Primary *route53.Record
	// Secondary is the record to the DR region's load balancer; nil without one.
	Secondary *route53.Record
	// Switch is the operator's switch; nil without a secondary.
	Switch *route53.HealthCheck
}

// NewOrigin creates origin.<domain>. It checks args and looks the hosted zone up (the name must be
// in it, the zone public) before it registers anything.
func NewOrigin(ctx *pulumi.Context, name string, args *OriginArgs, opts ...pulumi.ResourceOption) (*Origin, error) {
	if args == nil {
		return nil, fmt.Errorf("origin %s: args are required (allowed: a domain, its hosted zone and the primary load balancer)", name)
	}
	a, err := args.checked()
	if err != nil {
		return nil, fmt.Errorf("origin %s: %w", name, err)
	}
	_, inv, err := awsenv.Resolve(ctx, opts)
	if err != nil {
		return nil, fmt.Errorf("origin %s: %w", name, err)
	}
	if _, err := CheckZone(ctx, a.Domain, []string{OriginName(a.Domain)}, a.HostedZoneID, inv); err != nil {
		return nil, fmt.Errorf("origin %s: %w", name, err)
	}
	o := &Origin{Name: OriginName(a.Domain)}
	if err := ctx.RegisterComponentResource(OriginTypeToken, name, o, opts...); err != nil {
		return nil, fmt.Errorf("origin %s: %w", name, err)
	}
	if err := o.build(ctx, name, a); err != nil {
		return nil, fmt.Errorf("origin %s: %w", name, err)
	}
	if err := ctx.RegisterResourceOutputs(o, pulumi.Map{"fqdn": o.FQDN, "switchHealthCheckId": o.SwitchID}); err != nil {
		return nil, fmt.Errorf("origin %s: registering outputs: %w", name, err)
	}
	return o, nil
}

// build creates the switch and the records.
func (o *Origin) build(ctx *pulumi.Context, name string, a OriginArgs) error {
	parent := pulumi.Parent(o)
	primary := o.record(a, a.Primary, false)
	o.SwitchID = pulumi.String("").ToStringOutput()
	if a.Secondary != nil {
		sw, err := route53.NewHealthCheck(ctx, naming.Child(name, "switch"), SwitchArgs(a.ServeFrom, naming.Tags(a.Tags, naming.Child(name, "switch"))), parent)
		if err != nil {
			return err
		}
		o.Switch, o.SwitchID = sw, sw.ID().ToStringOutput()
		primary.SetIdentifier, primary.HealthCheckId = pulumi.String("primary"), sw.ID()
		secondary := o.record(a, *a.Secondary, true)
		secondary.SetIdentifier = pulumi.String("secondary")
		if a.Routing == RoutingLatency {
			// Each region by its latency from the resolver (CloudFront's edge), each with its load
			// balancer's health; the switch can still take the primary out.
			primary.LatencyRoutingPolicies = route53.RecordLatencyRoutingPolicyArray{route53.RecordLatencyRoutingPolicyArgs{Region: pulumi.String(a.Primary.Region)}}
			secondary.LatencyRoutingPolicies = route53.RecordLatencyRoutingPolicyArray{route53.RecordLatencyRoutingPolicyArgs{Region: pulumi.String(a.Secondary.Region)}}
			primary.Aliases = o.alias(a.Primary, true)
		} else {
			primary.FailoverRoutingPolicies = route53.RecordFailoverRoutingPolicyArray{route53.RecordFailoverRoutingPolicyArgs{Type: pulumi.String("PRIMARY")}}
			secondary.FailoverRoutingPolicies = route53.RecordFailoverRoutingPolicyArray{route53.RecordFailoverRoutingPolicyArgs{Type: pulumi.String("SECONDARY")}}
		}
		rec, err := route53.NewRecord(ctx, naming.Child(name, "secondary"), secondary, parent, pulumi.DependsOn(a.Ready))
		if err != nil {
			return err
		}
		o.Secondary = rec
	}
	rec, err := route53.NewRecord(ctx, naming.Child(name, "primary"), primary, parent, pulumi.DependsOn(a.Ready))
	if err != nil {
		return err
	}
	o.Primary, o.FQDN = rec, rec.Fqdn
	return nil
}

// record is an A alias record of origin.<domain> to a load balancer. The PRIMARY's target health
// is not evaluated: a bad deploy in the primary region must not move users to a DR region whose
// database is still a read-only secondary; only the switch moves them. The SECONDARY's is.
func (o *Origin) record(a OriginArgs, lb LoadBalancer, evaluate bool) *route53.RecordArgs {
	return &route53.RecordArgs{
		ZoneId: pulumi.String(a.HostedZoneID), Name: pulumi.String(o.Name), Type: pulumi.String("A"),
		Aliases: o.alias(lb, evaluate),
	}
}

// alias is the alias block to a load balancer.
func (o *Origin) alias(lb LoadBalancer, evaluate bool) route53.RecordAliasArray {
	return route53.RecordAliasArray{route53.RecordAliasArgs{Name: lb.DNSName, ZoneId: lb.ZoneID, EvaluateTargetHealth: pulumi.Bool(evaluate)}}
}

// SwitchThreshold is the switch's health threshold: one healthy child of none, which Route 53
// never has, so the check is always unhealthy before inversion ("If you specify a number greater
// than the number of child health checks, Route 53 always considers this health check to be
// unhealthy", Route 53 API Reference, UpdateHealthCheck, HealthThreshold). The API's "0: always
// healthy" cannot be created through pulumi-aws 6.83.4: its provider (terraform-provider-aws v5)
// drops a zero child_health_threshold on create and Route 53 answers "Calculated health checks must
// have a health threshold specified" (terraform-provider-aws #44004, fixed by #44006 in v6 only).
const SwitchThreshold = 1

// SwitchArgs are the switch's arguments for a ServeFrom: a CALCULATED health check without
// children, always unhealthy (SwitchThreshold), inverted — so healthy — while users are served from
// the primary; not inverted, so unhealthy, to serve from the DR region. The operator flips it with
// `aws route53 update-health-check --health-check-id <id> --no-inverted` (to the DR region) or
// `--inverted` (back), or with tierstack:dr serveFrom.
func SwitchArgs(serveFrom ServeFrom, tags pulumi.StringMap) *route53.HealthCheckArgs {
	return &route53.HealthCheckArgs{
		Type:                 pulumi.String("CALCULATED"),
		ChildHealthThreshold: pulumi.Int(SwitchThreshold),
		ChildHealthchecks:    pulumi.StringArray{},
		InvertHealthcheck:    pulumi.Bool(serveFrom != ServeFromDR),
		Tags:                 tags,
	}
}
