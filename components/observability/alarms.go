package observability

import (
	"fmt"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/tierstack/tierstack/internal/awsenv"
	"github.com/tierstack/tierstack/internal/naming"
	"github.com/tierstack/tierstack/internal/signals"
)

// alarmName is the logical name of a signal's alarm: "name-alarm-id".
func alarmName(name, id string) string { return naming.Child(name, "alarm-"+id) }

// buildAlarms creates one metric alarm per signal, notifying the topic of its region when it fires
// and when it recovers, then the composite alarm over the paging ones of the stack's region.
func (o *Observability) buildAlarms(ctx *pulumi.Context, name string, a Args, env awsenv.Env, topics map[string]*alarmTopic) error {
	var paging []pulumi.StringOutput
	for _, s := range a.Signals {
		region := regionOf(s, env.Region)
		opts := []pulumi.ResourceOption{pulumi.Parent(o)}
		if region != env.Region {
			opts = append(opts, pulumi.Provider(a.RegionProviders[region]))
		}
		topic := topics[region].topic.Arn
		actions := pulumi.Array{topic}
		if s.RecoverInstance {
			// EC2's recover action moves the instance to healthy hardware, keeping its ID, its
			// addresses and its volumes.
			actions = append(actions, pulumi.String(fmt.Sprintf("arn:%s:automate:%s:ec2:recover", env.Partition, region)))
		}
		args := &cloudwatch.MetricAlarmArgs{
			AlarmDescription:   pulumi.String(s.Description()),
			ComparisonOperator: pulumi.String(string(s.Comparison)),
			EvaluationPeriods:  pulumi.Int(s.EvaluationPeriods),
			DatapointsToAlarm:  pulumi.Int(s.DatapointsToAlarm),
			Threshold:          pulumi.Float64(s.Threshold),
			TreatMissingData:   pulumi.String(string(s.Missing)),
			AlarmActions:       actions,
			OkActions:          pulumi.Array{topic},
			Tags:               alarmTags(a.Tags, alarmName(name, s.ID), s),
		}
		setMetric(args, s)
		alarm, err := cloudwatch.NewMetricAlarm(ctx, alarmName(name, s.ID), args, opts...)
		if err != nil {
			return err
		}
		o.Alarms[s.ID] = alarm
		if s.Severity == signals.Page && region == env.Region {
			paging = append(paging, alarm.Name)
		}
	}
	o.ServiceAlarmName = pulumi.String("").ToStringOutput()
	if len(paging) == 0 {
		return nil
	}
	composite := compositeName(ctx, name)
	rule := pulumi.All(toAny(paging)...).ApplyT(func(names []any) string {
		terms := make([]string, len(names))
		for i, n := range names {
			terms[i] = fmt.Sprintf("ALARM(%q)", n)
		}
		return strings.Join(terms, " OR ")
	}).(pulumi.StringOutput)
	topic := topics[env.Region].topic.Arn
	c, err := cloudwatch.NewCompositeAlarm(ctx, naming.Child(name, "service-unhealthy"), &cloudwatch.CompositeAlarmArgs{
		AlarmName: pulumi.String(composite),
		AlarmDescription: pulumi.String("Service unhealthy: at least one paging alarm of the stack is firing. " +
			"Check first: the dashboard " + dashboardName(ctx, name) + ", whose rows show which layer broke first."),
		AlarmRule:    rule,
		AlarmActions: pulumi.StringArray{topic},
		OkActions:    pulumi.StringArray{topic},
		Tags:         naming.Tags(a.Tags, composite),
	}, pulumi.Parent(o))
	if err != nil {
		return err
	}
	o.ServiceAlarmName = c.AlarmName
	return nil
}

