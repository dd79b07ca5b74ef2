package tests

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tierstack/tierstack/components/edge"
	"github.com/tierstack/tierstack/components/webtier"
	"github.com/tierstack/tierstack/synth"
	"github.com/tierstack/tierstack/tiers"
)

// Resource types the edge tests ask about.
const (
	edgeTypeCert       = "aws:acm/certificate:Certificate"
	edgeTypeValidation = "aws:acm/certificateValidation:CertificateValidation"
	edgeTypeRecord     = "aws:route53/record:Record"
	edgeZone           = "Z0123456789EXAMPLE01" // the fake account's zones are all example.com
)

// domainConfig is a tier's config with the service under app.example.com and the given
// tierstack:edge object ("" for none).
func domainConfig(tier tiers.Tier, edgeSettings string) map[string]string {
	cfg := tierConfig(tier)
	cfg["tierstack:domain"] = "app.example.com"
	cfg["tierstack:hostedZoneId"] = edgeZone
	if edgeSettings != "" {
		cfg["tierstack:edge"] = edgeSettings
	}
	return cfg
}

// From 10k a domain brings a certificate validated through DNS, HTTPS on the load balancer with it,
// HTTP redirected, and an alias record to the load balancer.
func TestEdgeServesTheDomainOverHTTPSFrom10k(t *testing.T) {
	s := planTier(t, domainConfig(tiers.Tier10k, ""))

	cert := s.Named(edgeTypeCert, "edge-cert")
	assert.Equal(t, "app.example.com", str(cert, "domainName"))
	assert.Equal(t, "DNS", str(cert, "validationMethod"))
	record := s.Named(edgeTypeRecord, "edge-cert-validation-app.example.com")
	assert.Equal(t, edgeZone, str(record, "zoneId"))
	assert.Equal(t, "CNAME", str(record, "type"))
	assert.Regexp(t, `^_[0-9a-f]+\.app\.example\.com\.$`, str(record, "name"), "the name ACM asked for")
	validation := s.Named(edgeTypeValidation, "edge-cert-validation")
	assert.Equal(t, cert.Outputs["arn"], str(validation, "certificateArn"))
	assert.Equal(t, []string{record.Outputs["fqdn"].(string)}, strs(validation, "validationRecordFqdns"))

	https := s.Named(webTypeListener, "web-https")
	assert.Equal(t, cert.Outputs["arn"], str(https, "certificateArn"), "the listener takes the validated certificate")
	assert.Contains(t, https.Dependencies, validation.URN, "and waits for its validation")
	assert.Equal(t, webtier.TLSPolicy, str(https, "sslPolicy"))
	assert.Equal(t, "redirect", str(s.Named(webTypeListener, "web-http"), "defaultActions.0.type"))

	// The domain is an alias to CloudFront, IPv4 and IPv6.
	dist := s.Named(cdnTypeDistribution, "edge-cdn")
	for _, name := range []string{"edge-app.example.com", "edge-app.example.com-aaaa"} {
		r := s.Named(edgeTypeRecord, name)
		assert.Equal(t, dist.Outputs["domainName"], str(r, "aliases.0.name"), name)
		assert.Equal(t, edge.CloudFrontZoneID, str(r, "aliases.0.zoneId"), name)
		assert.Equal(t, false, input(r, "aliases.0.evaluateTargetHealth"), "Route 53 takes no health evaluation on a CloudFront alias")
	}
	assert.Equal(t, "AAAA", str(s.Named(edgeTypeRecord, "edge-app.example.com-aaaa"), "type"))

	// Without the CDN, the domain is an alias to the load balancer, its health evaluated.
	direct := planTier(t, domainConfig(tiers.Tier10k, `{"cdn":false}`))
	alias := direct.Named(edgeTypeRecord, "edge-app.example.com")
	alb := direct.Named(webTypeALB, "web-alb")
	assert.Equal(t, "A", str(alias, "type"))
	assert.Equal(t, alb.Outputs["dnsName"], str(alias, "aliases.0.name"))
	assert.Equal(t, alb.Outputs["zoneId"], str(alias, "aliases.0.zoneId"))
	assert.Equal(t, true, input(alias, "aliases.0.evaluateTargetHealth"))
	assert.False(t, direct.Has(edgeTypeRecord, "edge-app.example.com-aaaa"), "the load balancer is IPv4 only")
	var waitsForWeb bool
	for _, d := range alias.Dependencies {
		waitsForWeb = waitsForWeb || d == direct.Named(webTypeComponent, "web").URN || d == direct.Named(webTypeASG, "web-asg").URN
	}
	assert.True(t, waitsForWeb, "the name moves once the web tier is up: %v", alias.Dependencies)
	assert.Equal(t, "https://app.example.com", s.Outputs["url"])
	assert.Equal(t, cert.Outputs["arn"], s.Outputs["certificateArn"])
	for _, w := range s.Warnings {
		assert.NotContains(t, w.Message, "HTTP (80) only", "with a certificate the plan does not warn about HTTP")
	}
}

