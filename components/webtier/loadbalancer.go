package webtier

import (
	"encoding/json"
	"fmt"
	"slices"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/lb"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/s3"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/tierstack/tierstack/internal/awsenv"
	"github.com/tierstack/tierstack/internal/buckets"
	"github.com/tierstack/tierstack/internal/naming"
)

// loadBalancer is what the Auto Scaling group (and later the pods) sit behind.
type loadBalancer struct {
	alb           *lb.LoadBalancer
	targetGroup   *lb.TargetGroup
	securityGroup *ec2.SecurityGroup
}

// albIngressRules admit who reaches the load balancer: the internet on 80 and 443, or CloudFront
// alone, on the one port it uses (the CloudFront prefix list weighs 55 of a security group's 60
// rules). Each is a rule resource of its own, never an inline block: turning the CDN on creates
// CloudFront's rule first and deletes the internet's last, once everything else is up, so that
// users are never locked out while the distribution deploys (both fit: 1 + 1 + 55 rules).
func albIngressRules(ctx *pulumi.Context, name string, a checkedArgs, sg *ec2.SecurityGroup, parent pulumi.ResourceOption) error {
	rule := func(child, what string, port int, cidrs, prefixLists []string) error {
		args := &ec2.SecurityGroupRuleArgs{
			Type: pulumi.String("ingress"), Description: pulumi.String(what), SecurityGroupId: sg.ID(),
			Protocol: pulumi.String("tcp"), FromPort: pulumi.Int(port), ToPort: pulumi.Int(port),
		}
		if len(cidrs) > 0 {
			args.CidrBlocks = pulumi.ToStringArray(cidrs)
		}
		if len(prefixLists) > 0 {
			args.PrefixListIds = pulumi.ToStringArray(prefixLists)
		}
		_, err := ec2.NewSecurityGroupRule(ctx, naming.Child(name, child), args, parent)
		return err
	}
	if a.CloudFrontPrefixListID == "" {
		if err := rule("alb-http", "HTTP from anywhere", 80, []string{"0.0.0.0/0"}, nil); err != nil {
			return err
		}
		return rule("alb-https", "HTTPS from anywhere", 443, []string{"0.0.0.0/0"}, nil)
	}
	port, what := 80, "HTTP from CloudFront only"
	if a.CertificateARN != nil {
		port, what = 443, "HTTPS from CloudFront only"
	}
	return rule("alb-from-cloudfront", what, port, nil, []string{a.CloudFrontPrefixListID})
}

// OriginSecretHeader is the header a CDN adds to every request it passes to the load balancer, with
// Args.OriginSecret as its value.
const OriginSecretHeader = "X-Origin-Verify"

// TLSPolicy is the HTTPS listener's security policy: TLS 1.3 and 1.2 only, with forward secrecy
// (Elastic Load Balancing, "Security policies for your Application Load Balancer").
const TLSPolicy = "ELBSecurityPolicy-TLS13-1-2-2021-06"

// regionsWithLogDeliveryPrincipal are the regions opened in or after August 2022, where load
// balancer access logs are written by the logdelivery.elasticloadbalancing.amazonaws.com principal
// rather than a regional Elastic Load Balancing account (AWS, "Enable access logs for your
// Application Load Balancer", step 2, "Regions available as of August 2022 or later"; Jakarta,
// ap-southeast-3, opened before and has an account). The provider knows no account for them:
// terraform-provider-aws internal/service/elb/service_account_data_source.go fails with
// "unsupported AWS Region" outside its accountIDPerRegionMap, so a region missing here fails the
// plan. Asia Pacific (New Zealand), ap-southeast-6, opened 2025-09-02.
var regionsWithLogDeliveryPrincipal = []string{
	"ap-south-2", "ap-southeast-4", "ap-southeast-5", "ap-southeast-6", "ap-southeast-7", "ap-east-2",
	"eu-south-2", "eu-central-2", "il-central-1", "me-central-1", "ca-west-1", "mx-central-1",
}

