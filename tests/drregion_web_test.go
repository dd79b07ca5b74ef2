package tests

import (
	"encoding/base64"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tierstack/tierstack/components/drregion"
	"github.com/tierstack/tierstack/components/edge"
	"github.com/tierstack/tierstack/synth"
	"github.com/tierstack/tierstack/tiers"
)

const (
	typeASG          = "aws:autoscaling/group:Group"
	typeListenerRule = "aws:lb/listenerRule:ListenerRule"
	typeListener     = "aws:lb/listener:Listener"
	typeCertificate  = "aws:acm/certificate:Certificate"
	typeCertValid    = "aws:acm/certificateValidation:CertificateValidation"
	typeAlarm        = "aws:cloudwatch/metricAlarm:MetricAlarm"
)

// strategyConfig is drConfig with a strategy, a domain (so that both load balancers serve HTTPS)
// and extra tierstack:dr fields.
func strategyConfig(strategy string, drFields ...string) map[string]string {
	cfg := drConfig()
	cfg["tierstack:domain"] = "app.example.com"
	cfg["tierstack:hostedZoneId"] = "Z0123456789EXAMPLE01"
	fields := append([]string{`"strategy":"` + strategy + `"`, `"availabilityZones":["us-west-2a","us-west-2b","us-west-2c"]`}, drFields...)
	cfg["tierstack:dr"] = "{" + strings.Join(fields, ",") + "}"
	return cfg
}

// Every resource the DR web tier, its cache and its certificate register is on the DR provider,
// whatever component it is nested in; the primary-region pieces stay exactly the listed ones.
func TestDRWebAndCacheArePlacedInTheDRRegion(t *testing.T) {
	for _, strategy := range []string{"pilotLight", "warmStandby", "activeActive"} {
		t.Run(strategy, func(t *testing.T) {
			s := planTier(t, strategyConfig(strategy))
			provider := s.Named("pulumi:providers:aws", "dr-region")
			var primary []string
			web, cache := 0, 0
			for _, r := range underDR(s) {
				if !r.Custom {
					continue
				}
				if strings.Contains(r.URN, "$tierstack:index:WebTier$") {
					web++
				}
				if strings.Contains(r.URN, "$tierstack:index:CacheTier$") {
					cache++
				}
				if r.Provider != provider.URN && strings.HasPrefix(r.Type, "aws:") {
					primary = append(primary, r.Name)
				}
			}
			slices.Sort(primary)
			want := drregion.PrimaryRegionChildren("dr")
			slices.Sort(want)
			assert.Equal(t, want, primary, "the web tier and the cache add nothing to the primary region")
			assert.Greater(t, web, 10, "the web tier is a child of the DRRegion")
			if strategy == "pilotLight" {
				assert.Zero(t, cache, "pilotLight runs no cache")
			} else {
				assert.Greater(t, cache, 5, "the cache is a child of the DRRegion")
			}
			certs := 0
			for _, r := range s.Resources {
				if strings.Contains(r.URN, edge.RegionalCertificateTypeToken+"$") {
					certs++
					assert.Equal(t, provider.URN, r.Provider, "%s %s", r.Type, r.Name)
				}
			}
			assert.Equal(t, 2, certs, "the DR certificate and its validation")
			subnets := map[string]bool{}
			for _, sn := range s.All(typeSubnet) {
				if strings.HasPrefix(sn.Name, "dr-network-private-") {
					subnets[sn.ID] = true
				}
			}
			asg := s.Named(typeASG, "dr-web-asg")
			require.NotEmpty(t, strs(asg, "vpcZoneIdentifiers"))
			for _, id := range strs(asg, "vpcZoneIdentifiers") {
				assert.True(t, subnets[id], "the DR group runs in the DR network's private subnets: %s", id)
			}
		})
	}
}