// At 100 the domain is an A record to the server's Elastic IP, and no certificate (the single
// server has no load balancer to hold one).
func TestEdgeAt100PointsTheDomainAtTheServer(t *testing.T) {
	s := planTier(t, domainConfig(tiers.Tier100, ""))
	assert.Zero(t, s.Count(edgeTypeCert))
	record := s.Named(edgeTypeRecord, "edge-app.example.com")
	assert.Equal(t, []string{s.Named(typeEIP, "web-eip").Outputs["publicIp"].(string)}, strs(record, "records"))
	assert.Equal(t, 60, num(record, "ttl"), "resolvers leave the address within a minute when the tier grows")
	assert.Equal(t, "http://app.example.com", s.Outputs["url"])
}

// Moving from 100 to 10k updates the domain's record in place, from the address to the load
// balancer; from 10k up nothing at the edge changes.
func TestEdgeRecordStaysAsTheTierGrows(t *testing.T) {
	all := tiers.All()
	prev := planTier(t, domainConfig(all[0], ""))
	for _, tier := range all[1:] {
		next := planTier(t, domainConfig(tier, ""))
		changes := diffOf(t, prev.Plan, next.Plan)
		record := next.Named(edgeTypeRecord, "edge-app.example.com")
		c, changed := changes[record.URN]
		if tier == tiers.Tier10k {
			require.True(t, changed)
			assert.Equal(t, synth.Update, c.Action, "the same record, pointed at the load balancer")
			assert.Equal(t, synth.Create, changes[next.Named(edgeTypeCert, "edge-cert").URN].Action)
		} else {
			assert.False(t, changed, "tier %s changes the record", tier)
			for _, typ := range []string{edgeTypeCert, edgeTypeValidation, edgeTypeRecord} {
				for _, r := range next.All(typ) {
					if strings.HasPrefix(r.Name, "dr-") {
						continue // the DR region's certificate, new with the DR region at 1m
					}
					c, changed := changes[r.URN]
					if tier == tiers.Tier1M && strings.HasPrefix(r.Name, "edge-origin-") && changed {
						assertOriginPairChange(t, r, c) // the failover pair, with the DR load balancer
						continue
					}
					assert.False(t, changed, "tier %s changes %s", tier, r.Name)
				}
			}
		}
		for _, ch := range changes {
			if ch.Action == synth.Delete {
				if ch.Type == typeMetricAlarm {
					continue // the alarms of the compute that goes go with it
				}
				assert.Contains(t, computeGoneAt[tier], ch.Name, "tier %s deletes %s: only the compute of the tier below goes", tier, ch.Name)
			}
		}
		prev = next
	}
}

