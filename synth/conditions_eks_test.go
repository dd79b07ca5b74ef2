package synth

import (
	"strings"
	"testing"
)

// eksNet builds a plan with one VPC, its subnets and security groups (ID → zone; "" for a
// security group) and an EKS cluster using them, as pulumi-eks registers it.
func eksNet(vpcID, cidr string, members map[string]string, clusterSubnets, clusterSGs []string, extra map[string]any) *Plan {
	const stack = "urn:pulumi:s::p::"
	vpcURN := stack + "aws:ec2/vpc:Vpc::vpc"
	p := &Plan{Region: "us-east-1", Resources: []Resource{
		{URN: vpcURN, ID: vpcID, Type: "aws:ec2/vpc:Vpc", Name: "vpc", Custom: true, Inputs: map[string]any{"cidrBlock": cidr}},
	}}
	var deps []string
	for id, zone := range members {
		name := strings.TrimPrefix(strings.TrimPrefix(id, "subnet-"), "sg-")
		r := Resource{ID: id, Custom: true, Dependencies: []string{vpcURN}, Inputs: map[string]any{"vpcId": vpcID}}
		if zone == "" {
			r.Type, r.Name = "aws:ec2/securityGroup:SecurityGroup", "sg-"+name
		} else {
			r.Type, r.Name = "aws:ec2/subnet:Subnet", "subnet-"+name
			r.Inputs["availabilityZone"] = zone
			r.Inputs["cidrBlock"] = cidr + "/" + name
		}
		r.URN = stack + r.Type + "::" + r.Name
		deps = append(deps, r.URN)
		p.Resources = append(p.Resources, r)
	}
	list := func(ids []string) []any {
		out := []any{}
		for _, id := range ids {
			out = append(out, id)
		}
		return out
	}
	inputs := map[string]any{"name": "c", "roleArn": "arn:aws:iam::1:role/r", "version": "1.34",
		"vpcConfig": map[string]any{"subnetIds": list(clusterSubnets), "securityGroupIds": list(clusterSGs)}}
	for k, v := range extra {
		inputs[k] = v
	}
	p.Resources = append(p.Resources, Resource{URN: stack + "aws:eks/cluster:Cluster::c", ID: "c", Type: eksClusterType, Name: "c",
		Custom: true, Dependencies: deps, Inputs: inputs})
	return p
}

// clusterChange is the change Diff finds for the EKS cluster.
func clusterChange(t *testing.T, before, after *Plan) Change {
	t.Helper()
	rules, err := ReplacementRules()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range Diff(before, after, rules) {
		if c.Type == eksClusterType {
			return c
		}
	}
	return Change{}
}

