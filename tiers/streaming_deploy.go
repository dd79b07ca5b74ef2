package tiers

import (
	"fmt"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/tierstack/tierstack/components/network"
	"github.com/tierstack/tierstack/components/streaming"
	"github.com/tierstack/tierstack/components/webtier"
)

// buildStreaming builds the tier's Streaming, when tierstack:streaming enables it, and adds its stack
// outputs; nil without one. The app learns its brokers as a webtier.Backend.
func buildStreaming(ctx *pulumi.Context, spec Spec, net *network.Network, tags map[string]string, outputs pulumi.Map) (*streaming.Streaming, error) {
	if spec.Streaming == nil {
		return nil, nil
	}
	args := *spec.Streaming
	args.Network, args.Tags = net, tags
	s, err := streaming.New(ctx, "streaming", &args)
	if err != nil {
		return nil, fmt.Errorf("tier %s: %w", spec.Tier, err)
	}
	outputs["kafkaMode"] = pulumi.String(string(s.Mode))
	outputs["kafkaClusterArn"] = s.ARN
	outputs["kafkaBootstrapBrokers"] = s.BootstrapBrokers
	if args.SCRAM {
		outputs["kafkaBootstrapBrokersScram"] = s.BootstrapBrokersSCRAM
		outputs["kafkaScramSecretArn"] = s.SCRAMSecretARN
	}
	return s, nil
}

// admitStreamingClients lets the app's compute reach the brokers (its security group) and use the
// cluster (its role): the web tier is the one client the tiers have.
func admitStreamingClients(ctx *pulumi.Context, spec Spec, s *streaming.Streaming, web *webtier.WebTier) error {
	if s == nil {
		return nil
	}
	if _, err := s.AllowFrom(ctx, "web", web.SecurityGroupID); err != nil {
		return fmt.Errorf("tier %s: %w", spec.Tier, err)
	}
	if _, err := s.GrantTo(ctx, "web", web.RoleARN); err != nil {
		return fmt.Errorf("tier %s: %w", spec.Tier, err)
	}
	return nil
}
