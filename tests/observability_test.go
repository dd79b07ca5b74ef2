package tests

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tierstack/tierstack/components/cachetier"
	"github.com/tierstack/tierstack/components/drregion"
	"github.com/tierstack/tierstack/components/observability"
	"github.com/tierstack/tierstack/internal/signals"
	"github.com/tierstack/tierstack/synth"
	"github.com/tierstack/tierstack/tiers"
)

// Types the observability tests ask about.
const (
	typeMetricAlarm    = "aws:cloudwatch/metricAlarm:MetricAlarm"
	typeCompositeAlarm = "aws:cloudwatch/compositeAlarm:CompositeAlarm"
	typeDashboard      = "aws:cloudwatch/dashboard:Dashboard"
	typeTopic          = "aws:sns/topic:Topic"
	typeSubscription   = "aws:sns/topicSubscription:TopicSubscription"
	typeFunction       = "aws:lambda/function:Function"
	typeQueue          = "aws:sqs/queue:Queue"
	typeDomain         = "aws:opensearch/domain:Domain"
	typeChatbot        = "aws:chatbot/slackChannelConfiguration:SlackChannelConfiguration"
	typeReplGroup      = "aws:elasticache/replicationGroup:ReplicationGroup"
	typeDistribution   = "aws:cloudfront/distribution:Distribution"
	typeWebACL         = "aws:wafv2/webAcl:WebAcl"
	typeLoadBalancer   = "aws:lb/loadBalancer:LoadBalancer"
)

// testWebhook is the Slack webhook the tests configure: a secret that must never be recorded.
const testWebhook = "https://hooks.slack.com/services/T0000TEST/B0000TEST/notARealSecret42"

// alarmID is a metric alarm's signal ID: its logical name less "observability-alarm-".
func alarmID(r synth.Resource) string { return strings.TrimPrefix(r.Name, "observability-alarm-") }

// alarmIDs are the stack's alarms' signal IDs, sorted.
func (s stack) alarmIDs() []string {
	var ids []string
	for _, r := range s.All(typeMetricAlarm) {
		ids = append(ids, alarmID(r))
	}
	slices.Sort(ids)
	return ids
}

// expectedAlarms are the alarms a plan's resources call for: the rules of the alarm table in docs/observability.md,
// derived from what the plan built, not from the spec.
func (s stack) expectedAlarms() []string {
	want := s.drExpectedAlarms()
	s = s.primaryOnly()
	if s.Count(typeInstance) > 0 && s.Has(typeInstance, "web-server") {
		want = append(want, "web-cpu", "web-status-system", "web-status-instance")
	}
	if s.Count(typeLoadBalancer) > 0 {
		want = append(want, "web-5xx-rate", "web-target-5xx-rate", "web-latency-p95", "web-latency-p99", "web-rejected-connections", "web-requests",
			"web-unhealthy-hosts")
	}
	if s.Count(webTypeASG) > 0 {
		want = append(want, "web-cpu")
	}
	if s.Count(eksTypeCluster) > 0 {
		want = append(want, "web-node-cpu", "web-node-memory", "web-node-failed", "web-pod-restarts")
	}
	for _, c := range s.All(typeCluster) {
		prefix := "data-"
		if c.Name != "data-cluster" {
			prefix = "data-" + strings.TrimSuffix(strings.TrimPrefix(c.Name, "data-"), "-cluster") + "-"
		}
		want = append(want, prefix+"cpu", prefix+"connections", prefix+"freeable-memory", prefix+"free-local-storage")
		if s.Count(typeClusterInstance) > s.Count(typeCluster) {
			want = append(want, prefix+"replica-lag")
		}
		if str(s.Named(typeClusterInstance, strings.TrimSuffix(c.Name, "-cluster")+"-writer"), "instanceClass") == "db.serverless" {
			want = append(want, prefix+"acu")
		}
	}
	for _, tbl := range s.All(typeTable) {
		name := strings.TrimPrefix(tbl.Name, "data-table-")
		want = append(want, "data-table-"+name+"-read-throttles", "data-table-"+name+"-write-throttles")
	}
	for _, g := range s.All(typeReplGroup) {
		nodes, _ := g.Outputs["memberClusters"].([]any)
		shards := max(num(g, "numNodeGroups"), 1)
		for i := range nodes {
			slot := cachetier.NodeSlot{Shard: 1 + i/(len(nodes)/shards), Node: 1 + i%(len(nodes)/shards)}
			for _, m := range []string{"cpu", "memory", "evictions", "connections"} {
				want = append(want, cachetier.SignalPrefix(slot)+"-"+m)
			}
			if len(nodes) > shards {
				want = append(want, cachetier.SignalPrefix(slot)+"-replication-lag")
			}
		}
	}
	if s.Count(typeDistribution) > 0 {
		want = append(want, "edge-5xx-rate")
	}
	if s.Count(typeWebACL) > 0 {
		want = append(want, "edge-waf-blocked")
	}
	if s.Count(typeDomain) > 0 {
		want = append(want, "logs-red", "logs-writes-blocked", "logs-yellow", "logs-free-storage", "logs-cpu", "logs-jvm")
	}
	for _, f := range s.All(typeFunction) {
		switch f.Name {
		case "observability-slack":
			want = append(want, "slack-errors", "slack-dlq")
		case "observability-logs-shipper":
			want = append(want, "logs-shipper-errors", "logs-shipper-dlq")
		}
	}
	slices.Sort(want)
	return want
}