// Each strategy builds what it promises and nothing more: backupRestore no web tier, cache or
// NAT; pilotLight a web tier defined at zero (its load balancer up for the failover records) and
// no cache or NAT; warmStandby two instances up to the primary's max, a cache of the primary's
// node type and shards with one replica each, NAT per zone and a healthy-hosts alarm that
// notifies; activeActive the primary's size and cache, and an alarm that pages.
func TestDRStrategiesBuildTheirWebTierAndCache(t *testing.T) {
	cases := []struct {
		strategy                string
		web                     bool
		minSize, maxSize        int
		cacheReplicas, natCount int
		alarm                   string
	}{
		{"backupRestore", false, 0, 0, -1, 0, ""},
		{"pilotLight", true, 0, 0, -1, 0, ""},
		{"warmStandby", true, 2, 30, 1, 3, "notify"},
		{"activeActive", true, 6, 30, 2, 3, "page"},
	}
	for _, c := range cases {
		t.Run(c.strategy, func(t *testing.T) {
			s := planTier(t, strategyConfig(c.strategy))
			count := func(typ, prefix string) int {
				n := 0
				for _, r := range s.All(typ) {
					if strings.HasPrefix(r.Name, prefix) {
						n++
					}
				}
				return n
			}
			assert.Equal(t, c.natCount, count(typeNAT, "dr-network-"), "NAT gateways in the DR region")
			if !c.web {
				assert.Zero(t, count(typeASG, "dr-"))
				assert.Zero(t, count(typeLoadBalancer, "dr-"))
				assert.False(t, s.Has(typeCertificate, "dr-cert"))
				assert.Nil(t, s.Outputs["drLoadBalancerDnsName"])
			} else {
				asg := s.Named(typeASG, "dr-web-asg")
				assert.EqualValues(t, c.minSize, input(asg, "minSize"))
				assert.EqualValues(t, c.maxSize, input(asg, "maxSize"))
				assert.EqualValues(t, c.minSize, input(asg, "desiredCapacity"))
				assert.True(t, s.Has(typeLoadBalancer, "dr-web-alb"), "the load balancer is up for the failover records")
				assert.NotEmpty(t, s.Outputs["drLoadBalancerDnsName"])
				assert.NotEmpty(t, s.Outputs["drLoadBalancerZoneId"])
				dbRule := s.Named(typeSGRule, "dr-db-allow-web")
				assert.Equal(t, s.Named(typeSecurityGroup, "dr-web-app-sg").ID, str(dbRule, "sourceSecurityGroupId"), "the DR database admits the DR app")
				assert.Equal(t, s.Named(typeSecurityGroup, "dr-db-sg").ID, str(dbRule, "securityGroupId"))
				assert.Equal(t, 3306, num(dbRule, "fromPort"))
				lt := s.Named("aws:ec2/launchTemplate:LaunchTemplate", "dr-web-lt")
				assert.Equal(t, str(s.Named("aws:eks/nodeGroup:NodeGroup", "web-nodes-0"), "instanceTypes.0"), str(lt, "instanceType"),
					"the DR instances are of the type the primary's app runs on (its EKS nodes')")
			}
			if c.cacheReplicas < 0 {
				assert.Zero(t, count(cacheTypeGroup, "dr-"), "no cache in the DR region")
			} else {
				primary, dr := s.Named(cacheTypeGroup, "cache-group"), s.Named(cacheTypeGroup, "dr-cache-group")
				assert.Equal(t, str(primary, "nodeType"), str(dr, "nodeType"))
				assert.Equal(t, num(primary, "numNodeGroups"), num(dr, "numNodeGroups"), "the primary's shards")
				assert.Equal(t, c.cacheReplicas, num(dr, "replicasPerNodeGroup"))
				assert.Equal(t, str(primary, "engine"), str(dr, "engine"))
				rule := s.Named(typeSGRule, "dr-cache-allow-web")
				assert.Equal(t, s.Named(typeSecurityGroup, "dr-web-app-sg").ID, str(rule, "sourceSecurityGroupId"), "the DR cache admits only the DR app")
				assert.Equal(t, s.Named(typeSecurityGroup, "dr-cache-sg").ID, str(rule, "securityGroupId"))
				assert.NotEmpty(t, s.Outputs["drCacheEndpoint"])
			}
			alarm := s.Has(typeAlarm, "observability-alarm-dr-web-healthy-hosts")
			assert.Equal(t, c.alarm != "", alarm, "a healthy-hosts alarm where instances run")
			if alarm {
				a := s.Named(typeAlarm, "observability-alarm-dr-web-healthy-hosts")
				assert.Equal(t, "HealthyHostCount", str(a, "metricName"))
				assert.Equal(t, s.Named("pulumi:providers:aws", "dr-region").URN, a.Provider, "the alarm lives in the DR region, where its metric is")
				assert.Equal(t, "LessThanThreshold", str(a, "comparisonOperator"))
				assert.EqualValues(t, 1, input(a, "threshold"))
				assert.Equal(t, "breaching", str(a, "treatMissingData"), "no data is a target group without targets")
			}
		})
	}
}

