package tests

import (
	"encoding/base64"
	"encoding/json"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tierstack/tierstack/components/network"
	"github.com/tierstack/tierstack/components/webtier"
	"github.com/tierstack/tierstack/synth"
	"github.com/tierstack/tierstack/tiers"
)

// Resource types the web tests ask about.
const (
	webTypeComponent = webtier.TypeToken
	webTypeALB       = "aws:lb/loadBalancer:LoadBalancer"
	webTypeTG        = "aws:lb/targetGroup:TargetGroup"
	webTypeListener  = "aws:lb/listener:Listener"
	webTypeLT        = "aws:ec2/launchTemplate:LaunchTemplate"
	webTypeASG       = "aws:autoscaling/group:Group"
	webTypePolicy    = "aws:autoscaling/policy:Policy"
	webTypeBucket    = "aws:s3/bucketV2:BucketV2"
	webTypePAB       = "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"
)

// webConfig is a tier's config with tierstack:web and tierstack:app set (JSON objects, "" for none).
func webConfig(tier tiers.Tier, web, app string) map[string]string {
	cfg := tierConfig(tier)
	if web != "" {
		cfg["tierstack:web"] = web
	}
	if app != "" {
		cfg["tierstack:app"] = app
	}
	return cfg
}

// At 100 the app runs on one instance in a public subnet, with an Elastic IP kept when it goes,
// IMDSv2 only, an encrypted disk, and two groups: the app's own and one open on 80 and 443.
func TestWebTier100IsOneHardenedServer(t *testing.T) {
	s := planTier(t, tierConfig(tiers.Tier100))
	require.Equal(t, 1, s.Count(webTypeComponent))
	assert.Zero(t, s.Count(webTypeALB), "no load balancer at 100")
	assert.Zero(t, s.Count(webTypeASG))

	server := s.Named(typeInstance, "web-server")
	assert.Regexp(t, `^ami-[0-9a-f]+$`, str(server, "ami"), "an image ID, looked up: the provider reads it to place the root volume")
	assert.Equal(t, []string{"ami"}, server.IgnoreChanges, "a newer image never replaces the server")
	assert.Equal(t, "t4g.small", str(server, "instanceType"))
	assert.Equal(t, "required", str(server, "metadataOptions.httpTokens"), "IMDSv2 only")
	assert.Equal(t, 2, num(server, "metadataOptions.httpPutResponseHopLimit"), "the container reaches IMDS")
	assert.Equal(t, true, input(server, "rootBlockDevice.encrypted"))
	assert.Equal(t, true, input(server, "userDataReplaceOnChange"), "a new bootstrap starts a new server: user data runs at first boot only")
	publicSubnet := s.Named(typeSubnet, "network-public-0")
	assert.Equal(t, publicSubnet.ID, str(server, "subnetId"))

	app, public := s.Named(typeSecurityGroup, "web-app-sg"), s.Named(typeSecurityGroup, "web-public-sg")
	assert.ElementsMatch(t, []string{app.ID, public.ID}, strs(server, "vpcSecurityGroupIds"))
	assert.Nil(t, input(app, "ingress"), "the app's group admits nobody by itself")
	assert.Equal(t, app.ID, s.Outputs["webSecurityGroupId"])

	eip := s.Named(typeEIP, "web-eip")
	assert.Equal(t, server.ID, str(eip, "instance"))
	assert.True(t, eip.RetainOnDelete, "the address outlives the server, for DNS to move off it")
	assert.Regexp(t, `^http://`, s.Outputs["url"])
	assert.Equal(t, "instance", s.Outputs["webMode"])

	// The database admits the app's group, and only it.
	rule := s.Named(typeSGRule, "data-allow-web")
	assert.Equal(t, app.ID, str(rule, "sourceSecurityGroupId"))
}

