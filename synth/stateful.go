package synth

// statefulTypes are the resource types whose replacement or deletion loses something a user cannot
// get back by running pulumi up again: data, an address others point at, or the network the data
// lives in. Why each is here is its value. The tier-change check (plan --from) refuses to call a
// change safe when it replaces or deletes one of them.
var statefulTypes = map[string]string{
	"aws:ec2/vpc:Vpc":                                   "every subnet, database and cache lives in it",
	"aws:ec2/subnet:Subnet":                             "databases, caches and instances have their interfaces in it",
	"aws:ec2/eip:Eip":                                   "a public address that DNS records and partners' allow-lists point at",
	"aws:ebs/volume:Volume":                             "block storage",
	"aws:efs/fileSystem:FileSystem":                     "files",
	"aws:cloudwatch/logGroup:LogGroup":                  "log events kept for their retention",
	"aws:rds/cluster:Cluster":                           "the database",
	"aws:rds/instance:Instance":                         "the database",
	"aws:rds/globalCluster:GlobalCluster":               "the global database",
	"aws:rds/clusterSnapshot:ClusterSnapshot":           "a backup",
	"aws:backup/vault:Vault":                            "recovery points: the backups and their copies",
	"aws:elasticache/replicationGroup:ReplicationGroup": "cached sessions and data",
	"aws:elasticache/cluster:Cluster":                   "cached data",
	"aws:elasticache/serverlessCache:ServerlessCache":   "cached data",
	"aws:dynamodb/table:Table":                          "table data",
	"aws:dynamodb/tableReplica:TableReplica":            "a table's replica in another region",
	"aws:s3/bucket:Bucket":                              "objects",
	"aws:s3/bucketV2:BucketV2":                          "objects",
	"aws:kms/key:Key":                                   "the key that decrypts the stack's data and backups",
	"aws:secretsmanager/secret:Secret":                  "credentials the applications read",
	"random:index/randomPassword:RandomPassword":        "a generated credential: a new one locks clients out until they read it again",
	"aws:opensearch/domain:Domain":                      "indexed logs",
	"aws:msk/cluster:Cluster":                           "Kafka topics and the messages they retain",
	"aws:msk/serverlessCluster:ServerlessCluster":       "Kafka topics and the messages they retain",
	"aws:ecr/repository:Repository":                     "container images",
	"aws:sqs/queue:Queue":                               "jobs waiting to run, and failed jobs waiting to be redriven",
	"aws:route53/zone:Zone":                             "DNS records and the delegation to it",
}

// EC2 instances are not here: tierstack's instances run a stateless app or a bastion, and the
// address users reach stays in an Elastic IP. Aurora instances are not here either: an Aurora cluster's data lives in its cluster volume, so adding or
// removing a reader (or replacing one) loses nothing; replacing the writer fails over, an outage
// without loss. The cluster itself is here.

// Stateful reports whether a resource type holds state a replacement or deletion loses, and what.
func Stateful(typ string) (what string, ok bool) {
	what, ok = statefulTypes[typ]
	return what, ok
}
