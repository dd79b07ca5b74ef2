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

// requestPath draws the way a user's request travels through what the plan holds: the domain's
// record, CloudFront and its WAF, origin.<domain> (the name CloudFront reaches the app by, with
// its failover to the DR region's load balancer), the load balancer (and its WAF when there is no
// CDN), the app's compute (an instance, an Auto Scaling group or EKS), and the asset bucket behind
// /static/* with its DR copy. Only what the plan holds is drawn; "" when it holds no entry point.
func requestPath(p *Plan) string {
	var dns, cdn, alb, drALB, app, assets, drAssets, cdnWAF, albWAF, origin, originRouting string
	for _, r := range p.Resources {
		inDR := strings.Contains(r.URN, drRegionToken+"$")
		switch r.Type {
		case "aws:route53/record:Record":
			t, _ := r.Inputs["type"].(string)
			switch {
			case strings.Contains(r.URN, originToken+"$"):
				if origin == "" {
					origin, _ = r.Inputs["name"].(string)
				}
				if _, ok := r.Inputs["latencyRoutingPolicies"]; ok {
					originRouting = "latency"
				} else if _, ok := r.Inputs["failoverRoutingPolicies"]; ok && originRouting == "" {
					originRouting = "failover, held by the switch"
				}
			case t == "A" && dns == "":
				dns, _ = r.Inputs["name"].(string)
			}
		case "aws:cloudfront/distribution:Distribution":
			cdn = r.Name
		case "aws:lb/loadBalancer:LoadBalancer":
			if inDR {
				drALB = r.Name
			} else {
				alb = r.Name
			}
		case "aws:autoscaling/group:Group":
			if !inDR {
				app = "Auto Scaling group " + r.Name
			}
		case "eks:index:Cluster":
			if !inDR {
				app = "EKS " + r.Name
			}
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
				if strings.Contains(r.URN, drRegionToken+"$") {
					drAssets = r.Name
				} else {
					assets = r.Name
				}
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
	if origin != "" {
		label := "Route 53 " + origin
		if originRouting != "" && drALB != "" {
			label += ": " + originRouting
		}
		hop("rp_origin", label)
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
	if drAssets != "" && assets != "" {
		fmt.Fprintf(&b, "    rp_assets_dr[\"S3 %s, DR region\"]\n", drAssets)
	}
	if drALB != "" && origin != "" {
		fmt.Fprintf(&b, "    rp_alb_dr[\"ALB %s, DR region\"]\n", drALB)
	}
	b.WriteString("  end\n")
	for i := 0; i+1 < len(chain); i++ {
		fmt.Fprintf(&b, "  %s --> %s\n", chain[i], chain[i+1])
	}
	if assets != "" {
		b.WriteString("  rp_cdn --> rp_assets\n")
	}
	if drAssets != "" && assets != "" {
		b.WriteString("  rp_assets -. 403, 404, 5xx .-> rp_assets_dr\n")
	}
	if drALB != "" && origin != "" {
		b.WriteString("  rp_origin -. serveFrom dr .-> rp_alb_dr\n")
	}
	return b.String()
}

// The type tokens whose children requestPath tells apart: the DR region's, and origin.<domain>'s.
const (
	drRegionToken = "tierstack:index:DRRegion"
	originToken   = "tierstack:index:Origin"
)

var nonIdent = regexp.MustCompile(`[^A-Za-z0-9]+`)

// nodeID is a Mermaid-safe node ID for a type inside a group.
func nodeID(prefix, typ string) string {
	return prefix + "_" + nonIdent.ReplaceAllString(shortType(typ), "_")
}
