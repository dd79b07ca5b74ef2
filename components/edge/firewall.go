package edge

import (
	"fmt"
	"slices"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/wafv2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/tierstack/tierstack/internal/naming"
)

// FirewallTypeToken is the Pulumi type token of the Firewall component.
const FirewallTypeToken = "tierstack:index:Firewall"

// FirewallArgs are the inputs of a Firewall.
type FirewallArgs struct {
	// CloudFront makes the web ACL one for CloudFront distributions (scope CLOUDFRONT), which the
	// distribution names; New must then get the us-east-1 provider, where such ACLs and their logs
	// live. False makes a REGIONAL ACL associated with ResourceARN.
	CloudFront bool
	// ResourceARN is what a REGIONAL web ACL protects: a load balancer's ARN. Required by New without
	// CloudFront; a Spec leaves it to the program.
	ResourceARN pulumi.StringInput
	// RuleGroups are the AWS managed rule groups, by name; nil means DefaultRuleGroups.
	RuleGroups []string
	// RateLimit is how many requests one client IP may send in 5 minutes before it is blocked,
	// 100 to 2,000,000,000; 0 means 2000. (AWS WAF takes 10 since 2024, but the pinned provider's
	// schema still checks 100: pulumi/pulumi-aws#5841.)
	RateLimit int
	// LogRetentionDays is how long the log of blocked requests is kept; 0 means 90.
	LogRetentionDays int
	// LogKeyARN is a KMS key in the web ACL's region (us-east-1 with CloudFront) that encrypts
	// the log of blocked requests; its policy must let that region's CloudWatch Logs use it. nil
	// means CloudWatch Logs' own encryption.
	LogKeyARN pulumi.StringInput
	// BlockLargeBodies lets the core rule set's SizeRestrictions_BODY rule block request bodies
	// over 8 KB, as AWS ships it. False (the default) counts them instead: uploads and large JSON
	// posts pass, the rule's matches still show in the metrics and sampled requests. It applies
	// only when AWSManagedRulesCommonRuleSet is in RuleGroups.
	BlockLargeBodies bool
	// Tags are added to every resource, beside a Name tag.
	Tags map[string]string
}

// CommonRuleSet is the AWS managed core rule set, and LargeBodyRule its rule that blocks request
// bodies over 8 KB (AWS WAF Developer Guide, "Core rule set (CRS) managed rule group":
// SizeRestrictions_BODY "verifies that the request body size is at most 8 KB").
const (
	CommonRuleSet = "AWSManagedRulesCommonRuleSet"
	LargeBodyRule = "SizeRestrictions_BODY"
)

// checked applies the defaults to a copy and validates it, ResourceARN aside.
func (a FirewallArgs) checked() (FirewallArgs, int, error) {
	if a.RuleGroups == nil {
		a.RuleGroups = slices.Clone(DefaultRuleGroups)
	}
	if a.RateLimit == 0 {
		a.RateLimit = 2000
	}
	if a.LogRetentionDays == 0 {
		a.LogRetentionDays = 90
	}
	if a.RateLimit < 100 || a.RateLimit > 2_000_000_000 {
		return a, 0, fmt.Errorf("rateLimit %d is out of range (allowed: 100 to 2000000000 requests per client IP in 5 minutes)", a.RateLimit)
	}
	if !slices.Contains([]int{1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653}, a.LogRetentionDays) {
		return a, 0, fmt.Errorf("logRetentionDays %d is not a CloudWatch Logs retention (allowed: 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, …, 3653)", a.LogRetentionDays)
	}
	capacity := rateRuleCapacity
	for i, g := range a.RuleGroups {
		c, ok := ruleGroupCapacity(g)
		if !ok {
			names := make([]string, len(ruleGroups))
			for j, rg := range ruleGroups {
				names[j] = rg.Name
			}
			return a, 0, fmt.Errorf("ruleGroups %q is not an AWS managed rule group tierstack offers (allowed: %s)", g, strings.Join(names, ", "))
		}
		if slices.Contains(a.RuleGroups[:i], g) {
			return a, 0, fmt.Errorf("ruleGroups %q is listed twice (allowed: each group once)", g)
		}
		capacity += c
	}
	if capacity > MaxCapacity {
		return a, 0, fmt.Errorf("ruleGroups take %d WCUs (allowed: at most %d per web ACL)", capacity, MaxCapacity)
	}
	return a, capacity, nil
}

// Validate checks the arguments as New does, before anything is registered.
func (a FirewallArgs) Validate() error {
	_, _, err := a.checked()
	return err
}