// Alternative names go on the certificate and get records of their own, but a wildcard, which
// shares its base name's validation record and has no address of its own.
func TestEdgeAlternativeNames(t *testing.T) {
	s := planTier(t, domainConfig(tiers.Tier10k, `{"alternativeNames":["www.app.example.com","*.app.example.com"]}`))
	cert := s.Named(edgeTypeCert, "edge-cert")
	assert.ElementsMatch(t, []string{"www.app.example.com", "*.app.example.com"}, strs(cert, "subjectAlternativeNames"))
	assert.ElementsMatch(t, []string{
		"edge-cert-validation-app.example.com", "edge-cert-validation-www.app.example.com",
		"edge-app.example.com", "edge-www.app.example.com",
		"edge-app.example.com-aaaa", "edge-www.app.example.com-aaaa", // CloudFront answers on IPv6
		"edge-origin-primary", // origin.app.example.com, the name CloudFront reaches the load balancer by
	}, s.names(edgeTypeRecord))
	assert.Len(t, strs(s.Named(edgeTypeValidation, "edge-cert-validation"), "validationRecordFqdns"), 2)
}

// Names the zone cannot hold, or that are no names, are refused before anything is registered.
func TestEdgeBadNamesFailBeforeRegistration(t *testing.T) {
	cases := []struct {
		domain, edge, want string
	}{
		{"app.other.org", "", `"app.other.org" is not in the hosted zone example.com`},
		{"app.example.com", `{"alternativeNames":["www.other.org"]}`, `"www.other.org" is not in the hosted zone example.com`},
		{"app.example.com", `{"alternativeNames":["bad_name.example.com"]}`, `tierstack:edge alternativeNames "bad_name.example.com" is not a DNS name`},
		{"app.example.com", `{"alternativeNames":["app.example.com"]}`, `alternativeNames "app.example.com" is listed twice`},
		{"app.example.com", `{"alternativeNames":["a.example.com","b.example.com","c.example.com","d.example.com","e.example.com","f.example.com","g.example.com","h.example.com","i.example.com","j.example.com"]}`, "alternativeNames has 10 names (allowed: at most 9"},
		{"app.example.com", `{"colour":"blue"}`, "tierstack:edge"},
	}
	for _, c := range cases {
		cfg := domainConfig(tiers.Tier10k, c.edge)
		cfg["tierstack:domain"] = c.domain
		s, err := runProgram(t, "", cfg, tiers.Program)
		require.Error(t, err, "%s %s", c.domain, c.edge)
		assert.Contains(t, err.Error(), c.want)
		assert.Empty(t, s.Resources, "%s %s: nothing registered", c.domain, c.edge)
	}
	cfg := tierConfig(tiers.Tier10k)
	cfg["tierstack:edge"] = `{"alternativeNames":["www.example.com"]}`
	_, err := runProgram(t, "", cfg, tiers.Program)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "tierstack:edge alternativeNames are set without tierstack:domain")
}

// The zone rule on its own: a name is in a zone when it is the zone or ends in it, label-wise.
func TestEdgeInZone(t *testing.T) {
	assert.True(t, edge.InZone("app.example.com", "example.com."))
	assert.True(t, edge.InZone("example.com", "example.com"))
	assert.False(t, edge.InZone("app.badexample.com", "example.com"), "a suffix that is not a label boundary")
	assert.False(t, edge.InZone("example.org", "example.com"))
}

// Resource types of the WAF.
const (
	wafTypeACL         = "aws:wafv2/webAcl:WebAcl"
	wafTypeAssociation = "aws:wafv2/webAclAssociation:WebAclAssociation"
	wafTypeLogging     = "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration"
)

// wafConfig is the 10k config with the given tierstack:edge object.
func wafConfig(tier tiers.Tier, edgeSettings string) map[string]string {
	cfg := tierConfig(tier)
	if edgeSettings != "" {
		cfg["tierstack:edge"] = edgeSettings
	}
	return cfg
}

