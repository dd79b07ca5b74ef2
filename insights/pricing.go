package insights

import (
	"fmt"
	"math"
	"strings"

	"github.com/tierstack/tierstack/synth"
)

// pricers price each type that costs money, from its recorded inputs and the cost model.
var pricers = map[string]pricer{
	"aws:ec2/instance:Instance":                         priceInstance,
	"aws:autoscaling/group:Group":                       priceAutoScalingGroup,
	"aws:ec2/eip:Eip":                                   priceEIP,
	"aws:ec2/natGateway:NatGateway":                     priceNAT,
	"aws:ec2/vpcEndpoint:VpcEndpoint":                   priceEndpoint,
	"aws:ebs/volume:Volume":                             priceVolume,
	"aws:lb/loadBalancer:LoadBalancer":                  priceLoadBalancer,
	"aws:rds/cluster:Cluster":                           priceAuroraCluster,
	"aws:rds/clusterInstance:ClusterInstance":           priceAuroraInstance,
	"aws:elasticache/replicationGroup:ReplicationGroup": priceReplicationGroup,
	"aws:cloudfront/distribution:Distribution":          priceDistribution,
	"aws:wafv2/webAcl:WebAcl":                           priceWebACL,
	"aws:route53/zone:Zone":                             fixed("hosted zone", "route53.hosted_zone.month"),
	"aws:route53/record:Record":                         priceRecord,
	"aws:route53/healthCheck:HealthCheck":               fixed("health check", "route53.health_check.aws_endpoint.month"),
	"aws:backup/vault:Vault":                            priceBackupVault,
	"aws:kms/key:Key":                                   fixed("customer managed key", "kms.key.month"),
	"aws:secretsmanager/secret:Secret":                  priceSecret,
	"aws:s3/bucketV2:BucketV2":                          priceBucket,
	"aws:s3/bucket:Bucket":                              priceBucket,
	"aws:cloudwatch/logGroup:LogGroup":                  priceLogGroup,
	"aws:cloudwatch/metricAlarm:MetricAlarm":            priceAlarm,
	"aws:cloudwatch/dashboard:Dashboard":                fixed("dashboard", "cloudwatch.dashboard.month"),
	"aws:cloudwatch/compositeAlarm:CompositeAlarm":      fixed("composite alarm", "cloudwatch.alarm.composite.month"),
	"aws:dynamodb/table:Table":                          priceTable,
	"aws:dynamodb/tableReplica:TableReplica":            priceTableReplica,
	"aws:opensearch/domain:Domain":                      priceOpenSearch,
	"aws:msk/cluster:Cluster":                           priceMSKCluster,
	"aws:msk/serverlessCluster:ServerlessCluster":       priceMSKServerless,
	"aws:efs/fileSystem:FileSystem":                     priceFileSystem,
	"aws:sns/topic:Topic":                               priceTopic,
	"aws:sqs/queue:Queue":                               priceQueue,
	"aws:lambda/function:Function":                      priceFunction,
	"eks:index:Cluster":                                 priceEKSCluster,
	"aws:eks/cluster:Cluster":                           priceEKSCluster,
	"eks:index:ManagedNodeGroup":                        priceNodeGroup,
	"aws:eks/nodeGroup:NodeGroup":                       priceNodeGroup,
}

// fixed prices one unit a month of a monthly price id.
func fixed(item, id string) pricer {
	return func(e *estimator, _ *synth.Resource) ([]Line, string) {
		l, ok := e.line(item, id, 1, false)
		if !ok {
			return nil, "no price " + id + " in the table"
		}
		return []Line{l}, ""
	}
}

// priceSecret: the secret and each of its replicas, which Secrets Manager bills as a secret of its
// own (AWS Secrets Manager pricing: "Replica secrets are considered a distinct secret").
func priceSecret(e *estimator, r *synth.Resource) ([]Line, string) {
	l, ok := e.line("secret", "secretsmanager.secret.month", float64(1+len(list(r.Inputs, "replicas"))), false)
	if !ok {
		return nil, "no price secretsmanager.secret.month in the table"
	}
	return []Line{l}, ""
}

// priceInstance: the instance type's hour and its root volume. (Its public address, when an
// Elastic IP holds it, is priced on the Elastic IP.)
func priceInstance(e *estimator, r *synth.Resource) ([]Line, string) {
	vol, ok := num(r.Inputs, "rootBlockDevice.volumeSize")
	if !ok {
		vol = e.model.RootVolumeGB
	}
	return e.instanceLines(str(r.Inputs, "instanceType"), 1, vol)
}

