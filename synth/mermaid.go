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
}

// WriteMermaid prints a Mermaid flowchart of the plan: one box per component holding its main
// resources with their counts, and an arrow wherever a resource type depends on another.
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
	_, err := io.WriteString(w, b.String())
	return err
}

var nonIdent = regexp.MustCompile(`[^A-Za-z0-9]+`)

// nodeID is a Mermaid-safe node ID for a type inside a group.
func nodeID(prefix, typ string) string {
	return prefix + "_" + nonIdent.ReplaceAllString(shortType(typ), "_")
}
