package tiers

import (
	"fmt"
	"slices"

	"github.com/tierstack/tierstack/components/edge"
)

// EdgeSettings are the tierstack:edge settings: the service under tierstack:domain, and the WAF.
type EdgeSettings struct {
	// AlternativeNames are more names on the certificate and in DNS, in the hosted zone.
	AlternativeNames []string `json:"alternativeNames,omitempty"`
	// WAF turns the web ACL in front of the load balancer on or off; nil keeps the tier's choice
	// (on from 10k).
	WAF *bool `json:"waf,omitempty"`
	// RateLimit is how many requests one client IP may send in 5 minutes.
	RateLimit int `json:"rateLimit,omitempty"`
	// AddRuleGroups are AWS managed rule groups to use beside the default ones.
	AddRuleGroups []string `json:"addRuleGroups,omitempty"`
	// ExcludeRuleGroups are default rule groups not to use.
	ExcludeRuleGroups []string `json:"excludeRuleGroups,omitempty"`
	// WAFLogRetentionDays is how long the log of blocked requests is kept.
	WAFLogRetentionDays int `json:"wafLogRetentionDays,omitempty"`
	// BlockLargeBodies lets the core rule set block request bodies over 8 KB; nil or false counts
	// them.
	BlockLargeBodies *bool `json:"blockLargeBodies,omitempty"`
	// CDN turns the CloudFront distribution on or off; nil keeps the tier's choice (on from 10k).
	CDN *bool `json:"cdn,omitempty"`
	// PriceClass is the distribution's price class.
	PriceClass string `json:"priceClass,omitempty"`
	// CDNLogDays is how long the distribution's access logs are kept.
	CDNLogDays int `json:"cdnLogDays,omitempty"`
	// AllowCountries and DenyCountries restrict the distribution's viewers by country.
	AllowCountries []string `json:"allowCountries,omitempty"`
	// DenyCountries are countries the distribution does not serve.
	DenyCountries []string `json:"denyCountries,omitempty"`
}

const edgeFields = "alternativeNames, waf, rateLimit, addRuleGroups, excludeRuleGroups, wafLogRetentionDays, blockLargeBodies, cdn, priceClass, cdnLogDays, allowCountries, denyCountries"

// applyEdge applies the tierstack:edge CDN and WAF settings.
func (s *Spec) applyEdge(o EdgeSettings) error {
	if o.CDN != nil {
		switch {
		case !*o.CDN:
			s.CDN = nil
		case s.CDN == nil:
			s.CDN = &edge.CDNArgs{}
		}
	}
	if s.CDN == nil && (o.PriceClass != "" || o.CDNLogDays != 0 || o.AllowCountries != nil || o.DenyCountries != nil) {
		return fmt.Errorf("tier %s: tierstack:edge priceClass, cdnLogDays, allowCountries and denyCountries set a CDN this stack does not have (allowed: with cdn true, from 10k or with a load balancer)", s.Tier)
	}
	if s.CDN != nil {
		s.CDN.AllowCountries, s.CDN.DenyCountries = slices.Clone(o.AllowCountries), slices.Clone(o.DenyCountries)
		if o.PriceClass != "" {
			s.CDN.PriceClass = o.PriceClass
		}
		if o.CDNLogDays != 0 {
			s.CDN.LogDays = o.CDNLogDays
		}
	}
	if o.WAF != nil {
		switch {
		case !*o.WAF:
			s.Firewall = nil
		case s.Firewall == nil:
			s.Firewall = &edge.FirewallArgs{}
		}
	}
	wafSettings := o.RateLimit != 0 || o.AddRuleGroups != nil || o.ExcludeRuleGroups != nil || o.WAFLogRetentionDays != 0 || o.BlockLargeBodies != nil
	if s.Firewall == nil {
		if wafSettings {
			return fmt.Errorf("tier %s: tierstack:edge rateLimit, addRuleGroups, excludeRuleGroups, wafLogRetentionDays and blockLargeBodies set a WAF this stack does not have (allowed: with waf true, from 10k or with a load balancer)", s.Tier)
		}
		return nil
	}
	f := s.Firewall
	if o.RateLimit != 0 {
		f.RateLimit = o.RateLimit
	}
	if o.WAFLogRetentionDays != 0 {
		f.LogRetentionDays = o.WAFLogRetentionDays
	}
	if o.BlockLargeBodies != nil {
		f.BlockLargeBodies = *o.BlockLargeBodies
	}
	groups := slices.Clone(f.RuleGroups)
	if groups == nil {
		groups = slices.Clone(edge.DefaultRuleGroups)
	}
	for _, g := range o.ExcludeRuleGroups {
		if !slices.Contains(groups, g) {
			return fmt.Errorf("tier %s: tierstack:edge excludeRuleGroups %q is not one of the groups in use (allowed: %v)", s.Tier, g, groups)
		}
		groups = slices.DeleteFunc(groups, func(x string) bool { return x == g })
	}
	groups = append(groups, o.AddRuleGroups...)
	f.RuleGroups = groups
	return nil
}
