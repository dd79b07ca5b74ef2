package tiers

import (
	"fmt"
	"slices"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/tierstack/tierstack/components/cachetier"
	"github.com/tierstack/tierstack/components/datatier"
	"github.com/tierstack/tierstack/components/drregion"
	"github.com/tierstack/tierstack/components/edge"
	"github.com/tierstack/tierstack/components/network"
	"github.com/tierstack/tierstack/components/observability"
	"github.com/tierstack/tierstack/components/streaming"
	"github.com/tierstack/tierstack/components/webtier"
	"github.com/tierstack/tierstack/components/workers"
	"github.com/tierstack/tierstack/internal/signals"
)

// wafName is the logical name of the stack's web ACL, whose metrics carry it as WebACL.
const wafName = "edge-waf"

// chatbotRegion is where tierstack calls the Chatbot API from a stack in a region that does not
// serve it; Chatbot itself is global.
const chatbotRegion = "us-east-2"

// chatbotRegions are the regions that serve the Chatbot API.
var chatbotRegions = []string{"us-east-2", "us-west-2", "eu-west-1", "ap-southeast-1"}

// placeholder stands in for a dimension value before anything exists: enough to check overrides.
var placeholder = pulumi.String("")

// plannedSignals are the signals the tier will have, with placeholder dimensions: what
// tierstack:alarms may override, known before anything is registered.
func (s Spec) plannedSignals() ([]signals.Signal, error) {
	ph := func(int) pulumi.StringInput { return placeholder }
	data := s.Data
	data.Network = &network.Network{}
	list, err := datatier.PlannedSignals(data, ph, func(string) pulumi.StringInput { return placeholder })
	if err != nil {
		return nil, err
	}
	if s.Cache != nil {
		c := *s.Cache
		c.Network = &network.Network{}
		cache, err := cachetier.PlannedSignals(c, func(cachetier.NodeSlot) pulumi.StringInput { return placeholder })
		if err != nil {
			return nil, err
		}
		list = append(list, cache...)
	}
	list = append(list, observability.WebSignals(plannedWebInputs(s.Web.Mode))...)
	list = append(list, s.edgeSignals(placeholder, "")...)
	list = append(list, s.plannedStreamingSignals(placeholder)...)
	if s.Workers != nil {
		list = append(list, workers.PlannedSignals(*s.Workers, placeholder, placeholder)...)
	}
	return append(list, s.plannedDRSignals()...), nil
}

// plannedDRSignals are the DR region's signals, as buildDR will build it, with placeholder
// dimensions.
func (s Spec) plannedDRSignals() []signals.Signal {
	if s.DR == nil {
		return nil
	}
	in := drregion.SignalInputs{Region: s.DRRegion, SourceVaultName: placeholder}
	if s.CDN != nil {
		in.Assets = &drregion.AssetSignalInputs{SourceBucket: placeholder, DestinationBucket: placeholder}
	}
	if s.DR.Strategy.LiveData() {
		shards := s.Data.Shards
		if shards == 0 {
			shards = 1
		}
		for i := 0; i < shards; i++ {
			in.Secondaries = append(in.Secondaries, drregion.SecondarySignalInputs{Shard: fmt.Sprintf("shard-%d", i), ClusterIdentifier: placeholder})
		}
		for _, t := range s.Data.Tables {
			in.Tables = append(in.Tables, drregion.TableSignalInputs{Name: t.Name, TableName: placeholder})
		}
	}
	if s.DR.Web != nil && s.DR.Strategy.RunsCompute() {
		in.Web = &drregion.WebSignalInputs{LoadBalancerARNSuffix: placeholder, TargetGroupARNSuffix: placeholder,
			Serving: s.DR.Strategy == drregion.StrategyActiveActive}
	}
	return drregion.Signals(in)
}

// edgeSignals are the WAF's and the CDN's signals; distributionID is the distribution's, region
// the stack's.
func (s Spec) edgeSignals(distributionID pulumi.StringInput, region string) []signals.Signal {
	var list []signals.Signal
	if s.Firewall != nil && s.Web.Mode != webtier.ModeInstance {
		fw := *s.Firewall
		fw.CloudFront = s.CDN != nil
		list = append(list, edge.FirewallSignals(wafName, fw, region)...)
	}
	if s.CDN != nil {
		list = append(list, edge.CDNSignals(distributionID)...)
	}
	return list
}

