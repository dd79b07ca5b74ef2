package observability

import (
	"encoding/json"
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/kms"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/sns"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/tierstack/tierstack/internal/awsenv"
	"github.com/tierstack/tierstack/internal/kmskey"
	"github.com/tierstack/tierstack/internal/naming"
)

// alarmTopic is the encrypted topic the alarms of one region notify, and its key.
type alarmTopic struct {
	region string
	key    *kms.Key
	topic  *sns.Topic
}

// regional names a child of the topic of a region other than the stack's: "name-role-region";
// the stack's own keep "name-role".
func regional(name, role, region string) string {
	if region == "" {
		return naming.Child(name, role)
	}
	return naming.Child(name, role+"-"+region)
}

// newTopic creates, for region ("" for the stack's), the key, the topic encrypted with it, the
// topic policy that lets the account's CloudWatch alarms publish, and the email subscription.
// The key also encrypts the component's log groups and the Slack webhook's secret there.
func newTopic(ctx *pulumi.Context, name, region string, a Args, env awsenv.Env, opts ...pulumi.ResourceOption) (*alarmTopic, error) {
	keyName := regional(name, "key", region)
	keyOpts := opts
	if region != "" {
		// Another region's topic leaves the stack with that region (a DR region turned off): its
		// key is kept rather than scheduled for deletion, as every key of a region that leaves is,
		// so that leaving stays a plan without unsafe deletes. It encrypts only messages not yet delivered.
		keyOpts = append(append([]pulumi.ResourceOption{}, opts...), pulumi.RetainOnDelete(true))
	}
	key, err := kmskey.NewWith(ctx, keyName, fmt.Sprintf("tierstack %s: alarm topic, log groups and Slack secret in %s", name, env.Region),
		env, a.Tags, []kmskey.Statement{kmskey.CloudWatchAlarms(env), kmskey.Logs(env)}, keyOpts...)
	if err != nil {
		return nil, err
	}
	topicName := regional(name, "topic", region)
	topic, err := sns.NewTopic(ctx, topicName, &sns.TopicArgs{
		DisplayName:    pulumi.String("tierstack alarms"),
		KmsMasterKeyId: key.Arn,
		Tags:           naming.Tags(a.Tags, topicName),
	}, opts...)
	if err != nil {
		return nil, err
	}
	policy := topic.Arn.ApplyT(func(arn string) (string, error) { return topicPolicy(arn, env) }).(pulumi.StringOutput)
	if _, err := sns.NewTopicPolicy(ctx, regional(name, "topic-policy", region), &sns.TopicPolicyArgs{
		Arn:    topic.Arn,
		Policy: policy,
	}, opts...); err != nil {
		return nil, err
	}
	if a.Email != "" {
		if _, err := sns.NewTopicSubscription(ctx, regional(name, "email", region), &sns.TopicSubscriptionArgs{
			Topic:    topic.Arn,
			Protocol: pulumi.String("email"),
			Endpoint: pulumi.ToSecret(pulumi.String(a.Email)).(pulumi.StringOutput),
		}, opts...); err != nil {
			return nil, err
		}
	}
	return &alarmTopic{region: env.Region, key: key, topic: topic}, nil
}

// topicPolicy lets the account's CloudWatch alarms in the Env's region publish to the topic, and
// nothing else beyond what IAM grants the account's own principals.
func topicPolicy(topicARN string, env awsenv.Env) (string, error) {
	doc, err := json.Marshal(map[string]any{
		"Version": "2012-10-17",
		"Statement": []map[string]any{{
			"Sid":       "AccountAlarmsPublish",
			"Effect":    "Allow",
			"Principal": map[string]any{"Service": "cloudwatch.amazonaws.com"},
			"Action":    "sns:Publish",
			"Resource":  topicARN,
			"Condition": map[string]any{
				"ArnLike":      map[string]any{"aws:SourceArn": env.ARN("cloudwatch", env.Region, env.AccountID, "alarm:*")},
				"StringEquals": map[string]any{"aws:SourceAccount": env.AccountID},
			},
		}},
	})
	if err != nil {
		return "", fmt.Errorf("topic policy: %w", err)
	}
	return string(doc), nil
}