// From 10k the app runs on an Auto Scaling group in the private subnets of every zone, behind an
// internet-facing load balancer in the public ones, scaled on CPU at 50 %.
func TestWebTier10kIsAnAutoScalingGroupBehindALoadBalancer(t *testing.T) {
	s := planTier(t, tierConfig(tiers.Tier10k))
	assert.Zero(t, s.Count(typeInstance), "no single server")
	assert.Zero(t, s.Count(typeEIP)-3, "no address but the NAT gateways'")

	group := s.Named(webTypeASG, "web-asg")
	assert.ElementsMatch(t, s.Outputs["privateSubnetIds"], input(group, "vpcZoneIdentifiers"), "instances in the private subnets")
	assert.Equal(t, 2, num(group, "minSize"))
	assert.Equal(t, 6, num(group, "maxSize"))
	assert.Equal(t, "ELB", str(group, "healthCheckType"), "an instance the load balancer finds unhealthy is replaced")
	assert.Contains(t, group.IgnoreChanges, "desiredCapacity", "Pulumi does not undo what scaling did")
	assert.Equal(t, "Rolling", str(group, "instanceRefresh.strategy"))

	policy := s.Named(webTypePolicy, "web-cpu")
	assert.Equal(t, "TargetTrackingScaling", str(policy, "policyType"))
	assert.Equal(t, "ASGAverageCPUUtilization", str(policy, "targetTrackingConfiguration.predefinedMetricSpecification.predefinedMetricType"))
	assert.Equal(t, 50, num(policy, "targetTrackingConfiguration.targetValue"))

	// A leaving instance leaves the target group first (its deregistration delay), then waits in
	// Terminating:Wait before EC2 stops it.
	drain := s.Named("aws:autoscaling/lifecycleHook:LifecycleHook", "web-drain")
	assert.Equal(t, group.Outputs["name"], str(drain, "autoscalingGroupName"))
	assert.Equal(t, "autoscaling:EC2_INSTANCE_TERMINATING", str(drain, "lifecycleTransition"))
	assert.Equal(t, "CONTINUE", str(drain, "defaultResult"))
	assert.Equal(t, webtier.DrainSeconds, num(drain, "heartbeatTimeout"))
	assert.Equal(t, 30, num(s.Named(webTypeTG, "web-tg"), "deregistrationDelay"))

	lt := s.Named(webTypeLT, "web-lt")
	assert.Equal(t, "required", str(lt, "metadataOptions.httpTokens"), "IMDSv2 only")
	assert.Nil(t, input(lt, "networkInterfaces"), "no public address: the template asks for none")
	assert.Equal(t, "true", str(lt, "blockDeviceMappings.0.ebs.encrypted"))
	app := s.Named(typeSecurityGroup, "web-app-sg")
	assert.Equal(t, []string{app.ID}, strs(lt, "vpcSecurityGroupIds"))
	assert.Equal(t, app.ID, s.Outputs["webSecurityGroupId"])

	alb := s.Named(webTypeALB, "web-alb")
	assert.Equal(t, false, input(alb, "internal"))
	assert.ElementsMatch(t, s.Outputs["publicSubnetIds"], input(alb, "subnets"))
	assert.Equal(t, true, input(alb, "enableDeletionProtection"))
	assert.Equal(t, true, input(alb, "dropInvalidHeaderFields"), "request smuggling headers are dropped")
	assert.Equal(t, true, input(alb, "accessLogs.enabled"))
	bucket := s.Named(webTypeBucket, "web-alb-logs")
	assert.True(t, bucket.RetainOnDelete, "access logs outlive the load balancer")
	assert.Equal(t, bucket.Outputs["bucket"], str(alb, "accessLogs.bucket"))
	kept := 0
	for _, r := range s.Resources {
		if r.Name == "web-alb-logs" {
			kept++
			assert.True(t, r.RetainOnDelete, "%s of the kept bucket is kept with it", r.Type)
		}
	}
	assert.Equal(t, 6, kept, "the bucket, its access block, ownership, encryption, lifecycle and policy")
	pab := s.Named(webTypePAB, "web-alb-logs")
	for _, k := range []string{"blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"} {
		assert.Equal(t, true, input(pab, k), "the logs bucket: %s", k)
	}

	tg := s.Named(webTypeTG, "web-tg")
	assert.Equal(t, "/", str(tg, "healthCheck.path"))
	assert.Equal(t, webtier.HostPort, num(tg, "port"))
	listener := s.Named(webTypeListener, "web-http")
	assert.Equal(t, alb.Outputs["arn"], str(listener, "loadBalancerArn"))

	// The chain: internet → load balancer (80, 443) → app (its port, from the load balancer's group
	// only) → database and cache (from the app's group only).
	albSG := s.Named(typeSecurityGroup, "web-alb-sg")
	assert.Equal(t, []string{alb.Inputs["securityGroups"].([]any)[0].(string)}, []string{albSG.ID})
	from := s.Named(typeSGRule, "web-from-alb")
	assert.Equal(t, app.ID, str(from, "securityGroupId"))
	assert.Equal(t, albSG.ID, str(from, "sourceSecurityGroupId"))
	assert.Equal(t, webtier.HostPort, num(from, "fromPort"))
	assert.Equal(t, webtier.HostPort, num(from, "toPort"))
	for _, client := range []string{"data-allow-web", "cache-allow-web"} {
		assert.Equal(t, app.ID, str(s.Named(typeSGRule, client), "sourceSecurityGroupId"), client)
	}
	assert.Equal(t, "autoscaling", s.Outputs["webMode"])
	assert.Equal(t, alb.Outputs["dnsName"], s.Outputs["loadBalancerDnsName"])
}

