package tests

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/tierstack/tierstack/components/network"
	"github.com/tierstack/tierstack/components/observability"
	"github.com/tierstack/tierstack/synth"
	"github.com/tierstack/tierstack/tiers"
)

// The log domain's settings follow OpenSearch's rules: zone awareness over 2 or 3 zones, data
// nodes spread evenly over them, real instance types and versions.
func TestCentralLogsArgsFollowOpenSearchRules(t *testing.T) {
	net := &network.Network{}
	cases := []struct {
		name string
		args observability.CentralLogsArgs
		ok   bool
	}{
		{"defaults", observability.CentralLogsArgs{Network: net}, true},
		{"two zones, four nodes", observability.CentralLogsArgs{Network: net, ZoneCount: 2, InstanceCount: 4}, true},
		{"dedicated masters", observability.CentralLogsArgs{Network: net, DedicatedMasters: true, MasterInstanceType: "m7g.large.search"}, true},
		{"no network", observability.CentralLogsArgs{}, false},
		{"one zone", observability.CentralLogsArgs{Network: net, ZoneCount: 1}, false},
		{"four zones", observability.CentralLogsArgs{Network: net, ZoneCount: 4}, false},
		{"uneven nodes", observability.CentralLogsArgs{Network: net, ZoneCount: 3, InstanceCount: 4}, false},
		{"type without .search", observability.CentralLogsArgs{Network: net, InstanceType: "r7g.large"}, false},
		{"made-up size", observability.CentralLogsArgs{Network: net, InstanceType: "r7g.huge.search"}, false},
		{"burstable", observability.CentralLogsArgs{Network: net, InstanceType: "t3.small.search"}, false},
		{"master type", observability.CentralLogsArgs{Network: net, DedicatedMasters: true, MasterInstanceType: "m7g.large"}, false},
		{"Elasticsearch", observability.CentralLogsArgs{Network: net, EngineVersion: "Elasticsearch_7.10"}, false},
		{"tiny volume", observability.CentralLogsArgs{Network: net, VolumeGiB: 5}, false},
	}
	for _, c := range cases {
		args := c.args
		err := (&observability.Args{CentralLogs: &args}).Validate()
		assert.Equal(t, c.ok, err == nil, "%s: %v", c.name, err)
	}
}

// From 100k the logs go to OpenSearch: zone-aware over the three zones in the data subnets,
// encrypted, HTTPS with TLS 1.2, fine-grained access control whose master password is a secret;
// dedicated masters at 1m; its security group admits only the shipper, by rule.
func TestCentralLogsFrom100k(t *testing.T) {
	assert.Zero(t, planTier(t, tierConfig(tiers.Tier10k)).Count(typeDomain))
	for _, tier := range []tiers.Tier{tiers.Tier100k, tiers.Tier1M} {
		t.Run(string(tier), func(t *testing.T) {
			s := planTier(t, tierConfig(tier))
			d := s.Named(typeDomain, "observability-logs")
			assert.Equal(t, true, input(d, "clusterConfig.zoneAwarenessEnabled"))
			assert.Equal(t, 3, num(d, "clusterConfig.zoneAwarenessConfig.availabilityZoneCount"))
			assert.Len(t, strs(d, "vpcOptions.subnetIds"), 3)
			assert.Subset(t, s.Outputs["dataSubnetIds"], toAny(strs(d, "vpcOptions.subnetIds")))
			assert.Equal(t, true, input(d, "encryptAtRest.enabled"))
			assert.Equal(t, true, input(d, "nodeToNodeEncryption.enabled"))
			assert.Equal(t, true, input(d, "domainEndpointOptions.enforceHttps"))
			assert.Equal(t, "Policy-Min-TLS-1-2-PFS-2023-10", str(d, "domainEndpointOptions.tlsSecurityPolicy"), "TLS 1.2 and 1.3 with forward secrecy")
			assert.Equal(t, true, input(d, "advancedSecurityOptions.enabled"))
			assert.Equal(t, synth.SecretPlaceholder, str(d, "advancedSecurityOptions.masterUserOptions.masterUserPassword"))
			assert.Equal(t, tier == tiers.Tier1M, input(d, "clusterConfig.dedicatedMasterEnabled") == true)
			if tier == tiers.Tier1M {
				assert.Equal(t, 3, num(d, "clusterConfig.dedicatedMasterCount"))
			}
			assert.Zero(t, num(d, "clusterConfig.instanceCount")%3, "data nodes spread evenly over the zones")
			sg := s.Named(typeSecurityGroup, "observability-logs-sg")
			assert.Nil(t, input(sg, "ingress"), "no inline ingress: rules only")
			rule := s.Named(typeSGRule, "observability-logs-allow-shipper")
			assert.Empty(t, strs(rule, "cidrBlocks"))
			assert.Equal(t, 443, num(rule, "fromPort"))
			for _, key := range []string{"flow-logs", "cache-slow-log", "cache-engine-log", "eks-control-plane"} {
				filter := s.Named("aws:cloudwatch/logSubscriptionFilter:LogSubscriptionFilter", "observability-logs-ship-"+key)
				group := str(filter, "logGroup")
				shipped := false
				for _, g := range s.All(typeLogGroup) {
					name, _ := g.Outputs["name"].(string) // auto-named
					if name == "" {
						name = str(g, "name") // named by its component
					}
					shipped = shipped || (name == group && name != "")
				}
				assert.True(t, shipped, "%s ships %q, which is no log group of the plan", key, group)
			}
		})
	}
}

