// Package datatier is tierstack's DataTier component: one Aurora cluster (MySQL or PostgreSQL) from
// the first tier on, grown in place — a Serverless v2 writer at 100 users, a reader in another zone
// at 10k, reader auto scaling at 100k and 1M — plus DynamoDB tables for write-heavy data, all
// encrypted with a key of its own, in a Network's data subnets.
//
//	data, err := datatier.New(ctx, "data", &datatier.Args{Network: net, Readers: 1})
//	_, err = data.AllowFrom(ctx, "web", web.SecurityGroupID)
//
// Every tier change is an in-place modification or an added or removed instance: the engine, the
// database name, the master user, the subnet group and the key never change after creation. The
// cluster, the writer, the tables and the key are protected (pulumi.Protect) unless Args.Unprotected
// says otherwise, and the cluster, the tables, the key and the secret stay in AWS when they leave the
// stack (pulumi.RetainOnDelete), besides AWS deletion protection and a final snapshot.
package datatier