// A new app setting at 100 starts a new server (user data runs at first boot only); the address
// moves to it, and nothing stateful is touched.
func TestWebNewBootstrapReplacesTheServerAt100(t *testing.T) {
	before := planTier(t, tierConfig(tiers.Tier100))
	after := planTier(t, webConfig(tiers.Tier100, "", `{"env":{"FEATURE":"on"}}`))
	changes := diffOf(t, before.Plan, after.Plan)
	server := changes[after.Named(typeInstance, "web-server").URN]
	assert.Equal(t, synth.Replace, server.Action)
	assert.Equal(t, []string{"userDataBase64"}, server.ReplacedBy)
	assert.False(t, server.Unsafe)
	assert.Equal(t, synth.Update, changes[after.Named(typeEIP, "web-eip").URN].Action, "the address follows")
	for _, c := range changes {
		if strings.HasPrefix(c.Name, "observability-alarm-web-") || c.Name == "observability-dashboard" {
			// The server's alarms and its graphs follow it to its new ID, in place.
			assert.Equal(t, synth.Update, c.Action, c.Name)
			continue
		}
		assert.Contains(t, []string{"web-server", "web-eip"}, c.Name, "only the server and its address change")
	}
}

// The database's and cache's admission of the app never changes as the tier grows: the app's
// security group is the same resource in every mode, so no rule naming it is replaced.
func TestWebGrowthLeavesTheDataRulesAlone(t *testing.T) {
	all := tiers.All()
	prev := planTier(t, tierConfig(all[0]))
	for _, tier := range all[1:] {
		next := planTier(t, tierConfig(tier))
		changes := diffOf(t, prev.Plan, next.Plan)
		assert.Equal(t, prev.Named(typeSecurityGroup, "web-app-sg").ID, next.Named(typeSecurityGroup, "web-app-sg").ID, "tier %s", tier)
		for _, rule := range []string{"data-allow-web", "cache-allow-web"} {
			if !next.Has(typeSGRule, rule) || !prev.Has(typeSGRule, rule) {
				continue // the cache arrives at 10k
			}
			_, changed := changes[next.Named(typeSGRule, rule).URN]
			assert.False(t, changed, "tier %s: %s changes", tier, rule)
		}
		prev = next
	}
}

// A bigger instance type at 100 is an update: AWS stops and starts the server with the new type.
func TestWebInstanceTypeChangesInPlaceAt100(t *testing.T) {
	before := planTier(t, tierConfig(tiers.Tier100))
	after := planTier(t, webConfig(tiers.Tier100, `{"instanceType":"t4g.large"}`, ""))
	server := after.Named(typeInstance, "web-server")
	c, changed := diffOf(t, before.Plan, after.Plan)[server.URN]
	require.True(t, changed)
	assert.Equal(t, synth.Update, c.Action)
	assert.Equal(t, []string{"instanceType"}, c.Keys)
}

