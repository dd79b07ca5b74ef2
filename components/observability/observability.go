// Package observability builds what tells people that a stack is in trouble: CloudWatch alarms over
// the signals the other components describe, one encrypted SNS topic they notify (and tell again
// when they recover), email and Slack subscribers, a composite "service unhealthy" alarm, one
// dashboard of the golden signals, and from 100k an OpenSearch domain the logs are shipped to.
package observability

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/sns"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/tierstack/tierstack/internal/awsenv"
	"github.com/tierstack/tierstack/internal/naming"
	"github.com/tierstack/tierstack/internal/signals"
)

// TypeToken is the Pulumi type token of the Observability component.
const TypeToken = "tierstack:index:Observability"

// Observability is a stack's alarms, their topic and subscribers, its dashboard and its central logs.
type Observability struct {
	pulumi.ResourceState

	// TopicARN is the alarm topic in the stack's region: subscribe more people to it.
	TopicARN pulumi.StringOutput `pulumi:"topicArn"`
	// DashboardName is the CloudWatch dashboard's name.
	DashboardName pulumi.StringOutput `pulumi:"dashboardName"`
	// ServiceAlarmName is the composite "service unhealthy" alarm's name; empty when no signal pages.
	ServiceAlarmName pulumi.StringOutput `pulumi:"serviceAlarmName"`
	// LogsEndpoint is the OpenSearch domain's endpoint; empty without central logs.
	LogsEndpoint pulumi.StringOutput `pulumi:"logsEndpoint"`
	// LogsSecretARN is the secret holding the OpenSearch master user; empty without central logs.
	LogsSecretARN pulumi.StringOutput `pulumi:"logsSecretArn"`
	// Topic is the alarm topic in the stack's region.
	Topic *sns.Topic
	// Alarms are the metric alarms by signal ID.
	Alarms map[string]*cloudwatch.MetricAlarm
	// Signals are the signals the alarms and the dashboard were made from, overrides applied.
	Signals []signals.Signal
	// Logs is the central logging domain and its security group; nil without central logs.
	Logs *CentralLogs
}

// longestChild is the longest suffix the component appends to its name for an auto-named IAM role.
const longestChild = "-logs-shipper-role"

// New creates an Observability. It checks args and its name and looks up the environment before
// it registers anything.
func New(ctx *pulumi.Context, name string, args *Args, opts ...pulumi.ResourceOption) (*Observability, error) {
	if err := naming.CheckComponent("observability", name, longestChild); err != nil {
		return nil, err
	}
	if args == nil {
		args = &Args{}
	}
	a, err := args.checked()
	if err != nil {
		return nil, fmt.Errorf("observability %s: %w", name, err)
	}
	env, _, err := awsenv.Resolve(ctx, opts)
	if err != nil {
		return nil, fmt.Errorf("observability %s: %w", name, err)
	}
	if err := checkLogsNetwork(a); err != nil {
		return nil, fmt.Errorf("observability %s: %w", name, err)
	}
	if err := checkPlacement(name, a, env.Region); err != nil {
		return nil, fmt.Errorf("observability %s: %w", name, err)
	}
	o := &Observability{Signals: a.Signals, Alarms: map[string]*cloudwatch.MetricAlarm{}}
	if err := ctx.RegisterComponentResource(TypeToken, name, o, opts...); err != nil {
		return nil, fmt.Errorf("observability %s: %w", name, err)
	}
	if err := o.build(ctx, name, a, env); err != nil {
		return nil, fmt.Errorf("observability %s: %w", name, err)
	}
	if err := ctx.RegisterResourceOutputs(o, pulumi.Map{
		"topicArn":         o.TopicARN,
		"dashboardName":    o.DashboardName,
		"serviceAlarmName": o.ServiceAlarmName,
		"logsEndpoint":     o.LogsEndpoint,
		"logsSecretArn":    o.LogsSecretARN,
	}); err != nil {
		return nil, fmt.Errorf("observability %s: registering outputs: %w", name, err)
	}
	return o, nil
}