// priceAutoScalingGroup: desiredCapacity (else minSize) instances of its launch template's type.
func priceAutoScalingGroup(e *estimator, r *synth.Resource) ([]Line, string) {
	count, ok := num(r.Inputs, "desiredCapacity")
	if !ok {
		count, _ = num(r.Inputs, "minSize")
	}
	const ltType = "aws:ec2/launchTemplate:LaunchTemplate"
	lt := e.ix.ref(r, str(r.Inputs, "launchTemplate.id"), ltType)
	if lt == nil {
		lt = e.ix.ref(r, str(r.Inputs, "launchTemplate.name"), ltType)
	}
	if lt == nil {
		return nil, "the group's launch template is not in the plan, so its instance type is unknown"
	}
	vol := e.model.RootVolumeGB
	for _, m := range list(lt.Inputs, "blockDeviceMappings") {
		if bd, ok := m.(map[string]any); ok {
			if v, ok := num(bd, "ebs.volumeSize"); ok {
				vol = v
			}
		}
	}
	return e.instanceLines(str(lt.Inputs, "instanceType"), count, vol)
}

// priceEIP: a public IPv4 address, all month.
func priceEIP(e *estimator, _ *synth.Resource) ([]Line, string) {
	return e.hourly("public IPv4 address", "vpc.public_ipv4.hour", 1)
}

// priceNAT: the gateway's hour and its share of the data processed. (Its address is priced on its
// Elastic IP.)
func priceNAT(e *estimator, r *synth.Resource) ([]Line, string) {
	lines, why := e.hourly("NAT gateway", "vpc.nat_gateway.hour", 1)
	if why != "" {
		return nil, why
	}
	if l, ok := e.line("data processed", "vpc.nat_gateway.gb", e.share(e.model.NATGB, r.Type), true); ok {
		lines = append(lines, l)
	}
	return lines, ""
}

// priceEndpoint: gateway endpoints are free; an interface endpoint costs an hour per zone.
func priceEndpoint(e *estimator, r *synth.Resource) ([]Line, string) {
	if !strings.EqualFold(str(r.Inputs, "vpcEndpointType"), "Interface") {
		return nil, ""
	}
	zones := float64(max(len(strs(r.Inputs, "subnetIds")), 1))
	return e.hourly(fmt.Sprintf("interface endpoint in %g zones", zones), "vpc.interface_endpoint.hour_per_az", zones)
}

// priceVolume: a gp3 volume of its size.
func priceVolume(e *estimator, r *synth.Resource) ([]Line, string) {
	size, ok := num(r.Inputs, "size")
	if !ok {
		return nil, "the plan does not say the volume's size"
	}
	if t := str(r.Inputs, "type"); t != "" && t != "gp3" {
		return nil, "no price for " + t + " volumes in the table"
	}
	l, _ := e.line(fmt.Sprintf("%g GB gp3", size), "ebs.gp3.gb_month", size, false)
	return []Line{l}, ""
}

// priceLoadBalancer: the hour and the assumed capacity units.
func priceLoadBalancer(e *estimator, r *synth.Resource) ([]Line, string) {
	kind, unit := "elb.alb", "lcu_hour"
	if str(r.Inputs, "loadBalancerType") == "network" {
		kind, unit = "elb.nlb", "nlcu_hour"
	}
	lines, why := e.hourly("load balancer", kind+".hour", 1)
	if why != "" {
		return nil, why
	}
	if l, ok := e.line("capacity units", kind+"."+unit, e.model.ALBLCU*e.model.HoursPerMonth, true); ok {
		lines = append(lines, l)
	}
	return lines, ""
}

// priceAuroraCluster: the cluster volume and, on Aurora Standard, its I/O. Backups within the
// retention period's free allowance are not charged.
func priceAuroraCluster(e *estimator, r *synth.Resource) ([]Line, string) {
	if !strings.HasPrefix(str(r.Inputs, "engine"), "aurora") {
		return nil, "only Aurora clusters are priced"
	}
	if str(r.Inputs, "storageType") == "aurora-iopt1" {
		l, _ := e.line("storage (I/O-Optimized)", "aurora.storage.io_optimized.gb_month", e.model.DatabaseGB, true)
		return []Line{l}, ""
	}
	s, _ := e.line("storage", "aurora.storage.standard.gb_month", e.model.DatabaseGB, true)
	io, _ := e.line("I/O requests (millions)", "aurora.io.standard.per_million", e.model.DatabaseIOMillions, true)
	return []Line{s, io}, ""
}

