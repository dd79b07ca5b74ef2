package tests

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tierstack/tierstack/components/drregion"
	"github.com/tierstack/tierstack/components/edge"
	"github.com/tierstack/tierstack/insights"
	"github.com/tierstack/tierstack/synth"
	"github.com/tierstack/tierstack/tiers"
)

// Resource types of origin.<domain>.
const (
	typeHealthCheck = "aws:route53/healthCheck:HealthCheck"
	typeBucketPol   = "aws:s3/bucketPolicy:BucketPolicy"
)

// drDomainConfig is the 1m tier with a domain and a DR region in us-west-2.
func drDomainConfig() map[string]string {
	cfg := drConfig()
	cfg["tierstack:domain"] = "app.example.com"
	cfg["tierstack:hostedZoneId"] = edgeZone
	return cfg
}

// Without a DR region /static/* comes from the asset bucket alone; with one, from an origin group
// that fails over to the DR replica, read through the same origin access control, on the server
// errors and on 403/404, and the distribution waits for the replica bucket.
func TestAssetOriginGroupOnlyWithADRReplica(t *testing.T) {
	plain := planTier(t, domainConfig(tiers.Tier100k, ""))
	dist := plain.Named(cdnTypeDistribution, "edge-cdn")
	assert.Nil(t, input(dist, "originGroups"), "no DR region: no origin group")
	assert.Nil(t, input(dist, "origins.2"), "no DR region: two origins")
	assert.Equal(t, "assets", str(dist, "orderedCacheBehaviors.0.targetOriginId"))

	s := planTier(t, drDomainConfig())
	dist = s.Named(cdnTypeDistribution, "edge-cdn")
	replica := s.Named(webTypeBucket, "dr-assets")
	assert.Equal(t, edge.AssetReplicaOriginID, str(dist, "origins.2.originId"))
	assert.Equal(t, replica.Outputs["bucket"].(string)+".s3.us-west-2.amazonaws.com", str(dist, "origins.2.domainName"))
	assert.Equal(t, s.Named(cdnTypeOAC, "edge-cdn").ID, str(dist, "origins.2.originAccessControlId"), "signed like the asset bucket")
	assert.Contains(t, dist.Dependencies, replica.URN, "the distribution is updated once the replica exists")

	assert.Equal(t, edge.AssetGroupID, str(dist, "originGroups.0.originId"))
	assert.Equal(t, "assets", str(dist, "originGroups.0.members.0.originId"), "the asset bucket first")
	assert.Equal(t, edge.AssetReplicaOriginID, str(dist, "originGroups.0.members.1.originId"))
	var codes []int
	for i := range 6 {
		codes = append(codes, num(dist, "originGroups.0.failoverCriteria.statusCodes."+strconv.Itoa(i)))
	}
	assert.ElementsMatch(t, []int{403, 404, 500, 502, 503, 504}, codes)
	assert.Equal(t, edge.AssetGroupID, str(dist, "orderedCacheBehaviors.0.targetOriginId"))
	assert.Equal(t, []string{"GET", "HEAD"}, strs(dist, "orderedCacheBehaviors.0.allowedMethods"),
		"CloudFront fails over GET, HEAD and OPTIONS only; /static/* allows no other")
}