// The app's role reads exactly the database's and cache's secrets and the app's own, decrypts
// with their keys only through Secrets Manager, and is assumable by EC2 only.
func TestWebRoleIsLeastPrivilege(t *testing.T) {
	own := "arn:aws:secretsmanager:eu-west-1:123456789012:secret:shop/stripe-AbCdEf"
	s := planTier(t, webConfig(tiers.Tier10k, "", `{"secrets":{"STRIPE_KEY":"`+own+`"}}`))
	role := s.Named("aws:iam/role:Role", "web-role")
	var trust struct {
		Statement []struct{ Principal map[string]any }
	}
	require.NoError(t, json.Unmarshal([]byte(str(role, "assumeRolePolicy")), &trust))
	require.Len(t, trust.Statement, 1)
	assert.Equal(t, map[string]any{"Service": "ec2.amazonaws.com"}, trust.Statement[0].Principal)

	var policy struct {
		Statement []struct {
			Action    any
			Resource  []string
			Condition map[string]map[string]string
		}
	}
	require.NoError(t, json.Unmarshal([]byte(str(s.Named("aws:iam/rolePolicy:RolePolicy", "web-secrets"), "policy")), &policy))
	require.Len(t, policy.Statement, 2)
	dataSecret := s.Named("aws:secretsmanager/secret:Secret", "data-app-credentials").Outputs["arn"] // the app's own database user
	cacheSecret := s.Named("aws:secretsmanager/secret:Secret", "cache-connection").Outputs["arn"]
	assert.ElementsMatch(t, []any{dataSecret, cacheSecret, own}, toAny(policy.Statement[0].Resource))
	assert.Equal(t, []any{"secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"}, policy.Statement[0].Action)
	assert.Equal(t, "kms:Decrypt", policy.Statement[1].Action)
	assert.Len(t, policy.Statement[1].Resource, 2, "the database's and the cache's keys")
	for _, k := range policy.Statement[1].Resource {
		assert.Regexp(t, `^arn:aws:kms:us-east-1:123456789012:key/`, k, "no wildcard key")
	}
	assert.Equal(t, "secretsmanager.us-east-1.amazonaws.com", policy.Statement[1].Condition["StringEquals"]["kms:ViaService"])

	// The secret's value never reaches the plan: the bootstrap fetches it at start.
	userData, err := base64.StdEncoding.DecodeString(str(s.Named(webTypeLT, "web-lt"), "userData"))
	require.NoError(t, err)
	assert.Contains(t, string(userData), "value=$(aws --region eu-west-1 secretsmanager get-secret-value --secret-id '"+own+"'",
		"read in its own region, into a variable, so that a failed read stops the start")
	assert.Contains(t, string(userData), "DATABASE_SECRET_ARN")
}

func toAny(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}