// priceAuroraInstance: a Serverless v2 instance's ACU-hours (the average capacity held inside the
// cluster's range, for the hours it runs), or a provisioned class's hour.
func priceAuroraInstance(e *estimator, r *synth.Resource) ([]Line, string) {
	class := str(r.Inputs, "instanceClass")
	cluster := e.ix.ref(r, str(r.Inputs, "clusterIdentifier"), "aws:rds/cluster:Cluster")
	iopt := cluster != nil && str(cluster.Inputs, "storageType") == "aurora-iopt1"
	if class != "db.serverless" {
		if iopt {
			return nil, "no price for " + class + " on I/O-Optimized in the table"
		}
		return e.hourly(class, "aurora."+class+".hour", 1)
	}
	if cluster == nil {
		return nil, "the instance's cluster is not in the plan, so its capacity range is unknown"
	}
	minACU, _ := num(cluster.Inputs, "serverlessv2ScalingConfiguration.minCapacity")
	maxACU, ok := num(cluster.Inputs, "serverlessv2ScalingConfiguration.maxCapacity")
	if !ok {
		return nil, "the cluster's Serverless v2 capacity range is not in the plan"
	}
	acu := math.Min(math.Max(e.model.AverageACU, minACU), maxACU)
	hours, item := e.model.HoursPerMonth, fmt.Sprintf("%g ACU average, all month", acu)
	if minACU == 0 {
		acu = math.Max(acu, 0.5) // the smallest capacity it runs at
		hours = e.model.DatabaseActiveHours
		item = fmt.Sprintf("%g ACU average for %g h: it pauses only when no connection is open, which an app's connection pool never lets happen (costModel databaseActiveHours for an app that closes them)", acu, hours)
		if hours < e.model.HoursPerMonth {
			item = fmt.Sprintf("%g ACU average for %g h a month (costModel databaseActiveHours): it pauses only when no connection is open", acu, hours)
		}
	}
	id := "aurora.serverless_v2.acu_hour"
	if iopt {
		id = "aurora.serverless_v2_io_optimized.acu_hour"
	}
	l, _ := e.line(item, id, acu*hours, true)
	return []Line{l}, ""
}

// priceReplicationGroup: every node of the group at its node type's hour, by engine.
func priceReplicationGroup(e *estimator, r *synth.Resource) ([]Line, string) {
	nodes, ok := num(r.Inputs, "numCacheClusters")
	if !ok {
		groups, gok := num(r.Inputs, "numNodeGroups")
		replicas, _ := num(r.Inputs, "replicasPerNodeGroup")
		if !gok {
			groups = 1
		}
		nodes = groups * (1 + replicas)
	}
	engine := str(r.Inputs, "engine")
	if engine == "" {
		engine = "redis"
	}
	nodeType := str(r.Inputs, "nodeType")
	return e.hourly(fmt.Sprintf("%g × %s (%s)", nodes, nodeType, engine), "elasticache."+engine+"."+nodeType+".hour", nodes)
}

// priceDistribution: the assumed HTTPS requests and data served (US edge prices, first 10 TB).
func priceDistribution(e *estimator, _ *synth.Resource) ([]Line, string) {
	req, _ := e.line("HTTPS requests (10k)", "cloudfront.us.https.per_10k", e.model.Requests/1e4, true)
	out, _ := e.line("data out (GB)", "cloudfront.us.data_out.first_10tb.gb", e.model.TransferOutGB, true)
	return []Line{req, out}, ""
}

// priceWebACL: the web ACL, each rule, and the assumed requests.
func priceWebACL(e *estimator, r *synth.Resource) ([]Line, string) {
	acl, _ := e.line("web ACL", "waf.web_acl.month", 1, false)
	rules, _ := e.line("rules", "waf.rule.month", float64(len(list(r.Inputs, "rules"))), false)
	req, _ := e.line("requests (millions)", "waf.requests.per_million", e.model.Requests/1e6, true)
	return []Line{acl, rules, req}, ""
}

// priceRecord: queries of a plain record; alias records to AWS resources answer for free.
func priceRecord(e *estimator, r *synth.Resource) ([]Line, string) {
	if len(list(r.Inputs, "aliases")) > 0 {
		return nil, ""
	}
	n := 0
	for _, rec := range e.ix.byURN {
		if rec.Type == r.Type && len(list(rec.Inputs, "aliases")) == 0 {
			n++
		}
	}
	l, _ := e.line("queries (millions)", "route53.queries.standard.per_million", e.model.DNSQueriesMillions/float64(max(n, 1)), true)
	return []Line{l}, ""
}

