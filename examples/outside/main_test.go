package main

import (
	"reflect"
	"strings"
	"testing"

	"github.com/tierstack/tierstack/tierstacktest"
)

// legacyVPC is the VPC the other stack built, as the fake account holds it.
var legacyVPC = tierstacktest.ExistingVPC{ID: "vpc-0abc1234def567890", CIDR: "10.80.0.0/16", Subnets: []tierstacktest.ExistingSubnet{
	{ID: "subnet-0aaa1111bbbb22221", AvailabilityZone: "eu-west-1a", CIDR: "10.80.32.0/20"},
	{ID: "subnet-0aaa1111bbbb22222", AvailabilityZone: "eu-west-1b", CIDR: "10.80.48.0/20"},
}}

// run runs the program offline in eu-west-1 with the legacy VPC in the fake account.
func run(t *testing.T) *tierstacktest.Stack {
	t.Helper()
	s, err := tierstacktest.Run(Program, tierstacktest.Options{
		Region:       "eu-west-1",
		Config:       map[string]string{"shop:legacy": `{"vpcId":"vpc-0abc1234def567890","dataSubnetIds":["subnet-0aaa1111bbbb22221","subnet-0aaa1111bbbb22222"]}`},
		ExistingVPCs: []tierstacktest.ExistingVPC{legacyVPC},
	})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// The shop builds one VPC; the orders database and the sessions cache go in the legacy VPC's data
// subnets.
func TestOneVPCIsBuiltTheOtherOnlyUsed(t *testing.T) {
	s := run(t)
	s.AssertCount(t, "aws:ec2/vpc:Vpc", 1)
	legacy := []string{legacyVPC.Subnets[0].ID, legacyVPC.Subnets[1].ID}
	s.AssertHas(t, "aws:rds/subnetGroup:SubnetGroup", tierstacktest.Props{"subnetIds": legacy})
	sessions := s.AssertNamed(t, "aws:elasticache/subnetGroup:SubnetGroup", "sessions-subnets")
	if got, want := tierstacktest.Input(sessions, "subnetIds"), []any{legacy[0], legacy[1]}; !reflect.DeepEqual(got, want) {
		t.Errorf("the sessions cache is in %v, want %v", got, want)
	}
	s.AssertEvery(t, "aws:rds/cluster:Cluster", tierstacktest.Props{"storageEncrypted": true})
}

// Both databases are watched by one Observability; the override by ID reaches the orders database
// only.
func TestOneObservabilityOverBothDatabases(t *testing.T) {
	s := run(t)
	for name, want := range map[string]float64{"obs-alarm-users-cpu": 85, "obs-alarm-orders-cpu": 70} {
		alarm := s.AssertNamed(t, "aws:cloudwatch/metricAlarm:MetricAlarm", name)
		if got := tierstacktest.Input(alarm, "threshold"); got != want {
			t.Errorf("%s threshold is %v, want %v", name, got, want)
		}
	}
}

// One field wired the web tier to the database and the cache: its role reads both secrets.
func TestTheWebTierReadsBothSecrets(t *testing.T) {
	s := run(t)
	doc, _ := tierstacktest.Input(s.AssertNamed(t, "aws:iam/rolePolicy:RolePolicy", "web-secrets"), "policy").(string)
	for _, prefix := range []string{"users-", "cache-"} {
		readable := false
		for _, r := range s.All("aws:secretsmanager/secret:Secret") {
			arn, _ := r.Outputs["arn"].(string)
			readable = readable || (strings.HasPrefix(r.Name, prefix) && arn != "" && strings.Contains(doc, arn))
		}
		if !readable {
			t.Errorf("the web tier's role reads no secret of %s", strings.TrimSuffix(prefix, "-"))
		}
	}
}