// checkPlacement refuses signals in a region there is no provider for, and Chatbot through a
// provider in a region that does not serve its API.
func checkPlacement(name string, a Args, region string) error {
	for _, s := range a.Signals {
		r := s.Metric.Region
		if r == "" || r == region {
			continue
		}
		if a.RegionProviders[r] == nil {
			return fmt.Errorf("signal %s is in %s and regionProviders has no provider for it (allowed: a provider for every region a signal names)", s.ID, r)
		}
	}
	for _, r := range a.TopicRegions {
		if r != region && a.RegionProviders[r] == nil {
			return fmt.Errorf("topicRegions names %s and regionProviders has no provider for it (allowed: a provider for every region a topic is kept in)", r)
		}
	}
	if a.Slack == SlackChatbot && a.ChatbotProvider == nil && !contains(chatbotRegions, region) {
		return fmt.Errorf("slack chatbot needs the Chatbot API, which %s does not serve (allowed: a chatbotProvider in one of %v)", region, chatbotRegions)
	}
	list := a.Signals
	if a.CentralLogs != nil {
		list = append(append([]signals.Signal{}, list...), logsSignals("", "", 0)...)
	}
	return checkComposite(name, list, region)
}

// build creates the topics and their subscribers, the alarms, the composite alarm, the dashboard
// and the central logs.
func (o *Observability) build(ctx *pulumi.Context, name string, a Args, env awsenv.Env) error {
	parent := pulumi.Parent(o)
	home, err := newTopic(ctx, name, "", a, env, parent)
	if err != nil {
		return err
	}
	o.Topic, o.TopicARN = home.topic, home.topic.Arn
	topics := map[string]*alarmTopic{env.Region: home}
	for _, region := range topicRegions(a, env.Region) {
		renv := env
		renv.Region = region
		t, err := newTopic(ctx, name, region, a, renv, parent, pulumi.Provider(a.RegionProviders[region]))
		if err != nil {
			return err
		}
		topics[region] = t
	}
	if err := o.buildSlack(ctx, name, &a, env, topics); err != nil {
		return err
	}
	o.LogsEndpoint, o.LogsSecretARN = pulumi.String("").ToStringOutput(), pulumi.String("").ToStringOutput()
	if a.CentralLogs != nil {
		logs, err := newCentralLogs(ctx, name, a, env, home, o)
		if err != nil {
			return err
		}
		o.Logs, o.LogsEndpoint, o.LogsSecretARN = logs, logs.Endpoint, logs.SecretARN
		a.Signals = append(a.Signals, logsSignals(logs.DomainName, env.AccountID, a.CentralLogs.VolumeGiB)...)
		if logs.shipperFunction != nil {
			a.Signals = append(a.Signals, functionSignals("logs-shipper", "the log shipper", logs.shipperFunction, logs.shipperQueue,
				"shipping a batch of log events to OpenSearch failed; Lambda retries twice, then moves it to the dead-letter queue.",
				"the shipper's log group for OpenSearch's answer (429: the domain is saturated; 403: the master user), then the domain's alarms.",
				"log events never reached OpenSearch and wait in the queue for 14 days (they are still in their CloudWatch log groups).",
				"the messages in the queue, then the shipper's errors.")...)
		}
	}
	// The component's own signals (the Slack function's, the domain's) are whole and defaulted.
	for i, s := range a.Signals {
		a.Signals[i] = s.WithDefaults()
	}
	if err := signals.CheckAll(a.Signals); err != nil {
		return err
	}
	o.Signals = a.Signals
	if err := o.buildAlarms(ctx, name, a, env, topics); err != nil {
		return err
	}
	return o.buildDashboard(ctx, name, a, env)
}

// topicRegions lists the regions other than home that get a topic: those signals name, in order
// of first mention, then TopicRegions.
func topicRegions(a Args, home string) []string {
	out := otherRegions(a.Signals, home)
	for _, r := range a.TopicRegions {
		if r != home && !contains(out, r) {
			out = append(out, r)
		}
	}
	return out
}

// otherRegions lists, in order of first mention, the regions signals name besides home.
func otherRegions(list []signals.Signal, home string) []string {
	var out []string
	for _, s := range list {
		if r := s.Metric.Region; r != "" && r != home && !contains(out, r) {
			out = append(out, r)
		}
	}
	return out
}

// contains reports whether list holds s.
func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