// plannedWebInputs are webInputs before the web tier exists.
func plannedWebInputs(mode webtier.Mode) observability.WebInputs {
	switch mode {
	case webtier.ModeInstance:
		return observability.WebInputs{InstanceID: placeholder}
	case webtier.ModeEKS:
		return observability.WebInputs{LoadBalancerARNSuffix: placeholder, TargetGroupARNSuffix: placeholder,
			ClusterName: placeholder, AppNamespace: webtier.AppNamespace, AppWorkload: "app"}
	}
	return observability.WebInputs{LoadBalancerARNSuffix: placeholder, TargetGroupARNSuffix: placeholder, AutoScalingGroupName: placeholder}
}

// webInputs are what the WebTier exposes for its signals: the instance; or the load balancer, its
// target group and what runs behind it (the Auto Scaling group, or the EKS cluster and the app's
// pods).
func webInputs(w *webtier.WebTier) observability.WebInputs {
	var in observability.WebInputs
	if w.Instance != nil {
		in.InstanceID = w.Instance.ID().ToStringOutput()
	}
	if w.LoadBalancer != nil {
		in.LoadBalancerARNSuffix = w.LoadBalancerARNSuffix
		in.TargetGroupARNSuffix = w.TargetGroupARNSuffix
	}
	switch w.Mode {
	case webtier.ModeAutoScaling:
		in.AutoScalingGroupName = w.AutoScalingGroupName
	case webtier.ModeEKS:
		in.ClusterName, in.AppNamespace, in.AppWorkload = w.ClusterName, webtier.AppNamespace, "app"
	}
	return in
}

// validateObservability checks the observability settings against the signals the tier will have.
func (s Spec) validateObservability() error {
	list, err := s.plannedSignals()
	if err != nil {
		return fmt.Errorf("tier %s: %w", s.Tier, err)
	}
	o := s.Observability
	o.Signals = list
	if o.Slack == observability.SlackWebhook {
		o.SlackWebhookURL = placeholder
	}
	if o.CentralLogs != nil {
		c := *o.CentralLogs
		c.Network = &network.Network{}
		o.CentralLogs = &c
	}
	if err := o.Validate(); err != nil {
		msg := err.Error()
		// The component's names for its settings, as tierstack:alarms spells them; longest first.
		for _, rename := range [][2]string{
			{"centralLogs instanceType", "logsInstanceType"}, {"centralLogs instanceCount", "logsInstanceCount"},
			{"centralLogs volumeGiB", "logsVolumeGiB"}, {"centralLogs ", "centralLogs: "}, {"alarms ", "signals "},
		} {
			if rest, ok := strings.CutPrefix(msg, rename[0]); ok {
				msg = rename[1] + rest
				break
			}
		}
		return fmt.Errorf("tier %s: tierstack:alarms %s", s.Tier, msg)
	}
	return nil
}

// needsChatbotProvider reports whether Chatbot must be reached through a provider of its own: the
// stack's region does not serve the Chatbot API.
func needsChatbotProvider(spec Spec, region string) bool {
	return spec.Observability.Slack == observability.SlackChatbot && !slices.Contains(chatbotRegions, region)
}

// checkChatbotProvider refuses, before anything is registered, credentials that the Chatbot
// provider (which takes the stack's profile, as the CDN's us-east-1 provider does) would not use.
func checkChatbotProvider(ctx *pulumi.Context, spec Spec, region string) error {
	if !needsChatbotProvider(spec, region) {
		return nil
	}
	for _, key := range unforwardedCredentials {
		if _, set := ctx.GetConfig(key); set {
			return fmt.Errorf("tier %s: %s is set, and the Chatbot provider in %s would not use it (allowed: credentials through aws:profile or the environment, or a stack in %s)",
				spec.Tier, key, chatbotRegion, strings.Join(chatbotRegions, ", "))
		}
	}
	return nil
}

