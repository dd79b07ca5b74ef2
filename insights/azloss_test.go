package insights

import (
	"strings"
	"testing"

	"github.com/tierstack/tierstack/synth"
)

// subnet is a subnet in a zone.
func subnet(name, zone string) synth.Resource {
	return res("aws:ec2/subnet:Subnet", name, map[string]any{"availabilityZone": zone})
}

// builtToFail is a two-zone stack with one of everything: one NAT, a cache with no replica, one
// server, one database instance, all in zone a.
func builtToFail() []synth.Resource {
	return []synth.Resource{
		subnet("pub-a", "az-a"), subnet("priv-a", "az-a"), subnet("priv-b", "az-b"),
		res("aws:ec2/natGateway:NatGateway", "nat", map[string]any{"subnetId": "pub-a-id"}),
		res("aws:ec2/route:Route", "to-nat", map[string]any{"routeTableId": "rt-id", "natGatewayId": "nat-id", "destinationCidrBlock": "0.0.0.0/0"}),
		res("aws:ec2/routeTableAssociation:RouteTableAssociation", "assoc-a", map[string]any{"routeTableId": "rt-id", "subnetId": "priv-a-id"}),
		res("aws:ec2/routeTableAssociation:RouteTableAssociation", "assoc-b", map[string]any{"routeTableId": "rt-id", "subnetId": "priv-b-id"}),
		res("aws:ec2/routeTable:RouteTable", "rt", nil),
		res("aws:ec2/instance:Instance", "server", map[string]any{"subnetId": "pub-a-id"}),
		res("aws:rds/clusterInstance:ClusterInstance", "writer", map[string]any{"clusterIdentifier": "db", "availabilityZone": "az-a"}),
		res("aws:elasticache/replicationGroup:ReplicationGroup", "cache", map[string]any{"numCacheClusters": 1.0, "preferredCacheClusterAzs": []any{"az-a"}}),
	}
}

// builtToSurvive spreads every part over both zones.
func builtToSurvive() []synth.Resource {
	return []synth.Resource{
		subnet("pub-a", "az-a"), subnet("pub-b", "az-b"), subnet("priv-a", "az-a"), subnet("priv-b", "az-b"),
		res("aws:ec2/natGateway:NatGateway", "nat-a", map[string]any{"subnetId": "pub-a-id"}),
		res("aws:ec2/natGateway:NatGateway", "nat-b", map[string]any{"subnetId": "pub-b-id"}),
		res("aws:ec2/route:Route", "to-nat-a", map[string]any{"routeTableId": "rt-a-id", "natGatewayId": "nat-a-id"}),
		res("aws:ec2/route:Route", "to-nat-b", map[string]any{"routeTableId": "rt-b-id", "natGatewayId": "nat-b-id"}),
		res("aws:ec2/routeTableAssociation:RouteTableAssociation", "assoc-a", map[string]any{"routeTableId": "rt-a-id", "subnetId": "priv-a-id"}),
		res("aws:ec2/routeTableAssociation:RouteTableAssociation", "assoc-b", map[string]any{"routeTableId": "rt-b-id", "subnetId": "priv-b-id"}),
		res("aws:ec2/routeTable:RouteTable", "rt-a", nil), res("aws:ec2/routeTable:RouteTable", "rt-b", nil),
		res("eks:index:ManagedNodeGroup", "nodes", map[string]any{"subnetIds": []any{"priv-a-id", "priv-b-id"}, "scalingConfig": map[string]any{"desiredSize": 2.0}}),
		res("aws:rds/clusterInstance:ClusterInstance", "writer", map[string]any{"clusterIdentifier": "db", "availabilityZone": "az-a"}),
		res("aws:rds/clusterInstance:ClusterInstance", "reader", map[string]any{"clusterIdentifier": "db", "availabilityZone": "az-b"}),
		res("aws:elasticache/replicationGroup:ReplicationGroup", "cache", map[string]any{"numCacheClusters": 2.0, "automaticFailoverEnabled": true, "preferredCacheClusterAzs": []any{"az-a", "az-b"}}),
	}
}

func TestAZLossOnAStackBuiltToFail(t *testing.T) {
	got := AZLoss(builtToFail())
	a := got["az-a"]
	if a.Survives {
		t.Fatalf("losing az-a survives: %+v", a)
	}
	for _, part := range []string{"web", "database", "cache"} {
		if v, ok := a.Checks[part]; !ok || v.Survives {
			t.Errorf("losing az-a: %s = %+v, want a failed verdict", part, v)
		}
	}
	if b := got["az-b"]; !b.Survives {
		t.Errorf("losing az-b, which holds nothing but a private subnet, must survive: %s", b.Why)
	}
	if v := a.Checks["nat"]; v.Survives || !strings.Contains(v.Why, "az-b") {
		t.Errorf("losing az-a: nat = %+v; want az-b's private subnets stranded", v)
	}
}

func TestAZLossOnAStackBuiltToSurvive(t *testing.T) {
	for zone, zl := range AZLoss(builtToSurvive()) {
		if !zl.Survives {
			t.Errorf("losing %s: %s", zone, zl.Why)
		}
		for _, part := range []string{"web", "database", "cache", "nat"} {
			if _, ok := zl.Checks[part]; !ok {
				t.Errorf("losing %s: no %s verdict", zone, part)
			}
		}
	}
}

func TestAZLossNodeGroupInOneZone(t *testing.T) {
	rs := builtToSurvive()
	for i := range rs {
		if rs[i].Name == "nodes" {
			rs[i].Inputs["subnetIds"] = []any{"priv-a-id"}
		}
	}
	if v := AZLoss(rs)["az-a"].Checks["web"]; v.Survives {
		t.Errorf("a node group in az-a alone survives losing az-a: %+v", v)
	}
}
