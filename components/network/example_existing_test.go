package network_test

import (
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/tierstack/tierstack/components/network"
)

// A VPC another stack built, known only by IDs: Existing looks up its subnets' zones and checks
// them, creates nothing, and returns the *Network that DataTier, CacheTier and WebTier take. Here
// the IDs come from the other stack's outputs, read as plain values (GetOutputDetails) so that
// they are checked before anything is registered.
func ExampleExisting() {
	pulumi.Run(func(ctx *pulumi.Context) error {
		ref, err := pulumi.NewStackReference(ctx, "acme/network/prod", nil)
		if err != nil {
			return err
		}
		plain := func(key string) []string {
			d, err := ref.GetOutputDetails(key)
			if err != nil || d.Value == nil {
				return nil
			}
			var out []string
			for _, v := range d.Value.([]any) {
				out = append(out, v.(string))
			}
			return out
		}
		vpc, err := ref.GetOutputDetails("vpcId")
		if err != nil {
			return err
		}
		vpcID, _ := vpc.Value.(string)
		net, err := network.Existing(ctx, "shared", &network.ExistingArgs{
			VPCID:         vpcID,
			DataSubnetIDs: plain("dataSubnetIds"),
		})
		if err != nil {
			return err
		}
		ctx.Export("zones", pulumi.ToStringArray(net.Zones))
		return nil
	})
}
