package tierstacktest_test

import (
	"fmt"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/tierstack/tierstack/components/cachetier"
	"github.com/tierstack/tierstack/components/datatier"
	"github.com/tierstack/tierstack/components/network"
	"github.com/tierstack/tierstack/components/observability"
	"github.com/tierstack/tierstack/components/webtier"
	"github.com/tierstack/tierstack/tierstacktest"
)

// A program's own test: a DataTier and a CacheTier in a VPC that exists already, whose subnets the
// fake account is told about; then questions about what was registered.
func ExampleRun() {
	theirs := tierstacktest.ExistingVPC{ID: "vpc-0abc1234def567890", Subnets: []tierstacktest.ExistingSubnet{
		{ID: "subnet-0aaa1111bbbb22221", AvailabilityZone: "eu-west-1a", CIDR: "10.0.32.0/20"},
		{ID: "subnet-0aaa1111bbbb22222", AvailabilityZone: "eu-west-1b", CIDR: "10.0.48.0/20"},
	}}
	program := func(ctx *pulumi.Context) error {
		net, err := network.Existing(ctx, "shared", &network.ExistingArgs{
			VPCID:         theirs.ID,
			DataSubnetIDs: []string{"subnet-0aaa1111bbbb22221", "subnet-0aaa1111bbbb22222"},
		})
		if err != nil {
			return err
		}
		if _, err := datatier.New(ctx, "orders", &datatier.Args{Network: net, Readers: 1}); err != nil {
			return err
		}
		_, err = cachetier.New(ctx, "sessions", &cachetier.Args{Network: net})
		return err
	}
	s, err := tierstacktest.Run(program, tierstacktest.Options{Region: "eu-west-1", ExistingVPCs: []tierstacktest.ExistingVPC{theirs}})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("VPCs created:", s.Count("aws:ec2/vpc:Vpc"))
	fmt.Println("Aurora instances:", s.Count("aws:rds/clusterInstance:ClusterInstance"))
	fmt.Println("encrypted clusters:", len(s.Matching("aws:rds/cluster:Cluster", tierstacktest.Props{"storageEncrypted": true})))
	group, _ := s.Named("aws:rds/subnetGroup:SubnetGroup", "orders-subnets")
	fmt.Println("database subnets:", tierstacktest.Input(group, "subnetIds"))
	// Output:
	// VPCs created: 0
	// Aurora instances: 2
	// encrypted clusters: 1
	// database subnets: [subnet-0aaa1111bbbb22221 subnet-0aaa1111bbbb22222]
}

// Two DataTiers under one Observability: each signal ID carries its DataTier's name, so an override
// reaches one of them by ID (orders-cpu) or both by family (data-connections). A WebTier is wired to
// both in one field, the second's variables prefixed (ORDERS_DATABASE_HOST…).
func Example_twoDataTiers() {
	program := func(ctx *pulumi.Context) error {
		net, err := network.New(ctx, "net", &network.Args{AvailabilityZones: []string{"us-east-1a", "us-east-1b"}})
		if err != nil {
			return err
		}
		users, err := datatier.New(ctx, "users", &datatier.Args{Network: net})
		if err != nil {
			return err
		}
		orders, err := datatier.New(ctx, "orders", &datatier.Args{Network: net})
		if err != nil {
			return err
		}
		var list []observability.Signal
		for _, d := range []*datatier.DataTier{users, orders} {
			sigs, err := d.Signals()
			if err != nil {
				return err
			}
			list = append(list, sigs...)
		}
		seventy := 70.0
		if _, err := observability.New(ctx, "obs", &observability.Args{Signals: list, Overrides: map[string]observability.Override{
			"orders-cpu": {Threshold: &seventy},
		}}); err != nil {
			return err
		}
		_, err = webtier.New(ctx, "web", &webtier.Args{Network: net, Mode: webtier.ModeAutoScaling,
			Backends: []webtier.Backend{users, webtier.Prefixed("ORDERS", orders)}})
		return err
	}
	s, err := tierstacktest.Run(program, tierstacktest.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, name := range []string{"obs-alarm-users-cpu", "obs-alarm-orders-cpu"} {
		alarm, _ := s.Named("aws:cloudwatch/metricAlarm:MetricAlarm", name)
		fmt.Println(name, tierstacktest.Input(alarm, "threshold"))
	}
	// Output:
	// obs-alarm-users-cpu 85
	// obs-alarm-orders-cpu 70
}
