package edge

// RuleGroup is an AWS managed rule group a Firewall may use, with the web ACL capacity units (WCU)
// it takes (AWS WAF Developer Guide, "AWS Managed Rules rule groups list", 2025).
type RuleGroup struct {
	// Name is the group's name, such as AWSManagedRulesCommonRuleSet.
	Name string
	// Capacity is its WCUs.
	Capacity int
}

// ruleGroups are the AWS managed rule groups without a subscription fee or required configuration:
// baseline, use-case and IP reputation groups. (Bot Control, account takeover and account creation
// fraud prevention are charged per request and need settings; they are not offered.)
var ruleGroups = []RuleGroup{
	{"AWSManagedRulesCommonRuleSet", 700},
	{"AWSManagedRulesAdminProtectionRuleSet", 100},
	{"AWSManagedRulesKnownBadInputsRuleSet", 200},
	{"AWSManagedRulesSQLiRuleSet", 200},
	{"AWSManagedRulesLinuxRuleSet", 200},
	{"AWSManagedRulesUnixRuleSet", 100},
	{"AWSManagedRulesWindowsRuleSet", 200},
	{"AWSManagedRulesPHPRuleSet", 100},
	{"AWSManagedRulesWordPressRuleSet", 100},
	{"AWSManagedRulesAmazonIpReputationList", 25},
	{"AWSManagedRulesAnonymousIpList", 50},
}

// DefaultRuleGroups are the groups a Firewall uses unless told otherwise: the core rule set, known
// bad inputs, Amazon's IP reputation list, and SQL injection (the write-ups' apps sit on a
// database).
var DefaultRuleGroups = []string{
	"AWSManagedRulesAmazonIpReputationList",
	CommonRuleSet,
	"AWSManagedRulesKnownBadInputsRuleSet",
	"AWSManagedRulesSQLiRuleSet",
}

// RuleGroups returns the managed rule groups a Firewall may use, as a new slice.
func RuleGroups() []RuleGroup { return append([]RuleGroup(nil), ruleGroups...) }

// ruleGroupCapacity is the WCUs of a named group, and false for a name that is not offered.
func ruleGroupCapacity(name string) (int, bool) {
	for _, g := range ruleGroups {
		if g.Name == name {
			return g.Capacity, true
		}
	}
	return 0, false
}

// rateRuleCapacity is the WCUs of a rate-based rule that aggregates on the client IP alone.
const rateRuleCapacity = 2

// MaxCapacity is the most WCUs a web ACL may use (AWS WAF quotas); above BaseCapacity each request
// costs more.
const (
	MaxCapacity  = 5000
	BaseCapacity = 1500
)
