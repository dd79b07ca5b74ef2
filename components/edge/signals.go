package edge

import (
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/tierstack/tierstack/internal/signals"
)

// CloudFrontMetricsRegion is where CloudFront publishes its metrics, and where the metrics of web
// ACLs of scope CLOUDFRONT are: alarms on them must live there too.
const CloudFrontMetricsRegion = "us-east-1"

// Signals describes what to watch on the distribution: the share of requests answered with a 5xx,
// which CloudFront publishes itself (5xxErrorRate, in us-east-1, Region=Global). It pages: users see
// errors whether CloudFront or the origin made them. Pure: it registers nothing.
func (c *CDN) Signals() []signals.Signal { return CDNSignals(c.DistributionID) }

// CDNSignals is Signals for the distribution distributionID.
func CDNSignals(distributionID pulumi.StringInput) []signals.Signal {
	return []signals.Signal{{
		ID: "edge-5xx-rate", Title: "CloudFront 5xx rate (%)", Resource: "CloudFront distribution", Layer: signals.LayerEdge, Golden: signals.Errors,
		Metric: signals.Metric{Namespace: "AWS/CloudFront", Name: "5xxErrorRate", Statistic: "Average", Region: CloudFrontMetricsRegion,
			Dimensions: map[string]pulumi.StringInput{"DistributionId": distributionID, "Region": pulumi.String("Global")}},
		Kind: signals.Percent, Threshold: 5, Comparison: signals.AtOrAbove,
		Period: 60, EvaluationPeriods: 5, DatapointsToAlarm: 3, Missing: signals.MissingNotBreaching, Severity: signals.Page,
		Meaning:    "more than 5 % of requests end in a 5xx at the edge: users see errors.",
		CheckFirst: "the load balancer's 5xx alarms (the origin), then a CloudFront origin timeout or a WAF change.",
	}}
}

// FirewallSignals describes what to watch on the web ACL New built as name from a: a spike of blocked
// requests, which notifies and does not page (the WAF doing its job, or a rule blocking real users:
// someone should look, nobody needs waking). region is the stack's; an ACL for CloudFront reports in
// us-east-1 without a Region dimension, as AWS WAF publishes it. Pure: it registers nothing.
func FirewallSignals(name string, a FirewallArgs, region string) []signals.Signal {
	dims := map[string]pulumi.StringInput{"WebACL": pulumi.String(metricName(name)), "Rule": pulumi.String("ALL")}
	metricRegion := ""
	if a.CloudFront {
		metricRegion = CloudFrontMetricsRegion
	} else {
		dims["Region"] = pulumi.String(region)
	}
	return []signals.Signal{{
		ID: "edge-waf-blocked", Title: "WAF blocked requests", Resource: "web ACL " + name, Layer: signals.LayerEdge, Golden: signals.Traffic,
		Metric: signals.Metric{Namespace: "AWS/WAFV2", Name: "BlockedRequests", Statistic: "Sum", Region: metricRegion, Dimensions: dims},
		Kind:   signals.Count, Threshold: 1000, Comparison: signals.Above,
		Period: 300, EvaluationPeriods: 1, Missing: signals.MissingNotBreaching, Severity: signals.Notify,
		Meaning:    "the web ACL blocked over 1000 requests in 5 minutes: an attack or a flood, or a rule blocking real users.",
		CheckFirst: "the sampled requests of the web ACL (which rule, which client IPs), then the WAF log group.",
	}}
}