// EKS changes a cluster's subnets and security groups in place within its VPC and zones, and
// refuses the rest: another VPC's subnets and groups, or a subnet in a zone the cluster was not
// created with.
func TestEKSClusterStaysInItsVPCAndZones(t *testing.T) {
	zones := map[string]string{"subnet-1": "us-east-1a", "subnet-2": "us-east-1b", "sg-1": ""}
	before := eksNet("vpc-a", "10.0.0.0/16", zones, []string{"subnet-1", "subnet-2"}, []string{"sg-1"}, nil)
	with := func(extra map[string]string) map[string]string {
		m := map[string]string{}
		for k, v := range zones {
			m[k] = v
		}
		for k, v := range extra {
			m[k] = v
		}
		return m
	}
	cases := []struct {
		name   string
		after  *Plan
		action Action
		refuse string // a word of the refusal, "" for none
	}{
		{"a subnet of the same VPC and zone", eksNet("vpc-a", "10.0.0.0/16", with(map[string]string{"subnet-3": "us-east-1b"}),
			[]string{"subnet-1", "subnet-3"}, []string{"sg-1"}, nil), Update, ""},
		{"another security group of the same VPC", eksNet("vpc-a", "10.0.0.0/16", with(map[string]string{"sg-2": ""}),
			[]string{"subnet-1", "subnet-2"}, []string{"sg-2"}, nil), Update, ""},
		{"a subnet in a new zone", eksNet("vpc-a", "10.0.0.0/16", with(map[string]string{"subnet-3": "us-east-1c"}),
			[]string{"subnet-1", "subnet-2", "subnet-3"}, []string{"sg-1"}, nil), Update, "us-east-1c, outside the zones"},
		{"the VPC replaced with a new range", eksNet("vpc-b", "10.9.0.0/16", map[string]string{"subnet-8": "us-east-1a", "subnet-9": "us-east-1b", "sg-9": ""},
			[]string{"subnet-8", "subnet-9"}, []string{"sg-9"}, nil), Update, "another VPC (vpc is a new VPC)"},
		{"nothing changes", eksNet("vpc-a", "10.0.0.0/16", zones, []string{"subnet-1", "subnet-2"}, []string{"sg-1"}, nil), "", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := clusterChange(t, before, tc.after)
			if c.Action != tc.action {
				t.Fatalf("action: got %q, want %q (%+v)", c.Action, tc.action, c)
			}
			got := strings.Join(c.Refused, "; ")
			if tc.refuse == "" {
				if got != "" || c.Unsafe {
					t.Errorf("refused: got %q (unsafe %v), want nothing", got, c.Unsafe)
				}
				return
			}
			if !strings.Contains(got, tc.refuse) || !c.Unsafe {
				t.Errorf("refused: got %q (unsafe %v), want %q", got, c.Unsafe, tc.refuse)
			}
		})
	}
}

// EKS updates Kubernetes one minor version at a time and never gives up access entries.
func TestEKSClusterVersionAndAuthenticationSteps(t *testing.T) {
	net := map[string]string{"subnet-1": "us-east-1a", "sg-1": ""}
	plan := func(extra map[string]any) *Plan {
		return eksNet("vpc-a", "10.0.0.0/16", net, []string{"subnet-1"}, []string{"sg-1"}, extra)
	}
	mode := func(m string) map[string]any {
		return map[string]any{"accessConfig": map[string]any{"authenticationMode": m, "bootstrapClusterCreatorAdminPermissions": true}}
	}
	cases := []struct {
		name          string
		before, after map[string]any
		refuse        string
	}{
		{"one minor up", map[string]any{"version": "1.34"}, map[string]any{"version": "1.35"}, ""},
		{"two minors up", map[string]any{"version": "1.34"}, map[string]any{"version": "1.36"}, "one minor version at a time"},
		{"one minor down (EKS's rollback: AWS settles it)", map[string]any{"version": "1.34"}, map[string]any{"version": "1.33"}, ""},
		{"two minors down", map[string]any{"version": "1.34"}, map[string]any{"version": "1.32"}, "one minor version at a time"},
		{"ConfigMap to access entries", mode("CONFIG_MAP"), mode("API"), ""},
		{"both to access entries only", mode("API_AND_CONFIG_MAP"), mode("API"), ""},
		{"access entries back to both", mode("API"), mode("API_AND_CONFIG_MAP"), "authentication mode API → API_AND_CONFIG_MAP"},
		{"both back to the ConfigMap", mode("API_AND_CONFIG_MAP"), mode("CONFIG_MAP"), "authentication mode API_AND_CONFIG_MAP → CONFIG_MAP"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := clusterChange(t, plan(tc.before), plan(tc.after))
			if c.Action != Update {
				t.Fatalf("action: got %q, want update", c.Action)
			}
			got := strings.Join(c.Refused, "; ")
			if (tc.refuse == "") != (got == "") || !strings.Contains(got, tc.refuse) || c.Unsafe != (tc.refuse != "") {
				t.Errorf("refused: got %q (unsafe %v), want %q", got, c.Unsafe, tc.refuse)
			}
		})
	}
}
