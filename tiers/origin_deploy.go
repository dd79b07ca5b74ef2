package tiers

import (
	"errors"
	"fmt"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumix"

	"github.com/tierstack/tierstack/components/drregion"
	"github.com/tierstack/tierstack/components/edge"
	"github.com/tierstack/tierstack/components/webtier"
)

// originComponentName is the logical name of origin.<domain>'s component.
const originComponentName = "edge-origin"

// checkOrigin refuses, before anything is registered, what origin.<domain> would refuse later:
// a domain too long to take the origin. label, and a switch set to dr where no origin.<domain>
// exists to flip (it needs a domain and the CDN).
func checkOrigin(s Settings, spec Spec) error {
	if s.Domain == "" || spec.CDN == nil {
		if spec.ServeFrom == edge.ServeFromDR {
			return fmt.Errorf("tier %s: tierstack:dr serveFrom dr needs tierstack:domain and the CDN, which reach the app through origin.<domain> (allowed: primary without them)", spec.Tier)
		}
		return nil
	}
	placeholder := pulumi.String("placeholder")
	args := edge.OriginArgs{Domain: s.Domain, HostedZoneID: s.HostedZoneID,
		Primary: edge.LoadBalancer{DNSName: placeholder, ZoneID: placeholder}}
	if err := args.Validate(); err != nil {
		return fmt.Errorf("tier %s: tierstack:domain: origin.<domain>: %w", spec.Tier, err)
	}
	return nil
}

// forward holds the values the CDN takes from what is built after it, as Pulumi deferred outputs:
// the DR replica bucket's name (the DR region takes the CDN's asset bucket to replicate, and the
// distribution's /static/* fails over to the replica) and origin.<domain> (whose records take the
// DR region's load balancer). Each keeps the dependencies of the output that resolves it, so the
// distribution still waits for the replica bucket and the primary record. close rejects whatever
// was not resolved, so that a failed deploy does not leave the distribution waiting forever.
type forward struct {
	replica, origin           *deferred
	replicaInput, originInput pulumi.StringInput
}

// deferred is one deferred output and whether it was resolved.
type deferred struct {
	resolve func(pulumi.Output)
	done    bool
}

// set resolves d with o, once.
func (d *deferred) set(o pulumi.Output) {
	if d == nil || d.done {
		return
	}
	d.done = true
	d.resolve(o)
}

// newDeferred is a deferred string output and its handle.
func newDeferred(ctx *pulumi.Context) (pulumi.StringOutput, *deferred) {
	out, resolve := pulumi.DeferredOutput[string](ctx.Context())
	return stringOutput(out), &deferred{resolve: resolve}
}

// stringOutput is a typed string output as a pulumi.StringOutput.
func stringOutput(o pulumix.Output[string]) pulumi.StringOutput {
	return pulumi.StringOutput{OutputState: o.OutputState}
}

// newForward makes the deferred outputs the tier needs: the replica's name when the DR region
// replicates the CDN's assets, origin.<domain> when the CDN reaches an HTTPS load balancer under
// the domain.
func newForward(ctx *pulumi.Context, s Settings, spec Spec, front edgeFront) *forward {
	f := &forward{}
	if spec.CDN == nil {
		return f
	}
	if spec.DR != nil {
		out, d := newDeferred(ctx)
		f.replica, f.replicaInput = d, out
	}
	if s.Domain != "" && front.cert != nil {
		out, d := newDeferred(ctx)
		f.origin, f.originInput = d, out
	}
	return f
}

// resolveReplica gives the CDN the DR replica bucket's regional name. CloudFront is built only in
// the aws partition (lookUpEdge), whose S3 regional names end in .amazonaws.com.
func (f *forward) resolveReplica(dr *drregion.DRRegion) {
	if f.replica == nil || dr == nil {
		return
	}
	f.replica.set(pulumi.Sprintf("%s.s3.%s.amazonaws.com", dr.ReplicaBucket, dr.Region))
}

// close rejects what was not resolved with err (or a generic error).
func (f *forward) close(ctx *pulumi.Context, err error) {
	if err == nil {
		err = errors.New("not built")
	}
	for _, d := range []*deferred{f.replica, f.origin} {
		if d == nil || d.done {
			continue
		}
		o, _, reject := ctx.NewOutput()
		reject(fmt.Errorf("a value the CDN waits for was not built: %w", err))
		d.set(o)
	}
}

// drTargets is the DR region's load balancer, which origin.<domain>'s secondary record points at.
// The DR web tier fills it (drWebTargets); nil while the DR region runs none.
type drTargets struct {
	dnsName, zoneID pulumi.StringInput
}

// drWebTargets is the DR region's load balancer, nil without one: from pilotLight on the DR region
// has one (in front of a group at zero under pilotLight), so the failover pair exists from then on
// and a move up the strategies changes no record.
func drWebTargets(dr *builtDR) *drTargets {
	if dr == nil || dr.region == nil || dr.region.Web == nil {
		return nil
	}
	return &drTargets{dnsName: dr.region.LoadBalancerDNSName, zoneID: dr.region.LoadBalancerZoneID}
}

// buildOrigin builds origin.<domain> when the CDN reaches the load balancer under the domain: an
// alias to the primary's load balancer and, with the DR region's, the failover pair held by the
// operator's switch (tierstack:dr serveFrom), or latency records under activeActive. It resolves
// the CDN's app origin with the record's name. nil when there is none.
func buildOrigin(ctx *pulumi.Context, s Settings, spec Spec, region string, web *webtier.WebTier, dr *builtDR, fwd *forward, tags map[string]string) (*edge.Origin, error) {
	if fwd.origin == nil {
		return nil, nil
	}
	args := &edge.OriginArgs{
		Domain: s.Domain, HostedZoneID: s.HostedZoneID,
		Primary:   edge.LoadBalancer{DNSName: web.LoadBalancerDNSName, ZoneID: web.LoadBalancerZoneID, Region: region},
		ServeFrom: spec.ServeFrom, Ready: []pulumi.Resource{web}, Tags: tags,
	}
	if t := drWebTargets(dr); t != nil {
		args.Secondary = &edge.LoadBalancer{DNSName: t.dnsName, ZoneID: t.zoneID, Region: spec.DRRegion}
		if spec.DR.Strategy == drregion.StrategyActiveActive {
			args.Routing = edge.RoutingLatency
		}
	} else if spec.ServeFrom == edge.ServeFromDR {
		return nil, fmt.Errorf("tier %s: tierstack:dr serveFrom dr, and the DR region runs no load balancer yet (allowed: primary)", spec.Tier)
	}
	origin, err := edge.NewOrigin(ctx, originComponentName, args)
	if err != nil {
		return nil, fmt.Errorf("tier %s: %w", spec.Tier, err)
	}
	fwd.origin.set(origin.FQDN)
	return origin, nil
}