// Behind CloudFront exactly as the primary: the DR load balancer admits only CloudFront's
// origin-facing prefix list of the DR region (a different ID from the primary's), forwards only
// requests that carry the same origin secret, and serves HTTPS with a certificate of the DR region
// for the same names, validated by the primary's records — no second record for a name.
func TestDRWebIsBehindCloudFrontAsThePrimary(t *testing.T) {
	s := planTier(t, strategyConfig("warmStandby"))
	primaryRule, drRule := s.Named(typeSGRule, "web-alb-from-cloudfront"), s.Named(typeSGRule, "dr-web-alb-from-cloudfront")
	primaryList, drList := strs(primaryRule, "prefixListIds"), strs(drRule, "prefixListIds")
	require.Len(t, drList, 1)
	assert.True(t, strings.HasPrefix(drList[0], "pl-"))
	assert.NotEqual(t, primaryList, drList, "the DR region's prefix list, looked up there")
	assert.Equal(t, 443, num(drRule, "fromPort"))
	assert.False(t, s.Has(typeSGRule, "dr-web-alb-https"), "the internet is not admitted")

	primaryCDN, drCDN := s.Named(typeListenerRule, "web-from-cdn"), s.Named(typeListenerRule, "dr-web-from-cdn")
	assert.Equal(t, webtierHeader(primaryCDN), webtierHeader(drCDN))
	require.NotEmpty(t, primaryCDN.SecretHashes)
	assert.Equal(t, primaryCDN.SecretHashes, drCDN.SecretHashes, "the same origin secret")
	assert.Contains(t, str(drCDN, "listenerArn"), ":us-west-2:")

	https := s.Named(typeListener, "dr-web-https")
	assert.Contains(t, str(https, "certificateArn"), ":us-west-2:", "a certificate of the DR region")
	cert := s.Named(typeCertificate, "dr-cert")
	primaryCert := s.Named(typeCertificate, "edge-cert")
	assert.Equal(t, str(primaryCert, "domainName"), str(cert, "domainName"))
	assert.Equal(t, strs(primaryCert, "subjectAlternativeNames"), strs(cert, "subjectAlternativeNames"))
	assert.Equal(t, strs(s.Named(typeCertValid, "edge-cert-validation"), "validationRecordFqdns"), strs(s.Named(typeCertValid, "dr-cert-validation"), "validationRecordFqdns"),
		"validated by the primary's records")
	names := map[string]int{}
	for _, r := range s.All("aws:route53/record:Record") {
		// A failover pair is two records of one name, told apart by their set identifiers.
		names[str(r, "name")+" "+str(r, "type")+" "+str(r, "setIdentifier")]++
		assert.False(t, strings.HasPrefix(r.Name, "dr-"), "the DR region writes no record: %s", r.Name)
	}
	for n, k := range names {
		assert.Equal(t, 1, k, "one record resource for %s", n)
	}
}

// webtierHeader is a listener rule's header condition name.
func webtierHeader(r synth.Resource) string { return str(r, "conditions.0.httpHeader.httpHeaderName") }

