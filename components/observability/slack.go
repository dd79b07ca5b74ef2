package observability

import (
	_ "embed" // the Slack function's handler
	"encoding/json"
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/lambda"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/sns"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/sqs"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/tierstack/tierstack/internal/awsenv"
	"github.com/tierstack/tierstack/internal/naming"
	"github.com/tierstack/tierstack/internal/secrets"
	"github.com/tierstack/tierstack/internal/signals"
)

// slackHandler is the Slack function's code: a few dozen lines of Python that the python3.12
// runtime runs as it is (boto3 comes with the runtime), so there is no build step.
//
//go:embed slack_handler.py
var slackHandler string

// SlackRuntime is the Slack function's runtime: one AWS Lambda provides and supports.
const SlackRuntime = "python3.12"

// dlqRetentionSeconds is how long a notification that could not be posted stays in the
// dead-letter queue: 14 days, the longest SQS keeps a message.
const dlqRetentionSeconds = 1209600

// buildSlack subscribes Slack to every alarm topic, the way Args.Slack says.
func (o *Observability) buildSlack(ctx *pulumi.Context, name string, a *Args, env awsenv.Env, topics map[string]*alarmTopic) error {
	switch a.Slack {
	case SlackWebhook:
		return o.buildWebhook(ctx, name, a, env, topics)
	case SlackChatbot:
		return o.buildChatbot(ctx, name, a, env, topics)
	}
	return nil
}

// buildWebhook creates the webhook's secret, the function that posts to it with its role, log group
// and dead-letter queue, and its subscription to each topic. It adds the function's own signals
// (errors, and messages waiting in the dead-letter queue) to a.Signals.
func (o *Observability) buildWebhook(ctx *pulumi.Context, name string, a *Args, env awsenv.Env, topics map[string]*alarmTopic) error {
	parent := pulumi.Parent(o)
	home := topics[env.Region]
	secret, _, err := secrets.New(ctx, naming.Child(name, "slack-webhook"), "Slack incoming webhook URL the alarm function posts to",
		home.key.Arn, a.SlackWebhookURL, a.Tags, parent)
	if err != nil {
		return err
	}
	logName := naming.Child(name, "slack-logs")
	logs, err := cloudwatch.NewLogGroup(ctx, logName, &cloudwatch.LogGroupArgs{
		RetentionInDays: pulumi.Int(a.LogRetentionDays),
		KmsKeyId:        home.key.Arn,
		Tags:            naming.Tags(a.Tags, logName),
	}, parent)
	if err != nil {
		return err
	}
	dlqName := naming.Child(name, "slack-dlq")
	dlq, err := sqs.NewQueue(ctx, dlqName, &sqs.QueueArgs{
		SqsManagedSseEnabled:    pulumi.Bool(true),
		MessageRetentionSeconds: pulumi.Int(dlqRetentionSeconds),
		Tags:                    naming.Tags(a.Tags, dlqName),
	}, parent)
	if err != nil {
		return err
	}
	roleName := naming.Child(name, "slack-role")
	role, err := iam.NewRole(ctx, roleName, &iam.RoleArgs{
		Description:      pulumi.String("The alarm function that posts to Slack"),
		AssumeRolePolicy: pulumi.String(assumePolicy("lambda.amazonaws.com", env.AccountID)),
		Tags:             naming.Tags(a.Tags, roleName),
	}, parent)
	if err != nil {
		return err
	}
	policy := pulumi.All(logs.Arn, secret.Arn, home.key.Arn, dlq.Arn).ApplyT(func(v []any) (string, error) {
		return slackPolicy(env, v[0].(string), v[1].(string), v[2].(string), v[3].(string))
	}).(pulumi.StringOutput)
	grant, err := iam.NewRolePolicy(ctx, naming.Child(name, "slack-policy"), &iam.RolePolicyArgs{Role: role.ID(), Policy: policy}, parent)
	if err != nil {
		return err
	}
	fnName := naming.Child(name, "slack")
	fn, err := lambda.NewFunction(ctx, fnName, &lambda.FunctionArgs{
		Description:      pulumi.String("Posts the stack's alarms to Slack"),
		Runtime:          pulumi.String(SlackRuntime),
		Architectures:    pulumi.StringArray{pulumi.String("arm64")},
		Handler:          pulumi.String("index.handler"),
		Code:             pulumi.NewAssetArchive(map[string]any{"index.py": pulumi.NewStringAsset(slackHandler)}),
		Role:             role.Arn,
		MemorySize:       pulumi.Int(128),
		Timeout:          pulumi.Int(15),
		Environment:      lambda.FunctionEnvironmentArgs{Variables: pulumi.StringMap{"SECRET_ARN": secret.Arn}},
		DeadLetterConfig: lambda.FunctionDeadLetterConfigArgs{TargetArn: dlq.Arn},
		LoggingConfig:    lambda.FunctionLoggingConfigArgs{LogFormat: pulumi.String("Text"), LogGroup: logs.Name},
		Tags:             naming.Tags(a.Tags, fnName),
	}, parent, pulumi.DependsOn([]pulumi.Resource{grant}))
	if err != nil {
		return err
	}
	for _, region := range sortedKeys(topics) {
		t := topics[region]
		suffix := ""
		opts := []pulumi.ResourceOption{parent}
		if region != env.Region {
			suffix = region
			opts = append(opts, pulumi.Provider(a.RegionProviders[region]))
		}
		perm, err := lambda.NewPermission(ctx, regional(name, "slack-invoke", suffix), &lambda.PermissionArgs{
			Function:  fn.Name,
			Action:    pulumi.String("lambda:InvokeFunction"),
			Principal: pulumi.String("sns.amazonaws.com"),
			SourceArn: t.topic.Arn,
		}, parent)
		if err != nil {
			return err
		}
		if _, err := sns.NewTopicSubscription(ctx, regional(name, "slack-subscription", suffix), &sns.TopicSubscriptionArgs{
			Topic:    t.topic.Arn,
			Protocol: pulumi.String("lambda"),
			Endpoint: fn.Arn,
		}, append(opts, pulumi.DependsOn([]pulumi.Resource{perm}))...); err != nil {
			return err
		}
	}
	a.Signals = append(a.Signals, webhookSignals(fn.Name, dlq.Name)...)
	return nil
}