// From 10k a web ACL sits in front of the load balancer, with or without a domain: a rate limit per
// client IP first, then AWS's managed rule groups, and a log of what it blocks.
func TestWAFGuardsTheLoadBalancerFrom10k(t *testing.T) {
	s := planTier(t, wafConfig(tiers.Tier10k, `{"cdn":false}`))
	acl := s.Named(wafTypeACL, "edge-waf")
	assert.Equal(t, "REGIONAL", str(acl, "scope"))
	assert.NotNil(t, input(acl, "defaultAction.allow"))
	assert.Equal(t, true, input(acl, "visibilityConfig.cloudwatchMetricsEnabled"))

	rules, _ := input(acl, "rules").([]any)
	require.Len(t, rules, 1+len(edge.DefaultRuleGroups))
	assert.Equal(t, 0, num(acl, "rules.0.priority"))
	assert.NotNil(t, input(acl, "rules.0.action.block"), "the rate limit blocks")
	assert.Equal(t, 2000, num(acl, "rules.0.statement.rateBasedStatement.limit"))
	assert.Equal(t, "IP", str(acl, "rules.0.statement.rateBasedStatement.aggregateKeyType"))
	assert.Equal(t, 300, num(acl, "rules.0.statement.rateBasedStatement.evaluationWindowSec"))
	var groups []string
	for i := 1; i < len(rules); i++ {
		p := fmt.Sprintf("rules.%d", i)
		assert.Equal(t, i, num(acl, p+".priority"), "priorities are unique")
		assert.Equal(t, "AWS", str(acl, p+".statement.managedRuleGroupStatement.vendorName"))
		assert.NotNil(t, input(acl, p+".overrideAction.none"), "the groups' own actions apply: not count-only")
		assert.Equal(t, true, input(acl, p+".visibilityConfig.sampledRequestsEnabled"))
		groups = append(groups, str(acl, p+".statement.managedRuleGroupStatement.name"))
	}
	assert.ElementsMatch(t, []string{"AWSManagedRulesCommonRuleSet", "AWSManagedRulesKnownBadInputsRuleSet",
		"AWSManagedRulesAmazonIpReputationList", "AWSManagedRulesSQLiRuleSet"}, groups)

	association := s.Named(wafTypeAssociation, "edge-waf-association")
	assert.Equal(t, s.Named(webTypeALB, "web-alb").Outputs["arn"], str(association, "resourceArn"))
	assert.Equal(t, acl.Outputs["arn"], str(association, "webAclArn"))

	logs := s.Named("aws:cloudwatch/logGroup:LogGroup", "edge-waf-log")
	assert.Regexp(t, `^aws-waf-logs-`, logs.Outputs["name"], "AWS WAF writes only to groups named aws-waf-logs-…")
	assert.Equal(t, 90, num(logs, "retentionInDays"))
	assert.True(t, logs.RetainOnDelete)
	logging := s.Named(wafTypeLogging, "edge-waf-log")
	assert.Equal(t, []string{logs.Outputs["arn"].(string)}, strs(logging, "logDestinationConfigs"))
	assert.Equal(t, "DROP", str(logging, "loggingFilter.defaultBehavior"), "only what matches a filter is logged")
	assert.Equal(t, "KEEP", str(logging, "loggingFilter.filters.0.behavior"))
	assert.Equal(t, "BLOCK", str(logging, "loggingFilter.filters.0.conditions.0.actionCondition.action"))
	assert.Equal(t, "authorization", str(logging, "redactedFields.0.singleHeader.name"))
	assert.Equal(t, "cookie", str(logging, "redactedFields.1.singleHeader.name"))
	assert.Equal(t, acl.Outputs["arn"], s.Outputs["webAclArn"])
	var prev stack

	// No load balancer at 100, no WAF.
	assert.Zero(t, planTier(t, tierConfig(tiers.Tier100)).Count(wafTypeACL))
	// The web ACL is the same from 10k up.
	prev = planTier(t, tierConfig(tiers.Tier10k))
	for _, tier := range []tiers.Tier{tiers.Tier100k, tiers.Tier1M} {
		next := planTier(t, tierConfig(tier))
		changes := diffOf(t, prev.Plan, next.Plan)
		for _, typ := range []string{wafTypeACL, wafTypeAssociation, wafTypeLogging} {
			for _, r := range next.All(typ) {
				_, changed := changes[r.URN]
				assert.False(t, changed, "tier %s changes %s", tier, r.Name)
			}
		}
		prev = next
	}
}