// drExpectedAlarms are the DR region's alarms its resources call for (docs/dr-region.md): the
// copies' failures with AWS Backup, the assets' replication failures, each secondary cluster's two
// lags, each table replica's latency.
func (s stack) drExpectedAlarms() []string {
	var want []string
	dr := map[string]bool{}
	for _, r := range s.Resources {
		if strings.Contains(r.URN, drregion.TypeToken+"$") {
			dr[r.URN] = true
		}
	}
	replicas := 0
	for _, r := range s.Resources {
		if !dr[r.URN] {
			continue
		}
		switch {
		case r.Type == "aws:backup/plan:Plan":
			want = append(want, "dr-backup-copy-failed")
		case r.Type == typeReplicationConfig:
			want = append(want, "dr-assets-replication-failed")
		case r.Type == typeCluster:
			shard := strings.TrimPrefix(r.Name, "dr-db-")
			want = append(want, "dr-db-"+shard+"-replication-lag", "dr-db-"+shard+"-rpo-lag")
		case r.Type == "aws:dynamodb/tableReplica:TableReplica":
			want = append(want, fmt.Sprintf("dr-table-%d-replication-latency", replicas))
			replicas++
		}
	}
	return want
}

// identities are every string a resource's ID, inputs and outputs hold: what an alarm's dimension
// may name.
func (s stack) identities() map[string]bool {
	out := map[string]bool{}
	var walk func(v any)
	walk = func(v any) {
		switch x := v.(type) {
		case string:
			out[x] = true
		case map[string]any:
			for _, e := range x {
				walk(e)
			}
		case []any:
			for _, e := range x {
				walk(e)
			}
		}
	}
	for _, r := range s.Resources {
		if r.Type == typeMetricAlarm || r.Type == typeDashboard {
			continue
		}
		out[r.ID] = true
		walk(r.Inputs)
		walk(r.Outputs)
	}
	return out
}

// Each tier alarms exactly what it built: no alarm for a resource that does not exist, no resource
// without its alarms; and every alarm's dimensions name resources of the plan.
func TestEachTierAlarmsWhatItBuilt(t *testing.T) {
	for _, tier := range tiers.All() {
		t.Run(string(tier), func(t *testing.T) {
			s := planTier(t, tierConfig(tier))
			require.NotZero(t, s.Count(typeMetricAlarm))
			assert.Equal(t, s.expectedAlarms(), s.alarmIDs())
			// With Slack by webhook, the function and its queue are watched too.
			notified := planTier(t, notifyConfig(tier))
			assert.Equal(t, notified.expectedAlarms(), notified.alarmIDs())
			assert.Contains(t, notified.alarmIDs(), "slack-dlq")
			known := s.identities()
			for _, a := range s.All(typeMetricAlarm) {
				for _, dims := range alarmDimensions(a) {
					for k, v := range dims {
						if k == "Region" || k == "Rule" || k == "ClientId" {
							continue // constants of the metric, not resources
						}
						assert.True(t, v != "" && known[v], "alarm %s: dimension %s=%q names no resource of the plan", a.Name, k, v)
					}
				}
			}
		})
	}
}

