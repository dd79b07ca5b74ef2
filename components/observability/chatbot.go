package observability

import (
	"encoding/json"
	"fmt"
	"regexp"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/chatbot"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/tierstack/tierstack/internal/awsenv"
	"github.com/tierstack/tierstack/internal/naming"
)

// ChatbotGuardrail is the channel guardrail: whatever a channel member's role allows, nobody acts
// from Slack beyond reading. Without a guardrail AWS applies AdministratorAccess.
const ChatbotGuardrail = "ReadOnlyAccess"

// notConfigChar is what a Chatbot configuration name may not hold (it takes letters, digits, - and _).
var notConfigChar = regexp.MustCompile(`[^A-Za-z0-9_-]`)

// buildChatbot creates the channel configuration that posts every alarm topic's messages to the
// Slack channel, with a role that may only read alarms and graphs for the messages.
func (o *Observability) buildChatbot(ctx *pulumi.Context, name string, a *Args, env awsenv.Env, topics map[string]*alarmTopic) error {
	parent := pulumi.Parent(o)
	roleName := naming.Child(name, "chatbot-role")
	role, err := iam.NewRole(ctx, roleName, &iam.RoleArgs{
		Description: pulumi.String("AWS Chatbot, posting the stack's alarms to Slack"),
		// AWS's examples trust Chatbot without conditions; it is not documented to send
		// aws:SourceAccount, and a condition it does not meet would make the role unusable.
		AssumeRolePolicy: pulumi.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"chatbot.amazonaws.com"},"Action":"sts:AssumeRole"}]}`),
		Tags:             naming.Tags(a.Tags, roleName),
	}, parent)
	if err != nil {
		return err
	}
	policy, err := chatbotPolicy(env)
	if err != nil {
		return err
	}
	grant, err := iam.NewRolePolicy(ctx, naming.Child(name, "chatbot-policy"), &iam.RolePolicyArgs{Role: role.ID(), Policy: pulumi.String(policy)}, parent)
	if err != nil {
		return err
	}
	var arns pulumi.StringArray
	for _, region := range sortedKeys(topics) {
		arns = append(arns, topics[region].topic.Arn)
	}
	opts := []pulumi.ResourceOption{parent, pulumi.DependsOn([]pulumi.Resource{grant})}
	if a.ChatbotProvider != nil {
		opts = append(opts, pulumi.Provider(a.ChatbotProvider))
	}
	configName := chatbotConfigName(ctx, name)
	_, err = chatbot.NewSlackChannelConfiguration(ctx, naming.Child(name, "chatbot"), &chatbot.SlackChannelConfigurationArgs{
		ConfigurationName:         pulumi.String(configName),
		IamRoleArn:                role.Arn,
		SlackTeamId:               pulumi.String(a.SlackWorkspaceID),
		SlackChannelId:            pulumi.String(a.SlackChannelID),
		SnsTopicArns:              arns,
		GuardrailPolicyArns:       pulumi.StringArray{pulumi.String(env.ManagedPolicyARN(ChatbotGuardrail))},
		LoggingLevel:              pulumi.String("ERROR"),
		UserAuthorizationRequired: pulumi.Bool(true),
		Tags:                      naming.Tags(a.Tags, configName),
	}, opts...)
	return err
}

// chatbotConfigName is the channel configuration's name: project, stack and component, in the
// characters Chatbot allows, at most 128.
func chatbotConfigName(ctx *pulumi.Context, name string) string {
	n := notConfigChar.ReplaceAllString(fmt.Sprintf("%s-%s-%s", ctx.Project(), ctx.Stack(), name), "-")
	if len(n) > 128 {
		n = n[:128]
	}
	return n
}

// chatbotPolicy lets Chatbot read what it shows with an alarm: the account's alarms and their
// history (named by ARN), and metric data and graphs, which IAM grants only on "*".
func chatbotPolicy(env awsenv.Env) (string, error) {
	doc, err := json.Marshal(map[string]any{
		"Version": "2012-10-17",
		"Statement": []map[string]any{
			{"Sid": "ReadTheAlarms", "Effect": "Allow", "Action": []string{"cloudwatch:DescribeAlarms", "cloudwatch:DescribeAlarmHistory"},
				"Resource": env.ARN("cloudwatch", "*", env.AccountID, "alarm:*")},
			{"Sid": "GraphTheMetrics", "Effect": "Allow", "Action": []string{"cloudwatch:GetMetricData", "cloudwatch:GetMetricWidgetImage", "cloudwatch:ListMetrics"},
				"Resource": "*"},
		},
	})
	if err != nil {
		return "", fmt.Errorf("chatbot policy: %w", err)
	}
	return string(doc), nil
}