// Firewall is an AWS WAF web ACL in front of a load balancer: AWS managed rule groups, a rate limit
// per client IP, and a log of the requests it blocks.
type Firewall struct {
	pulumi.ResourceState

	// WebACLARN is the web ACL's ARN.
	WebACLARN pulumi.StringOutput `pulumi:"webAclArn"`
	// Capacity is the WCUs the web ACL uses.
	Capacity int
}

// NewFirewall creates a REGIONAL web ACL associated with args.ResourceARN, or a CLOUDFRONT one for a
// distribution to name.
func NewFirewall(ctx *pulumi.Context, name string, args *FirewallArgs, opts ...pulumi.ResourceOption) (*Firewall, error) {
	if args == nil || (!args.CloudFront && args.ResourceARN == nil) {
		return nil, fmt.Errorf("firewall %s: resourceArn is required (allowed: the ARN of the load balancer to protect, or cloudFront)", name)
	}
	a, capacity, err := args.checked()
	if err != nil {
		return nil, fmt.Errorf("firewall %s: %w", name, err)
	}
	f := &Firewall{Capacity: capacity}
	if err := ctx.RegisterComponentResource(FirewallTypeToken, name, f, opts...); err != nil {
		return nil, fmt.Errorf("firewall %s: %w", name, err)
	}
	if capacity > BaseCapacity {
		if err := ctx.Log.Warn(fmt.Sprintf("firewall %s: the rule groups take %d WCUs, over the %d included in the web ACL's price: AWS charges more per request", name, capacity, BaseCapacity), &pulumi.LogArgs{Resource: f}); err != nil {
			return nil, fmt.Errorf("firewall %s: %w", name, err)
		}
	}
	if err := f.build(ctx, name, a); err != nil {
		return nil, fmt.Errorf("firewall %s: %w", name, err)
	}
	if err := ctx.RegisterResourceOutputs(f, pulumi.Map{"webAclArn": f.WebACLARN}); err != nil {
		return nil, fmt.Errorf("firewall %s: registering outputs: %w", name, err)
	}
	return f, nil
}

// metricName turns a rule name into a CloudWatch metric name (letters, digits, hyphens, underscores).
func metricName(s string) string {
	return strings.NewReplacer(".", "-", " ", "-").Replace(s)
}

// visibility is a rule's or the ACL's metrics and sampled requests.
func visibility(metric string) wafv2.WebAclRuleVisibilityConfigArgs {
	return wafv2.WebAclRuleVisibilityConfigArgs{
		CloudwatchMetricsEnabled: pulumi.Bool(true), SampledRequestsEnabled: pulumi.Bool(true), MetricName: pulumi.String(metricName(metric)),
	}
}

// ruleOverrides are the rules of group g whose action the web ACL changes: the core rule set's
// large-body rule counts unless BlockLargeBodies (AWS WAF Developer Guide, "Overriding rule group
// rule actions").
func ruleOverrides(g string, a FirewallArgs) wafv2.WebAclRuleStatementManagedRuleGroupStatementRuleActionOverrideArray {
	if g != CommonRuleSet || a.BlockLargeBodies {
		return nil
	}
	return wafv2.WebAclRuleStatementManagedRuleGroupStatementRuleActionOverrideArray{
		wafv2.WebAclRuleStatementManagedRuleGroupStatementRuleActionOverrideArgs{
			Name: pulumi.String(LargeBodyRule),
			ActionToUse: wafv2.WebAclRuleStatementManagedRuleGroupStatementRuleActionOverrideActionToUseArgs{
				Count: &wafv2.WebAclRuleStatementManagedRuleGroupStatementRuleActionOverrideActionToUseCountArgs{},
			},
		},
	}
}

