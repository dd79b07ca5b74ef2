package workers

import (
	"encoding/json"
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/sqs"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/tierstack/tierstack/internal/kmskey"
	"github.com/tierstack/tierstack/internal/naming"
)

// LongPollSeconds is the queues' receive wait: a ReceiveMessage waits up to 20 seconds, SQS's most,
// for a message rather than returning empty at once, which cuts the empty receives a worker pays for.
const LongPollSeconds = 20

// buildQueues creates the key, the dead-letter queue, the queue that redrives to it after
// MaxReceives, the dead-letter queue's allow-list (this queue only) and both queues' policy (TLS
// only). Only a queue's name and FIFO-ness replace it (terraform-provider-aws
// internal/service/sqs/queue.go: name, name_prefix, fifo_queue are ForceNew); tierstack sets
// neither, so no change of these settings replaces a queue.
func (w *Workers) buildQueues(ctx *pulumi.Context, name string) error {
	a := w.args
	parent := pulumi.Parent(w)
	protect := pulumi.Protect(!a.Unprotected)
	key, err := kmskey.New(ctx, naming.Child(name, "key"), fmt.Sprintf("Encrypts the messages of the queues of %s", name),
		w.env, a.Tags, parent, protect, pulumi.RetainOnDelete(true))
	if err != nil {
		return err
	}
	w.KMSKeyARN = key.Arn
	dlqName := naming.Child(name, "dlq")
	dlq, err := sqs.NewQueue(ctx, dlqName, &sqs.QueueArgs{
		KmsMasterKeyId:          key.Arn,
		MessageRetentionSeconds: pulumi.Int(DeadLetterRetentionSeconds),
		ReceiveWaitTimeSeconds:  pulumi.Int(LongPollSeconds),
		Tags:                    naming.Tags(a.Tags, dlqName),
	}, parent, protect)
	if err != nil {
		return err
	}
	queueName := naming.Child(name, "queue")
	redrive := dlq.Arn.ApplyT(func(arn string) (string, error) {
		return marshal(map[string]any{"deadLetterTargetArn": arn, "maxReceiveCount": a.MaxReceives})
	}).(pulumi.StringOutput)
	queue, err := sqs.NewQueue(ctx, queueName, &sqs.QueueArgs{
		KmsMasterKeyId:           key.Arn,
		MessageRetentionSeconds:  pulumi.Int(a.RetentionSeconds),
		VisibilityTimeoutSeconds: pulumi.Int(a.visibility),
		ReceiveWaitTimeSeconds:   pulumi.Int(LongPollSeconds),
		RedrivePolicy:            redrive,
		Tags:                     naming.Tags(a.Tags, queueName),
	}, parent, protect)
	if err != nil {
		return err
	}
	w.Queue, w.DeadLetterQueue = queue, dlq
	w.QueueURL, w.QueueARN, w.QueueName = queue.Url, queue.Arn, queue.Name
	w.DeadLetterQueueURL, w.DeadLetterQueueARN, w.DeadLetterQueueName = dlq.Url, dlq.Arn, dlq.Name
	// The dead-letter queue takes failed messages of this queue only.
	if _, err := sqs.NewRedriveAllowPolicy(ctx, naming.Child(name, "dlq-sources"), &sqs.RedriveAllowPolicyArgs{
		QueueUrl: dlq.Url,
		RedriveAllowPolicy: queue.Arn.ApplyT(func(arn string) (string, error) {
			return marshal(map[string]any{"redrivePermission": "byQueue", "sourceQueueArns": []string{arn}})
		}).(pulumi.StringOutput),
	}, parent); err != nil {
		return err
	}
	for _, q := range []struct {
		child string
		queue *sqs.Queue
	}{{"queue-policy", queue}, {"dlq-policy", dlq}} {
		if _, err := sqs.NewQueuePolicy(ctx, naming.Child(name, q.child), &sqs.QueuePolicyArgs{
			QueueUrl: q.queue.Url,
			Policy:   q.queue.Arn.ApplyT(TLSOnlyPolicy).(pulumi.StringOutput),
		}, parent); err != nil {
			return err
		}
	}
	return nil
}

// TLSOnlyPolicy is a queue's policy: every request without TLS is denied, whoever sends it (AWS's
// "Amazon SQS security best practices": enforce encryption of data in transit). It grants nothing:
// the account's roles are granted by their own policies (GrantSend, the workers' role).
func TLSOnlyPolicy(queueARN string) (string, error) {
	return marshal(map[string]any{"Version": "2012-10-17", "Statement": []map[string]any{{
		"Sid": "DenyWithoutTLS", "Effect": "Deny", "Principal": "*", "Action": "sqs:*", "Resource": queueARN,
		"Condition": map[string]any{"Bool": map[string]any{"aws:SecureTransport": "false"}},
	}}})
}

// marshal renders a policy document.
func marshal(doc any) (string, error) {
	b, err := json.Marshal(doc)
	if err != nil {
		return "", fmt.Errorf("rendering a policy: %w", err)
	}
	return string(b), nil
}
