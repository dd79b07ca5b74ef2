package synth

import (
	"fmt"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// ExistingVPC is a VPC that exists in the fake account before the program runs, built by another
// stack or by hand: what ec2.LookupVpc and ec2.LookupSubnet find (network.Existing reads them).
type ExistingVPC struct {
	// ID is the VPC's ID, such as vpc-0abc1234def567890.
	ID string
	// CIDR is its IPv4 range; "" means 10.0.0.0/16.
	CIDR string
	// NoDNSHostnames makes the VPC one without DNS hostnames, as a VPC made by the EC2 API is.
	NoDNSHostnames bool
	// Subnets are its subnets.
	Subnets []ExistingSubnet
}

// ExistingSubnet is a subnet of an ExistingVPC.
type ExistingSubnet struct {
	// ID is the subnet's ID, such as subnet-0abc1234def567890.
	ID string
	// AvailabilityZone is its zone, such as eu-west-1a.
	AvailabilityZone string
	// CIDR is its IPv4 range.
	CIDR string
}

// AddExistingVPCs makes VPCs (and their subnets) exist in the fake account, for the lookups of a
// program that places components in a VPC it did not build.
func (r *Recorder) AddExistingVPCs(vpcs ...ExistingVPC) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.existing = append(r.existing, vpcs...)
}

// existingAnswer answers the lookups of existing VPCs and subnets; handled is false for any other
// invoke. A VPC or subnet the fake account does not hold fails as AWS does (NotFound), naming how to
// add it.
func (r *Recorder) existingAnswer(token string, args resource.PropertyMap, reg region) (answer map[string]any, handled bool, err error) {
	switch token {
	case "aws:ec2/getVpc:getVpc", "aws:ec2/getSubnet:getSubnet":
	default:
		return nil, false, nil
	}
	id := plainString(args["id"], "")
	r.mu.Lock()
	defer r.mu.Unlock()
	partition := reg.partition().name
	for _, v := range r.existing {
		cidr := v.CIDR
		if cidr == "" {
			cidr = "10.0.0.0/16"
		}
		if token == "aws:ec2/getVpc:getVpc" && v.ID == id {
			return map[string]any{"id": v.ID, "cidrBlock": cidr, "state": "available", "default": false,
				"enableDnsSupport": true, "enableDnsHostnames": !v.NoDNSHostnames, "ownerId": FakeAccountID,
				"arn": fmt.Sprintf("arn:%s:ec2:%s:%s:vpc/%s", partition, reg.name, FakeAccountID, v.ID)}, true, nil
		}
		for _, s := range v.Subnets {
			if token == "aws:ec2/getSubnet:getSubnet" && s.ID == id {
				return map[string]any{"id": s.ID, "vpcId": v.ID, "availabilityZone": s.AvailabilityZone,
					"cidrBlock": s.CIDR, "state": "available", "ownerId": FakeAccountID,
					"arn": fmt.Sprintf("arn:%s:ec2:%s:%s:subnet/%s", partition, reg.name, FakeAccountID, s.ID)}, true, nil
			}
		}
	}
	kind := map[string]string{"aws:ec2/getVpc:getVpc": "VPC", "aws:ec2/getSubnet:getSubnet": "subnet"}[token]
	return nil, true, fmt.Errorf("InvalidID.NotFound: the fake account has no %s %q in %s (declare it with Options.ExistingVPCs)", kind, id, reg.name)
}