// The DR replica's policy, in the DR region, lets this distribution alone read it, and refuses
// requests without TLS; the replica stays SSE-S3, which origin access control reads.
func TestDRReplicaPolicyAdmitsOnlyTheDistribution(t *testing.T) {
	s := planTier(t, drDomainConfig())
	policy := s.Named(typeBucketPol, "dr-assets")
	assert.Equal(t, s.Named("pulumi:providers:aws", "dr-region").URN, policy.Provider, "made in the DR region")
	replica := s.Named(webTypeBucket, "dr-assets")
	dist := s.Named(cdnTypeDistribution, "edge-cdn")
	var doc struct {
		Statement []struct {
			Sid       string
			Effect    string
			Principal any
			Action    any
			Resource  any
			Condition map[string]map[string]any
		}
	}
	require.NoError(t, json.Unmarshal([]byte(str(policy, "policy")), &doc))
	require.Len(t, doc.Statement, 2)
	read := doc.Statement[0]
	assert.Equal(t, "Allow", read.Effect)
	assert.Equal(t, map[string]any{"Service": "cloudfront.amazonaws.com"}, read.Principal)
	assert.Equal(t, "s3:GetObject", read.Action)
	assert.Equal(t, replica.Outputs["arn"].(string)+"/*", read.Resource)
	assert.Equal(t, dist.Outputs["arn"], read.Condition["StringEquals"]["AWS:SourceArn"], "this distribution alone")
	assert.Equal(t, "Deny", doc.Statement[1].Effect, "TLS only")
	enc := s.Named("aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2", "dr-assets")
	assert.Equal(t, "AES256", str(enc, "rules.0.applyServerSideEncryptionByDefault.sseAlgorithm"),
		"SSE-S3: CloudFront reads it through origin access control with no key policy")

	// Without a distribution, the policy admits nobody but refuses plain HTTP.
	require.NoError(t, json.Unmarshal([]byte(drregion.ReplicaBucketPolicy("arn:aws:s3:::b", "")), &doc))
	require.Len(t, doc.Statement, 1)
	assert.Equal(t, "Deny", doc.Statement[0].Effect)
}

// With a domain and the CDN, CloudFront reaches the app through origin.<domain>, an alias to the
// load balancer in the stack's zone, and waits for it; the domain's own record waits for it too.
func TestCDNReachesTheAppThroughOriginName(t *testing.T) {
	s := planTier(t, domainConfig(tiers.Tier10k, ""))
	rec := s.Named(edgeTypeRecord, "edge-origin-primary")
	alb := s.Named(webTypeALB, "web-alb")
	assert.Equal(t, "origin.app.example.com", str(rec, "name"))
	assert.Equal(t, edgeZone, str(rec, "zoneId"))
	assert.Equal(t, "A", str(rec, "type"))
	assert.Equal(t, alb.Outputs["dnsName"], str(rec, "aliases.0.name"))
	assert.Equal(t, alb.Outputs["zoneId"], str(rec, "aliases.0.zoneId"))
	assert.Nil(t, input(rec, "setIdentifier"), "no DR load balancer: a plain alias")
	assert.Zero(t, s.Count(typeHealthCheck), "no DR load balancer: no switch")

	dist := s.Named(cdnTypeDistribution, "edge-cdn")
	assert.Equal(t, rec.Outputs["fqdn"], str(dist, "origins.0.domainName"))
	assert.Contains(t, dist.Dependencies, rec.URN, "the distribution waits for the name it reaches")
	assert.Equal(t, "https-only", str(dist, "origins.0.customOriginConfig.originProtocolPolicy"))
	assert.Equal(t, edge.AllViewerPolicyID, str(dist, "defaultCacheBehavior.originRequestPolicyId"),
		"the viewer's Host is forwarded: CloudFront checks the load balancer's certificate against it")
	site := s.Named(edgeTypeRecord, "edge-app.example.com")
	assert.Contains(t, site.Dependencies, rec.URN, "users arrive once origin.<domain> exists")
	assert.Equal(t, "origin.app.example.com", s.Outputs["originName"])

	// Without a domain there is no zone to hold the name: the load balancer's own name.
	bare := planTier(t, tierConfig(tiers.Tier10k))
	assert.Equal(t, bare.Named(webTypeALB, "web-alb").Outputs["dnsName"], str(bare.Named(cdnTypeDistribution, "edge-cdn"), "origins.0.domainName"))
	assert.False(t, bare.Has(edgeTypeRecord, "edge-origin-primary"))
}