// priceBucket: the bucket's share of the assumed storage.
func priceBucket(e *estimator, r *synth.Resource) ([]Line, string) {
	n := e.counts["aws:s3/bucketV2:BucketV2"] + e.counts["aws:s3/bucket:Bucket"]
	l, _ := e.line("standard storage (GB)", "s3.standard.gb_month", e.model.StorageGB/float64(max(n, 1)), true)
	return []Line{l}, ""
}

// priceLogGroup: the group's share of the assumed ingestion, and what its retention keeps stored
// (never-expiring groups: a year's worth).
func priceLogGroup(e *estimator, r *synth.Resource) ([]Line, string) {
	gb := e.share(e.model.LogsGB, r.Type)
	in, _ := e.line("ingested (GB)", "cloudwatch.logs.ingest.gb", gb, true)
	days, ok := num(r.Inputs, "retentionInDays")
	if !ok || days == 0 {
		days = 365
	}
	stored, _ := e.line("stored (GB)", "cloudwatch.logs.storage.gb_month", gb*math.Min(days, 365)/30, true)
	return []Line{in, stored}, ""
}

// priceAlarm: one alarm metric (each metric of a metric-math alarm), high resolution below 60 s.
func priceAlarm(e *estimator, r *synth.Resource) ([]Line, string) {
	metrics := float64(max(len(list(r.Inputs, "metricQueries")), 1))
	id := "cloudwatch.alarm.standard.month"
	if p, ok := num(r.Inputs, "period"); ok && p < 60 {
		id = "cloudwatch.alarm.high_res.month"
	}
	l, _ := e.line("alarm metrics", id, metrics, false)
	return []Line{l}, ""
}

// priceTableReplica: a global table's replica takes every write again as replicated write request
// units and stores the whole table again, with its point-in-time recovery; the tables' share of the
// assumed writes and storage, spread over the replicas. The replicated-write price seen is a
// us-east-2 replica's (shared facts).
func priceTableReplica(e *estimator, r *synth.Resource) ([]Line, string) {
	w, _ := e.line("replicated write request units (millions)", "dynamodb.global_tables.replicated_write.per_million", e.share(e.model.DynamoDBWritesMillions, r.Type), true)
	s, _ := e.line("storage (GB)", "dynamodb.storage.gb_month", e.share(e.model.DynamoDBGB, r.Type), true)
	lines := []Line{w, s}
	if on, _ := boolean(r.Inputs, "pointInTimeRecovery"); on {
		if l, ok := e.line("point-in-time recovery (GB)", "dynamodb.pitr.gb_month", e.share(e.model.DynamoDBGB, r.Type), true); ok {
			lines = append(lines, l)
		}
	}
	return lines, ""
}

// priceTable: on-demand tables' share of the assumed requests and storage; provisioned capacity is
// not in the table.
func priceTable(e *estimator, r *synth.Resource) ([]Line, string) {
	if str(r.Inputs, "billingMode") != "PAY_PER_REQUEST" {
		return nil, "no price for provisioned capacity in the table"
	}
	w, _ := e.line("write request units (millions)", "dynamodb.on_demand.write.per_million", e.share(e.model.DynamoDBWritesMillions, r.Type), true)
	rd, _ := e.line("read request units (millions)", "dynamodb.on_demand.read.per_million", e.share(e.model.DynamoDBReadsMillions, r.Type), true)
	s, _ := e.line("storage (GB)", "dynamodb.storage.gb_month", e.share(e.model.DynamoDBGB, r.Type), true)
	lines := []Line{w, rd, s}
	if on, _ := boolean(r.Inputs, "pointInTimeRecovery.enabled"); on {
		if l, ok := e.line("point-in-time recovery (GB)", "dynamodb.pitr.gb_month", e.share(e.model.DynamoDBGB, r.Type), true); ok {
			lines = append(lines, l)
		}
	}
	return lines, ""
}