// Bad web and app settings fail before anything is registered, naming the setting, the value and
// what is allowed.
func TestWebBadSettingsFailBeforeRegistration(t *testing.T) {
	cases := []struct{ web, app, want string }{
		{`{"mode":"fargate"}`, "", `tierstack:web mode "fargate" is not known (allowed: instance, autoscaling, eks)`},
		{`{"instanceType":"m7i.large"}`, "", `tierstack:web instanceType "m7i.large" is not a Graviton type`},
		{`{"instanceType":"big"}`, "", `tierstack:web instanceType "big" is not an instance type`},
		{`{"idleTimeoutSeconds":5000}`, "", `tierstack:web idleTimeoutSeconds 5000 is out of range (allowed: 1 to 4000)`},
		{`{"accessLogDays":4000}`, "", `tierstack:web accessLogDays 4000 is out of range (allowed: 1 to 3650)`},
		{"", `{"replicas":{"min":5,"max":3}}`, `tierstack:app replicas min 5 is above max 3`},
		{"", `{"port":70000}`, `tierstack:app port 70000 is out of range (allowed: 1 to 65535)`},
		{"", `{"image":"Not An Image"}`, `tierstack:app image "Not An Image" is not an image reference`},
		{"", `{"healthPath":"healthz"}`, `tierstack:app healthPath "healthz" is not a path`},
		{"", `{"secrets":{"KEY":"plaintext"}}`, `tierstack:app secrets KEY: "plaintext" is not a Secrets Manager ARN`},
		{"", `{"secrets":{"KEY":"arn:aws:secretsmanager:us-east-1:123456789012:secret:shop/stripe"}}`, `tierstack:app secrets KEY: "arn:aws:secretsmanager:us-east-1:123456789012:secret:shop/stripe" is not a Secrets Manager ARN (allowed: a complete ARN`},
		{"", `{"env":{"DATABASE_HOST":"x"}}`, `tierstack:app env DATABASE_HOST is set by the tier`},
		{"", `{"env":{"1BAD":"x"}}`, `tierstack:app env name "1BAD" is not a variable name`},
		{"", `{"env":{"BANNER":"two\nlines"}}`, `tierstack:app env BANNER has a line break`},
		{`{"colour":"blue"}`, "", `tierstack:web`},
		{"", `{"cpu":4000}`, `tierstack:app cpu 4000 is more than instanceType t4g.medium has (allowed: at most 2000, its 2 vCPUs`},
		{`{"instanceType":"m7g.large"}`, `{"cpu":2500}`, `tierstack:app cpu 2500 is more than instanceType m7g.large has (allowed: at most 2000`},
	}
	for _, c := range cases {
		s, err := runProgram(t, "", webConfig(tiers.Tier10k, c.web, c.app), tiers.Program)
		require.Error(t, err, "web %s app %s", c.web, c.app)
		assert.Contains(t, err.Error(), c.want)
		assert.Empty(t, s.Resources, "web %s app %s: nothing registered", c.web, c.app)
	}

	// A bigger type holds more: 8 vCPUs in a 2xlarge.
	planTier(t, webConfig(tiers.Tier10k, `{"instanceType":"m7g.2xlarge"}`, `{"cpu":8000}`))

	// The group's instances are private: at 100, without a NAT gateway, they could not pull the image.
	s, err := runProgram(t, "", webConfig(tiers.Tier100, `{"mode":"autoscaling"}`, ""), tiers.Program)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "tier 100: tierstack:web mode autoscaling runs the app in the private subnets, which natStrategy none leaves with no way out")
	assert.Empty(t, s.Resources)
	cfg := webConfig(tiers.Tier100, `{"mode":"autoscaling"}`, "")
	cfg["tierstack:network"] = `{` + usEast1Zones + `,"natStrategy":"single"}`
	s = planTier(t, cfg)
	assert.Equal(t, 1, s.Count(webTypeASG), "with a NAT gateway, 100 may run the group")
}

// A WebTier's name goes into AWS names with limits of their own: 32 characters for the load
// balancer and no capitals for the access-log bucket. A name that breaks either is refused first.
func TestWebTierNameFitsAWSNames(t *testing.T) {
	for name, want := range map[string]string{
		"Shop":                  `webtier name "Shop" has capitals`,
		"a-very-long-shop-name": `webtier name "a-very-long-shop-name" has 21 characters (allowed: at most 20`,
	} {
		s, err := runProgram(t, "us-east-1", nil, func(ctx *pulumi.Context) (pulumi.Map, error) {
			net, err := network.New(ctx, "net", &network.Args{AvailabilityZones: cacheZones})
			if err != nil {
				return nil, err
			}
			_, err = webtier.New(ctx, name, &webtier.Args{Network: net, Mode: webtier.ModeAutoScaling})
			return nil, err
		})
		require.Error(t, err, name)
		assert.Contains(t, err.Error(), want)
		assert.Zero(t, s.Count(webTypeComponent), "%s: no WebTier registered", name)
	}
}