// alarmDimensions are an alarm's metrics' dimensions: its own, or its metric queries'.
func alarmDimensions(a synth.Resource) []map[string]string {
	var out []map[string]string
	add := func(v any) {
		m, _ := v.(map[string]any)
		dims := map[string]string{}
		for k, x := range m {
			dims[k], _ = x.(string)
		}
		out = append(out, dims)
	}
	if d, ok := a.Inputs["dimensions"]; ok {
		add(d)
	}
	queries, _ := a.Inputs["metricQueries"].([]any)
	for _, q := range queries {
		if m, ok := q.(map[string]any)["metric"].(map[string]any); ok {
			add(m["dimensions"])
		}
	}
	return out
}

// Every alarm tells the topic of its provider when it fires and when it recovers, treats missing
// data deliberately and says what to check first; the 100 tier's system status alarm also recovers
// the instance.
func TestEveryAlarmNotifiesItsTopicBothWays(t *testing.T) {
	cfg := tierConfig(tiers.Tier1M)
	cfg["aws:region"] = "eu-west-1"
	cfg["tierstack:network"] = `{"availabilityZones":["eu-west-1a","eu-west-1b","eu-west-1c"]}`
	for name, s := range map[string]stack{"100": planTier(t, tierConfig(tiers.Tier100)), "1m-eu-west-1": planTier(t, cfg)} {
		t.Run(name, func(t *testing.T) {
			topics := map[string]string{} // provider → topic ARN
			for _, topic := range s.All(typeTopic) {
				topics[topic.Provider], _ = topic.Outputs["arn"].(string)
			}
			for _, a := range append(s.All(typeMetricAlarm), s.All(typeCompositeAlarm)...) {
				topic := topics[a.Provider]
				require.NotEmpty(t, topic, "alarm %s has no topic in its region", a.Name)
				assert.Contains(t, strs(a, "alarmActions"), topic, a.Name)
				assert.Equal(t, []string{topic}, strs(a, "okActions"), a.Name)
				assert.Contains(t, str(a, "alarmDescription"), "Check first", a.Name)
				if a.Type == typeMetricAlarm {
					assert.Contains(t, []string{"notBreaching", "breaching", "ignore", "missing"}, str(a, "treatMissingData"), a.Name)
					period := num(a, "period")
					if period < 0 { // metric math: the period is each query's
						period = num(a, "metricQueries.0.metric.period")
					}
					assert.Zero(t, period%60, "%s period %d", a.Name, period)
					assert.LessOrEqual(t, period*num(a, "evaluationPeriods"), 86400, a.Name)
					assert.False(t, str(a, "statistic") != "" && str(a, "extendedStatistic") != "", "%s has a statistic and an extended statistic", a.Name)
				}
			}
		})
	}
	s := planTier(t, tierConfig(tiers.Tier100))
	recover := strs(s.Named(typeMetricAlarm, "observability-alarm-web-status-system"), "alarmActions")
	assert.Contains(t, recover, "arn:aws:automate:us-east-1:ec2:recover")
	// The paging alarms of the stack's region come together in the composite alarm.
	rule := str(s.Named(typeCompositeAlarm, "observability-service-unhealthy"), "alarmRule")
	for _, a := range s.All(typeMetricAlarm) {
		name, _ := a.Outputs["name"].(string)
		paging := str(a, "tags.tierstack:severity") == "page"
		assert.Equal(t, paging, strings.Contains(rule, fmt.Sprintf("ALARM(%q)", name)), "%s (paging %v) in the composite rule", a.Name, paging)
	}
}