// built is what Deploy built before the observability, which watches it.
type built struct {
	net     *network.Network
	data    *datatier.DataTier
	cache   *cachetier.CacheTier
	stream  *streaming.Streaming // nil without tierstack:streaming
	jobs    *workers.Workers     // nil without tierstack:workers
	web     *webtier.WebTier
	usEast1 pulumi.ProviderResource
	dr      *builtDR // nil without a DR region
}

// buildObservability builds the alarms over what b holds, their topics and subscribers, the
// dashboard and the central logs, and adds their stack outputs.
func buildObservability(ctx *pulumi.Context, s Settings, spec Spec, region string, b built, tags map[string]string, outputs pulumi.Map) error {
	fail := func(err error) error { return fmt.Errorf("tier %s: %w", spec.Tier, err) }
	list, err := b.data.Signals()
	if err != nil {
		return fail(err)
	}
	if b.cache != nil {
		cache, err := b.cache.Signals()
		if err != nil {
			return fail(err)
		}
		list = append(list, cache...)
	}
	list = append(list, observability.WebSignals(webInputs(b.web))...)
	var distributionID pulumi.StringInput = placeholder
	if id, ok := outputs["distributionId"].(pulumi.StringOutput); ok {
		distributionID = id
	}
	list = append(list, spec.edgeSignals(distributionID, region)...)
	if b.stream != nil {
		list = append(list, b.stream.Signals()...)
	}
	if b.jobs != nil {
		list = append(list, b.jobs.Signals()...)
	}
	args := spec.Observability
	args.Signals, args.Tags = list, tags
	if args.Slack == observability.SlackWebhook {
		args.SlackWebhookURL = pulumi.ToSecret(pulumi.String(s.SlackWebhookURL)).(pulumi.StringOutput)
	}
	args.RegionProviders = map[string]pulumi.ProviderResource{}
	if spec.CDN != nil && region != edge.CloudFrontMetricsRegion {
		args.RegionProviders[edge.CloudFrontMetricsRegion] = b.usEast1
	}
	if b.dr != nil {
		// The DR region's signals, each in the region of its metric: a topic there when one is.
		args.Signals = append(args.Signals, b.dr.region.Signals()...)
		if _, taken := args.RegionProviders[b.dr.region.Region]; !taken {
			args.RegionProviders[b.dr.region.Region] = b.dr.provider
		}
		// A topic in the DR region with every strategy, so that it does not come and go with one.
		args.TopicRegions = []string{b.dr.region.Region}
	}
	if needsChatbotProvider(spec, region) {
		p := usEast1Provider(ctx)
		p.Region = pulumi.String(chatbotRegion)
		if args.ChatbotProvider, err = aws.NewProvider(ctx, "chatbot-"+chatbotRegion, p); err != nil {
			return fail(err)
		}
	}
	if args.CentralLogs != nil {
		c := *args.CentralLogs
		c.Network = b.net
		c.ShipLogGroups = map[string]pulumi.StringInput{}
		if b.net.FlowLogGroup != nil {
			c.ShipLogGroups["flow-logs"] = b.net.FlowLogGroup.Name
		}
		if b.cache != nil {
			c.ShipLogGroups["cache-slow-log"] = b.cache.SlowLogGroup.Name
			c.ShipLogGroups["cache-engine-log"] = b.cache.EngineLogGroup.Name
		}
		if b.web.Mode == webtier.ModeEKS {
			// The control plane's log group, which the WebTier names after the cluster (EKS's own
			// name for it) and creates before the cluster.
			// The groups' own outputs, so that each subscription waits for its group.
			c.ShipLogGroups["eks-control-plane"] = b.web.ControlPlaneLogGroup
			// The app's container logs, which Container Insights' Fluent Bit writes there.
			c.ShipLogGroups["eks-application"] = b.web.AppLogGroup
		}
		args.CentralLogs = &c
	}
	obs, err := observability.New(ctx, "observability", &args)
	if err != nil {
		return fail(err)
	}
	outputs["alarmTopicArn"] = obs.TopicARN
	outputs["dashboardName"] = obs.DashboardName
	if obs.Logs != nil {
		outputs["logsEndpoint"] = obs.LogsEndpoint
		outputs["logsSecretArn"] = obs.LogsSecretARN
	}
	return nil
}