// The DR app pulls its image from the DR region's registry and reads its secrets there: an ECR
// image and the app's secrets move to the DR region, the role may pull that repository only, and
// the DR cache's secret is the one it reads (the database's replica secret comes with slice C).
func TestDRWebPullsAndReadsInTheDRRegion(t *testing.T) {
	cfg := strategyConfig("warmStandby")
	cfg["tierstack:app"] = `{"image":"123456789012.dkr.ecr.us-east-1.amazonaws.com/shop:1.4","secrets":{"API_KEY":"arn:aws:secretsmanager:us-east-1:123456789012:secret:shop/api-key-a1b2c3"}}`
	s := planTier(t, cfg)
	userData, err := base64.StdEncoding.DecodeString(str(s.Named("aws:ec2/launchTemplate:LaunchTemplate", "dr-web-lt"), "userData"))
	require.NoError(t, err)
	assert.Contains(t, string(userData), "123456789012.dkr.ecr.us-west-2.amazonaws.com/shop:1.4")
	assert.NotContains(t, string(userData), "dkr.ecr.us-east-1")
	pull := str(s.Named(typeRolePolicy, "dr-web-pull"), "policy")
	assert.Contains(t, pull, "arn:aws:ecr:us-west-2:123456789012:repository/shop")
	assert.NotContains(t, pull, "us-east-1")
	secrets := str(s.Named(typeRolePolicy, "dr-web-secrets"), "policy")
	assert.Contains(t, secrets, "arn:aws:secretsmanager:us-west-2:123456789012:secret:shop/api-key-a1b2c3")
	assert.NotContains(t, secrets, "secret:shop/api-key-a1b2c3\",\"arn:aws:secretsmanager:us-east-1")
	assert.NotContains(t, secrets, "arn:aws:secretsmanager:us-east-1:123456789012:secret:shop/api-key")
	assert.Contains(t, secrets, s.Named(typeSecret, "dr-cache-connection").Outputs["arn"])
	assert.Contains(t, secrets, s.Named(typeKey, "dr-cache-key").Outputs["arn"])
	assert.Contains(t, secrets, "secretsmanager.us-west-2.amazonaws.com", "keys only through the DR region's Secrets Manager")
	// The database's secret is its replica in the DR region, read through the DR key: nothing of
	// the primary region is left in the policy.
	assert.NotContains(t, secrets, "arn:aws:secretsmanager:us-east-1")
	assert.NotContains(t, secrets, "arn:aws:kms:us-east-1")
	assert.Contains(t, secrets, s.Named(typeKey, "data-replica-key").Outputs["arn"])
}

// Moving up the strategies, and growing 100k to 1m with any of them (its default among them), only
// creates and updates: no deletion, and no replacement but the secrets' versions, which take the
// global writer's name when the database becomes global (a new version of the same secret).
func TestDRStrategyStepsUpOnlyCreateAndUpdate(t *testing.T) {
	rules := mustRules(t)
	steps := []map[string]string{tierConfig(tiers.Tier100k), strategyConfig("backupRestore"), strategyConfig("pilotLight"),
		strategyConfig("warmStandby"), strategyConfig("activeActive"), tierConfig(tiers.Tier1M)}
	for _, i := range []int{0, 5} {
		steps[i]["tierstack:domain"] = "app.example.com"
		steps[i]["tierstack:hostedZoneId"] = "Z0123456789EXAMPLE01"
	}
	plans := make([]stack, len(steps))
	for i, cfg := range steps {
		plans[i] = planTier(t, cfg)
	}
	check := func(from, to int) {
		for _, c := range synth.Diff(plans[from].Plan, plans[to].Plan, rules) {
			if c.Action == synth.Replace && c.Type == typeSecretVersion {
				continue
			}
			assert.Contains(t, []synth.Action{synth.Create, synth.Update}, c.Action, "step %d -> %d: %s %s %s", from, to, c.Action, c.Type, c.Name)
		}
	}
	for i := 2; i <= 4; i++ {
		check(i-1, i) // backupRestore -> pilotLight -> warmStandby -> activeActive
	}
	for i := 1; i <= 5; i++ {
		check(0, i) // 100k -> 1m with each strategy, and with the tier's default
	}
	// activeActive -> warmStandby sizes down in place; the secondaries' extra readers go (an
	// instance holds no data: the cluster volume does).
	for _, c := range synth.Diff(plans[4].Plan, plans[3].Plan, rules) {
		if c.Action == synth.Delete {
			assert.Equal(t, typeClusterInstance, c.Type, "%s %s", c.Type, c.Name)
			assert.True(t, strings.HasPrefix(c.Name, "dr-db-"), "only the DR readers: %s", c.Name)
			continue
		}
		assert.Contains(t, []synth.Action{synth.Create, synth.Update}, c.Action, "activeActive -> warmStandby: %s %s %s", c.Action, c.Type, c.Name)
	}
}