// The dashboard graphs every alarm's metric, and graphs nothing that has no alarm.
func TestDashboardShowsEveryAlarmsMetric(t *testing.T) {
	for _, tier := range tiers.All() {
		t.Run(string(tier), func(t *testing.T) {
			s := planTier(t, tierConfig(tier))
			var body struct {
				Widgets []struct {
					Type       string
					Properties struct {
						Metrics []any
					}
				}
			}
			require.NoError(t, json.Unmarshal([]byte(str(s.Named(typeDashboard, "observability-dashboard"), "dashboardBody")), &body))
			var graphed []string
			for _, w := range body.Widgets {
				if w.Type != "metric" {
					continue
				}
				for _, line := range w.Properties.Metrics {
					graphed = append(graphed, metricKey(line))
				}
			}
			alarms := s.All(typeMetricAlarm)
			metricWidgets := 0
			for _, w := range body.Widgets {
				if w.Type == "metric" {
					metricWidgets++
				}
			}
			assert.Equal(t, len(alarms), metricWidgets, "one graph per alarm")
			for _, a := range alarms {
				for _, key := range alarmMetricKeys(a) {
					assert.Contains(t, graphed, key, "alarm %s's metric is not on the dashboard", a.Name)
				}
			}
		})
	}
}

// metricKey writes a dashboard metrics line ([namespace, name, dim, value, …, {options}]) as
// "namespace name dim=value …", or the expression of a math line.
func metricKey(line any) string {
	parts, _ := line.([]any)
	var words []string
	var dims []string
	for i := 0; i < len(parts); i++ {
		switch v := parts[i].(type) {
		case string:
			if i < 2 {
				words = append(words, v)
			} else if i+1 < len(parts) {
				value, _ := parts[i+1].(string)
				dims = append(dims, v+"="+value)
				i++
			}
		case map[string]any:
			if e, ok := v["expression"].(string); ok {
				return "expr " + e
			}
		}
	}
	slices.Sort(dims)
	return strings.Join(append(words, dims...), " ")
}

// alarmMetricKeys are the keys of an alarm's metrics, as metricKey writes them.
func alarmMetricKeys(a synth.Resource) []string {
	key := func(ns, name string, dims map[string]string) string {
		var ds []string
		for k, v := range dims {
			ds = append(ds, k+"="+v)
		}
		slices.Sort(ds)
		return strings.Join(append([]string{ns, name}, ds...), " ")
	}
	if str(a, "metricName") != "" {
		return []string{key(str(a, "namespace"), str(a, "metricName"), alarmDimensions(a)[0])}
	}
	var keys []string
	queries, _ := a.Inputs["metricQueries"].([]any)
	for _, q := range queries {
		qm := q.(map[string]any)
		if m, ok := qm["metric"].(map[string]any); ok {
			dims := map[string]string{}
			for k, v := range m["dimensions"].(map[string]any) {
				dims[k], _ = v.(string)
			}
			keys = append(keys, key(m["namespace"].(string), m["metricName"].(string), dims))
		} else {
			keys = append(keys, "expr "+qm["expression"].(string))
		}
	}
	return keys
}

// notifyConfig is a tier's config with an alarm email and the Slack webhook.
func notifyConfig(tier tiers.Tier) map[string]string {
	cfg := tierConfig(tier)
	cfg["tierstack:alarmEmail"] = "ops@example.com"
	cfg["tierstack:alarms"] = `{"slack":"webhook"}`
	cfg["tierstack:slackWebhookUrl"] = testWebhook
	return cfg
}

// Moving up a tier keeps the topic, its key and every subscription (same URNs, nothing replaced),
// and changes alarms only by adding, removing or updating them.
func TestTierChangesKeepTheTopicAndOnlyAddOrRemoveAlarms(t *testing.T) {
	rules, err := synth.ReplacementRules()
	require.NoError(t, err)
	for i := 0; i+1 < len(tiers.All()); i++ {
		from, to := tiers.All()[i], tiers.All()[i+1]
		t.Run(fmt.Sprintf("%s-to-%s", from, to), func(t *testing.T) {
			before, after := planTier(t, notifyConfig(from)), planTier(t, notifyConfig(to))
			for _, typ := range []string{typeTopic, typeSubscription, typeKey} {
				for _, r := range before.All(typ) {
					if !strings.HasPrefix(r.Name, "observability-") {
						continue
					}
					assert.Equal(t, r.URN, after.ByURN(r.URN).URN)
				}
			}
			require.Equal(t, 2, before.Count(typeSubscription), "email and Slack")
			for _, c := range synth.Diff(before.Plan, after.Plan, rules) {
				if !strings.Contains(c.URN, "tierstack:index:Observability") {
					continue
				}
				assert.NotEqual(t, synth.Replace, c.Action, "%s %s is replaced (by %v)", c.Type, c.Name, c.ReplacedBy)
				if c.Action == synth.Delete {
					assert.Equal(t, typeMetricAlarm, c.Type, "only alarms leave: %s %s", c.Type, c.Name)
				}
			}
		})
	}
}

