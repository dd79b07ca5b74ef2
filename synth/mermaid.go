package synth

import (
	"fmt"
	"io"
	"regexp"
	"sort"
	"strings"
)

// mainTypes are the resource types a diagram shows; the rest are summed up per component.
var mainTypes = map[string]bool{
	"aws:ec2/vpc:Vpc":                                   true,
	"aws:ec2/subnet:Subnet":                             true,
	"aws:ec2/internetGateway:InternetGateway":           true,
	"aws:ec2/natGateway:NatGateway":                     true,
	"aws:ec2/vpcEndpoint:VpcEndpoint":                   true,
	"aws:ec2/flowLog:FlowLog":                           true,
	"aws:ec2/instance:Instance":                         true,
	"aws:cloudwatch/logGroup:LogGroup":                  true,
	"aws:rds/cluster:Cluster":                           true,
	"aws:rds/clusterInstance:ClusterInstance":           true,
	"aws:dynamodb/table:Table":                          true,
	"aws:kms/key:Key":                                   true,
	"aws:secretsmanager/secret:Secret":                  true,
	"aws:elasticache/replicationGroup:ReplicationGroup": true,
	"aws:lb/loadBalancer:LoadBalancer":                  true,
	"aws:autoscaling/group:Group":                       true,
	"aws:s3/bucketV2:BucketV2":                          true,
	"aws:msk/cluster:Cluster":                           true,
	"aws:msk/serverlessCluster:ServerlessCluster":       true,
}

// WriteMermaid prints a Mermaid flowchart of the plan: one box per component holding its main
// resources with their counts, an arrow wherever a resource type depends on another, and the path
// a user's request takes.
func WriteMermaid(w io.Writer, p *Plan) error {
	groups := groupByComponent(p)
	typeOf := map[string]string{} // URN -> node ID
	var b strings.Builder
	b.WriteString("flowchart LR\n")
	for gi, g := range groups {
		prefix := fmt.Sprintf("g%d", gi)
		if g.component != nil {
			fmt.Fprintf(&b, "  subgraph %s[\"%s %s\"]\n", prefix, shortType(g.component.Type), g.component.Name)
		}
		others := 0
		for _, tc := range g.counts() {
			if !mainTypes[tc.typ] {
				others += tc.count
				continue
			}
			fmt.Fprintf(&b, "    %s[\"%s ×%d\"]\n", nodeID(prefix, tc.typ), shortType(tc.typ), tc.count)
		}
		if others > 0 {
			fmt.Fprintf(&b, "    %s_more[\"+%d more: routes, groups, rules, IAM…\"]\n", prefix, others)
		}
		if g.component != nil {
			b.WriteString("  end\n")
		}
		for _, r := range g.members {
			if mainTypes[r.Type] {
				typeOf[r.URN] = nodeID(prefix, r.Type)
			}
		}
	}
	edges := map[string]bool{}
	for _, r := range p.Resources {
		from, ok := typeOf[r.URN]
		if !ok {
			continue
		}
		for _, d := range r.Dependencies {
			if to, ok := typeOf[d]; ok && to != from {
				edges[fmt.Sprintf("  %s --> %s\n", from, to)] = true
			}
		}
	}
	lines := make([]string, 0, len(edges))
	for e := range edges {
		lines = append(lines, e)
	}
	sort.Strings(lines)
	for _, l := range lines {
		b.WriteString(l)
	}
	b.WriteString(requestPath(p))
	_, err := io.WriteString(w, b.String())
	return err
}

// requestPath draws the way a user's request travels through what the plan builds: the domain's
// record, CloudFront and its WAF, the load balancer (and its WAF when there is no CDN), the app's
// compute, and the asset bucket behind /static/*. Only what the plan holds is drawn; "" when it
// holds no entry point.
func requestPath(p *Plan) string {
	var dns, cdn, alb, app, assets, cdnWAF, albWAF string
	for _, r := range p.Resources {
		switch r.Type {
		case "aws:route53/record:Record":
			if t, _ := r.Inputs["type"].(string); t == "A" && dns == "" {
				dns, _ = r.Inputs["name"].(string)
			}
		case "aws:cloudfront/distribution:Distribution":
			cdn = r.Name
		case "aws:lb/loadBalancer:LoadBalancer":
			alb = r.Name
		case "aws:autoscaling/group:Group":
			app = "Auto Scaling group " + r.Name
		case "aws:ec2/instance:Instance":
			if app == "" && !strings.Contains(r.Name, "bastion") {
				app = "instance " + r.Name
			}
		case "aws:wafv2/webAcl:WebAcl":
			if scope, _ := r.Inputs["scope"].(string); scope == "CLOUDFRONT" {
				cdnWAF = r.Name
			} else {
				albWAF = r.Name
			}
		}
	}
	if cdn != "" {
		for _, r := range p.Resources {
			if r.Type == "aws:s3/bucketV2:BucketV2" && strings.HasSuffix(r.Name, "-assets") {
				assets = r.Name
			}
		}
	}
	if app == "" {
		return ""
	}
	// hop adds a node on the path, in the order a request meets it.
	var nodes, chain []string
	hop := func(id, label string) {
		nodes = append(nodes, fmt.Sprintf("    %s[\"%s\"]\n", id, label))
		chain = append(chain, id)
	}
	withWAF := func(label, waf string) string {
		if waf == "" {
			return label
		}
		return label + " + WAF " + waf
	}
	if dns != "" {
		hop("rp_dns", "Route 53 "+dns)
	} else {
		hop("rp_users", "users")
	}
	if cdn != "" {
		hop("rp_cdn", withWAF("CloudFront "+cdn, cdnWAF))
	}
	if alb != "" {
		hop("rp_alb", withWAF("ALB "+alb, albWAF))
	}
	hop("rp_app", "app: "+app)
	var b strings.Builder
	b.WriteString("  subgraph requests[\"request path\"]\n")
	for _, n := range nodes {
		b.WriteString(n)
	}
	if assets != "" {
		fmt.Fprintf(&b, "    rp_assets[\"S3 %s: /static/*\"]\n", assets)
	}
	b.WriteString("  end\n")
	for i := 0; i+1 < len(chain); i++ {
		fmt.Fprintf(&b, "  %s --> %s\n", chain[i], chain[i+1])
	}
	if assets != "" {
		b.WriteString("  rp_cdn --> rp_assets\n")
	}
	return b.String()
}

var nonIdent = regexp.MustCompile(`[^A-Za-z0-9]+`)

// nodeID is a Mermaid-safe node ID for a type inside a group.
func nodeID(prefix, typ string) string {
	return prefix + "_" + nonIdent.ReplaceAllString(shortType(typ), "_")
}
