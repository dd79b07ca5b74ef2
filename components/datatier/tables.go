package datatier

import (
	"maps"
	"slices"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/dynamodb"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/kms"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/tierstack/tierstack/internal/naming"
)

// buildTables creates the DynamoDB tables: on-demand, point-in-time recovery, encrypted with the
// tier's key, deletion protection on, a stream of new and old images. Each is protected and kept in
// AWS when it leaves the stack.
func (d *DataTier) buildTables(ctx *pulumi.Context, name string, a Args, key *kms.Key) error {
	names, arns := pulumi.StringMap{}, pulumi.StringMap{}
	for _, t := range a.Tables {
		var attrs dynamodb.TableAttributeArray
		for _, attr := range slices.Sorted(maps.Keys(t.Attributes)) {
			attrs = append(attrs, dynamodb.TableAttributeArgs{Name: pulumi.String(attr), Type: pulumi.String(t.Attributes[attr])})
		}
		var indexes dynamodb.TableGlobalSecondaryIndexArray
		for _, ix := range t.Indexes {
			gsi := dynamodb.TableGlobalSecondaryIndexArgs{
				Name:           pulumi.String(ix.Name),
				HashKey:        pulumi.String(ix.HashKey),
				ProjectionType: pulumi.String("ALL"),
			}
			if ix.RangeKey != "" {
				gsi.RangeKey = pulumi.String(ix.RangeKey)
			}
			indexes = append(indexes, gsi)
		}
		tableName := naming.Child(name, "table-"+t.Name)
		args := &dynamodb.TableArgs{
			BillingMode:               pulumi.String("PAY_PER_REQUEST"),
			HashKey:                   pulumi.String(t.HashKey),
			Attributes:                attrs,
			GlobalSecondaryIndexes:    indexes,
			PointInTimeRecovery:       &dynamodb.TablePointInTimeRecoveryArgs{Enabled: pulumi.Bool(true)},
			ServerSideEncryption:      &dynamodb.TableServerSideEncryptionArgs{Enabled: pulumi.Bool(true), KmsKeyArn: key.Arn},
			DeletionProtectionEnabled: pulumi.Bool(true),
			StreamEnabled:             pulumi.Bool(true),
			StreamViewType:            pulumi.String("NEW_AND_OLD_IMAGES"),
			Tags:                      naming.Tags(a.Tags, tableName),
		}
		if t.RangeKey != "" {
			args.RangeKey = pulumi.String(t.RangeKey)
		}
		if t.TTLAttribute != "" {
			args.Ttl = &dynamodb.TableTtlArgs{AttributeName: pulumi.String(t.TTLAttribute), Enabled: pulumi.Bool(true)}
		}
		opts := []pulumi.ResourceOption{pulumi.Parent(d), pulumi.Protect(!a.Unprotected), pulumi.RetainOnDelete(true)}
		if a.Global != nil {
			// Its replicas are dynamodb.TableReplica resources of the DRRegion: the provider reads
			// them back into replicas, which this table must not remove (pulumi-aws
			// dynamodb.TableReplica's doc: "use lifecycle ignore_changes for replica").
			opts = append(opts, pulumi.IgnoreChanges([]string{"replicas"}))
		}
		table, err := dynamodb.NewTable(ctx, tableName, args, opts...)
		if err != nil {
			return err
		}
		names[t.Name], arns[t.Name] = table.Name, table.Arn
	}
	d.TableNames, d.TableARNs = names.ToStringMapOutput(), arns.ToStringMapOutput()
	return nil
}