// Neither the Slack webhook nor the alarm email is in plain text anywhere in the recorded plan.
func TestNoSlackOrEmailSecretInPlaintext(t *testing.T) {
	for _, tier := range []tiers.Tier{tiers.Tier100, tiers.Tier1M} {
		s := planTier(t, notifyConfig(tier))
		raw, err := json.Marshal(s.Plan)
		require.NoError(t, err)
		assert.NotContains(t, string(raw), "notARealSecret42")
		assert.NotContains(t, string(raw), "hooks.slack.com")
		assert.NotContains(t, string(raw), "ops@example.com")
		assert.Equal(t, synth.SecretPlaceholder, str(s.Named(typeSecretVersion, "observability-slack-webhook-value"), "secretString"))
		assert.True(t, s.Has(typeFunction, "observability-slack"))
	}
}

// Bad alarm settings fail before anything is registered, naming the setting, the bad value and
// what is allowed.
func TestBadAlarmSettingsAreRefusedBeforeRegistering(t *testing.T) {
	cases := []struct {
		name string
		tier tiers.Tier
		cfg  map[string]string
		want []string
	}{
		{"email not an address", tiers.Tier100, map[string]string{"tierstack:alarmEmail": "ops@"}, []string{"tierstack:alarmEmail", `"ops@"`, "ops@example.com"}},
		{"workspace ID wrong shape", tiers.Tier100, map[string]string{"tierstack:alarms": `{"slack":"chatbot","slackWorkspaceId":"acme","slackChannelId":"C07EZ1ABC23"}`},
			[]string{"slackWorkspaceId", `"acme"`, "T07EA123LEP"}},
		{"channel ID wrong shape", tiers.Tier100, map[string]string{"tierstack:alarms": `{"slack":"chatbot","slackWorkspaceId":"T07EA123LEP","slackChannelId":"#ops"}`},
			[]string{"slackChannelId", `"#ops"`, "C07EZ1ABC23"}},
		{"percentage above 100", tiers.Tier10k, map[string]string{"tierstack:alarms": `{"signals":{"web-5xx-rate":{"threshold":150}}}`},
			[]string{"tierstack:alarms", "web-5xx-rate", "150", "0 to 100"}},
		{"negative count", tiers.Tier10k, map[string]string{"tierstack:alarms": `{"signals":{"web-rejected-connections":{"threshold":-1}}}`},
			[]string{"tierstack:alarms", "web-rejected-connections", "-1", "0 or more"}},
		{"period AWS refuses", tiers.Tier100, map[string]string{"tierstack:alarms": `{"signals":{"data-cpu":{"period":45}}}`},
			[]string{"tierstack:alarms", "data-cpu", "period 45", "multiple of 60"}},
		{"range over a day", tiers.Tier100, map[string]string{"tierstack:alarms": `{"signals":{"data-cpu":{"period":600,"evaluationPeriods":200}}}`},
			[]string{"data-cpu", "evaluationPeriods 200", "at most 86400"}},
		{"retention CloudWatch Logs refuses", tiers.Tier100, map[string]string{"tierstack:alarms": `{"logRetentionDays":10}`},
			[]string{"tierstack:alarms logRetentionDays", "10", "14, 30"}},
		{"not an OpenSearch instance type", tiers.Tier100k, map[string]string{"tierstack:alarms": `{"logsInstanceType":"m7g.huge"}`},
			[]string{"tierstack:alarms logsInstanceType", `"m7g.huge"`, "r7g.large.search"}},
		{"unknown signal", tiers.Tier100, map[string]string{"tierstack:alarms": `{"signals":{"web-cpuu":{"threshold":70}}}`},
			[]string{"tierstack:alarms signals", `"web-cpuu"`, "web-cpu"}},
		{"webhook without its URL", tiers.Tier100, map[string]string{"tierstack:alarms": `{"slack":"webhook"}`},
			[]string{"tierstack:slackWebhookUrl", "pulumi config set --secret"}},
		{"webhook URL not Slack's", tiers.Tier100, map[string]string{"tierstack:alarms": `{"slack":"webhook"}`, "tierstack:slackWebhookUrl": "http://evil.example/x"},
			[]string{"tierstack:slackWebhookUrl", "https://hooks.slack.com/"}},
		{"misspelt alarms field", tiers.Tier100, map[string]string{"tierstack:alarms": `{"slak":"webhook"}`}, []string{"tierstack:alarms", "slak", "allowed fields"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cfg := tierConfig(c.tier)
			for k, v := range c.cfg {
				cfg[k] = v
			}
			s, err := runProgram(t, "", cfg, tiers.Program)
			require.Error(t, err)
			for _, w := range c.want {
				assert.Contains(t, err.Error(), w)
			}
			assert.NotContains(t, err.Error(), "evil.example", "the webhook URL is a secret")
			assert.Empty(t, s.Resources, "nothing may be registered before the config is checked")
		})
	}
}

