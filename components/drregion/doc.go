// Package drregion is tierstack's DRRegion component: a second AWS region that the service can be
// recovered in when its whole primary region is lost, built by a recovery Strategy picked for the
// data loss (RPO) and downtime (RTO) the business accepts.
//
//	dr, err := drregion.New(ctx, "dr", &drregion.Args{
//		Provider:    west,                               // an aws.Provider for the DR region
//		PrimaryCIDR: "10.0.0.0/16",                      // the primary VPC's range
//		Network:     network.Args{AvailabilityZones: []string{"us-west-2a", "us-west-2b", "us-west-2c"}},
//		Backup:      &drregion.Backup{ResourceARNs: arns, KeyARNs: keys},
//		Assets:      &drregion.Assets{BucketName: cdn.AssetBucket, BucketARN: cdn.AssetBucketARN, Versioning: cdn.AssetVersioning},
//	})
//
// Every strategy is built. Under backupRestore AWS Backup copies the primary's Aurora clusters and
// DynamoDB tables to a vault in the DR region, S3 replicates the asset bucket there, and nothing
// runs there (no cluster, no instance, no load balancer). pilotLight adds the data kept live
// (Args.Database, Args.Tables): each of the primary's global databases (the DataTier builds them,
// datatier.Args.Global) gets a secondary cluster in the DR region, headless under pilotLight
// (SecondaryInstances says what the other strategies run in it), and each table a replica there;
// and the web tier (Args.Web) defined at zero: its load balancer answers, its Auto Scaling group
// runs nothing. warmStandby runs that web tier small (WarmStandbyMinInstances, up to the primary's
// maximum) with a cache (Args.Cache), a NAT gateway per zone and a reader in each secondary;
// activeActive runs both at the primary's size and needs global write forwarding
// (Database.WriteForwarding, datatier.GlobalWriteForwarding). Readers gives the DR region's app
// its region-local database settings.
//
// Where each resource lives. Every resource that lives in the DR region is created through
// Args.Provider and none falls back to the default provider:
//
//   - the Network (its VPC, subnets, routes, endpoints and flow logs) and its flow-log key;
//   - the DR vault (aws:backup/vault:Vault) and its KMS key;
//   - the replica bucket and its settings (public access block, ownership, encryption, versioning,
//     policy);
//   - with live data, the secondary clusters and their instances with their key, subnet group,
//     security group and parameter groups, and the table replicas with their key;
//   - from pilotLight on, the web tier (a WebTier: its load balancer, access-log bucket, target
//     group, Auto Scaling group, launch template, security groups and role) and, under
//     warmStandby and activeActive, the cache (a CacheTier: its replication group, key, secret,
//     log groups and security group), every child of theirs: a component's children take its
//     provider. Their IAM role, instance profile and policies go through the DR provider too: IAM
//     is global, either region's endpoint reaches it, and the WebTier takes one provider.
//
// Some pieces live in the primary region by nature and stay on the provider the component's
// options give (the stack's): these are exactly PrimaryRegionChildren —
//
//   - the Backup plan, its selection and the source vault with its own KMS key: a backup job and
//     its copy job run in the region of the resources they protect (AWS Backup Developer Guide,
//     "Creating backup copies across AWS Regions");
//   - the bucket replication configuration: it belongs to the source bucket (Amazon S3 User Guide,
//     "Replicating objects within and across Regions");
//   - IAM roles and their policies (IAM is global; the primary's provider makes them).
//
// The global clusters live in the primary region too (a global cluster is created from its source
// cluster, in that cluster's region: RDS API CreateGlobalCluster, SourceDBClusterIdentifier), but
// they are the DataTier's children, not the DRRegion's.
//
// The component registers no alarm: Signals (and DRRegion.Signals) describe what to watch of what
// it built, each in the region of its metric, for the Observability to alarm on with a provider of
// the DR region.
package drregion