// priceOpenSearch: the data nodes' hours (dedicated masters too) and each data node's EBS volume.
func priceOpenSearch(e *estimator, r *synth.Resource) ([]Line, string) {
	count, ok := num(r.Inputs, "clusterConfig.instanceCount")
	if !ok {
		count = 1
	}
	typ := str(r.Inputs, "clusterConfig.instanceType")
	lines, why := e.hourly(fmt.Sprintf("%g × %s", count, typ), "opensearch."+typ+".hour", count)
	if on, _ := boolean(r.Inputs, "clusterConfig.dedicatedMasterEnabled"); on && why == "" {
		mc, _ := num(r.Inputs, "clusterConfig.dedicatedMasterCount")
		mt := str(r.Inputs, "clusterConfig.dedicatedMasterType")
		ml, mwhy := e.hourly(fmt.Sprintf("%g × %s masters", mc, mt), "opensearch."+mt+".hour", mc)
		lines, why = append(lines, ml...), mwhy
	}
	if on, _ := boolean(r.Inputs, "ebsOptions.ebsEnabled"); on {
		size, _ := num(r.Inputs, "ebsOptions.volumeSize")
		switch typ := str(r.Inputs, "ebsOptions.volumeType"); {
		case typ != "gp3":
			why = joinWhy(why, "no price for OpenSearch "+or(typ, "default")+" EBS storage in the table")
		case hasNum(r.Inputs, "ebsOptions.iops") || hasNum(r.Inputs, "ebsOptions.throughput"):
			why = joinWhy(why, "no price for OpenSearch gp3 IOPS or throughput above the baseline in the table")
		default:
			if l, ok := e.line(fmt.Sprintf("%g × %g GB gp3 storage", count, size), "opensearch.gp3.gb_month", count*size, false); ok {
				lines = append(lines, l)
			} else {
				why = joinWhy(why, "no price opensearch.gp3.gb_month in the table")
			}
		}
	}
	return lines, why
}

// priceTopic: API requests beyond the first million a month (free).
func priceTopic(e *estimator, _ *synth.Resource) ([]Line, string) {
	l, _ := e.line("API requests over the free million (millions)", "sns.requests.per_million", math.Max(0, e.model.TopicRequestsMillions-1), true)
	return []Line{l}, ""
}

// priceQueue: requests beyond the first million a month (free), shared between the queues.
func priceQueue(e *estimator, r *synth.Resource) ([]Line, string) {
	l, _ := e.line("requests over the free million (millions)", "sqs.standard.per_million", e.share(math.Max(0, e.model.QueueRequestsMillions-1), r.Type), true)
	return []Line{l}, ""
}

// priceFunction: invocations of an alarm or notification function stay inside Lambda's free tier;
// the request price is shown at zero quantity so that the type is priced, not unknown.
func priceFunction(e *estimator, _ *synth.Resource) ([]Line, string) {
	l, _ := e.line("requests beyond the free tier (millions)", "lambda.requests.per_million", 0, true)
	return []Line{l}, ""
}

// priceEKSCluster: the control plane's hour (standard support).
func priceEKSCluster(e *estimator, _ *synth.Resource) ([]Line, string) {
	return e.hourly("EKS control plane", "eks.cluster.hour", 1)
}

// priceNodeGroup: desiredSize nodes of the first instance type, each with its disk (20 GB, the
// EKS default, unless the plan says).
func priceNodeGroup(e *estimator, r *synth.Resource) ([]Line, string) {
	size, ok := num(r.Inputs, "scalingConfig.desiredSize")
	if !ok {
		size, _ = num(r.Inputs, "scalingConfig.minSize")
	}
	types := strs(r.Inputs, "instanceTypes")
	if len(types) == 0 {
		return nil, "the plan does not say the node group's instance types"
	}
	disk, ok := num(r.Inputs, "diskSize")
	if !ok {
		disk = 20
	}
	return e.instanceLines(types[0], size, disk)
}

// priceBackupVault: the recovery points a vault holds, a full copy of the database's volume and,
// where the plan has tables, of their data (a cross-region copy is a full copy, and the source
// vault holds the backups it copies), at AWS Backup's storage rates.
func priceBackupVault(e *estimator, _ *synth.Resource) ([]Line, string) {
	aurora, ok := e.line("Aurora recovery points (GB)", "backup.aurora_snapshot.gb_month", e.model.DatabaseGB, true)
	if !ok {
		return nil, "no price backup.aurora_snapshot.gb_month in the table"
	}
	lines := []Line{aurora}
	if e.counts["aws:dynamodb/table:Table"] > 0 {
		if l, ok := e.line("DynamoDB recovery points (GB)", "backup.dynamodb.gb_month", e.model.DynamoDBGB, true); ok {
			lines = append(lines, l)
		}
	}
	return lines, ""
}