// The Chatbot way: one channel configuration for every topic, read-only guardrail, made through a
// provider in a region that serves the Chatbot API.
func TestChatbotPostsEveryTopicReadOnly(t *testing.T) {
	cfg := tierConfig(tiers.Tier10k)
	cfg["tierstack:alarms"] = `{"slack":"chatbot","slackWorkspaceId":"T07EA123LEP","slackChannelId":"C07EZ1ABC23"}`
	s := planTier(t, cfg)
	bot := s.Named(typeChatbot, "observability-chatbot")
	assert.Equal(t, []string{"arn:aws:iam::aws:policy/ReadOnlyAccess"}, strs(bot, "guardrailPolicyArns"))
	assert.Len(t, strs(bot, "snsTopicArns"), s.Count(typeTopic))
	assert.Contains(t, bot.Provider, "chatbot-us-east-2", "us-east-1 does not serve the Chatbot API")
	assert.False(t, s.Has(typeFunction, "observability-slack"))
}

// The Auto Scaling group's CPU and the target group's unhealthy hosts need names the WebTier does
// not export yet (AutoScalingGroupName, TargetGroupARNSuffix): observability.WebSignals takes them,
// tiers.webInputs cannot fill them. This test turns on once the WebTier exports them.
func TestAutoScalingGroupHasItsAlarms(t *testing.T) {
	s := planTier(t, tierConfig(tiers.Tier10k))
	group := s.Named(webTypeASG, "web-asg")
	cpu := s.Named(typeMetricAlarm, "observability-alarm-web-cpu")
	assert.Equal(t, group.Outputs["name"], str(cpu, "dimensions.AutoScalingGroupName"))
	hosts := s.Named(typeMetricAlarm, "observability-alarm-web-unhealthy-hosts")
	assert.Equal(t, s.Named(webTypeTG, "web-tg").Outputs["arnSuffix"], str(hosts, "dimensions.TargetGroup"))
}

// On EKS the nodes and the app's pods are watched through Container Insights, installed as the
// EKS add-on with its log groups made first, and the app's container logs go to the central logs.
func TestEKSClusterHasItsAlarms(t *testing.T) {
	s := planTier(t, tierConfig(tiers.Tier100k))
	cluster := str(s.Named(eksTypeCluster, "web-eks"), "name")
	for _, id := range []string{"web-node-cpu", "web-node-memory", "web-node-failed"} {
		a := s.Named(typeMetricAlarm, "observability-alarm-"+id)
		assert.Equal(t, "ContainerInsights", str(a, "namespace"), id)
		assert.Equal(t, cluster, str(a, "dimensions.ClusterName"), id)
	}
	restarts := s.Named(typeMetricAlarm, "observability-alarm-web-pod-restarts")
	assert.Equal(t, "pod_number_of_container_restarts", str(restarts, "metricQueries.0.metric.metricName"))
	assert.Equal(t, "app", str(restarts, "metricQueries.0.metric.dimensions.Namespace"))
	assert.Equal(t, false, input(restarts, "metricQueries.0.returnData"))
	assert.Equal(t, "MAX([DIFF(m), 0])", str(restarts, "metricQueries.1.expression"), "a running total: the alarm watches its growth")
	assert.Equal(t, true, input(restarts, "metricQueries.1.returnData"))
	addon := s.Named(eksTypeAddon, "web-addon-amazon-cloudwatch-observability")
	assert.Equal(t, "cloudwatch-agent", str(addon, "podIdentityAssociations.0.serviceAccount"))
	app := s.Named(typeLogGroup, "web-insights-application")
	assert.Equal(t, "/aws/containerinsights/"+cluster+"/application", str(app, "name"))
	assert.Contains(t, addon.Dependencies, app.URN, "the log groups exist first, with a retention")
	shipped := false
	for _, f := range s.All("aws:cloudwatch/logSubscriptionFilter:LogSubscriptionFilter") {
		if str(f, "logGroup") == str(app, "name") {
			shipped = true
			assert.Contains(t, f.Dependencies, app.URN, "the subscription waits for its group")
		}
	}
	assert.True(t, shipped, "the app's container logs go to the central logs")
}