// origin.<domain>, the distribution and the primary's load balancer are the same resources from
// 10k to 1m with a DR region: updates only.
func TestOriginAndDistributionStayFrom10kTo1mWithDR(t *testing.T) {
	prev := planTier(t, domainConfig(tiers.Tier10k, ""))
	next := planTier(t, drDomainConfig())
	changes := diffOf(t, prev.Plan, next.Plan)
	for _, k := range []struct{ typ, name string }{
		{edgeTypeRecord, "edge-origin-primary"}, {cdnTypeDistribution, "edge-cdn"}, {webTypeALB, "web-alb"},
		{edgeTypeRecord, "edge-app.example.com"},
	} {
		r := next.Named(k.typ, k.name)
		if c, changed := changes[r.URN]; changed {
			assert.Equal(t, synth.Update, c.Action, "%s %s", k.typ, k.name)
		}
	}
	assert.Equal(t, synth.Update, changes[next.Named(cdnTypeDistribution, "edge-cdn").URN].Action, "the origin group is an update")
}

// lbPair are two fake load balancers' names and zones.
var lbPair = struct{ primary, secondary edge.LoadBalancer }{
	edge.LoadBalancer{DNSName: pulumi.String("web-alb-1.us-east-1.elb.amazonaws.com"), ZoneID: pulumi.String("Z35SXDOTRQ7X7K"), Region: "us-east-1"},
	edge.LoadBalancer{DNSName: pulumi.String("dr-alb-1.us-west-2.elb.amazonaws.com"), ZoneID: pulumi.String("Z1H1FL5HABSF5"), Region: "us-west-2"},
}

// runOrigin builds an Origin alone on the mock engine.
func runOrigin(t *testing.T, args edge.OriginArgs) (stack, error) {
	t.Helper()
	return runProgram(t, "us-east-1", nil, func(ctx *pulumi.Context) (pulumi.Map, error) {
		_, err := edge.NewOrigin(ctx, "edge-origin", &args)
		return nil, err
	})
}

// With a DR load balancer origin.<domain> is a failover pair: the PRIMARY held by the operator's
// switch alone (its load balancer's health not evaluated, so a bad deploy moves nobody to a
// read-only DR region), the SECONDARY with its load balancer's health. The switch is a CALCULATED
// health check without children and one required, always unhealthy but inverted while serving
// from the primary; serveFrom dr leaves it uninverted.
func TestOriginFailoverPairHeldByTheSwitch(t *testing.T) {
	secondary := lbPair.secondary
	s, err := runOrigin(t, edge.OriginArgs{Domain: "app.example.com", HostedZoneID: edgeZone, Primary: lbPair.primary, Secondary: &secondary})
	require.NoError(t, err)
	sw := s.Named(typeHealthCheck, "edge-origin-switch")
	assert.Equal(t, "CALCULATED", str(sw, "type"))
	assert.Equal(t, edge.SwitchThreshold, num(sw, "childHealthThreshold"))
	assert.Empty(t, strs(sw, "childHealthchecks"), "no children: the threshold alone decides")
	assert.Equal(t, true, input(sw, "invertHealthcheck"), "serving from the primary: inverted, so healthy")

	primary := s.Named(edgeTypeRecord, "edge-origin-primary")
	assert.Equal(t, "origin.app.example.com", str(primary, "name"))
	assert.Equal(t, "primary", str(primary, "setIdentifier"))
	assert.Equal(t, "PRIMARY", str(primary, "failoverRoutingPolicies.0.type"))
	assert.Equal(t, sw.ID, str(primary, "healthCheckId"))
	assert.Equal(t, false, input(primary, "aliases.0.evaluateTargetHealth"), "only the switch moves users")
	assert.Equal(t, "web-alb-1.us-east-1.elb.amazonaws.com", str(primary, "aliases.0.name"))

	dr := s.Named(edgeTypeRecord, "edge-origin-secondary")
	assert.Equal(t, "origin.app.example.com", str(dr, "name"))
	assert.Equal(t, "secondary", str(dr, "setIdentifier"))
	assert.Equal(t, "SECONDARY", str(dr, "failoverRoutingPolicies.0.type"))
	assert.Equal(t, true, input(dr, "aliases.0.evaluateTargetHealth"))
	assert.Equal(t, "dr-alb-1.us-west-2.elb.amazonaws.com", str(dr, "aliases.0.name"))
	assert.Equal(t, "Z1H1FL5HABSF5", str(dr, "aliases.0.zoneId"))
	assert.Nil(t, input(dr, "healthCheckId"))

	s, err = runOrigin(t, edge.OriginArgs{Domain: "app.example.com", HostedZoneID: edgeZone, Primary: lbPair.primary, Secondary: &secondary,
		ServeFrom: edge.ServeFromDR})
	require.NoError(t, err)
	assert.Equal(t, false, input(s.Named(typeHealthCheck, "edge-origin-switch"), "invertHealthcheck"), "serving from dr: unhealthy, so the SECONDARY answers")
}