// An image in a private ECR registry is pulled with the instance role: a login before every start,
// and a policy that reads that repository only (the token alone is granted on *, as AWS requires).
func TestWebPullsAPrivateImageWithItsRole(t *testing.T) {
	image := "123456789012.dkr.ecr.eu-west-1.amazonaws.com/shop/web:1.4"
	s := planTier(t, webConfig(tiers.Tier10k, "", `{"image":"`+image+`","port":8080}`))
	userData, err := base64.StdEncoding.DecodeString(str(s.Named(webTypeLT, "web-lt"), "userData"))
	require.NoError(t, err)
	assert.Contains(t, string(userData), "aws ecr get-login-password --region eu-west-1 | docker login --username AWS --password-stdin 123456789012.dkr.ecr.eu-west-1.amazonaws.com")
	assert.Contains(t, string(userData), "-p 80:8080")
	var pull struct {
		Statement []struct {
			Action   any
			Resource any
		}
	}
	require.NoError(t, json.Unmarshal([]byte(str(s.Named("aws:iam/rolePolicy:RolePolicy", "web-pull"), "policy")), &pull))
	require.Len(t, pull.Statement, 2)
	assert.Equal(t, "arn:aws:ecr:eu-west-1:123456789012:repository/shop/web", pull.Statement[0].Resource)
	assert.Equal(t, "ecr:GetAuthorizationToken", pull.Statement[1].Action)

	// A public image needs neither.
	public := planTier(t, tierConfig(tiers.Tier10k))
	assert.False(t, public.Has("aws:iam/rolePolicy:RolePolicy", "web-pull"))
	userData, err = base64.StdEncoding.DecodeString(str(public.Named(webTypeLT, "web-lt"), "userData"))
	require.NoError(t, err)
	assert.NotContains(t, string(userData), "docker login")
}

// webProgram builds a three-zone Network and a WebTier "web" from args in it.
func webProgram(args webtier.Args) synth.Program {
	return func(ctx *pulumi.Context) (pulumi.Map, error) {
		net, err := network.New(ctx, "net", &network.Args{AvailabilityZones: cacheZones})
		if err != nil {
			return nil, err
		}
		args.Network = net
		w, err := webtier.New(ctx, "web", &args)
		if err != nil {
			return nil, err
		}
		return pulumi.Map{"url": w.URL}, nil
	}
}

// With a certificate the load balancer serves HTTPS with TLS 1.2 and 1.3 only, and the HTTP
// listener — the same resource — turns into a 301 redirect to it, in place.
func TestWebServesHTTPSWithACertificate(t *testing.T) {
	cert := "arn:aws:acm:us-east-1:123456789012:certificate/0b5ed5f0-1c2d-4e5f-8a9b-0c1d2e3f4a5b"
	plain, err := runProgram(t, "us-east-1", nil, webProgram(webtier.Args{Mode: webtier.ModeAutoScaling}))
	require.NoError(t, err)
	assert.False(t, plain.Has(webTypeListener, "web-https"))
	assert.Equal(t, plain.Named(webTypeListener, "web-http").Outputs["arn"], str(plain.Named("aws:lb/listenerRule:ListenerRule", "web-to-app"), "listenerArn"))
	require.NotEmpty(t, plain.Warnings, "HTTP only is said")

	tls, err := runProgram(t, "us-east-1", nil, webProgram(webtier.Args{Mode: webtier.ModeAutoScaling, CertificateARN: pulumi.String(cert)}))
	require.NoError(t, err)
	https := tls.Named(webTypeListener, "web-https")
	assert.Equal(t, 443, num(https, "port"))
	assert.Equal(t, "HTTPS", str(https, "protocol"))
	assert.Equal(t, webtier.TLSPolicy, str(https, "sslPolicy"))
	assert.Equal(t, "ELBSecurityPolicy-TLS13-1-2-2021-06", str(https, "sslPolicy"), "no TLS below 1.2")
	assert.Equal(t, cert, str(https, "certificateArn"))
	assert.Equal(t, "403", str(https, "defaultActions.0.fixedResponse.statusCode"), "rules say who is served")
	toApp := tls.Named("aws:lb/listenerRule:ListenerRule", "web-to-app")
	assert.Equal(t, https.Outputs["arn"], str(toApp, "listenerArn"))
	assert.Equal(t, tls.Named(webTypeTG, "web-tg").Outputs["arn"], str(toApp, "actions.0.targetGroupArn"))
	http := tls.Named(webTypeListener, "web-http")
	assert.Equal(t, "redirect", str(http, "defaultActions.0.type"))
	assert.Equal(t, "HTTPS", str(http, "defaultActions.0.redirect.protocol"))
	assert.Equal(t, "HTTP_301", str(http, "defaultActions.0.redirect.statusCode"))
	assert.Contains(t, http.Dependencies, https.URN, "HTTP redirects only once HTTPS answers")
	assert.Regexp(t, `^https://`, tls.Outputs["url"])

	changes := diffOf(t, plain.Plan, tls.Plan)
	assert.Equal(t, synth.Update, changes[http.URN].Action, "the HTTP listener is kept")
	assert.Equal(t, synth.Create, changes[https.URN].Action)

	// The single server has no load balancer to hold a certificate.
	s, err := runProgram(t, "us-east-1", nil, webProgram(webtier.Args{CertificateARN: pulumi.String(cert)}))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "certificateArn is set in mode instance")
	assert.Zero(t, s.Count(webTypeComponent))
}

