package workers

import (
	"fmt"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/tierstack/tierstack/internal/naming"
)

// The variables the workers and the app learn.
const (
	// QueueURLVariable is the queue's URL, for the app (which sends) and the workers (which receive).
	QueueURLVariable = "QUEUE_URL"
)

// ConnectionEnv tells the app where the queue is: QUEUE_URL. With it, Workers is a webtier.Backend.
func (w *Workers) ConnectionEnv() map[string]pulumi.StringInput {
	return map[string]pulumi.StringInput{QueueURLVariable: w.QueueURL}
}

// ConnectionSecret is nil: the queue's URL is no secret, and the app's role is granted by GrantSend.
func (w *Workers) ConnectionSecret() (secretARN, kmsKeyARN pulumi.StringInput) { return nil, nil }

// ConnectionSecretFields is nil: the URL is known when the queue is created.
func (w *Workers) ConnectionSecretFields() map[string]string { return nil }

// GrantSend lets the role roleARN send to the queue, and nothing else: sqs:SendMessage on the
// queue, and the data keys SQS asks KMS for on its behalf (GenerateDataKey and Decrypt through SQS
// only), as the child "<workers>-send-<name>". The web tier's RoleARN is the one sender of the tiers.
func (w *Workers) GrantSend(ctx *pulumi.Context, name string, roleARN pulumi.StringInput) (*iam.RolePolicy, error) {
	child := naming.Child(w.name, "send-"+name)
	if w.granted[child] {
		return nil, fmt.Errorf("workers %s: send is granted to %q already (allowed: each name once)", w.name, name)
	}
	w.granted[child] = true
	policy := pulumi.All(w.QueueARN, w.KMSKeyARN).ApplyT(func(v []any) (string, error) {
		return SendPolicy(v[0].(string), v[1].(string), w.sqsService())
	}).(pulumi.StringOutput)
	grant, err := iam.NewRolePolicy(ctx, child, &iam.RolePolicyArgs{Role: roleName(roleARN), Policy: policy}, pulumi.Parent(w))
	if err != nil {
		return nil, fmt.Errorf("workers %s: %w", w.name, err)
	}
	return grant, nil
}

// sqsService is SQS's endpoint in the stack's region, the kms:ViaService of the grants.
func (w *Workers) sqsService() string { return "sqs." + w.env.Region + "." + w.env.DNSSuffix }

// SendPolicy lets a role send to one queue encrypted with key (SQS asks KMS for a data key on the
// sender's behalf: kms:GenerateDataKey and kms:Decrypt, "Key management" in the SQS Developer Guide).
func SendPolicy(queueARN, keyARN, viaService string) (string, error) {
	return marshal(map[string]any{"Version": "2012-10-17", "Statement": []map[string]any{
		{"Sid": "SendToTheQueue", "Effect": "Allow", "Action": "sqs:SendMessage", "Resource": queueARN},
		{"Sid": "ItsDataKeysThroughSQS", "Effect": "Allow", "Action": []string{"kms:GenerateDataKey", "kms:Decrypt"}, "Resource": keyARN,
			"Condition": map[string]any{"StringEquals": map[string]any{"kms:ViaService": viaService}}},
	}})
}

// ConsumePolicy lets the workers take jobs from the queue: receive, delete, extend a job's
// visibility and read its attributes, and decrypt its messages through SQS; not send, and nothing
// on the dead-letter queue, which SQS fills itself (operators redrive it).
func ConsumePolicy(queueARN, keyARN, viaService string) (string, error) {
	return marshal(map[string]any{"Version": "2012-10-17", "Statement": []map[string]any{
		{"Sid": "TakeJobs", "Effect": "Allow", "Resource": queueARN, "Action": []string{
			"sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility", "sqs:GetQueueAttributes",
		}},
		{"Sid": "DecryptThroughSQS", "Effect": "Allow", "Action": "kms:Decrypt", "Resource": keyARN,
			"Condition": map[string]any{"StringEquals": map[string]any{"kms:ViaService": viaService}}},
	}})
}

// ScalerPolicy lets KEDA's operator read the queue's message counts, and nothing else.
func ScalerPolicy(queueARN string) (string, error) {
	return marshal(map[string]any{"Version": "2012-10-17", "Statement": []map[string]any{
		{"Sid": "ReadTheBacklog", "Effect": "Allow", "Action": "sqs:GetQueueAttributes", "Resource": queueARN},
	}})
}

// roleName is the name of the role an ARN names (arn:…:role/path/name): what a role policy attaches to.
func roleName(arn pulumi.StringInput) pulumi.StringOutput {
	return arn.ToStringOutput().ApplyT(func(s string) string { return s[strings.LastIndex(s, "/")+1:] }).(pulumi.StringOutput)
}