// Under activeActive both regions are latency records, each with its load balancer's health; the
// switch can still take the primary out.
func TestOriginLatencyRecordsForActiveActive(t *testing.T) {
	secondary := lbPair.secondary
	s, err := runOrigin(t, edge.OriginArgs{Domain: "app.example.com", HostedZoneID: edgeZone, Primary: lbPair.primary, Secondary: &secondary,
		Routing: edge.RoutingLatency})
	require.NoError(t, err)
	primary, dr := s.Named(edgeTypeRecord, "edge-origin-primary"), s.Named(edgeTypeRecord, "edge-origin-secondary")
	assert.Equal(t, "us-east-1", str(primary, "latencyRoutingPolicies.0.region"))
	assert.Equal(t, "us-west-2", str(dr, "latencyRoutingPolicies.0.region"))
	for _, r := range []synth.Resource{primary, dr} {
		assert.Nil(t, input(r, "failoverRoutingPolicies"), r.Name)
		assert.Equal(t, true, input(r, "aliases.0.evaluateTargetHealth"), r.Name)
	}
	assert.Equal(t, s.Named(typeHealthCheck, "edge-origin-switch").ID, str(primary, "healthCheckId"))
}

// Bad origin arguments are refused before anything is registered, naming the field and what is
// allowed.
func TestOriginBadInputRefusedBeforeRegistration(t *testing.T) {
	secondary := lbPair.secondary
	noZone := edge.LoadBalancer{DNSName: pulumi.String("dr-alb.example")}
	for want, args := range map[string]edge.OriginArgs{
		"primary needs the load balancer's DNS name and zone ID":       {Domain: "app.example.com", HostedZoneID: edgeZone},
		"secondary needs the DR load balancer's DNS name and zone":     {Domain: "app.example.com", HostedZoneID: edgeZone, Primary: lbPair.primary, Secondary: &noZone},
		"serveFrom dr without a DR load balancer to serve from":        {Domain: "app.example.com", HostedZoneID: edgeZone, Primary: lbPair.primary, ServeFrom: edge.ServeFromDR},
		`serveFrom "sideways" is not known (allowed: primary, dr)`:     {Domain: "app.example.com", HostedZoneID: edgeZone, Primary: lbPair.primary, Secondary: &secondary, ServeFrom: "sideways"},
		`routing "weighted" is not known (allowed: failover, latency)`: {Domain: "app.example.com", HostedZoneID: edgeZone, Primary: lbPair.primary, Secondary: &secondary, Routing: "weighted"},
		"routing latency without a DR load balancer":                   {Domain: "app.example.com", HostedZoneID: edgeZone, Primary: lbPair.primary, Routing: edge.RoutingLatency},
		"routing latency needs both load balancers' regions":           {Domain: "app.example.com", HostedZoneID: edgeZone, Primary: edge.LoadBalancer{DNSName: pulumi.String("a"), ZoneID: pulumi.String("Z1")}, Secondary: &secondary, Routing: edge.RoutingLatency},
		`domain "App.Example.com" is not a DNS name`:                   {Domain: "App.Example.com", HostedZoneID: edgeZone, Primary: lbPair.primary},
		`hostedZoneId "zone" is not a Route 53 zone ID`:                {Domain: "app.example.com", HostedZoneID: "zone", Primary: lbPair.primary},
		`"app.other.org" is not in the hosted zone`:                    {Domain: "app.other.org", HostedZoneID: edgeZone, Primary: lbPair.primary},
	} {
		s, err := runOrigin(t, args)
		require.Error(t, err, want)
		assert.Contains(t, err.Error(), want)
		assert.Empty(t, s.Resources, want)
	}
}

