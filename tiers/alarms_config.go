package tiers

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/tierstack/tierstack/components/observability"
	"github.com/tierstack/tierstack/internal/signals"
)

// AlarmsSettings are the tierstack:alarms settings: how alarms reach people, how long logs are kept,
// the central logs, and thresholds per signal. A zero field keeps the tier's value.
type AlarmsSettings struct {
	// Slack is webhook, chatbot or none; "" keeps none.
	Slack string `json:"slack,omitempty"`
	// SlackWorkspaceID is the Slack workspace ID for chatbot, such as T07EA123LEP.
	SlackWorkspaceID string `json:"slackWorkspaceId,omitempty"`
	// SlackChannelID is the Slack channel ID for chatbot, such as C07EZ1ABC23.
	SlackChannelID string `json:"slackChannelId,omitempty"`
	// LogRetentionDays is how long the observability log groups keep their events.
	LogRetentionDays int `json:"logRetentionDays,omitempty"`
	// CentralLogs turns the OpenSearch domain on or off; nil keeps the tier's choice (on from 100k).
	CentralLogs *bool `json:"centralLogs,omitempty"`
	// LogsInstanceType is the OpenSearch data nodes' type, such as r7g.large.search.
	LogsInstanceType string `json:"logsInstanceType,omitempty"`
	// LogsInstanceCount is how many OpenSearch data nodes: a multiple of the zones.
	LogsInstanceCount int `json:"logsInstanceCount,omitempty"`
	// LogsVolumeGiB is each OpenSearch data node's volume.
	LogsVolumeGiB int `json:"logsVolumeGiB,omitempty"`
	// Signals override alarms by signal ID or family, such as {"web-cpu": {"threshold": 70}}.
	Signals map[string]signals.Override `json:"signals,omitempty"`
}

const alarmsFields = "slack (webhook, chatbot, none), slackWorkspaceId, slackChannelId, logRetentionDays, centralLogs, logsInstanceType, logsInstanceCount, logsVolumeGiB, signals {id: {threshold, period, evaluationPeriods, datapointsToAlarm, severity, disabled}}"

// slackWebhookPrefix is how every Slack incoming webhook URL begins.
const slackWebhookPrefix = "https://hooks.slack.com/"

// checkAlarms checks what can be checked of tierstack:alarms and tierstack:slackWebhookUrl without
// the tier. An error never repeats the webhook URL: it is a secret.
func checkAlarms(s Settings) error {
	a := s.Alarms
	switch observability.Slack(a.Slack) {
	case observability.SlackNone, "none", observability.SlackWebhook, observability.SlackChatbot:
	default:
		return fmt.Errorf("tierstack:alarms slack %q is not a way to Slack (allowed: webhook, chatbot, none)", a.Slack)
	}
	webhook := a.Slack == string(observability.SlackWebhook)
	if webhook && s.SlackWebhookURL == "" {
		return fmt.Errorf("tierstack:alarms slack webhook needs tierstack:slackWebhookUrl (set it with pulumi config set --secret tierstack:slackWebhookUrl https://hooks.slack.com/services/…)")
	}
	if !webhook && s.SlackWebhookURL != "" {
		return fmt.Errorf("tierstack:slackWebhookUrl is set without tierstack:alarms slack webhook (allowed: set slack to webhook, or remove the URL)")
	}
	if webhook && !strings.HasPrefix(s.SlackWebhookURL, slackWebhookPrefix) {
		return fmt.Errorf("tierstack:slackWebhookUrl is not a Slack incoming webhook URL (allowed: one that begins %s; the value is a secret and not shown)", slackWebhookPrefix)
	}
	if a.Slack != string(observability.SlackChatbot) && (a.SlackWorkspaceID != "" || a.SlackChannelID != "") {
		return fmt.Errorf("tierstack:alarms slackWorkspaceId and slackChannelId are set without slack chatbot (allowed: slack chatbot, or remove them)")
	}
	if a.LogRetentionDays != 0 {
		if err := signals.CheckRetention(a.LogRetentionDays); err != nil {
			return fmt.Errorf("tierstack:alarms logRetentionDays %w", err)
		}
	}
	for _, id := range sortedKeys(a.Signals) {
		if err := signals.CheckOverride(id, a.Signals[id]); err != nil {
			return fmt.Errorf("tierstack:alarms signals %w", err)
		}
	}
	return nil
}

// applyAlarms applies the tierstack:alarms settings and the alarm email to the spec.
func (s *Spec) applyAlarms(set Settings) error {
	o := &s.Observability
	a := set.Alarms
	o.Email = set.AlarmEmail
	if a.Slack != "none" {
		o.Slack = observability.Slack(a.Slack)
	}
	o.SlackWorkspaceID, o.SlackChannelID = a.SlackWorkspaceID, a.SlackChannelID
	if a.LogRetentionDays != 0 {
		o.LogRetentionDays = a.LogRetentionDays
	}
	if a.CentralLogs != nil {
		switch {
		case !*a.CentralLogs:
			o.CentralLogs = nil
		case o.CentralLogs == nil:
			o.CentralLogs = &observability.CentralLogsArgs{}
		}
	}
	if o.CentralLogs == nil && (a.LogsInstanceType != "" || a.LogsInstanceCount != 0 || a.LogsVolumeGiB != 0) {
		return fmt.Errorf("tier %s: tierstack:alarms logsInstanceType, logsInstanceCount and logsVolumeGiB set central logs this stack does not have (allowed: with centralLogs true, on from 100k)", s.Tier)
	}
	if c := o.CentralLogs; c != nil {
		// Zone awareness spans 2 or 3 zones, each with a data subnet of the Network.
		c.ZoneCount = min(3, s.Network.AZCount)
		if a.LogsInstanceType != "" {
			c.InstanceType = a.LogsInstanceType
		}
		if a.LogsInstanceCount != 0 {
			c.InstanceCount = a.LogsInstanceCount
		}
		if a.LogsVolumeGiB != 0 {
			c.VolumeGiB = a.LogsVolumeGiB
		}
	}
	if len(a.Signals) > 0 {
		merged := map[string]signals.Override{}
		for k, v := range o.Overrides {
			merged[k] = v
		}
		for k, v := range a.Signals {
			merged[k] = mergeOverride(merged[k], v)
		}
		o.Overrides = merged
	}
	return nil
}

// mergeOverride lays the stack's override over the tier's, field by field.
func mergeOverride(tier, stack signals.Override) signals.Override {
	if stack.Threshold != nil {
		tier.Threshold = stack.Threshold
	}
	if stack.Period != 0 {
		tier.Period = stack.Period
	}
	if stack.EvaluationPeriods != 0 {
		tier.EvaluationPeriods = stack.EvaluationPeriods
	}
	if stack.DatapointsToAlarm != 0 {
		tier.DatapointsToAlarm = stack.DatapointsToAlarm
	}
	if stack.Severity != "" {
		tier.Severity = stack.Severity
	}
	tier.Disabled = tier.Disabled || stack.Disabled
	return tier
}

// sortedKeys returns a map's keys in order.
func sortedKeys[V any](m map[string]V) []string { return slices.Sorted(maps.Keys(m)) }
