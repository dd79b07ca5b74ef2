// Package streaming builds tierstack's Kafka: an Amazon MSK cluster in a Network's data subnets
// (tierstack:index:Streaming), serverless by default or with provisioned brokers, reached only over
// TLS with IAM authentication from the clients it admits (AllowFrom, GrantTo).
//
// MSK Serverless is the default (ModeServerless): no brokers to size, patch or add storage to, IAM
// authentication only, and a tier's event traffic fits its quotas (ServerlessQuotas). Provisioned
// brokers (ModeProvisioned) win when a quota binds (sustained ingress over ServerlessMaxIngressMBps,
// more partitions or longer retention than the serverless quota, messages over 8 MB), when clients
// outside AWS need SASL/SCRAM, when broker settings must be tuned, and at steady, predictable load,
// where three kafka.m7g.large brokers cost less a month than a serverless cluster's hours alone
// (insights/prices.json). A stack chooses once: the two are different resource types, so a change of
// Mode replaces the cluster and its data, which New's caller must refuse on a running stack (the
// tiers do, and plan --from shows the replacement).
//
// Provisioned brokers are spread evenly over up to three zones (MaxZones, MSK's limit), encrypted at
// rest with the Streaming's own KMS key and in transit (client-broker TLS only, in-cluster
// encryption), with IAM authentication (SASL/SCRAM as an option, its secret AmazonMSK_-prefixed in
// Secrets Manager under the same key), a configuration that sets min.insync.replicas below the
// replication factor, broker logs in an encrypted CloudWatch log group, and storage that grows by
// Application Auto Scaling. The cluster and its key are protected, and the key and log group kept on
// delete.
package streaming
