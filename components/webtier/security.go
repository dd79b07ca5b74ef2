package webtier

import (
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/tierstack/tierstack/internal/naming"
)

// buildAppSecurityGroup creates the app's identity: the security group every instance that runs
// the app carries, in either mode, and the one the data and cache tiers admit. It admits nothing by
// itself; each mode adds who may reach the app. Its inputs are the same in every mode, so growing
// from one instance to an Auto Scaling group keeps it, and the data tier's rule naming it.
func (w *WebTier) buildAppSecurityGroup(ctx *pulumi.Context, name string, a checkedArgs) (*ec2.SecurityGroup, error) {
	sgName := naming.Child(name, "app-sg")
	sg, err := ec2.NewSecurityGroup(ctx, sgName, &ec2.SecurityGroupArgs{
		VpcId:       a.Network.VPCID,
		Description: pulumi.String("tierstack app: what runs the app; the data and cache tiers admit it"),
		Egress:      outToAnywhere("Packages, the image registry, Session Manager, the database and cache"),
		Tags:        naming.Tags(a.Tags, sgName),
	}, pulumi.Parent(w))
	if err != nil {
		return nil, err
	}
	w.SecurityGroupID = sg.ID().ToStringOutput()
	return sg, nil
}

// outToAnywhere is the egress of a group whose members reach the internet (through NAT) and the
// VPC: what pulls images, calls AWS APIs and reaches the database and cache.
func outToAnywhere(description string) ec2.SecurityGroupEgressArray {
	return ec2.SecurityGroupEgressArray{ec2.SecurityGroupEgressArgs{
		Description: pulumi.String(description),
		Protocol:    pulumi.String("-1"), FromPort: pulumi.Int(0), ToPort: pulumi.Int(0),
		CidrBlocks: pulumi.StringArray{pulumi.String("0.0.0.0/0")},
	}}
}