// Every log group the observability creates keeps its events for the tier's retention and is
// encrypted with the observability key, whose policy lets this region's CloudWatch Logs use it.
func TestObservabilityLogGroupsHaveRetentionAndTheKey(t *testing.T) {
	s := planTier(t, notifyConfig(tiers.Tier100k))
	key := s.Named(typeKey, "observability-key")
	assert.Contains(t, str(key, "policy"), `"logs.us-east-1.amazonaws.com"`)
	assert.Contains(t, str(key, "policy"), `"cloudwatch.amazonaws.com"`)
	keyARN, _ := key.Outputs["arn"].(string)
	groups := 0
	for _, g := range s.All(typeLogGroup) {
		if !strings.HasPrefix(g.Name, "observability-") {
			continue
		}
		groups++
		assert.Equal(t, 90, num(g, "retentionInDays"), g.Name)
		assert.Equal(t, keyARN, str(g, "kmsKeyId"), g.Name)
	}
	assert.Equal(t, 3, groups, "the Slack function's, the shipper's and the central logs setup's")
	assert.Equal(t, keyARN, str(s.Named(typeTopic, "observability-topic"), "kmsMasterKeyId"))
}

// The cache's slow and engine log groups are encrypted with the cache's key, whose policy lets this
// region's CloudWatch Logs use it for the account's log groups.
func TestCacheLogGroupsAreEncryptedWithItsKey(t *testing.T) {
	s := planTier(t, tierConfig(tiers.Tier10k))
	key := s.Named(typeKey, "cache-key")
	assert.Contains(t, str(key, "policy"), `"logs.us-east-1.amazonaws.com"`)
	assert.Contains(t, str(key, "policy"), `"kms:EncryptionContext:aws:logs:arn":"arn:aws:logs:us-east-1:123456789012:log-group:*"`)
	keyARN, _ := key.Outputs["arn"].(string)
	for _, name := range []string{"cache-slow-log", "cache-engine-log"} {
		assert.Equal(t, keyARN, str(s.Named(typeLogGroup, name), "kmsKeyId"), name)
	}
}

// On a two-zone network the log domain spans the two zones it has subnets in.
func TestCentralLogsFollowTheNetworksZones(t *testing.T) {
	s := planTier(t, tierConfig(tiers.Tier100k, `"azCount":2`))
	d := s.Named(typeDomain, "observability-logs")
	assert.Equal(t, 2, num(d, "clusterConfig.zoneAwarenessConfig.availabilityZoneCount"))
	assert.Len(t, strs(d, "vpcOptions.subnetIds"), 2)
	assert.Equal(t, 2, num(d, "clusterConfig.instanceCount"), "one data node per zone")
}

// Every log group of every tier has a retention and a customer managed key; the flow logs and the
// WAF's log use the stack's logs key, kept when it leaves the stack as the groups are, and a stack
// outside us-east-1 gets a second one there for the CloudFront web ACL's log.
func TestEveryLogGroupIsEncryptedAndExpires(t *testing.T) {
	for _, tier := range tiers.All() {
		s := planTier(t, tierConfig(tier))
		for _, g := range s.All(typeLogGroup) {
			assert.Greater(t, num(g, "retentionInDays"), 0, "tier %s: %s expires", tier, g.Name)
			assert.True(t, strings.HasPrefix(str(g, "kmsKeyId"), "arn:aws:kms:"), "tier %s: %s is encrypted with a key of the stack's", tier, g.Name)
		}
		if tier == tiers.Tier100 {
			assert.False(t, s.Has(typeKey, "logs-key"), "no flow logs, no WAF: no logs key")
			continue
		}
		key := s.Named(typeKey, "logs-key")
		assert.True(t, key.RetainOnDelete)
		assert.Contains(t, str(key, "policy"), `"logs.us-east-1.amazonaws.com"`)
		assert.Equal(t, key.Outputs["arn"], str(s.Named(typeLogGroup, "network-flow-logs"), "kmsKeyId"))
		assert.Equal(t, key.Outputs["arn"], str(s.Named(typeLogGroup, "edge-waf-log"), "kmsKeyId"), "the CloudFront WAF's log, in us-east-1 like the stack")
	}
	cfg := tierConfig(tiers.Tier10k)
	cfg["aws:region"] = "eu-west-1"
	cfg["tierstack:network"] = `{"availabilityZones":["eu-west-1a","eu-west-1b","eu-west-1c"]}`
	s := planTier(t, cfg)
	regional, east := s.Named(typeKey, "logs-key"), s.Named(typeKey, "logs-key-us-east-1")
	assert.Contains(t, str(regional, "policy"), `"logs.eu-west-1.amazonaws.com"`)
	assert.Contains(t, str(east, "policy"), `"logs.us-east-1.amazonaws.com"`)
	assert.NotEmpty(t, east.Provider, "made through the us-east-1 provider")
	assert.Equal(t, east.Outputs["arn"], str(s.Named(typeLogGroup, "edge-waf-log"), "kmsKeyId"))
	assert.Equal(t, regional.Outputs["arn"], str(s.Named(typeLogGroup, "network-flow-logs"), "kmsKeyId"))
}
