package insights

import (
	"fmt"
	"sort"
	"strings"

	"github.com/tierstack/tierstack/synth"
)

// Severities of a finding.
const (
	SeverityError   = "error"
	SeverityWarning = "warning"
)

// Finding is one thing to fix before pulumi up.
type Finding struct {
	// Severity is error (fix it) or warning (know it).
	Severity string `json:"severity"`
	// URN is the resource it is about.
	URN string `json:"urn"`
	// Message says what is wrong and why it matters.
	Message string `json:"message"`
}

// Safety is the safety report of a plan: the `safety` object of `plan --format json`.
type Safety struct {
	// Findings are the security findings, and with a tier change, what it destroys; errors first.
	Findings []Finding `json:"findings"`
	// AZLoss says, for each zone, whether the stack keeps serving when it is lost.
	AZLoss map[string]ZoneLoss `json:"azLoss"`
	// RegionLoss says what losing the stack's whole region does (RegionLossOf); nil where the
	// region is not known.
	RegionLoss *RegionLoss `json:"regionLoss,omitempty"`
}

// Errors counts the findings of severity error.
func (s Safety) Errors() int {
	n := 0
	for _, f := range s.Findings {
		if f.Severity == SeverityError {
			n++
		}
	}
	return n
}

// check looks at one resource and reports what is wrong with it.
type check func(ix index, r *synth.Resource) []Finding

// checks are the security checks by type; "*" runs on every custom resource.
var checks = map[string][]check{
	"*": {checkPlaintextSecrets},
	"aws:ec2/securityGroupRule:SecurityGroupRule":               {checkRuleIngress},
	"aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": {checkRuleIngress},
	"aws:ec2/securityGroup:SecurityGroup":                       {checkInlineIngress},
	"aws:ec2/instance:Instance":                                 {checkIMDS, checkInstanceVolume, checkUserData},
	"aws:ec2/launchTemplate:LaunchTemplate":                     {checkIMDS, checkTemplateVolumes, checkUserData},
	"aws:rds/cluster:Cluster":                                   {checkDatabase},
	"aws:rds/instance:Instance":                                 {checkDatabase},
	"aws:elasticache/replicationGroup:ReplicationGroup":         {checkCache},
	"aws:dynamodb/table:Table":                                  {checkTable},
	"aws:s3/bucketV2:BucketV2":                                  {checkBucket},
	"aws:s3/bucket:Bucket":                                      {checkBucket},
	"aws:s3/bucketPolicy:BucketPolicy":                          {checkBucketPolicy},
	"aws:cloudwatch/logGroup:LogGroup":                          {checkLogRetention},
	"aws:opensearch/domain:Domain":                              {checkOpenSearch},
	"aws:ebs/volume:Volume":                                     {checkVolume},
}

// CheckSafety runs the security checks and the AZ-loss check over a plan. Unsafe changes of a tier
// change (synth.Unsafe) are findings of severity error.
func CheckSafety(resources []synth.Resource, unsafe []synth.Change) Safety {
	ix := newIndex(resources)
	s := Safety{Findings: []Finding{}}
	for i := range resources {
		r := &resources[i]
		if !r.Custom {
			continue
		}
		for _, c := range append(checks["*"], checks[r.Type]...) {
			s.Findings = append(s.Findings, c(ix, r)...)
		}
	}
	for _, c := range unsafe {
		s.Findings = append(s.Findings, Finding{Severity: SeverityError, URN: c.URN, Message: changeMessage(c)})
	}
	sort.SliceStable(s.Findings, func(i, j int) bool {
		a, b := s.Findings[i], s.Findings[j]
		if a.Severity != b.Severity {
			return a.Severity == SeverityError
		}
		if a.URN != b.URN {
			return a.URN < b.URN
		}
		return a.Message < b.Message
	})
	s.AZLoss = AZLoss(resources)
	return s
}

// changeMessage says what an unsafe change of a tier change loses.
func changeMessage(c synth.Change) string {
	var why []string
	destroys := c.Action == synth.Replace || c.Action == synth.Delete
	if c.Stateful && destroys && !c.Retained {
		what, _ := synth.Stateful(c.Type)
		why = append(why, fmt.Sprintf("the tier change %ss a stateful resource, and its state is lost (%s)", c.Action, what))
	}
	if len(c.ReplacedBy) > 0 {
		why = append(why, "replaced because "+strings.Join(c.ReplacedBy, ", ")+" changed")
	}
	if c.Protected && destroys {
		why = append(why, "it is protected, so pulumi up stops")
	}
	for _, r := range c.Refused {
		why = append(why, "AWS refuses: "+r)
	}
	if len(why) == 0 {
		why = append(why, "the tier change "+string(c.Action)+"s it unsafely")
	}
	return strings.Join(why, "; ")
}

// finding is a finding about r.
func finding(severity string, r *synth.Resource, format string, args ...any) Finding {
	return Finding{Severity: severity, URN: r.URN, Message: fmt.Sprintf(format, args...)}
}