// tierstack:dr serveFrom is checked before anything is registered: a value it does not know, and
// dr with a strategy that runs no load balancer in the DR region, or without a domain and the CDN.
func TestServeFromConfigRefusedBeforeRegistration(t *testing.T) {
	for dr, want := range map[string]string{
		`{"serveFrom":"sideways","availabilityZones":["us-west-2a","us-west-2b","us-west-2c"]}`:                      `tierstack:dr serveFrom "sideways" is not known (allowed: primary, dr)`,
		`{"serveFrom":"dr","strategy":"backupRestore","availabilityZones":["us-west-2a","us-west-2b","us-west-2c"]}`: "tierstack:dr serveFrom dr with strategy backupRestore, which runs no load balancer in the DR region",
		`{"serveFrom":"dr","strategy":"pilotLight","availabilityZones":["us-west-2a","us-west-2b","us-west-2c"]}`:    "serveFrom dr with strategy pilotLight",
	} {
		cfg := drDomainConfig()
		cfg["tierstack:dr"] = dr
		s, err := runProgram(t, "", cfg, tiers.Program)
		require.Error(t, err, dr)
		assert.Contains(t, err.Error(), want)
		assert.Empty(t, s.Resources, dr)
	}
	// primary is the default, said or not: the switch is inverted (threshold 1 with no child is
	// unhealthy, inverted healthy), so the primary record holds.
	cfg := drDomainConfig()
	cfg["tierstack:dr"] = `{"serveFrom":"Primary","availabilityZones":["us-west-2a","us-west-2b","us-west-2c"]}`
	onPrimary := planTier(t, cfg)
	assert.Equal(t, true, input(onPrimary.Named("aws:route53/healthCheck:HealthCheck", "edge-origin-switch"), "invertHealthcheck"))
	// serveFrom dr with 1m's default (warmStandby) flips the same switch in place: the primary
	// record turns unhealthy and Route 53 answers with the DR load balancer.
	cfg = drDomainConfig()
	cfg["tierstack:dr"] = `{"serveFrom":"dr","availabilityZones":["us-west-2a","us-west-2b","us-west-2c"]}`
	onDR := planTier(t, cfg)
	sw := onDR.Named("aws:route53/healthCheck:HealthCheck", "edge-origin-switch")
	assert.Equal(t, false, input(sw, "invertHealthcheck"))
	changes := diffOf(t, onPrimary.Plan, onDR.Plan)
	c, changed := changes[sw.URN]
	require.True(t, changed)
	assert.Equal(t, synth.Update, c.Action)
	assert.Equal(t, []string{"invertHealthcheck"}, c.Keys)
}

// The request path shows the assets' DR copy behind the asset bucket, and origin.<domain> between
// CloudFront and the load balancer.
func TestMermaidDrawsTheAssetFailover(t *testing.T) {
	var b strings.Builder
	require.NoError(t, synth.WriteMermaid(&b, planTier(t, drDomainConfig()).Plan))
	for _, want := range []string{
		`rp_assets["S3 edge-cdn-assets: /static/*"]`, `rp_assets_dr["S3 dr-assets, DR region"]`,
		"rp_assets -. 403, 404, 5xx .-> rp_assets_dr\n", "rp_cdn --> rp_origin\n", "rp_origin --> rp_alb\n",
		`rp_app["app: EKS web-eks"]`,
	} {
		assert.Contains(t, b.String(), want)
	}
}