// computeGoneAt are the resources a step up to each tier deletes: the compute of the mode below,
// never the load balancer, its listeners or anything stateful. 10k retires the single server;
// 100k the Auto Scaling group, its launch template, scaling policy and lifecycle hook, the instances'
// role (untouched until then), its instance profile, Session Manager and secrets grants, and the
// security group rules on the instances' port.
var computeGoneAt = map[tiers.Tier][]string{
	tiers.Tier10k: {"web-server", "web-public-sg", "web-eip"},
	tiers.Tier100k: {"web-asg", "web-cpu", "web-drain", "web-lt", "web-role", "web-profile", "web-ssm", "web-secrets",
		"web-from-alb", "web-alb-to-app"},
}

// The instances read the cache's address from its connection secret at start: their launch
// template names the secret, which exists at once, so the group launches while the cache is
// created rather than after it (ten minutes off pulumi up). On EKS the address is the Deployment's.
func TestWebDoesNotWaitForTheCache(t *testing.T) {
	s := planTier(t, tierConfig(tiers.Tier10k))
	lt := s.Named(webTypeLT, "web-lt")
	group := s.Named("aws:elasticache/replicationGroup:ReplicationGroup", "cache-group")
	assert.NotContains(t, lt.Dependencies, group.URN, "the template does not wait for the cache group")
	userData, err := base64.StdEncoding.DecodeString(str(lt, "userData"))
	require.NoError(t, err)
	secretARN, _ := s.Named("aws:secretsmanager/secret:Secret", "cache-connection").Outputs["arn"].(string)
	assert.Contains(t, string(userData), "--secret-id '"+secretARN+"'")
	assert.Contains(t, string(userData), `python3 -c 'import json,sys; print(json.load(sys.stdin)["host"])'`)
	assert.Contains(t, string(userData), "printf 'CACHE_HOST=%s\\n'")
	endpoint, _ := s.Outputs["cacheEndpoint"].(string)
	assert.NotContains(t, string(userData), endpoint, "no address in the template")
	assert.Equal(t, "25m", str(s.Named(webTypeASG, "web-asg"), "waitForCapacityTimeout"), "the group may wait for the cache")

	eks := planTier(t, tierConfig(tiers.Tier100k))
	doc, err := json.Marshal(eks.Named(eksTypeDeployment, "web-deployment").Inputs)
	require.NoError(t, err)
	endpoint, _ = eks.Outputs["cacheEndpoint"].(string)
	assert.Contains(t, string(doc), `"name":"CACHE_HOST","value":"`+endpoint+`"`)
}