// A disabled signal loses its alarm and its graph, so that neither lacks the other.
func TestDisabledSignalLosesAlarmAndGraph(t *testing.T) {
	cfg := tierConfig(tiers.Tier10k)
	cfg["tierstack:alarms"] = `{"signals":{"web-requests":{"disabled":true},"cache-cpu":{"threshold":70}}}`
	s := planTier(t, cfg)
	assert.False(t, s.Has(typeMetricAlarm, "observability-alarm-web-requests"))
	assert.NotContains(t, str(s.Named(typeDashboard, "observability-dashboard"), "dashboardBody"), `"alarm web-requests"`)
	assert.Contains(t, str(s.Named(typeDashboard, "observability-dashboard"), "dashboardBody"), `"alarm web-latency-p99"`)
	for _, a := range s.All(typeMetricAlarm) {
		if strings.HasPrefix(alarmID(a), "cache-node") && strings.HasSuffix(alarmID(a), "-cpu") {
			assert.Equal(t, 70.0, input(a, "threshold"), "the family's override reaches %s", a.Name)
		}
	}
}

// Credentials the Chatbot provider would not take are refused before anything is registered.
func TestChatbotProviderRefusesCredentialsItWouldNotUse(t *testing.T) {
	cfg := tierConfig(tiers.Tier100)
	cfg["tierstack:alarms"] = `{"slack":"chatbot","slackWorkspaceId":"T07EA123LEP","slackChannelId":"C07EZ1ABC23"}`
	cfg["aws:assumeRole"] = `{"roleArn":"arn:aws:iam::123456789012:role/deploy"}`
	s, err := runProgram(t, "", cfg, tiers.Program)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "aws:assumeRole")
	assert.Contains(t, err.Error(), "us-east-2")
	assert.Empty(t, s.Resources)
}

// A composite alarm's rule names at most 100 alarms: more paging signals are refused before the
// component registers anything.
func TestTooManyPagingAlarmsAreRefused(t *testing.T) {
	var list []signals.Signal
	for i := 0; i < 101; i++ {
		list = append(list, signals.Signal{ID: fmt.Sprintf("host%d-cpu", i), Title: "CPU", Resource: "host", Meaning: "busy", CheckFirst: "load",
			Layer: signals.LayerWeb, Golden: signals.Saturation, Kind: signals.Percent, Threshold: 90, Comparison: signals.AtOrAbove,
			Missing: signals.MissingMissing, Severity: signals.Page,
			Metric: signals.Metric{Namespace: "AWS/EC2", Name: "CPUUtilization", Statistic: "Average",
				Dimensions: map[string]pulumi.StringInput{"InstanceId": pulumi.String(fmt.Sprintf("i-%d", i))}}})
	}
	s, err := runProgram(t, "us-east-1", nil, func(ctx *pulumi.Context) (pulumi.Map, error) {
		_, err := observability.New(ctx, "observability", &observability.Args{Signals: list})
		return nil, err
	})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "101 paging alarms")
	assert.Contains(t, err.Error(), "at most 100")
	assert.Empty(t, s.Resources)
	// One fewer fits.
	_, err = runProgram(t, "us-east-1", nil, func(ctx *pulumi.Context) (pulumi.Map, error) {
		_, err := observability.New(ctx, "observability", &observability.Args{Signals: list[:100]})
		return nil, err
	})
	assert.NoError(t, err)
}
