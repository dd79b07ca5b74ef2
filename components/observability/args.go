package observability

import (
	"fmt"
	"net/mail"
	"regexp"
	"slices"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/tierstack/tierstack/internal/signals"
)

// Slack is how alarms reach a Slack channel.
type Slack string

// The ways to Slack.
const (
	// SlackNone sends alarms to no Slack channel (email only, or nobody).
	SlackNone Slack = ""
	// SlackWebhook posts each alarm to an incoming webhook from a small Lambda function subscribed
	// to the topic. The webhook URL is a secret in Secrets Manager, read by the function at run time.
	SlackWebhook Slack = "webhook"
	// SlackChatbot lets AWS Chatbot (Amazon Q Developer in chat applications) post the topic's
	// messages to a channel of a workspace authorised once in its console.
	SlackChatbot Slack = "chatbot"
)

// Args are the inputs of an Observability. The zero value, with Signals, builds the alarm topic,
// the alarms, the composite alarm and the dashboard, and tells nobody: set Email or Slack.
type Args struct {
	// Signals are what to watch, from every component of the stack (their Signals functions). Every
	// signal gets an alarm and a graph; one list feeds both.
	Signals []signals.Signal
	// Overrides change signals by ID: the tier's thresholds, then the stack's tierstack:alarms.
	// An ID no signal has is refused, so that a typo never silently keeps a default.
	Overrides map[string]signals.Override
	// Email receives every alarm and recovery; "" means none. AWS mails a confirmation link first.
	Email string
	// Slack picks how alarms reach Slack; SlackNone means they do not.
	Slack Slack
	// SlackWebhookURL is the incoming webhook of SlackWebhook: a secret (pulumi.ToSecret), kept
	// only in Secrets Manager and in state as a secret.
	SlackWebhookURL pulumi.StringInput
	// SlackWorkspaceID is the Slack workspace (team) ID of SlackChatbot, such as T07EA123LEP.
	SlackWorkspaceID string
	// SlackChannelID is the channel ID of SlackChatbot, such as C07EZ1ABC23.
	SlackChannelID string
	// ChatbotProvider is an AWS provider in a region where the Chatbot API is served (us-east-2,
	// us-west-2, eu-west-1, ap-southeast-1); nil uses the component's own provider, which must be
	// in one of them. Chatbot itself is global and reads topics in every region.
	ChatbotProvider pulumi.ProviderResource
	// RegionProviders are AWS providers for the regions signals name other than the stack's:
	// us-east-1 for CloudFront and the web ACLs in front of it. Each such region gets its own
	// encrypted topic with the same subscribers, since an alarm notifies a topic in its own region.
	RegionProviders map[string]pulumi.ProviderResource
	// TopicRegions are regions other than the stack's that get a topic (with the same subscribers)
	// even when no signal names them: a DR region, whose topic must not come and go with the
	// strategy (backupRestore watches nothing there, pilotLight does). Each needs a provider in
	// RegionProviders.
	TopicRegions []string
	// LogRetentionDays is how long the Slack function's log group and the central log groups keep
	// their events, and how long the central logs' daily logs-* indices live in OpenSearch; 0
	// means 30. A value CloudWatch Logs accepts.
	LogRetentionDays int
	// CentralLogs builds an OpenSearch domain that the log groups of ShipLogGroups are shipped to;
	// nil means none (CloudWatch Logs with their retention only).
	CentralLogs *CentralLogsArgs
	// Tags are added to every resource.
	Tags map[string]string
}

// DefaultLogRetentionDays is how long the component's log groups keep events when
// Args.LogRetentionDays is 0.
const DefaultLogRetentionDays = 30

// chatbotRegions are where the Chatbot API is served.
var chatbotRegions = []string{"us-east-2", "us-west-2", "eu-west-1", "ap-southeast-1"}

var (
	// slackTeamPattern is a Slack workspace (team) ID: T and upper-case letters and digits.
	slackTeamPattern = regexp.MustCompile(`^T[0-9A-Z]{6,20}$`)
	// slackChannelPattern is a Slack channel ID: C (public) or G (private) and upper-case letters and digits.
	slackChannelPattern = regexp.MustCompile(`^[CG][0-9A-Z]{6,20}$`)
)

