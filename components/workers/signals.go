package workers

import (
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/tierstack/tierstack/internal/signals"
)

// OldestMessageAlarmSeconds is the age of the oldest waiting message that pages, for jobs of
// jobTimeout seconds: ten jobs' time, at least 15 minutes. Past it the workers are not keeping up
// (stopped, failing every job, or at Max).
func OldestMessageAlarmSeconds(jobTimeout int) int { return max(10*jobTimeout, 900) }

// Signals describes what to watch in the queues, from the Args New was given: the age of the oldest
// message waiting (the workers keep up) and the dead-letter queue not empty (jobs fail). Both are
// SQS's free metrics, by QueueName; SQS stops reporting a queue inactive for six hours, which counts
// as no trouble. Pure: it registers nothing. A Workers named "workers" has the IDs workers-…; any
// other has its name in place of "workers".
func (w *Workers) Signals() []signals.Signal {
	return signals.Scoped(PlannedSignals(w.args.Args, w.QueueName, w.DeadLetterQueueName), "workers", w.name)
}

// PlannedSignals is Signals for queues not built yet, with the IDs of a Workers named "workers":
// queue and deadLetter are the QueueName dimensions (placeholders will do to check overrides).
func PlannedSignals(args Args, queue, deadLetter pulumi.StringInput) []signals.Signal {
	job := args.JobTimeoutSeconds
	if job == 0 {
		job = DefaultJobTimeoutSeconds
	}
	metric := func(name string, q pulumi.StringInput) signals.Metric {
		return signals.Metric{Namespace: "AWS/SQS", Name: name, Statistic: "Maximum", Dimensions: map[string]pulumi.StringInput{"QueueName": q}}
	}
	return []signals.Signal{
		{ID: "workers-oldest-message", Title: "Workers: age of the oldest job", Resource: "the workers' queue", Layer: signals.LayerWorkers, Golden: signals.Latency,
			Metric: metric("ApproximateAgeOfOldestMessage", queue), Kind: signals.Seconds, Threshold: float64(OldestMessageAlarmSeconds(job)), Comparison: signals.AtOrAbove,
			Period: 300, EvaluationPeriods: 2, Missing: signals.MissingNotBreaching, Severity: signals.Page,
			Meaning:    "jobs wait far longer than they take: the workers are stopped, failing, or held at their max.",
			CheckFirst: "the workers' count against max, their logs (a job failing and retrying), then the dead-letter queue."},
		{ID: "workers-dead-letters", Title: "Workers: failed jobs (dead-letter queue)", Resource: "the workers' dead-letter queue", Layer: signals.LayerWorkers, Golden: signals.Errors,
			Metric: metric("ApproximateNumberOfMessagesVisible", deadLetter), Kind: signals.Count, Threshold: 0, Comparison: signals.Above,
			Period: 300, EvaluationPeriods: 1, Missing: signals.MissingNotBreaching, Severity: signals.Notify,
			Meaning:    "jobs failed maxReceives times and were set aside: they will not run again by themselves.",
			CheckFirst: "a message's body and the workers' logs at its time; once fixed, redrive the dead-letter queue (SQS console, StartMessageMoveTask)."},
	}
}