// With a DR load balancer behind origin.<domain>'s failover pair, the request path draws the pair
// and the DR load balancer it fails over to (drawn from a plan, as the DR web tier will register
// it: a load balancer under the DRRegion component).
func TestMermaidDrawsTheOriginFailoverPair(t *testing.T) {
	urn := func(parent, typ, name string) string {
		return "urn:pulumi:dev::tierstack::" + parent + typ + "::" + name
	}
	failover := map[string]any{"type": "A", "name": "origin.app.example.com", "failoverRoutingPolicies": []any{map[string]any{"type": "PRIMARY"}}}
	plan := &synth.Plan{Resources: []synth.Resource{
		{Type: edgeTypeRecord, Name: "edge-app.example.com", URN: urn("tierstack:index:Edge$", edgeTypeRecord, "edge-app.example.com"), Custom: true,
			Inputs: map[string]any{"type": "A", "name": "app.example.com"}},
		{Type: cdnTypeDistribution, Name: "edge-cdn", URN: urn("tierstack:index:CDN$", cdnTypeDistribution, "edge-cdn"), Custom: true},
		{Type: edgeTypeRecord, Name: "edge-origin-primary", URN: urn(edge.OriginTypeToken+"$", edgeTypeRecord, "edge-origin-primary"), Custom: true, Inputs: failover},
		{Type: edgeTypeRecord, Name: "edge-origin-secondary", URN: urn(edge.OriginTypeToken+"$", edgeTypeRecord, "edge-origin-secondary"), Custom: true, Inputs: failover},
		{Type: webTypeALB, Name: "web-alb", URN: urn("tierstack:index:WebTier$", webTypeALB, "web-alb"), Custom: true},
		{Type: webTypeALB, Name: "dr-web-alb", URN: urn(drregion.TypeToken+"$", webTypeALB, "dr-web-alb"), Custom: true},
		{Type: "aws:autoscaling/group:Group", Name: "web-asg", URN: urn("tierstack:index:WebTier$", "aws:autoscaling/group:Group", "web-asg"), Custom: true},
		{Type: "aws:autoscaling/group:Group", Name: "dr-web-asg", URN: urn(drregion.TypeToken+"$", "aws:autoscaling/group:Group", "dr-web-asg"), Custom: true},
	}}
	var b strings.Builder
	require.NoError(t, synth.WriteMermaid(&b, plan))
	for _, want := range []string{
		`rp_dns["Route 53 app.example.com"]`, `rp_origin["Route 53 origin.app.example.com: failover, held by the switch"]`,
		`rp_alb["ALB web-alb"]`, `rp_alb_dr["ALB dr-web-alb, DR region"]`, `rp_app["app: Auto Scaling group web-asg"]`,
		"rp_cdn --> rp_origin\n", "rp_origin --> rp_alb\n", "rp_origin -. serveFrom dr .-> rp_alb_dr\n",
	} {
		assert.Contains(t, b.String(), want)
	}
}

// The switch is priced as one Route 53 health check of an AWS endpoint, from the project's price
// table (insights/prices.json, with its source).
func TestOriginSwitchIsPricedAsOneHealthCheck(t *testing.T) {
	secondary := lbPair.secondary
	s, err := runOrigin(t, edge.OriginArgs{Domain: "app.example.com", HostedZoneID: edgeZone, Primary: lbPair.primary, Secondary: &secondary})
	require.NoError(t, err)
	prices, err := insights.Prices()
	require.NoError(t, err)
	price, ok := prices.Lookup("route53.health_check.aws_endpoint.month")
	require.True(t, ok)
	cost, err := insights.EstimateCost(s.Resources, insights.DefaultCostModel(1_000_000), prices)
	require.NoError(t, err)
	sw := s.Named(typeHealthCheck, "edge-origin-switch")
	for _, r := range cost.Resources {
		if r.URN == sw.URN {
			assert.InDelta(t, price.Value, r.MonthlyUSD, 1e-9)
			return
		}
	}
	t.Fatal("the switch is not priced")
}
