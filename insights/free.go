package insights

import "strings"

// freeTypes are the types AWS does not charge for, and why: the estimate counts them as free, not
// unknown. Where a free resource makes another cost (a flow log fills a log group), the other
// resource carries that cost.
var freeTypes = map[string]string{
	"aws:efs/mountTarget:MountTarget":                                                            "mount targets are free; storage is priced on the file system",
	"aws:efs/accessPoint:AccessPoint":                                                            "access points are free",
	"aws:efs/backupPolicy:BackupPolicy":                                                          "the backup policy is free; AWS Backup bills the backups it keeps (EFS warm backup storage, not in the estimate)",
	"aws:efs/fileSystemPolicy:FileSystemPolicy":                                                  "file system policies are free",
	"aws:ec2/vpc:Vpc":                                                                            "VPCs are free",
	"aws:ec2/subnet:Subnet":                                                                      "subnets are free",
	"aws:ec2/routeTable:RouteTable":                                                              "route tables are free",
	"aws:ec2/route:Route":                                                                        "routes are free",
	"aws:ec2/routeTableAssociation:RouteTableAssociation":                                        "route table associations are free",
	"aws:ec2/mainRouteTableAssociation:MainRouteTableAssociation":                                "route table associations are free",
	"aws:ec2/internetGateway:InternetGateway":                                                    "internet gateways are free (data transfer is charged on what sends it)",
	"aws:ec2/egressOnlyInternetGateway:EgressOnlyInternetGateway":                                "egress-only internet gateways are free",
	"aws:ec2/securityGroup:SecurityGroup":                                                        "security groups are free",
	"aws:ec2/securityGroupRule:SecurityGroupRule":                                                "security group rules are free",
	"aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule":                                  "security group rules are free",
	"aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule":                                    "security group rules are free",
	"aws:ec2/defaultSecurityGroup:DefaultSecurityGroup":                                          "security groups are free",
	"aws:ec2/defaultNetworkAcl:DefaultNetworkAcl":                                                "network ACLs are free",
	"aws:ec2/networkAcl:NetworkAcl":                                                              "network ACLs are free",
	"aws:ec2/vpcEndpointRouteTableAssociation:VpcEndpointRouteTableAssociation":                  "gateway endpoint routes are free",
	"aws:ec2/flowLog:FlowLog":                                                                    "the flow log is free; its log group carries the ingestion",
	"aws:ec2/launchTemplate:LaunchTemplate":                                                      "a launch template is free; the instances it launches are priced on their group",
	"aws:autoscaling/policy:Policy":                                                              "scaling policies are free",
	"aws:autoscaling/lifecycleHook:LifecycleHook":                                                "lifecycle hooks are free",
	"aws:autoscaling/schedule:Schedule":                                                          "scheduled actions are free (Amazon EC2 Auto Scaling has no charge of its own)",
	"aws:cloudwatch/logSubscriptionFilter:LogSubscriptionFilter":                                 "subscription filters are free; the function they invoke is priced",
	"aws:appautoscaling/target:Target":                                                           "Application Auto Scaling is free",
	"aws:appautoscaling/policy:Policy":                                                           "Application Auto Scaling is free",
	"aws:lb/targetGroup:TargetGroup":                                                             "target groups are free; LCUs are priced on the load balancer",
	"aws:lb/listener:Listener":                                                                   "listeners are free; LCUs are priced on the load balancer",
	"aws:lb/listenerRule:ListenerRule":                                                           "listener rules are free; LCUs are priced on the load balancer",
	"aws:lb/targetGroupAttachment:TargetGroupAttachment":                                         "target group attachments are free",
	"aws:rds/clusterParameterGroup:ClusterParameterGroup":                                        "parameter groups are free",
	"aws:rds/parameterGroup:ParameterGroup":                                                      "parameter groups are free",
	"aws:rds/subnetGroup:SubnetGroup":                                                            "subnet groups are free",
	"aws:elasticache/parameterGroup:ParameterGroup":                                              "parameter groups are free",
	"aws:elasticache/subnetGroup:SubnetGroup":                                                    "subnet groups are free",
	"aws:msk/configuration:Configuration":                                                        "MSK configurations are free; the brokers that use one are priced on the cluster",
	"aws:msk/scramSecretAssociation:ScramSecretAssociation":                                      "associating a secret is free; the secret is priced",
	"aws:secretsmanager/secretVersion:SecretVersion":                                             "a secret version is free; the secret is priced",
	"aws:secretsmanager/secretRotation:SecretRotation":                                           "rotation is free; the Lambda function it runs is priced",
	"aws:kms/alias:Alias":                                                                        "aliases are free",
	"aws:s3/bucketPolicy:BucketPolicy":                                                           "bucket settings are free; the bucket's storage is priced",
	"aws:s3/bucketVersioningV2:BucketVersioningV2":                                               "bucket settings are free; the bucket's storage is priced",
	"aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2": "bucket settings are free; the bucket's storage is priced",
	"aws:s3/bucketOwnershipControls:BucketOwnershipControls":                                     "bucket settings are free; the bucket's storage is priced",
	"aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock":                                     "bucket settings are free; the bucket's storage is priced",
	"aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2":                       "bucket settings are free; the bucket's storage is priced",
	"aws:s3/bucketAclV2:BucketAclV2":                                                             "bucket settings are free; the bucket's storage is priced",
	"aws:s3/bucketLoggingV2:BucketLoggingV2":                                                     "bucket settings are free; the logs' storage is priced on their bucket",
	"aws:rds/globalCluster:GlobalCluster":                                                        "an Aurora global database has no charge of its own: the secondary cluster's storage is priced on the cluster; the replicated write I/O it adds is not in the price table",
	"aws:backup/plan:Plan":                                                                       "AWS Backup charges for the recovery points' storage (priced on the vaults) and for restores, not for plans",
	"aws:backup/selection:Selection":                                                             "AWS Backup charges for the recovery points' storage (priced on the vaults), not for selections",
	"aws:s3/bucketReplicationConfig:BucketReplicationConfig":                                     "the configuration is free and the replicas' storage is priced on the replica bucket; the cross-region transfer of replicated data (S3 pricing, data transfer between regions) is not in the price table yet and is not counted",
	"aws:cloudfront/originAccessControl:OriginAccessControl":                                     "origin access controls are free",
	"aws:cloudfront/cachePolicy:CachePolicy":                                                     "cache policies are free",
	"aws:cloudfront/originRequestPolicy:OriginRequestPolicy":                                     "origin request policies are free",
	"aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy":                                 "response headers policies are free",
	"aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration":                            "WAF logging is free; its log group carries the ingestion",
	"aws:wafv2/webAclAssociation:WebAclAssociation":                                              "associations are free; the web ACL is priced",
	"aws:acm/certificate:Certificate":                                                            "public ACM certificates are free",
	"aws:acm/certificateValidation:CertificateValidation":                                        "validation is free",
	"aws:cloudwatch/eventRule:EventRule":                                                         "rules on the default event bus for AWS service events are free",
	"aws:cloudwatch/eventTarget:EventTarget":                                                     "event targets are free",
	"aws:cloudwatch/logResourcePolicy:LogResourcePolicy":                                         "log resource policies are free",
	"aws:sns/topicSubscription:TopicSubscription":                                                "subscriptions are free; deliveries are priced on the topic",
	"aws:sns/topicPolicy:TopicPolicy":                                                            "topic policies are free",
	"aws:sqs/queuePolicy:QueuePolicy":                                                            "queue policies are free",
	"aws:sqs/redriveAllowPolicy:RedriveAllowPolicy":                                              "a queue's redrive allow-list is free",
	"aws:lambda/invocation:Invocation":                                                           "one run of a function when its input changes: a Lambda request, priced on the function's line",
	"aws:lambda/permission:Permission":                                                           "permissions are free",
	"aws:eks/addon:Addon":                                                                        "EKS add-ons are free; the nodes they run on are priced",
	"aws:eks/podIdentityAssociation:PodIdentityAssociation":                                      "pod identity associations are free",
	"aws:eks/accessEntry:AccessEntry":                                                            "access entries are free",
	"aws:eks/accessPolicyAssociation:AccessPolicyAssociation":                                    "access policy associations are free",
	"aws:chatbot/slackChannelConfiguration:SlackChannelConfiguration":                            "AWS Chatbot has no charge of its own (the SNS topic it reads is priced); not re-checked against a dated source",
}

// freePrefixes are families of types AWS does not charge for, by type-token prefix.
var freePrefixes = map[string]string{
	"aws:iam/":          "IAM is free",
	"kubernetes:":       "Kubernetes objects are free; the nodes they run on are priced",
	"random:":           "random values are made by the Pulumi provider, not AWS",
	"tls:":              "made by the Pulumi provider, not AWS",
	"pulumi:providers:": "a provider is Pulumi's, not AWS's",
	"pulumi:pulumi:":    "Pulumi's own",
}

// freeReason says why AWS charges nothing for a type, or "" when it does (or may).
func freeReason(typ string) string {
	if why, ok := freeTypes[typ]; ok {
		return why
	}
	for prefix, why := range freePrefixes {
		if strings.HasPrefix(typ, prefix) {
			return why
		}
	}
	return ""
}
