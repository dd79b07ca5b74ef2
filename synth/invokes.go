package synth

import (
	"maps"
	"slices"
)

// AnsweredInvokes lists, sorted, the invoke tokens the mock engine answers: every lookup tierstack's
// components make, plus the VPC and subnet lookups of network.Existing (answered from
// Options.ExistingVPCs). Any other invoke fails loudly.
func AnsweredInvokes() []string {
	tokens := slices.Collect(maps.Keys(invokeAnswers))
	tokens = append(tokens, "aws:ec2/getVpc:getVpc", "aws:ec2/getSubnet:getSubnet")
	slices.Sort(tokens)
	return tokens
}