// Bad DR web and cache input is refused before anything is registered, naming the setting, the
// value and what is allowed.
func TestDRWebBadInputIsRefusedBeforeRegistration(t *testing.T) {
	cases := []struct {
		name string
		cfg  map[string]string
		want []string
	}{
		{"web min below two", strategyConfig("warmStandby", `"web":{"min":1}`), []string{"tierstack:dr web min 1 is below 2", "allowed: 2 to max"}},
		{"web min above max", strategyConfig("warmStandby", `"web":{"min":8,"max":4}`), []string{"tierstack:dr web min 8 is above max 4"}},
		{"web size with pilotLight", strategyConfig("pilotLight", `"web":{"min":2}`), []string{"tierstack:dr web min 2 / max 0 are set with strategy pilotLight", "defined at zero"}},
		{"web with backupRestore", strategyConfig("backupRestore", `"web":{"min":2}`), []string{"tierstack:dr image, web and cache are set with strategy backupRestore"}},
		{"cache with pilotLight", strategyConfig("pilotLight", `"cache":{"shards":2}`), []string{"tierstack:dr cache is set with strategy pilotLight, which runs no cache in the DR region"}},
		{"cache replicas out of range", strategyConfig("warmStandby", `"cache":{"replicas":9}`), []string{"tierstack:dr cache replicas 9 is out of range (allowed: 1 to 5)"}},
		{"an image of the primary's registry", strategyConfig("warmStandby", `"image":"123456789012.dkr.ecr.us-east-1.amazonaws.com/shop:1"`),
			[]string{"tierstack:dr image", "registry of us-east-1", "us-west-2's registry"}},
		{"a web instance type that is not Graviton", strategyConfig("warmStandby", `"web":{"instanceType":"m7i.large"}`), []string{"tierstack:dr web instanceType \"m7i.large\" is not a Graviton type"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s, err := runProgram(t, "", c.cfg, tiers.Program)
			require.Error(t, err)
			for _, w := range c.want {
				assert.Contains(t, err.Error(), w)
			}
			assert.Empty(t, s.Resources, "refused before anything is registered")
		})
	}
}

// tierstack:dr web and image size and feed the DR web tier: bounds, instance type, image.
func TestDRWebSettingsApply(t *testing.T) {
	s := planTier(t, strategyConfig("warmStandby", `"web":{"min":3,"max":9,"instanceType":"c7g.large"}`, `"image":"public.ecr.aws/acme/shop:2"`, `"cache":{"shards":2,"replicas":2}`))
	asg := s.Named(typeASG, "dr-web-asg")
	assert.EqualValues(t, 3, input(asg, "minSize"))
	assert.EqualValues(t, 9, input(asg, "maxSize"))
	lt := s.Named("aws:ec2/launchTemplate:LaunchTemplate", "dr-web-lt")
	assert.Equal(t, "c7g.large", str(lt, "instanceType"))
	userData, err := base64.StdEncoding.DecodeString(str(lt, "userData"))
	require.NoError(t, err)
	assert.Contains(t, string(userData), "public.ecr.aws/acme/shop:2")
	group := s.Named(cacheTypeGroup, "dr-cache-group")
	assert.Equal(t, 2, num(group, "numNodeGroups"))
	assert.Equal(t, 2, num(group, "replicasPerNodeGroup"))
}
