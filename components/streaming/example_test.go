package streaming_test

import (
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/tierstack/tierstack/components/network"
	"github.com/tierstack/tierstack/components/streaming"
)

// Kafka in another Go Pulumi program: MSK Serverless in the data subnets, admitting the web servers'
// security group and granting their role produce and consume rights. The app reads the brokers from
// KAFKA_BOOTSTRAP_BROKERS (a webtier.Backend sets it) and authenticates with its role.
func ExampleNew() {
	pulumi.Run(func(ctx *pulumi.Context) error {
		net, err := network.New(ctx, "shop", &network.Args{
			AvailabilityZones: []string{"eu-west-1a", "eu-west-1b", "eu-west-1c"},
		})
		if err != nil {
			return err
		}
		kafka, err := streaming.New(ctx, "events", &streaming.Args{Network: net})
		if err != nil {
			return err
		}
		webSG := pulumi.String("sg-0123456789abcdef0")                              // the web tier's security group
		webRole := pulumi.String("arn:aws:iam::123456789012:role/web-role-0123456") // the app's role
		if _, err := kafka.AllowFrom(ctx, "web", webSG); err != nil {
			return err
		}
		if _, err := kafka.GrantTo(ctx, "web", webRole); err != nil {
			return err
		}
		ctx.Export("kafkaBootstrapBrokers", kafka.BootstrapBrokers)
		return nil
	})
}

// Provisioned brokers, two in each of three zones, with SASL/SCRAM for a client outside AWS.
func ExampleNew_provisioned() {
	pulumi.Run(func(ctx *pulumi.Context) error {
		net, err := network.New(ctx, "shop", &network.Args{
			AvailabilityZones: []string{"eu-west-1a", "eu-west-1b", "eu-west-1c"},
		})
		if err != nil {
			return err
		}
		kafka, err := streaming.New(ctx, "events", &streaming.Args{
			Network: net, Mode: streaming.ModeProvisioned, BrokersPerZone: 2, SCRAM: true,
		})
		if err != nil {
			return err
		}
		ctx.Export("kafkaScramSecretArn", kafka.SCRAMSecretARN)
		return nil
	})
}