// build creates the web ACL, its association and its log.
func (f *Firewall) build(ctx *pulumi.Context, name string, a FirewallArgs) error {
	parent := pulumi.Parent(f)
	// The rate limit comes first: a flood is blocked before the managed rules spend time on it.
	rules := wafv2.WebAclRuleArray{wafv2.WebAclRuleArgs{
		Name: pulumi.String("rate-limit-per-ip"), Priority: pulumi.Int(0),
		Action: &wafv2.WebAclRuleActionArgs{Block: &wafv2.WebAclRuleActionBlockArgs{}},
		Statement: wafv2.WebAclRuleStatementArgs{RateBasedStatement: &wafv2.WebAclRuleStatementRateBasedStatementArgs{
			Limit: pulumi.Int(a.RateLimit), AggregateKeyType: pulumi.String("IP"), EvaluationWindowSec: pulumi.Int(300),
		}},
		VisibilityConfig: visibility(name + "-rate-limit-per-ip"),
	}}
	for i, g := range a.RuleGroups {
		rules = append(rules, wafv2.WebAclRuleArgs{
			Name: pulumi.String(g), Priority: pulumi.Int(i + 1),
			// The group's own actions apply (block what it blocks), but for the overrides.
			OverrideAction: &wafv2.WebAclRuleOverrideActionArgs{None: &wafv2.WebAclRuleOverrideActionNoneArgs{}},
			Statement: wafv2.WebAclRuleStatementArgs{ManagedRuleGroupStatement: &wafv2.WebAclRuleStatementManagedRuleGroupStatementArgs{
				VendorName: pulumi.String("AWS"), Name: pulumi.String(g), RuleActionOverrides: ruleOverrides(g, a),
			}},
			VisibilityConfig: visibility(name + "-" + g),
		})
	}
	scope := "REGIONAL"
	if a.CloudFront {
		scope = "CLOUDFRONT"
	}
	acl, err := wafv2.NewWebAcl(ctx, name, &wafv2.WebAclArgs{
		Scope:         pulumi.String(scope),
		Description:   pulumi.String("tierstack: AWS managed rules and a rate limit per client IP"),
		DefaultAction: wafv2.WebAclDefaultActionArgs{Allow: &wafv2.WebAclDefaultActionAllowArgs{}},
		Rules:         rules,
		VisibilityConfig: wafv2.WebAclVisibilityConfigArgs{
			CloudwatchMetricsEnabled: pulumi.Bool(true), SampledRequestsEnabled: pulumi.Bool(true), MetricName: pulumi.String(metricName(name)),
		},
		Tags: naming.Tags(a.Tags, name),
	}, parent)
	if err != nil {
		return err
	}
	f.WebACLARN = acl.Arn
	if !a.CloudFront {
		if _, err := wafv2.NewWebAclAssociation(ctx, naming.Child(name, "association"), &wafv2.WebAclAssociationArgs{
			ResourceArn: a.ResourceARN, WebAclArn: acl.Arn,
		}, parent); err != nil {
			return err
		}
	}
	// AWS WAF writes to CloudWatch Logs only into groups named aws-waf-logs-…; it adds the log
	// group's resource policy itself.
	logName := naming.Child(name, "log")
	logs, err := cloudwatch.NewLogGroup(ctx, logName, &cloudwatch.LogGroupArgs{
		NamePrefix:      pulumi.String("aws-waf-logs-" + name + "-"),
		RetentionInDays: pulumi.Int(a.LogRetentionDays),
		KmsKeyId:        a.LogKeyARN,
		Tags:            naming.Tags(a.Tags, logName),
	}, parent, pulumi.RetainOnDelete(true))
	if err != nil {
		return err
	}
	_, err = wafv2.NewWebAclLoggingConfiguration(ctx, logName, &wafv2.WebAclLoggingConfigurationArgs{
		ResourceArn:           acl.Arn,
		LogDestinationConfigs: pulumi.StringArray{logs.Arn},
		// Blocked requests only: the evidence of an attack, without logging every visitor.
		LoggingFilter: &wafv2.WebAclLoggingConfigurationLoggingFilterArgs{
			DefaultBehavior: pulumi.String("DROP"),
			Filters: wafv2.WebAclLoggingConfigurationLoggingFilterFilterArray{wafv2.WebAclLoggingConfigurationLoggingFilterFilterArgs{
				Behavior: pulumi.String("KEEP"), Requirement: pulumi.String("MEETS_ANY"),
				Conditions: wafv2.WebAclLoggingConfigurationLoggingFilterFilterConditionArray{wafv2.WebAclLoggingConfigurationLoggingFilterFilterConditionArgs{
					ActionCondition: &wafv2.WebAclLoggingConfigurationLoggingFilterFilterConditionActionConditionArgs{Action: pulumi.String("BLOCK")},
				}},
			}},
		},
		// The Authorization and Cookie headers never reach the log.
		RedactedFields: wafv2.WebAclLoggingConfigurationRedactedFieldArray{
			wafv2.WebAclLoggingConfigurationRedactedFieldArgs{SingleHeader: &wafv2.WebAclLoggingConfigurationRedactedFieldSingleHeaderArgs{Name: pulumi.String("authorization")}},
			wafv2.WebAclLoggingConfigurationRedactedFieldArgs{SingleHeader: &wafv2.WebAclLoggingConfigurationRedactedFieldSingleHeaderArgs{Name: pulumi.String("cookie")}},
		},
	}, parent)
	return err
}