// webhookSignals are the Slack function's own signals: it failed, or a notification waits in its
// dead-letter queue. They notify (email still works when Slack does not).
func webhookSignals(function, queue pulumi.StringInput) []signals.Signal {
	return functionSignals("slack", "the function posting alarms to Slack", function, queue,
		"posting an alarm to Slack failed; Lambda retries twice, then moves it to the dead-letter queue.",
		"the function's log group for Slack's answer (a revoked webhook answers 403 or 404), then the webhook secret.",
		"alarm notifications never reached Slack and wait in the queue for 14 days.",
		"the messages in the queue (they are the alarms Slack missed), then the function's errors.")
}

// functionSignals are an asynchronously invoked function's signals, id-errors and id-dlq: it
// failed, or an event waits in its dead-letter queue. They notify.
func functionSignals(id, what string, function, queue pulumi.StringInput, errorsMeaning, errorsCheck, dlqMeaning, dlqCheck string) []signals.Signal {
	return []signals.Signal{
		{
			ID: id + "-errors", Title: "Errors of " + what, Resource: "Lambda function: " + what,
			Layer: signals.LayerLogs, Golden: signals.Errors, Kind: signals.Count, Threshold: 0, Comparison: signals.Above,
			Metric: signals.Metric{Namespace: "AWS/Lambda", Name: "Errors", Statistic: "Sum", Dimensions: map[string]pulumi.StringInput{"FunctionName": function}},
			Period: 300, EvaluationPeriods: 1, Missing: signals.MissingNotBreaching, Severity: signals.Notify,
			Meaning: errorsMeaning, CheckFirst: errorsCheck,
		},
		{
			ID: id + "-dlq", Title: "Undelivered by " + what, Resource: "the dead-letter queue of " + what,
			Layer: signals.LayerLogs, Golden: signals.Errors, Kind: signals.Count, Threshold: 0, Comparison: signals.Above,
			Metric: signals.Metric{Namespace: "AWS/SQS", Name: "ApproximateNumberOfMessagesVisible", Statistic: "Maximum", Dimensions: map[string]pulumi.StringInput{"QueueName": queue}},
			Period: 300, EvaluationPeriods: 1, Missing: signals.MissingNotBreaching, Severity: signals.Notify,
			Meaning: dlqMeaning, CheckFirst: dlqCheck,
		},
	}
}

// assumePolicy lets service assume a role for the account's own resources only.
func assumePolicy(service, account string) string {
	doc, _ := json.Marshal(map[string]any{
		"Version": "2012-10-17",
		"Statement": []map[string]any{{
			"Effect":    "Allow",
			"Principal": map[string]any{"Service": service},
			"Action":    "sts:AssumeRole",
			"Condition": map[string]any{"StringEquals": map[string]any{"aws:SourceAccount": account}},
		}},
	})
	return string(doc)
}

// slackPolicy is the Slack function's permissions, each on the one resource it needs: write its log
// group, read the webhook secret (and decrypt it through Secrets Manager only), send failures to its
// queue.
func slackPolicy(env awsenv.Env, logGroupARN, secretARN, keyARN, queueARN string) (string, error) {
	doc, err := json.Marshal(map[string]any{
		"Version": "2012-10-17",
		"Statement": []map[string]any{
			{"Sid": "WriteItsLogs", "Effect": "Allow", "Action": []string{"logs:CreateLogStream", "logs:PutLogEvents"}, "Resource": logGroupARN + ":*"},
			{"Sid": "ReadTheWebhook", "Effect": "Allow", "Action": "secretsmanager:GetSecretValue", "Resource": secretARN},
			{"Sid": "DecryptTheWebhook", "Effect": "Allow", "Action": "kms:Decrypt", "Resource": keyARN,
				"Condition": map[string]any{"StringEquals": map[string]any{"kms:ViaService": "secretsmanager." + env.Region + "." + env.DNSSuffix}}},
			{"Sid": "DeadLetters", "Effect": "Allow", "Action": "sqs:SendMessage", "Resource": queueARN},
		},
	})
	if err != nil {
		return "", fmt.Errorf("slack function policy: %w", err)
	}
	return string(doc), nil
}