// elbLogAccount is the Elastic Load Balancing account that writes access logs in env's region, or ""
// where the log delivery service principal does.
func elbLogAccount(ctx *pulumi.Context, env awsenv.Env, inv []pulumi.InvokeOption) (string, error) {
	if slices.Contains(regionsWithLogDeliveryPrincipal, env.Region) {
		return "", nil
	}
	var out struct {
		ID string `pulumi:"id"`
	}
	if err := ctx.Invoke("aws:elb/getServiceAccount:getServiceAccount", map[string]any{}, &out, inv...); err != nil {
		return "", fmt.Errorf("looking up the load balancer log account: %w", err)
	}
	return out.ID, nil
}

// AccessLogPolicy is the log bucket's policy: the load balancer's log writer may put objects under
// AWSLogs/<account>/, and nothing reaches the bucket without TLS.
func AccessLogPolicy(env awsenv.Env, elbAccount, bucketARN string) (string, error) {
	writer := map[string]any{"Service": "logdelivery.elasticloadbalancing.amazonaws.com"}
	if elbAccount != "" {
		writer = map[string]any{"AWS": env.ARN("iam", "", elbAccount, "root")}
	}
	doc, err := json.Marshal(map[string]any{
		"Version": "2012-10-17",
		"Statement": []map[string]any{
			{"Sid": "LoadBalancerWritesAccessLogs", "Effect": "Allow", "Principal": writer,
				"Action": "s3:PutObject", "Resource": bucketARN + "/AWSLogs/" + env.AccountID + "/*"},
			buckets.TLSOnlyStatement(bucketARN),
		},
	})
	if err != nil {
		return "", fmt.Errorf("access log policy: %w", err)
	}
	return string(doc), nil
}