// setMetric sets what the alarm watches: the metric and its statistic (a percentile as an extended
// statistic, since CloudWatch refuses both together), or for a rate, metric math over two metrics.
func setMetric(args *cloudwatch.MetricAlarmArgs, s signals.Signal) {
	if s.Growth {
		args.MetricQueries = cloudwatch.MetricAlarmMetricQueryArray{
			cloudwatch.MetricAlarmMetricQueryArgs{
				Id: pulumi.String("m"), ReturnData: pulumi.Bool(false),
				Metric: cloudwatch.MetricAlarmMetricQueryMetricArgs{
					Namespace: pulumi.String(s.Metric.Namespace), MetricName: pulumi.String(s.Metric.Name),
					Dimensions: dimensions(s.Metric), Period: pulumi.Int(s.Period), Stat: pulumi.String(s.Metric.Statistic),
				},
			},
			cloudwatch.MetricAlarmMetricQueryArgs{
				Id: pulumi.String("growth"), Expression: pulumi.String(GrowthExpression),
				Label: pulumi.String(s.Title + " (growth)"), ReturnData: pulumi.Bool(true),
			},
		}
		return
	}
	if s.Per == nil {
		args.Namespace = pulumi.String(s.Metric.Namespace)
		args.MetricName = pulumi.String(s.Metric.Name)
		args.Dimensions = dimensions(s.Metric)
		args.Period = pulumi.Int(s.Period)
		if signals.IsPercentile(s.Metric.Statistic) {
			args.ExtendedStatistic = pulumi.String(s.Metric.Statistic)
		} else {
			args.Statistic = pulumi.String(s.Metric.Statistic)
		}
		return
	}
	query := func(id string, m signals.Metric) cloudwatch.MetricAlarmMetricQueryInput {
		return cloudwatch.MetricAlarmMetricQueryArgs{
			Id:         pulumi.String(id),
			ReturnData: pulumi.Bool(false),
			Metric: cloudwatch.MetricAlarmMetricQueryMetricArgs{
				Namespace:  pulumi.String(m.Namespace),
				MetricName: pulumi.String(m.Name),
				Dimensions: dimensions(m),
				Period:     pulumi.Int(s.Period),
				Stat:       pulumi.String(s.Metric.Statistic),
			},
		}
	}
	args.MetricQueries = cloudwatch.MetricAlarmMetricQueryArray{
		query("m", s.Metric),
		query("d", *s.Per),
		cloudwatch.MetricAlarmMetricQueryArgs{
			Id:         pulumi.String("rate"),
			Expression: pulumi.String(RateExpression),
			Label:      pulumi.String(s.Title + " (%)"),
			ReturnData: pulumi.Bool(true),
		},
	}
}

// RateExpression is the metric math of a rate signal: the share of m in d, in percent. Load
// balancers and CloudFront publish no 5xx count in a minute without one, hence FILL; a minute
// without requests is 0 %.
const RateExpression = "IF(d > 0, 100 * FILL(m, 0) / d, 0)"

// GrowthExpression is the metric math of a growth signal: how much m rose since the last period
// (a reset, when the total falls, counts as none).
const GrowthExpression = "MAX([DIFF(m), 0])"

// dimensions turns a metric's dimensions into an input.
func dimensions(m signals.Metric) pulumi.StringMap {
	out := pulumi.StringMap{}
	for k, v := range m.Dimensions {
		out[k] = v
	}
	return out
}

// SeverityTag is the tag that says whether an alarm pages or only notifies.
const SeverityTag = "tierstack:severity"

// alarmTags are an alarm's tags: the component's, its Name, and its severity.
func alarmTags(tags map[string]string, name string, s signals.Signal) pulumi.StringMap {
	out := naming.Tags(tags, name)
	out[SeverityTag] = pulumi.String(string(s.Severity))
	return out
}

// regionOf is where a signal's metric lives.
func regionOf(s signals.Signal, home string) string {
	if s.Metric.Region == "" {
		return home
	}
	return s.Metric.Region
}

// compositeName is the composite alarm's name: unique in the account's region by project and stack.
func compositeName(ctx *pulumi.Context, name string) string {
	return fmt.Sprintf("%s-%s-%s-service-unhealthy", ctx.Project(), ctx.Stack(), name)
}

// toAny widens outputs for pulumi.All.
func toAny(outs []pulumi.StringOutput) []any {
	out := make([]any, len(outs))
	for i, o := range outs {
		out[i] = o
	}
	return out
}

// checkComposite refuses a composite alarm AWS would refuse: more than 100 alarms in its rule, or a
// rule longer than 10240 characters. Alarm names are auto-named (logical name, a hyphen and seven
// characters), so the rule's length is known before anything is registered.
func checkComposite(name string, list []signals.Signal, home string) error {
	count, length := 0, 0
	for _, s := range list {
		if s.Severity != signals.Page || regionOf(s, home) != home {
			continue
		}
		count++
		length += len(`ALARM("")`) + len(alarmName(name, s.ID)) + naming.AutoNameSuffix
		if count > 1 {
			length += len(" OR ")
		}
	}
	if count > signals.MaxCompositeChildren {
		return fmt.Errorf("%d paging alarms are more than a composite alarm's rule may name (allowed: at most %d; make some notify)", count, signals.MaxCompositeChildren)
	}
	if length > signals.MaxCompositeRule {
		return fmt.Errorf("the composite alarm's rule would have %d characters (allowed: at most %d; make some alarms notify)", length, signals.MaxCompositeRule)
	}
	return nil
}
