package workers

import (
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/sqs"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/tierstack/tierstack/components/network"
	"github.com/tierstack/tierstack/components/webtier"
	"github.com/tierstack/tierstack/internal/awsenv"
)

// TypeToken is the Pulumi type token of the Workers component.
const TypeToken = "tierstack:index:Workers"

// Args are the inputs of Workers. Network and Mode are required; the zero value of every other field
// is a working default: one to ten workers of DefaultImage's kind, jobs of a minute, five tries.
type Args struct {
	// Network is where the workers run: the private subnets of every zone. Required.
	Network *network.Network
	// Mode is how the workers run, the web tier's: webtier.ModeAutoScaling (an Auto Scaling group
	// of their own, no load balancer) or webtier.ModeEKS (a Deployment on the web tier's cluster,
	// scaled by KEDA). Mode instance is refused: its network has no NAT for private workers.
	Mode webtier.Mode
	// App is the workers' container, described as the web tier's is: Image, Env, Secrets, CPU and
	// MemoryMiB. Port, HealthPath and Replicas are not used (workers serve nothing; see Min, Max).
	// Image "" means webtier.DefaultImage, which is no worker: set one.
	App webtier.App
	// Command replaces the image's CMD (Kubernetes args; the ENTRYPOINT stays), one argument per
	// item; none keeps the image's. Checked as webtier.CheckCommand does.
	Command []string
	// Min and Max bound the workers. Min nil means 1; Min 0 (scale to zero) is allowed in mode eks
	// only, where KEDA starts the first worker when a message arrives: a target tracking policy
	// cannot scale a group out from zero. Max 0 means 10; at most MaxWorkers.
	Min *int
	Max int
	// BacklogPerWorker is the messages waiting per worker the scaling holds (visible messages ÷
	// workers in service): how many jobs one worker may have queued before another starts; 0 means
	// DefaultBacklogPerWorker. Derive it from the latency a job may wait: seconds ÷ a job's
	// duration.
	BacklogPerWorker int
	// JobTimeoutSeconds is the longest a job runs, 1 to MaxJobTimeoutSeconds; 0 means
	// DefaultJobTimeoutSeconds. A stopping worker is given that long after SIGTERM to finish.
	JobTimeoutSeconds int
	// VisibilityTimeoutSeconds is how long a received message stays hidden from other workers:
	// longer than JobTimeoutSeconds (refused otherwise: the job would run twice at once), at most
	// 43200; 0 means twice JobTimeoutSeconds (at least JobTimeoutSeconds + 30).
	VisibilityTimeoutSeconds int
	// MaxReceives is how many times a message is received before it moves to the dead-letter
	// queue, 1 to 1000; 0 means DefaultMaxReceives.
	MaxReceives int
	// RetentionSeconds is how long the queue keeps a message, 60 to MaxRetentionSeconds; 0 means
	// DefaultRetentionSeconds. The dead-letter queue keeps messages 14 days, the most SQS allows.
	RetentionSeconds int
	// Mounts are EFS file systems the workers mount at their Path, as the web tier's Mounts (such as
	// the Files'): on their instances by the same boot script and a grant on their role (mode
	// autoscaling), through the web tier's claims of the same paths (mode eks, where the web tier
	// must mount them too). The Files must admit SecurityGroupID (AllowFrom) in mode autoscaling.
	Mounts []webtier.Mount
	// Schedules are known peaks for the workers, as the web tier's (webtier.Schedule, checked by
	// webtier.CheckSchedules against Min and Max): scheduled actions on their group (mode
	// autoscaling), cron windows on their ScaledObject (mode eks). A schedule's min 0 means Min.
	Schedules []webtier.Schedule
	// InstanceType is the workers' Graviton instance type (mode autoscaling); "" means t4g.small.
	InstanceType string
	// Backends are what the workers connect to, as the web tier's Backends: a DataTier, a
	// CacheTier, a Streaming. Their security groups must admit SecurityGroupID (AllowFrom).
	Backends []webtier.Backend
	// Unprotected lifts the protection of the queues and their key (pulumi destroy may delete them).
	// The zero value protects them.
	Unprotected bool
	// Tags are added to every resource the Workers create, beside a Name tag.
	Tags map[string]string
}

// Defaults and limits, from the SQS Developer Guide ("Amazon SQS message quotas", "Amazon SQS
// visibility timeout", "Using dead-letter queues in Amazon SQS").
const (
	DefaultBacklogPerWorker  = 10
	DefaultJobTimeoutSeconds = 60
	DefaultMaxReceives       = 5
	DefaultRetentionSeconds  = 4 * 24 * 3600
	// MaxVisibilityTimeoutSeconds is SQS's most, 12 hours.
	MaxVisibilityTimeoutSeconds = 43200
	// MaxJobTimeoutSeconds leaves a second of visibility past the job.
	MaxJobTimeoutSeconds = MaxVisibilityTimeoutSeconds - 1
	// DeadLetterRetentionSeconds is the dead-letter queue's retention, SQS's most (14 days). A
	// message's expiry counts from its first enqueue, so the dead-letter queue must keep messages
	// longer than the queue does ("Using dead-letter queues").
	DeadLetterRetentionSeconds = 14 * 24 * 3600
	// MaxRetentionSeconds is the queue's most: 7 days, so that a message that dead-letters at the
	// end of its retention still waits at least 7 days in the dead-letter queue.
	MaxRetentionSeconds = 7 * 24 * 3600
	// MaxWorkers is the most workers.
	MaxWorkers = 100
	// WorkerAccount is the workers' Kubernetes service account, in webtier.AppNamespace (mode eks).
	WorkerAccount = "workers"
)

// Workers are the queue, its dead-letter queue, their key, and the workers that consume the queue.
type Workers struct {
	pulumi.ResourceState

	// Mode is how the workers run.
	Mode webtier.Mode
	// Queue and DeadLetterQueue are the queues, the escape hatch.
	Queue, DeadLetterQueue *sqs.Queue

	// QueueURL is the queue's URL: the app's QUEUE_URL.
	QueueURL pulumi.StringOutput `pulumi:"queueUrl"`
	// QueueARN is the queue's ARN.
	QueueARN pulumi.StringOutput `pulumi:"queueArn"`
	// QueueName is the queue's name, the QueueName dimension of its metrics.
	QueueName pulumi.StringOutput `pulumi:"queueName"`
	// DeadLetterQueueURL, DeadLetterQueueARN and DeadLetterQueueName are the dead-letter queue's.
	DeadLetterQueueURL  pulumi.StringOutput `pulumi:"deadLetterQueueUrl"`
	DeadLetterQueueARN  pulumi.StringOutput `pulumi:"deadLetterQueueArn"`
	DeadLetterQueueName pulumi.StringOutput `pulumi:"deadLetterQueueName"`
	// KMSKeyARN is the key that encrypts both queues.
	KMSKeyARN pulumi.StringOutput `pulumi:"kmsKeyArn"`
	// SecurityGroupID is what the workers carry and the backends admit: a group of their own in
	// mode autoscaling; in mode eks the web tier's, which the nodes carry (set by Run).
	SecurityGroupID pulumi.StringOutput
	// RoleARN is the role the workers run with: the instances' (mode autoscaling) or the pods' own
	// by Pod Identity (mode eks); set by Run.
	RoleARN pulumi.StringOutput
	// AutoScalingGroupName is the workers' group in mode autoscaling; empty otherwise; set by Run.
	AutoScalingGroupName pulumi.StringOutput

	name    string
	args    checkedArgs
	env     awsenv.Env
	sg      *ec2.SecurityGroup
	granted map[string]bool
	ran     bool
}