// tierstack:edge tunes the WAF: the rate limit, groups added and excluded, the log's retention, or
// no WAF at all.
func TestWAFSettings(t *testing.T) {
	s := planTier(t, wafConfig(tiers.Tier10k, `{"rateLimit":500,"addRuleGroups":["AWSManagedRulesLinuxRuleSet"],"excludeRuleGroups":["AWSManagedRulesSQLiRuleSet"],"wafLogRetentionDays":30}`))
	acl := s.Named(wafTypeACL, "edge-waf")
	assert.Equal(t, 500, num(acl, "rules.0.statement.rateBasedStatement.limit"))
	var groups []string
	rules, _ := input(acl, "rules").([]any)
	for i := 1; i < len(rules); i++ {
		groups = append(groups, str(acl, fmt.Sprintf("rules.%d.statement.managedRuleGroupStatement.name", i)))
	}
	assert.Contains(t, groups, "AWSManagedRulesLinuxRuleSet")
	assert.NotContains(t, groups, "AWSManagedRulesSQLiRuleSet")
	assert.Equal(t, 30, num(s.Named("aws:cloudwatch/logGroup:LogGroup", "edge-waf-log"), "retentionInDays"))

	assert.Zero(t, planTier(t, wafConfig(tiers.Tier10k, `{"waf":false}`)).Count(wafTypeACL))

	// Every group offered at once passes the 1500 WCUs the web ACL's price includes: said.
	var all []string
	for _, g := range edge.RuleGroups() {
		if !slices.Contains(edge.DefaultRuleGroups, g.Name) {
			all = append(all, `"`+g.Name+`"`)
		}
	}
	big := planTier(t, wafConfig(tiers.Tier10k, `{"addRuleGroups":[`+strings.Join(all, ",")+`]}`))
	var warned bool
	for _, w := range big.Warnings {
		warned = warned || strings.Contains(w.Message, "over the 1500 included")
	}
	assert.True(t, warned)
}

// Bad WAF settings are refused before anything is registered.
func TestWAFBadSettingsFailBeforeRegistration(t *testing.T) {
	cases := []struct {
		tier tiers.Tier
		edge string
		want string
	}{
		{tiers.Tier10k, `{"rateLimit":50}`, "tierstack:edge rateLimit 50 is out of range (allowed: 100 to 2000000000"},
		{tiers.Tier10k, `{"rateLimit":3000000000}`, "tierstack:edge rateLimit 3000000000 is out of range"},
		{tiers.Tier10k, `{"addRuleGroups":["AWSManagedRulesBotControlRuleSet"]}`, `tierstack:edge addRuleGroups "AWSManagedRulesBotControlRuleSet" is not an AWS managed rule group tierstack offers`},
		{tiers.Tier10k, `{"addRuleGroups":["AWSManagedRulesCommonRuleSet"]}`, `tierstack:edge addRuleGroups "AWSManagedRulesCommonRuleSet" is listed twice`},
		{tiers.Tier10k, `{"excludeRuleGroups":["AWSManagedRulesPHPRuleSet"]}`, `excludeRuleGroups "AWSManagedRulesPHPRuleSet" is not one of the groups in use`},
		{tiers.Tier10k, `{"wafLogRetentionDays":45}`, "tierstack:edge wafLogRetentionDays 45 is not a CloudWatch Logs retention"},
		{tiers.Tier100, `{"waf":true}`, "tier 100: tierstack:edge waf needs a load balancer"},
		{tiers.Tier100, `{"rateLimit":100}`, "set a WAF this stack does not have"},
	}
	for _, c := range cases {
		s, err := runProgram(t, "", wafConfig(c.tier, c.edge), tiers.Program)
		require.Error(t, err, c.edge)
		assert.Contains(t, err.Error(), c.want)
		assert.Empty(t, s.Resources, "%s: nothing registered", c.edge)
	}
}
