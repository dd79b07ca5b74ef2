package drregion

import (
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/dynamodb"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/tierstack/tierstack/internal/naming"
)

// TableReplicaTimeout is how long creating or deleting a table replica may take: DynamoDB copies
// the whole table to the new region first, hours for a large one (pulumi-aws's default is 30
// minutes).
const TableReplicaTimeout = "4h"

// buildTableReplicas adds a replica of every table in the DR region, making each a DynamoDB
// global table (version 2019.11.21). Each replica is a dynamodb.TableReplica under the DR provider,
// not the table's inline replicas block: in pulumi-aws 6.83.4 that block has no deletion
// protection and re-creates a replica when its key changes. The replica has point-in-time recovery,
// deletion protection, and a key of the DR region (a replica of a table encrypted with a
// customer managed key needs a key of its own region: DynamoDB Developer Guide, "Global tables:
// how it works", encryption). The tables themselves ignore replicas (datatier.Args.Global).
func (b builder) buildTableReplicas() error {
	ctx, a := b.ctx, b.a
	key, err := newKey(ctx, b.child("tables-key"), "tierstack: the DR region's DynamoDB table replicas", b.drEnv, a.Tags, false, b.inDR(b.kept()...)...)
	if err != nil {
		return err
	}
	arns := pulumi.StringMap{}
	for _, t := range a.Tables {
		name := b.child("table-" + t.Name)
		replica, err := dynamodb.NewTableReplica(ctx, name, &dynamodb.TableReplicaArgs{
			GlobalTableArn:            t.ARN,
			KmsKeyArn:                 key.Arn,
			PointInTimeRecovery:       pulumi.Bool(true),
			DeletionProtectionEnabled: pulumi.Bool(true),
			Tags:                      naming.Tags(a.Tags, name),
		}, b.inDR(pulumi.Timeouts(&pulumi.CustomTimeouts{Create: TableReplicaTimeout, Update: TableReplicaTimeout, Delete: TableReplicaTimeout}))...)
		if err != nil {
			return err
		}
		arns[t.Name] = replica.Arn
		b.d.signalInputs.Tables = append(b.d.signalInputs.Tables, TableSignalInputs{Name: t.Name,
			TableName: t.ARN.ToStringOutput().ApplyT(TableNameOf).(pulumi.StringOutput)})
	}
	b.d.TableReplicaARNs = arns.ToStringMapOutput()
	return nil
}
