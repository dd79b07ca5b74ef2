package synth

import (
	"crypto/sha256"
	"fmt"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// invokeAnswers are the fake answers to the invokes tierstack makes, by token. Each gets the region
// of the provider the invoke goes through and the invoke's arguments.
var invokeAnswers = map[string]func(r region, args resource.PropertyMap) map[string]any{
	"aws:index/getAvailabilityZones:getAvailabilityZones": func(r region, _ resource.PropertyMap) map[string]any {
		names, ids := r.zones()
		return map[string]any{"id": r.name, "names": names, "zoneIds": ids, "groupNames": []string{r.name}}
	},
	"aws:index/getRegion:getRegion": func(r region, _ resource.PropertyMap) map[string]any {
		return map[string]any{"id": r.name, "name": r.name, "description": r.description,
			"endpoint": "ec2." + r.name + ".amazonaws.com"}
	},
	"aws:index/getCallerIdentity:getCallerIdentity": func(r region, _ resource.PropertyMap) map[string]any {
		return map[string]any{"id": FakeAccountID, "accountId": FakeAccountID,
			"arn": "arn:" + r.partition().name + ":iam::" + FakeAccountID + ":user/plan", "userId": "AIDAPLANFAKEUSER"}
	},
	"aws:index/getPartition:getPartition": func(r region, _ resource.PropertyMap) map[string]any {
		p := r.partition()
		return map[string]any{"id": p.name, "partition": p.name, "dnsSuffix": p.dnsSuffix, "reverseDnsPrefix": p.reverseDNSPrefix}
	},
	"aws:elb/getServiceAccount:getServiceAccount": func(r region, _ resource.PropertyMap) map[string]any {
		// The regional Elastic Load Balancing accounts that write access logs, as AWS lists them.
		accounts := map[string]string{
			"us-east-1": "127311923021", "us-east-2": "033677994240", "us-west-1": "027434742980", "us-west-2": "797873946194",
			"ca-central-1": "985666609251", "sa-east-1": "507241528517", "eu-west-1": "156460612806", "eu-west-2": "652711504416",
			"eu-west-3": "009996457667", "eu-central-1": "054676820928", "eu-north-1": "897822967062", "ap-south-1": "718504428378",
			"ap-southeast-1": "114774131450", "ap-southeast-2": "783225319266", "ap-northeast-1": "582318560864",
			"ap-northeast-2": "600734575887", "ap-northeast-3": "383597477331", "us-gov-west-1": "048591011584",
			"us-gov-east-1": "190560391635", "cn-north-1": "638102146993", "ap-southeast-3": "589379963580",
		}
		id := accounts[r.name]
		return map[string]any{"id": id, "arn": "arn:" + r.partition().name + ":iam::" + id + ":root"}
	},
	"aws:eks/getAddonVersion:getAddonVersion": func(_ region, args resource.PropertyMap) map[string]any {
		// Made-up builds in EKS's version format; the add-on's own minor for kube-proxy, which
		// follows the cluster's Kubernetes version.
		addon, k8s := plainString(args["addonName"], ""), plainString(args["kubernetesVersion"], "")
		versions := map[string]string{
			"vpc-cni": "v1.20.4-eksbuild.2", "coredns": "v1.12.4-eksbuild.1", "kube-proxy": "v" + k8s + ".0-eksbuild.2",
			"eks-pod-identity-agent": "v1.3.8-eksbuild.2", "metrics-server": "v0.8.0-eksbuild.2",
			"amazon-cloudwatch-observability": "v5.4.0-eksbuild.1", "aws-efs-csi-driver": "v2.3.1-eksbuild.1",
		}
		v, known := versions[addon]
		if !known {
			v = "v1.0.0-eksbuild.1"
		}
		return map[string]any{"id": addon, "addonName": addon, "kubernetesVersion": k8s, "version": v}
	},
	"aws:route53/getZone:getZone": func(_ region, args resource.PropertyMap) map[string]any {
		// Every zone the fake account holds is the public zone example.com.
		id := plainString(args["zoneId"], "Z0123456789EXAMPLE01")
		return map[string]any{"id": id, "zoneId": id, "name": "example.com", "privateZone": false,
			"nameServers": []any{"ns-1.awsdns-01.org", "ns-2.awsdns-02.net"}, "arn": "arn:aws:route53:::hostedzone/" + id}
	},
	"aws:ec2/getManagedPrefixList:getManagedPrefixList": func(r region, args resource.PropertyMap) map[string]any {
		name := plainString(args["name"], "")
		id := "pl-" + shortHash(r.name+name, 8)
		return map[string]any{"id": id, "name": name, "addressFamily": "IPv4", "maxEntries": 55,
			"arn": "arn:" + r.partition().name + ":ec2:" + r.name + ":aws:prefix-list/" + id}
	},
	"aws:ssm/getParameter:getParameter": func(r region, args resource.PropertyMap) map[string]any {
		// Every parameter the fake account holds is a String holding an image ID of its name.
		name := plainString(args["name"], "")
		v := "ami-0" + shortHash(r.name+name, 16)
		return map[string]any{"id": name, "name": name, "type": "String", "value": v, "insecureValue": v,
			"arn": "arn:" + r.partition().name + ":ssm:" + r.name + ":" + FakeAccountID + ":parameter" + name}
	},
	"aws:ec2/getAmi:getAmi": func(r region, _ resource.PropertyMap) map[string]any {
		return map[string]any{"id": "ami-0" + shortHash(r.name, 16), "architecture": "arm64",
			"name": "al2023-ami-2023.9.20261101.0-kernel-6.12-arm64", "ownerId": "137112412989"}
	},
}

// computeOutputs adds to state the outputs AWS computes that tierstack reads: ARNs, generated
// names, allocation IDs and addresses.
func computeOutputs(state resource.PropertyMap, typ, name, id string, reg region) {
	set := func(k, v string) {
		if _, ok := state[resource.PropertyKey(k)]; !ok {
			state[resource.PropertyKey(k)] = resource.NewProperty(v)
		}
	}
	// Pulumi auto-names resources that have a name property: logical name plus a random suffix.
	autoName := name + "-" + shortHash(id, 7)
	service, kind := arnParts(typ)
	partition := reg.partition().name
	switch typ {
	case "aws:iam/role:Role", "aws:iam/instanceProfile:InstanceProfile", "aws:iam/policy:Policy":
		set("name", autoName)
		set("arn", fmt.Sprintf("arn:%s:iam::%s:%s/%s", partition, FakeAccountID, kind, plainString(state["name"], autoName)))
		return
	case "aws:cloudwatch/logGroup:LogGroup":
		if prefix := plainString(state["namePrefix"], ""); prefix != "" {
			set("name", prefix+shortHash(id, 26))
		}
		set("name", "/tierstack/"+autoName)
		set("arn", fmt.Sprintf("arn:%s:logs:%s:%s:log-group:%s", partition, reg.name, FakeAccountID, plainString(state["name"], autoName)))
		return
	case "aws:ec2/eip:Eip":
		set("allocationId", id)
		set("publicIp", fakePublicIP(id))
	case "aws:ec2/instance:Instance":
		set("publicIp", fakePublicIP(id))
	case "aws:ec2/vpcEndpoint:VpcEndpoint":
		set("prefixListId", "pl-"+shortHash(id, 8))
	case "aws:ec2/securityGroup:SecurityGroup":
		set("name", autoName)
	case "aws:elasticache/subnetGroup:SubnetGroup", "aws:elasticache/parameterGroup:ParameterGroup",
		"aws:elasticache/replicationGroup:ReplicationGroup":
		elastiCacheOutputs(state, typ, strings.ToLower(autoName), reg)
		return
	case "random:index/randomPassword:RandomPassword":
		// The generated value is a secret in state and in every output that carries it.
		state["result"] = resource.MakeSecret(resource.NewProperty(FakePassword(id, state["length"])))
		state["bcryptHash"] = resource.MakeSecret(resource.NewProperty("$2a$10$" + shortHash(id, 53)))
		return
	}
	if mskOutputs(state, typ, id, autoName, reg, set) {
		return
	}
	if backupOutputs(typ, id, autoName, reg, state, set) {
		return
	}
	if edgeOutputs(state, typ, id, autoName, reg, set) {
		return
	}
	if observabilityOutputs(state, typ, id, autoName, reg, set) {
		return
	}
	if eksOutputs(state, typ, id, reg, set) {
		return
	}
	if webOutputs(state, typ, id, autoName, reg, set) {
		return
	}
	if rdsOutputs(state, typ, id, reg, set) {
		return
	}
	if dataOutputs(state, typ, id, reg, set) {
		return
	}
	set("arn", fmt.Sprintf("arn:%s:%s:%s:%s:%s/%s", partition, service, reg.name, FakeAccountID, kind, id))
}

// elastiCacheOutputs adds what ElastiCache computes for its types. ElastiCache lowercases names, and
// Pulumi auto-names the name of subnet and parameter groups and the replication group's ID. A
// replication group's endpoints follow its cluster mode: primary and reader endpoints when it is
// disabled, the configuration endpoint when it is enabled, all three when it is compatible (both
// protocols are served). Hosts have the shape of TLS-enabled groups'
// (master.ID.xxxxxx.use1.cache.amazonaws.com).
func elastiCacheOutputs(state resource.PropertyMap, typ, autoName string, reg region) {
	set := func(k string, v resource.PropertyValue) {
		if _, ok := state[resource.PropertyKey(k)]; !ok {
			state[resource.PropertyKey(k)] = v
		}
	}
	arn := func(kind, name string) resource.PropertyValue {
		return resource.NewProperty(fmt.Sprintf("arn:%s:elasticache:%s:%s:%s:%s", reg.partition().name, reg.name, FakeAccountID, kind, name))
	}
	switch typ {
	case "aws:elasticache/subnetGroup:SubnetGroup":
		set("name", resource.NewProperty(autoName))
		set("arn", arn("subnetgroup", plainString(state["name"], autoName)))
	case "aws:elasticache/parameterGroup:ParameterGroup":
		set("name", resource.NewProperty(autoName))
		set("arn", arn("parametergroup", plainString(state["name"], autoName)))
	case "aws:elasticache/replicationGroup:ReplicationGroup":
		set("replicationGroupId", resource.NewProperty(autoName))
		groupID := plainString(state["replicationGroupId"], autoName)
		set("arn", arn("replicationgroup", groupID))
		set("port", resource.NewProperty(6379.0))
		if v := state["engineVersion"]; v.IsString() {
			set("engineVersionActual", resource.NewProperty(v.StringValue()+".1"))
		}
		host := func(prefix string) resource.PropertyValue {
			return resource.NewProperty(fmt.Sprintf("%s.%s.%s.%s.cache.%s", prefix, groupID, shortHash(groupID, 6), azIDPrefix(reg.name), reg.partition().dnsSuffix))
		}
		none := resource.NewProperty("")
		mode := plainString(state["clusterMode"], "disabled")
		primary, reader, config := host("master"), host("replica"), host("clustercfg")
		switch mode {
		case "enabled":
			primary, reader = none, none
		case "disabled":
			config = none
		}
		set("primaryEndpointAddress", primary)
		set("readerEndpointAddress", reader)
		set("configurationEndpointAddress", config)
		set("clusterEnabled", resource.NewProperty(mode != "disabled"))
		set("memberClusters", memberClusters(state, groupID))
	}
}

// FakePassword makes a stable password of the requested length (32 when it is not a number) from
// letters and digits.
func FakePassword(seed string, length resource.PropertyValue) string {
	n := 32
	if length.IsNumber() {
		n = int(length.NumberValue())
	}
	const alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789"
	out := make([]byte, 0, n)
	for i := 0; len(out) < n; i++ {
		for _, b := range sha256.Sum256([]byte(fmt.Sprintf("%s/%d", seed, i))) {
			if len(out) == n {
				break
			}
			out = append(out, alphabet[int(b)%len(alphabet)])
		}
	}
	return string(out)
}

// arnParts gives the ARN service and resource kind of a type token: aws:ec2/natGateway:NatGateway
// gives ec2 and natgateway (vpc-flow-log style kinds are close enough for a plan).
func arnParts(typ string) (service, kind string) {
	parts := strings.Split(typ, ":")
	if len(parts) != 3 {
		return "unknown", "resource"
	}
	module := strings.SplitN(parts[1], "/", 2)[0]
	kind = strings.ToLower(parts[2])
	if module == "cloudwatch" {
		module = "logs"
	}
	return module, kind
}

// fakePublicIP returns an address in TEST-NET-3 (203.0.113.0/24), which is never routed.
func fakePublicIP(seed string) string {
	sum := sha256.Sum256([]byte(seed))
	return fmt.Sprintf("203.0.113.%d", 1+int(sum[0])%254)
}

// shortHash returns n hex digits of the SHA-256 of s.
func shortHash(s string, n int) string {
	return fmt.Sprintf("%x", sha256.Sum256([]byte(s)))[:n]
}

// plainString returns a property's string value, or fallback when it is not a plain string (a
// secret, an unknown, a number).
func plainString(v resource.PropertyValue, fallback string) string {
	if v.IsString() {
		return v.StringValue()
	}
	return fallback
}

// rdsOutputs adds what RDS computes for its types: identifiers (the resource ID), endpoints and
// ARNs. It reports whether typ is one of them.
func rdsOutputs(state resource.PropertyMap, typ, id string, reg region, set func(k, v string)) bool {
	arn := func(kind, name string) string {
		return fmt.Sprintf("arn:%s:rds:%s:%s:%s:%s", reg.partition().name, reg.name, FakeAccountID, kind, name)
	}
	host := func(kind string) string {
		return fmt.Sprintf("%s.%s-%s.%s.rds.%s", id, kind, shortHash(FakeAccountID+reg.name, 12), reg.name, reg.partition().dnsSuffix)
	}
	port := 3306.0
	if e, ok := state["engine"]; ok && e.IsString() && strings.Contains(e.StringValue(), "postgres") {
		port = 5432
	}
	switch typ {
	case "aws:rds/cluster:Cluster":
		set("clusterIdentifier", id)
		set("endpoint", host("cluster"))
		set("readerEndpoint", host("cluster-ro"))
		set("clusterResourceId", "cluster-"+strings.ToUpper(shortHash(id, 26)))
		set("arn", arn("cluster", id))
		state["port"] = resource.NewProperty(port)
	case "aws:rds/clusterInstance:ClusterInstance":
		set("identifier", id)
		set("endpoint", fmt.Sprintf("%s.%s.%s.rds.%s", id, shortHash(FakeAccountID+reg.name, 12), reg.name, reg.partition().dnsSuffix))
		set("arn", arn("db", id))
	case "aws:rds/subnetGroup:SubnetGroup":
		set("name", id)
		set("arn", arn("subgrp", id))
	case "aws:rds/clusterParameterGroup:ClusterParameterGroup":
		set("name", id)
		set("arn", arn("cluster-pg", id))
	case "aws:rds/parameterGroup:ParameterGroup":
		set("name", id)
		set("arn", arn("pg", id))
	case "aws:rds/globalCluster:GlobalCluster":
		// A global cluster's ARN has no region (RDS API CreateGlobalCluster's GlobalClusterArn);
		// its endpoint is the global writer endpoint, which follows the primary region.
		gid := plainString(state["globalClusterIdentifier"], id)
		set("arn", fmt.Sprintf("arn:%s:rds::%s:global-cluster:%s", reg.partition().name, FakeAccountID, gid))
		set("globalClusterResourceId", "cluster-"+strings.ToUpper(shortHash(gid, 26)))
		set("endpoint", fmt.Sprintf("%s.global-%s.global.rds.%s", gid, shortHash(FakeAccountID+gid, 12), reg.partition().dnsSuffix))
	default:
		return false
	}
	return true
}

// dataOutputs adds what DynamoDB, KMS, Secrets Manager and Application Auto Scaling compute. It
// reports whether typ is one of theirs.
func dataOutputs(state resource.PropertyMap, typ, id string, reg region, set func(k, v string)) bool {
	partition := reg.partition().name
	switch typ {
	case "aws:dynamodb/table:Table":
		set("name", id)
		set("arn", fmt.Sprintf("arn:%s:dynamodb:%s:%s:table/%s", partition, reg.name, FakeAccountID, id))
		set("streamArn", fmt.Sprintf("arn:%s:dynamodb:%s:%s:table/%s/stream/2026-11-23T00:00:00.000", partition, reg.name, FakeAccountID, id))
	case "aws:dynamodb/tableReplica:TableReplica":
		// The replica is the same table name in the replica's region.
		table := plainString(state["globalTableArn"], "")
		if i := strings.LastIndex(table, "table/"); i >= 0 {
			table = table[i+len("table/"):]
		}
		set("arn", fmt.Sprintf("arn:%s:dynamodb:%s:%s:table/%s", partition, reg.name, FakeAccountID, table))
	case "aws:kms/key:Key":
		h := shortHash(id, 32)
		keyID := h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
		set("keyId", keyID)
		set("arn", fmt.Sprintf("arn:%s:kms:%s:%s:key/%s", partition, reg.name, FakeAccountID, keyID))
	case "aws:secretsmanager/secret:Secret":
		set("name", id)
		set("arn", fmt.Sprintf("arn:%s:secretsmanager:%s:%s:secret:%s-%s", partition, reg.name, FakeAccountID, id, shortHash(id, 6)))
	case "aws:appautoscaling/target:Target":
		set("arn", fmt.Sprintf("arn:%s:application-autoscaling:%s:%s:scalable-target/%s", partition, reg.name, FakeAccountID, shortHash(id, 20)))
	default:
		return false
	}
	return true
}

// webOutputs adds what load balancing, Auto Scaling and S3 compute. It reports whether typ is one of
// theirs.
func webOutputs(state resource.PropertyMap, typ, id, autoName string, reg region, set func(k, v string)) bool {
	partition := reg.partition().name
	switch typ {
	case "aws:lb/loadBalancer:LoadBalancer":
		lbName := strings.ToLower(autoName)
		suffix := "app/" + lbName + "/" + shortHash(id, 16)
		set("arn", fmt.Sprintf("arn:%s:elasticloadbalancing:%s:%s:loadbalancer/%s", partition, reg.name, FakeAccountID, suffix))
		set("arnSuffix", suffix)
		set("name", lbName)
		set("dnsName", fmt.Sprintf("%s-%d.%s.elb.%s", lbName, 1000000+int(shortHash(id, 5)[0]), reg.name, reg.partition().dnsSuffix))
		set("zoneId", "Z35SXDOTRQ7X7K")
	case "aws:lb/targetGroup:TargetGroup":
		set("name", strings.ToLower(autoName))
		set("arn", fmt.Sprintf("arn:%s:elasticloadbalancing:%s:%s:targetgroup/%s/%s", partition, reg.name, FakeAccountID, strings.ToLower(autoName), shortHash(id, 16)))
		// The TargetGroup dimension of its metrics.
		set("arnSuffix", fmt.Sprintf("targetgroup/%s/%s", strings.ToLower(autoName), shortHash(id, 16)))
	case "aws:lb/listenerRule:ListenerRule":
		set("arn", fmt.Sprintf("arn:%s:elasticloadbalancing:%s:%s:listener-rule/app/%s", partition, reg.name, FakeAccountID, shortHash(id, 16)))
	case "aws:lb/listener:Listener":
		set("arn", fmt.Sprintf("arn:%s:elasticloadbalancing:%s:%s:listener/app/%s", partition, reg.name, FakeAccountID, shortHash(id, 16)))
	case "aws:s3/bucketV2:BucketV2":
		name := strings.ToLower(autoName)
		set("bucket", name)
		set("arn", fmt.Sprintf("arn:%s:s3:::%s", partition, name))
		set("bucketDomainName", name+".s3.amazonaws.com")
		set("bucketRegionalDomainName", fmt.Sprintf("%s.s3.%s.%s", name, reg.name, reg.partition().dnsSuffix))
	case "aws:ec2/launchTemplate:LaunchTemplate":
		state["latestVersion"] = resource.NewProperty(1.0)
		set("arn", fmt.Sprintf("arn:%s:ec2:%s:%s:launch-template/%s", partition, reg.name, FakeAccountID, id))
	case "aws:autoscaling/group:Group":
		set("name", autoName)
		set("arn", fmt.Sprintf("arn:%s:autoscaling:%s:%s:autoScalingGroup:%s", partition, reg.name, FakeAccountID, autoName))
	default:
		return false
	}
	return true
}

// edgeOutputs sets what ACM and Route 53 compute: the certificate's ARN and one DNS validation
// record per name (ACM's _<hash>.<name>. CNAMEs), the validation's certificate, a record's FQDN, a
// web ACL's name and ARN.
func edgeOutputs(state resource.PropertyMap, typ, id, autoName string, reg region, set func(k, v string)) bool {
	switch typ {
	case "aws:acm/certificate:Certificate":
		set("arn", fmt.Sprintf("arn:%s:acm:%s:%s:certificate/%s", reg.partition().name, reg.name, FakeAccountID, uuidOf(id)))
		names := []string{plainString(state["domainName"], "")}
		if sans := state["subjectAlternativeNames"]; sans.IsArray() {
			for _, v := range sans.ArrayValue() {
				if v.IsString() {
					names = append(names, v.StringValue())
				}
			}
		}
		var options []resource.PropertyValue
		for _, n := range names {
			base := strings.TrimPrefix(n, "*.")
			options = append(options, resource.NewObjectProperty(resource.PropertyMap{
				"domainName":          resource.NewStringProperty(n),
				"resourceRecordName":  resource.NewStringProperty("_" + shortHash(base, 32) + "." + base + "."),
				"resourceRecordType":  resource.NewStringProperty("CNAME"),
				"resourceRecordValue": resource.NewStringProperty("_" + shortHash(base+id, 32) + ".acm-validations.aws."),
			}))
		}
		state["domainValidationOptions"] = resource.NewArrayProperty(options)
		set("status", "ISSUED")
	case "aws:acm/certificateValidation:CertificateValidation":
		set("certificateArn", plainString(state["certificateArn"], ""))
	case "aws:wafv2/webAcl:WebAcl":
		scope := map[string]string{"REGIONAL": "regional", "CLOUDFRONT": "global"}[plainString(state["scope"], "REGIONAL")]
		set("name", autoName)
		set("arn", fmt.Sprintf("arn:%s:wafv2:%s:%s:%s/webacl/%s/%s", reg.partition().name, reg.name, FakeAccountID, scope, plainString(state["name"], autoName), uuidOf(id)))
	case "aws:cloudfront/distribution:Distribution":
		id := "E" + strings.ToUpper(shortHash(id, 13))
		set("domainName", "d"+shortHash(id, 13)+".cloudfront.net")
		set("hostedZoneId", "Z2FDTNDATAQYW2")
		set("arn", fmt.Sprintf("arn:%s:cloudfront::%s:distribution/%s", reg.partition().name, FakeAccountID, id))
		set("status", "Deployed")
	case "aws:cloudfront/originAccessControl:OriginAccessControl":
		set("etag", strings.ToUpper(shortHash(id, 14)))
	case "aws:route53/record:Record":
		set("fqdn", strings.TrimSuffix(plainString(state["name"], ""), "."))
	default:
		return false
	}
	return true
}

// uuidOf formats a hash of s as a UUID, the shape of an ACM certificate ID.
func uuidOf(s string) string {
	h := shortHash(s, 32)
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}

// backupOutputs sets what AWS Backup computes: a vault's generated name and its ARN
// (arn:aws:backup:REGION:ACCOUNT:backup-vault:NAME), a plan's ARN and version. It reports whether
// typ is one of them.
func backupOutputs(typ, id, autoName string, reg region, state resource.PropertyMap, set func(k, v string)) bool {
	arn := func(kind, name string) string {
		return fmt.Sprintf("arn:%s:backup:%s:%s:%s:%s", reg.partition().name, reg.name, FakeAccountID, kind, name)
	}
	switch typ {
	case "aws:backup/vault:Vault":
		set("name", autoName)
		set("arn", arn("backup-vault", plainString(state["name"], autoName)))
		state["recoveryPoints"] = resource.NewProperty(0.0)
	case "aws:backup/plan:Plan":
		set("name", autoName)
		set("arn", arn("backup-plan", uuidOf(id)))
		set("version", shortHash(id+"version", 32))
	case "aws:backup/selection:Selection":
		set("name", autoName)
	default:
		return false
	}
	return true
}