// checked returns args with defaults filled in, or an error naming the field, the bad value and
// what is allowed.
func (args *Args) checked() (Args, error) {
	a := *args
	if a.LogRetentionDays == 0 {
		a.LogRetentionDays = DefaultLogRetentionDays
	}
	if err := signals.CheckRetention(a.LogRetentionDays); err != nil {
		return a, fmt.Errorf("logRetentionDays %w", err)
	}
	if a.Email != "" {
		if addr, err := mail.ParseAddress(a.Email); err != nil || addr.Address != a.Email {
			return a, fmt.Errorf("email %q is not an email address (allowed: one address such as ops@example.com)", a.Email)
		}
	}
	switch a.Slack {
	case SlackNone:
		if a.SlackWebhookURL != nil || a.SlackWorkspaceID != "" || a.SlackChannelID != "" {
			return a, fmt.Errorf("slack settings are given without slack (allowed: slack webhook with a webhook URL, or slack chatbot with workspace and channel IDs)")
		}
	case SlackWebhook:
		if a.SlackWebhookURL == nil {
			return a, fmt.Errorf("slack webhook has no webhook URL (allowed: the channel's incoming webhook URL, set as a secret)")
		}
	case SlackChatbot:
		if !slackTeamPattern.MatchString(a.SlackWorkspaceID) {
			return a, fmt.Errorf("slackWorkspaceId %q is not a Slack workspace ID (allowed: T and 6 to 20 upper-case letters and digits, such as T07EA123LEP, as the Chatbot console shows it)", a.SlackWorkspaceID)
		}
		if !slackChannelPattern.MatchString(a.SlackChannelID) {
			return a, fmt.Errorf("slackChannelId %q is not a Slack channel ID (allowed: C or G and 6 to 20 upper-case letters and digits, such as C07EZ1ABC23, from the channel's details in Slack)", a.SlackChannelID)
		}
	default:
		return a, fmt.Errorf("slack %q is not a way to Slack (allowed: webhook, chatbot, or none)", a.Slack)
	}
	list, err := applyOverrides(a.Signals, a.Overrides)
	if err != nil {
		return a, err
	}
	a.Signals = list
	if a.CentralLogs != nil {
		c, err := a.CentralLogs.checked()
		if err != nil {
			return a, fmt.Errorf("centralLogs %w", err)
		}
		a.CentralLogs = &c
	}
	return a, nil
}

// Validate checks args as New would, without registering anything.
func (args *Args) Validate() error {
	_, err := args.checked()
	return err
}

// applyOverrides returns the signals with their overrides applied and their defaults filled in,
// validated, or an error naming the override.
func applyOverrides(list []signals.Signal, overrides map[string]signals.Override) ([]signals.Signal, error) {
	if err := signals.CheckAll(list); err != nil {
		return nil, err
	}
	var keys, families []string
	for _, s := range list {
		s = s.WithDefaults()
		keys = append(keys, s.ID, s.Family)
		if !slices.Contains(families, s.Family) {
			families = append(families, s.Family)
		}
	}
	slices.Sort(families)
	for _, id := range sortedKeys(overrides) {
		if err := signals.CheckOverride(id, overrides[id]); err != nil {
			return nil, fmt.Errorf("alarms %w", err)
		}
		if !slices.Contains(keys, id) {
			return nil, fmt.Errorf("alarms %q is not a signal of this stack (allowed: %s, or one member's ID such as %s)",
				id, strings.Join(families, ", "), memberExample(list))
		}
	}
	out := make([]signals.Signal, 0, len(list))
	for _, s := range list {
		s = s.WithDefaults()
		// A family's override first, then the signal's own on top.
		keys := []string{s.Family}
		if s.ID != s.Family {
			keys = append(keys, s.ID)
		}
		disabled := false
		for _, key := range keys {
			o, ok := overrides[key]
			if !ok {
				continue
			}
			changed, err := o.Apply(s)
			if err != nil {
				return nil, fmt.Errorf("alarms %w", err)
			}
			s, disabled = changed, disabled || o.Disabled
		}
		if !disabled {
			out = append(out, s)
		}
	}
	return out, nil
}

// memberExample is a signal ID that differs from its family, to show what one looks like.
func memberExample(list []signals.Signal) string {
	for _, s := range list {
		if s.Family != "" && s.Family != s.ID {
			return s.ID
		}
	}
	if len(list) > 0 {
		return list[0].ID
	}
	return "web-cpu"
}

// sortedKeys returns a map's keys in order.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
