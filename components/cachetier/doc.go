// Package cachetier is tierstack's CacheTier component: an ElastiCache replication group running
// Valkey (or Redis OSS) in a Network's data subnets, encrypted at rest with a KMS key of its own and
// in transit (TLS required), behind a generated AUTH token kept in Secrets Manager, with daily
// snapshots, slow and engine logs in CloudWatch Logs, and a security group that admits only the
// clients AllowFrom names.
//
//	cache, err := cachetier.New(ctx, "cache", &cachetier.Args{Network: net, Replicas: 1})
//	_, err = cache.AllowFrom(ctx, "web", web.SecurityGroupID)
//
// # Growing into cluster mode
//
// A stack starts in ModeDisabled (one shard: a primary and Replicas replicas) and may move, one
// pulumi up per step and never back, to ModeCompatible and then ModeEnabled (Shards shards of one
// primary and ReplicasPerShard replicas each); CheckModeChange is the rule and CheckChange the whole
// check between two Args. Every input whose change would replace the replication group (port,
// encryption at rest and its key, subnet group, group ID) is the same in every mode, so the moves
// and any later growth in shards update the group in place. A CacheTier keeps two parameter groups
// of the engine version's family, cluster-enabled no and yes; the mode picks one, so the step to
// compatible switches the group's parameter group in the same request, as AWS asks.
//
// # Names
//
// Child names are a public contract ("name-role"): name-key (KMS), name-subnets, name-sg,
// name-params and name-cluster-params, name-auth-token, name-slow-log and name-engine-log,
// name-group (the replication group), name-connection (the secret) and name-allow-client (one rule
// per AllowFrom). Renaming one, or the type token, replaces the resource unless the caller adds
// pulumi.Aliases.
package cachetier