// buildLoadBalancer creates the internet-facing Application Load Balancer in the public subnets,
// its security group (80 and 443 from anywhere, out to the app only), its access-log bucket, the
// target group and the HTTP listener. Their names do not depend on the mode, so they stay as what
// runs behind them changes.
func (w *WebTier) buildLoadBalancer(ctx *pulumi.Context, name string, a checkedArgs, env awsenv.Env, elbAccount string) (loadBalancer, error) {
	parent := pulumi.Parent(w)
	tags := func(child string) pulumi.StringMap { return naming.Tags(a.Tags, child) }
	net := a.Network
	var out loadBalancer

	logsName := naming.Child(name, "alb-logs")
	// Access logs are evidence: the bucket stays in AWS when it leaves the stack, private, encrypted
	// and TLS-only, its objects expiring with the lifecycle rule: its settings are kept with it.
	// Load balancer access logs support SSE-S3 only (not SSE-KMS): AWS, "Enable access logs".
	logs, err := buckets.NewPrivate(ctx, logsName, "BucketOwnerEnforced", a.Tags, parent, pulumi.RetainOnDelete(true))
	if err != nil {
		return out, err
	}
	bucket, encryption := logs.Bucket, logs.Encryption
	if _, err := s3.NewBucketLifecycleConfigurationV2(ctx, logsName, &s3.BucketLifecycleConfigurationV2Args{
		Bucket: bucket.ID(),
		Rules: s3.BucketLifecycleConfigurationV2RuleArray{s3.BucketLifecycleConfigurationV2RuleArgs{
			Id: pulumi.String("expire-access-logs"), Status: pulumi.String("Enabled"),
			Filter:                         &s3.BucketLifecycleConfigurationV2RuleFilterArgs{Prefix: pulumi.String("")},
			Expiration:                     &s3.BucketLifecycleConfigurationV2RuleExpirationArgs{Days: pulumi.Int(a.AccessLogDays)},
			AbortIncompleteMultipartUpload: &s3.BucketLifecycleConfigurationV2RuleAbortIncompleteMultipartUploadArgs{DaysAfterInitiation: pulumi.Int(7)},
		}},
	}, parent, pulumi.RetainOnDelete(true)); err != nil {
		return out, err
	}
	policy, err := s3.NewBucketPolicy(ctx, logsName, &s3.BucketPolicyArgs{
		Bucket: bucket.ID(),
		Policy: bucket.Arn.ApplyT(func(arn string) (string, error) { return AccessLogPolicy(env, elbAccount, arn) }).(pulumi.StringOutput),
	}, parent, pulumi.RetainOnDelete(true))
	if err != nil {
		return out, err
	}

	sgName := naming.Child(name, "alb-sg")
	if out.securityGroup, err = ec2.NewSecurityGroup(ctx, sgName, &ec2.SecurityGroupArgs{
		VpcId: net.VPCID,
		// The same description whoever is admitted: a new description replaces a security group.
		Description: pulumi.String("tierstack load balancer: its listeners' clients"),
		Tags:        tags(sgName),
	}, parent); err != nil {
		return out, err
	}
	if err := albIngressRules(ctx, name, a, out.securityGroup, parent); err != nil {
		return out, err
	}

	albName := naming.Child(name, "alb")
	if out.alb, err = lb.NewLoadBalancer(ctx, albName, &lb.LoadBalancerArgs{
		LoadBalancerType:         pulumi.String("application"),
		Internal:                 pulumi.Bool(false),
		Subnets:                  net.PublicSubnetIDs,
		SecurityGroups:           pulumi.StringArray{out.securityGroup.ID().ToStringOutput()},
		EnableDeletionProtection: pulumi.Bool(true),
		DropInvalidHeaderFields:  pulumi.Bool(true),
		EnableHttp2:              pulumi.Bool(true),
		IdleTimeout:              pulumi.Int(a.IdleTimeoutSeconds),
		AccessLogs:               &lb.LoadBalancerAccessLogsArgs{Bucket: bucket.Bucket, Enabled: pulumi.Bool(true)},
		Tags:                     tags(albName),
	}, parent,
		// AWS checks that it may write the access logs when they are turned on.
		pulumi.DependsOn([]pulumi.Resource{policy, encryption})); err != nil {
		return out, err
	}
	w.LoadBalancer, w.LoadBalancerARN, w.LoadBalancerDNSName, w.LoadBalancerZoneID = out.alb, out.alb.Arn, out.alb.DnsName, out.alb.ZoneId
	w.URL = pulumi.Sprintf("http://%s", out.alb.DnsName)

	tgName := naming.Child(name, "tg")
	if out.targetGroup, err = lb.NewTargetGroup(ctx, tgName, &lb.TargetGroupArgs{
		VpcId:               net.VPCID,
		TargetType:          pulumi.String("instance"),
		Protocol:            pulumi.String("HTTP"),
		Port:                pulumi.Int(HostPort),
		DeregistrationDelay: pulumi.Int(30),
		HealthCheck: &lb.TargetGroupHealthCheckArgs{
			Enabled: pulumi.Bool(true), Path: pulumi.String(a.App.HealthPath), Protocol: pulumi.String("HTTP"),
			Matcher: pulumi.String("200-399"), Interval: pulumi.Int(15), Timeout: pulumi.Int(5),
			HealthyThreshold: pulumi.Int(2), UnhealthyThreshold: pulumi.Int(3),
		},
		Stickiness: targetGroupStickiness(a.StickinessSeconds),
		Tags:       tags(tgName),
	}, parent); err != nil {
		return out, err
	}
	w.TargetGroupARNSuffix = out.targetGroup.ArnSuffix
	w.LoadBalancerARNSuffix = out.alb.ArnSuffix
	// The listener that serves the app answers 403 by default, and rules say who is served: behind
	// a CDN only requests that carry its secret header (the prefix list admits every distribution,
	// the header ours alone), without one everybody. Rules, not the default action, so that turning
	// the CDN on adds the CDN's rule first and deletes the open one last.
	cdnDefault := lb.ListenerDefaultActionArgs{Type: pulumi.String("fixed-response"), FixedResponse: &lb.ListenerDefaultActionFixedResponseArgs{
		ContentType: pulumi.String("text/plain"), StatusCode: pulumi.String("403"), MessageBody: pulumi.String("Forbidden"),
	}}
	var front *lb.Listener
	httpAction := cdnDefault
	var httpOpts []pulumi.ResourceOption
	if a.CertificateARN != nil {
		httpsName := naming.Child(name, "https")
		https, err := lb.NewListener(ctx, httpsName, &lb.ListenerArgs{
			LoadBalancerArn: out.alb.Arn,
			Port:            pulumi.Int(443),
			Protocol:        pulumi.String("HTTPS"),
			SslPolicy:       pulumi.String(TLSPolicy),
			CertificateArn:  a.CertificateARN,
			DefaultActions:  lb.ListenerDefaultActionArray{cdnDefault},
			Tags:            tags(httpsName),
		}, parent)
		if err != nil {
			return out, err
		}
		front = https
		// HTTP turns into a redirect only once HTTPS answers: the certificate's validation can take
		// minutes, and a redirect to a port without a listener would take the site down meanwhile.
		httpOpts = append(httpOpts, pulumi.DependsOn([]pulumi.Resource{https}))
		httpAction = lb.ListenerDefaultActionArgs{Type: pulumi.String("redirect"), Redirect: &lb.ListenerDefaultActionRedirectArgs{
			Protocol: pulumi.String("HTTPS"), Port: pulumi.String("443"), StatusCode: pulumi.String("HTTP_301"),
		}}
		w.URL = pulumi.Sprintf("https://%s", out.alb.DnsName)
	}
	// The same listener in both cases: adding the certificate turns its forward into a redirect,
	// in place.
	http, err := lb.NewListener(ctx, naming.Child(name, "http"), &lb.ListenerArgs{
		LoadBalancerArn: out.alb.Arn,
		Port:            pulumi.Int(80),
		Protocol:        pulumi.String("HTTP"),
		DefaultActions:  lb.ListenerDefaultActionArray{httpAction},
		Tags:            tags(naming.Child(name, "http")),
	}, append(httpOpts, parent)...)
	if err != nil {
		return out, err
	}
	if front == nil {
		front = http
	}
	ruleName, priority := naming.Child(name, "to-app"), 2
	condition := lb.ListenerRuleConditionArgs{PathPattern: &lb.ListenerRuleConditionPathPatternArgs{Values: pulumi.ToStringArray([]string{"/*"})}}
	if a.OriginSecret != nil {
		ruleName, priority = naming.Child(name, "from-cdn"), 1
		condition = lb.ListenerRuleConditionArgs{
			HttpHeader: &lb.ListenerRuleConditionHttpHeaderArgs{HttpHeaderName: pulumi.String(OriginSecretHeader), Values: pulumi.StringArray{a.OriginSecret}},
		}
	}
	if _, err := lb.NewListenerRule(ctx, ruleName, &lb.ListenerRuleArgs{
		ListenerArn: front.Arn,
		Priority:    pulumi.Int(priority),
		Conditions:  lb.ListenerRuleConditionArray{condition},
		Actions:     lb.ListenerRuleActionArray{lb.ListenerRuleActionArgs{Type: pulumi.String("forward"), TargetGroupArn: out.targetGroup.Arn}},
		Tags:        tags(ruleName),
	}, parent); err != nil {
		return out, err
	}
	// Behind a CDN users never reach the load balancer: the CDN speaks TLS to them, and says
	// itself what certificate it has.
	if a.CertificateARN == nil && a.CloudFrontPrefixListID == "" {
		if err := ctx.Log.Warn(fmt.Sprintf("webtier %s: the load balancer listens on HTTP (80) only; HTTPS comes with a certificate (CertificateARN, from the edge tier)", name), &pulumi.LogArgs{Resource: w}); err != nil {
			return out, err
		}
	}
	return out, nil
}
