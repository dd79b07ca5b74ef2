package drregion_test

import (
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/tierstack/tierstack/components/drregion"
	"github.com/tierstack/tierstack/components/network"
)

// A DR region in another Go Pulumi program: a VPC in us-west-2 that does not overlap the primary's,
// and a daily copy of an Aurora cluster's backups there.
func ExampleNew() {
	pulumi.Run(func(ctx *pulumi.Context) error {
		west, err := aws.NewProvider(ctx, "us-west-2", &aws.ProviderArgs{Region: pulumi.String("us-west-2")})
		if err != nil {
			return err
		}
		dr, err := drregion.New(ctx, "dr", &drregion.Args{
			Provider:    west,
			PrimaryCIDR: "10.0.0.0/16", // the DR VPC gets 10.1.0.0/16
			Network:     network.Args{AvailabilityZones: []string{"us-west-2a", "us-west-2b"}},
			Backup: &drregion.Backup{
				ResourceARNs: pulumi.StringArray{pulumi.String("arn:aws:rds:us-east-1:123456789012:cluster:orders")},
				KeyARNs:      pulumi.StringArray{pulumi.String("arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab")},
			},
		})
		if err != nil {
			return err
		}
		ctx.Export("drRpo", dr.RPO)
		ctx.Export("drBackupVaultArn", dr.BackupVaultARN)
		return nil
	})
}
