package tiers

import (
	"fmt"

	"github.com/tierstack/tierstack/components"
)

// Spec is one tier as plain data: the arguments of every component it builds. Moving up a tier
// changes values, never code paths.
type Spec struct {
	// Tier is the tier this spec builds.
	Tier Tier
	// Network is the VPC.
	Network components.NetworkArgs
}

// Specs holds the four tiers side by side.
var Specs = map[Tier]Spec{
	Tier100: {
		Tier: Tier100,
		// One web server in a public subnet needs no NAT; two zones because a DB subnet group needs
		// two. Flow logs are off to keep the bill at its floor.
		Network: components.NetworkArgs{AZCount: 2, NatStrategy: components.NatNone, DisableFlowLogs: true},
	},
	Tier10k: {
		Tier:    Tier10k,
		Network: components.NetworkArgs{AZCount: 3, NatStrategy: components.NatPerAZ, FlowLogRetentionDays: 30},
	},
	Tier100k: {
		Tier:    Tier100k,
		Network: components.NetworkArgs{AZCount: 3, NatStrategy: components.NatPerAZ, FlowLogRetentionDays: 90},
	},
	Tier1M: {
		Tier:    Tier1M,
		Network: components.NetworkArgs{AZCount: 3, NatStrategy: components.NatPerAZ, FlowLogRetentionDays: 365},
	},
}

// SpecFor returns the spec of a tier.
func SpecFor(t Tier) (Spec, error) {
	s, ok := Specs[t]
	if !ok {
		return Spec{}, fmt.Errorf("tier %q is not a tier (allowed: %s)", t, tierList())
	}
	return s, nil
}

// Resolve returns the spec of the settings' tier with the settings' overrides applied, validated.
func Resolve(s Settings) (Spec, error) {
	spec, err := SpecFor(s.Tier)
	if err != nil {
		return Spec{}, err
	}
	if err := spec.applyNetwork(s.Network); err != nil {
		return Spec{}, err
	}
	if err := spec.Validate(); err != nil {
		return Spec{}, err
	}
	return spec, nil
}

// applyNetwork applies the tierstack:network overrides.
func (s *Spec) applyNetwork(o NetworkOverrides) error {
	n := &s.Network
	if o.CIDR != "" {
		n.CIDR = o.CIDR
	}
	if len(o.AvailabilityZones) > 0 {
		n.AvailabilityZones = o.AvailabilityZones
		if o.AZCount == 0 && len(o.AvailabilityZones) < n.AZCount {
			// Fewer pinned zones than the tier wants: say so rather than shrink the tier.
			return fmt.Errorf("tierstack:network availabilityZones lists %d zones but tier %s spans %d (list at least %d, or set azCount)",
				len(o.AvailabilityZones), s.Tier, n.AZCount, n.AZCount)
		}
	}
	if o.AZCount != 0 {
		n.AZCount = o.AZCount
	}
	if o.NatStrategy != "" {
		nat, err := components.ParseNatStrategy(o.NatStrategy)
		if err != nil {
			return fmt.Errorf("tierstack:network %w", err)
		}
		n.NatStrategy = nat
	}
	if o.FlowLogs != nil {
		n.DisableFlowLogs = !*o.FlowLogs
	}
	if o.FlowLogRetentionDays != 0 {
		n.FlowLogRetentionDays = o.FlowLogRetentionDays
	}
	if len(o.BastionAllowedCIDRs) > 0 {
		n.BastionAllowedCIDRs = o.BastionAllowedCIDRs
	}
	return nil
}

// Validate checks every component's arguments and the rules of the tier, so that bad input fails
// before any resource is registered.
func (s Spec) Validate() error {
	if err := s.Network.Validate(); err != nil {
		return fmt.Errorf("tier %s: tierstack:%w", s.Tier, err)
	}
	if s.Tier != Tier100 && s.Network.NatStrategy == components.NatNone {
		return fmt.Errorf("tier %s: tierstack:network natStrategy none leaves the private application subnets with no way out (allowed from 10k up: single, perAz)", s.Tier)
	}
	return nil
}
