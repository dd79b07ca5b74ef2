package tests

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tierstack/tierstack/components/workers"
	"github.com/tierstack/tierstack/insights"
	"github.com/tierstack/tierstack/synth"
	"github.com/tierstack/tierstack/tiers"
)

// Resource types the workers tests ask about.
const (
	workersTypeComponent = workers.TypeToken
	workersTypeAllow     = "aws:sqs/redriveAllowPolicy:RedriveAllowPolicy"
	workersTypePolicy    = "aws:sqs/queuePolicy:QueuePolicy"
	workersImage         = "public.ecr.aws/docker/library/busybox:1.36"
)

// workersConfig is a tier's config with tierstack:workers set to value and, when mode is not "",
// tierstack:web mode set to it.
func workersConfig(tier tiers.Tier, value, mode string) map[string]string {
	return partConfig(tier, "tierstack:workers", value, mode)
}

// workersOn is the 10k tier with workers on: a job of 120 seconds, up to 8 workers.
func workersOn(t *testing.T) stack {
	t.Helper()
	return planTier(t, workersConfig(tiers.Tier10k,
		`{"enabled":true,"image":"`+workersImage+`","command":["run-jobs","--queue","default"],"jobTimeoutSeconds":120,"max":8,"backlogPerWorker":25}`, ""))
}

// No tier builds workers unless tierstack:workers enables them; the app learns no QUEUE_URL.
func TestWorkersAbsentUnlessConfigured(t *testing.T) {
	for _, tier := range tiers.All() {
		t.Run(string(tier), func(t *testing.T) {
			s := planTier(t, tierConfig(tier))
			assert.Zero(t, s.Count(workersTypeComponent))
			for _, q := range s.All(typeQueue) {
				assert.False(t, strings.HasPrefix(q.Name, "workers-"), "%s is a workers' queue", q.Name)
			}
			for _, lt := range s.All(webTypeLT) {
				assert.NotContains(t, decoded(t, lt, "userData"), "QUEUE_URL")
			}
		})
	}
	off := planTier(t, workersConfig(tiers.Tier10k, `{"enabled":false}`, ""))
	assert.Zero(t, off.Count(workersTypeComponent))
}

// The queue and its dead-letter queue: encrypted with a key of their own (rotating), long polling,
// a visibility timeout longer than the job, redrive after maxReceives to a dead-letter queue that
// keeps messages longer and takes this queue's only; both deny requests without TLS; both queues
// and the key are protected.
func TestWorkersQueuesEncryptedRedrivenAndTLSOnly(t *testing.T) {
	s := workersOn(t)
	queue := s.Named(typeQueue, "workers-queue")
	dlq := s.Named(typeQueue, "workers-dlq")
	key := s.Named(typeKey, "workers-key")
	assert.Equal(t, outStr(key, "arn"), str(queue, "kmsMasterKeyId"))
	assert.Equal(t, outStr(key, "arn"), str(dlq, "kmsMasterKeyId"))
	assert.Equal(t, true, input(key, "enableKeyRotation"))
	assert.Equal(t, 240, num(queue, "visibilityTimeoutSeconds"), "twice the job's 120 seconds")
	assert.Greater(t, num(queue, "visibilityTimeoutSeconds"), 120)
	assert.Equal(t, workers.LongPollSeconds, num(queue, "receiveWaitTimeSeconds"))
	assert.Equal(t, workers.DefaultRetentionSeconds, num(queue, "messageRetentionSeconds"))
	assert.Equal(t, workers.DeadLetterRetentionSeconds, num(dlq, "messageRetentionSeconds"))
	assert.Greater(t, num(dlq, "messageRetentionSeconds"), num(queue, "messageRetentionSeconds"))

	var redrive map[string]any
	require.NoError(t, json.Unmarshal([]byte(str(queue, "redrivePolicy")), &redrive))
	assert.Equal(t, outStr(dlq, "arn"), redrive["deadLetterTargetArn"])
	assert.EqualValues(t, workers.DefaultMaxReceives, redrive["maxReceiveCount"])

	allow := s.Named(workersTypeAllow, "workers-dlq-sources")
	assert.Equal(t, outStr(dlq, "url"), str(allow, "queueUrl"))
	var allowed map[string]any
	require.NoError(t, json.Unmarshal([]byte(str(allow, "redriveAllowPolicy")), &allowed))
	assert.Equal(t, "byQueue", allowed["redrivePermission"])
	assert.Equal(t, []any{outStr(queue, "arn")}, allowed["sourceQueueArns"])

	for _, c := range []struct{ policy, queue string }{{"workers-queue-policy", "workers-queue"}, {"workers-dlq-policy", "workers-dlq"}} {
		p := s.Named(workersTypePolicy, c.policy)
		q := s.Named(typeQueue, c.queue)
		assert.Equal(t, outStr(q, "url"), str(p, "queueUrl"))
		st := policyStatements(t, str(p, "policy"))
		require.Len(t, st, 1)
		assert.Equal(t, "Deny", st[0]["Effect"])
		assert.Equal(t, "sqs:*", st[0]["Action"])
		assert.Equal(t, outStr(q, "arn"), st[0]["Resource"])
		assert.Equal(t, map[string]any{"Bool": map[string]any{"aws:SecureTransport": "false"}}, st[0]["Condition"])
	}
	for _, r := range []synth.Resource{queue, dlq, key} {
		assert.True(t, r.Protect, "%s is protected", r.Name)
	}
	_, stateful := synth.Stateful(typeQueue)
	assert.True(t, stateful, "a queue is stateful: its jobs")
}

// In mode autoscaling the workers run on an Auto Scaling group of their own in the private
// subnets, with no load balancer, IMDSv2 and an encrypted disk, scaled by target tracking on the
// backlog per worker (visible messages ÷ workers in service, the group metric collected).
func TestWorkersGroupScalesOnTheBacklogPerWorker(t *testing.T) {
	s := workersOn(t)
	group := s.Named(webTypeASG, "workers-asg")
	assert.ElementsMatch(t, privateSubnetIDs(s), strs(group, "vpcZoneIdentifiers"))
	assert.Empty(t, strs(group, "targetGroupArns"), "no load balancer")
	assert.Equal(t, 1, num(group, "minSize"))
	assert.Equal(t, 8, num(group, "maxSize"))
	assert.Equal(t, []string{"GroupInServiceInstances"}, strs(group, "enabledMetrics"))

	lt := s.Named(webTypeLT, "workers-lt")
	assert.Equal(t, "required", str(lt, "metadataOptions.httpTokens"))
	assert.Equal(t, "true", str(lt, "blockDeviceMappings.0.ebs.encrypted"))
	assert.Equal(t, []string{s.Named(typeSecurityGroup, "workers-sg").ID}, strs(lt, "vpcSecurityGroupIds"))

	policy := s.Named(webTypePolicy, "workers-backlog")
	assert.Equal(t, "TargetTrackingScaling", str(policy, "policyType"))
	assert.EqualValues(t, 25, input(policy, "targetTrackingConfiguration.targetValue"))
	metrics, _ := input(policy, "targetTrackingConfiguration.customizedMetricSpecification.metrics").([]any)
	require.Len(t, metrics, 3)
	byID := map[string]map[string]any{}
	for _, m := range metrics {
		mm := m.(map[string]any)
		byID[mm["id"].(string)] = mm
	}
	assert.Equal(t, "messages / workers", byID["backlog"]["expression"])
	assert.Equal(t, true, byID["backlog"]["returnData"])
	msgs := byID["messages"]["metricStat"].(map[string]any)["metric"].(map[string]any)
	assert.Equal(t, "ApproximateNumberOfMessagesVisible", msgs["metricName"])
	assert.Equal(t, outStr(s.Named(typeQueue, "workers-queue"), "name"), msgs["dimensions"].([]any)[0].(map[string]any)["value"])
	inService := byID["workers"]["metricStat"].(map[string]any)["metric"].(map[string]any)
	assert.Equal(t, "GroupInServiceInstances", inService["metricName"])
	assert.Equal(t, outStr(group, "name"), inService["dimensions"].([]any)[0].(map[string]any)["value"])
}

// The workers' boot script runs their image with their command, publishes no port, gives a job
// its timeout to finish after SIGTERM, and tells them the queue; the app learns QUEUE_URL too.
func TestWorkersBootScriptAndQueueURL(t *testing.T) {
	s := workersOn(t)
	url := outStr(s.Named(typeQueue, "workers-queue"), "url")
	ud := decoded(t, s.Named(webTypeLT, "workers-lt"), "userData")
	assert.Contains(t, ud, workersImage+" run-jobs --queue default\n")
	assert.NotContains(t, ud, " -p ", "a worker publishes no port")
	assert.Contains(t, ud, "ExecStop=/usr/bin/docker stop -t 120 app")
	assert.Contains(t, ud, "TimeoutStopSec=150")
	assert.Contains(t, ud, "QUEUE_URL="+url+"\n")
	assert.Contains(t, ud, "DATABASE_HOST=", "the workers connect to the app's backends")
	web := decoded(t, s.Named(webTypeLT, "web-lt"), "userData")
	assert.Contains(t, web, "QUEUE_URL="+url+"\n")
	assert.Contains(t, web, " -p 80:", "the app still publishes its port")
}

// The app's role may send to the queue and nothing more; the workers' role may take jobs from it
// and nothing more; neither names another queue or a wildcard action.
func TestWorkersGrantsAreLeastPrivilege(t *testing.T) {
	s := workersOn(t)
	queue := outStr(s.Named(typeQueue, "workers-queue"), "arn")
	key := outStr(s.Named(typeKey, "workers-key"), "arn")
	send := s.Named(typeRolePolicy, "workers-send-web")
	assert.Equal(t, outStr(s.Named(typeRole, "web-role"), "name"), str(send, "role"))
	st := policyStatements(t, str(send, "policy"))
	require.Len(t, st, 2)
	assert.Equal(t, "sqs:SendMessage", st[0]["Action"])
	assert.Equal(t, queue, st[0]["Resource"])
	assert.Equal(t, []any{"kms:GenerateDataKey", "kms:Decrypt"}, st[1]["Action"])
	assert.Equal(t, key, st[1]["Resource"])
	assert.Equal(t, map[string]any{"StringEquals": map[string]any{"kms:ViaService": "sqs.us-east-1.amazonaws.com"}}, st[1]["Condition"])

	consume := policyStatements(t, str(s.Named(typeRolePolicy, "workers-consume"), "policy"))
	require.Len(t, consume, 2)
	assert.Equal(t, []any{"sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility", "sqs:GetQueueAttributes"}, consume[0]["Action"])
	assert.Equal(t, queue, consume[0]["Resource"])
	assert.Equal(t, "kms:Decrypt", consume[1]["Action"])
	for _, p := range s.All(typeRolePolicy) {
		doc := str(p, "policy")
		assert.NotContains(t, doc, `"sqs:*"`, "%s grants every SQS action", p.Name)
		if p.Name != "workers-send-web" {
			assert.NotContains(t, doc, "sqs:SendMessage", "%s may send to a queue", p.Name)
		}
	}
	workersRole := s.Named(typeRole, "workers-role").ID
	for _, p := range s.All(typeRolePolicy) {
		if str(p, "role") == workersRole {
			assert.True(t, strings.HasPrefix(p.Name, "workers-"), "%s is attached to the workers' role", p.Name)
		}
	}
	group := s.Named(webTypeASG, "workers-asg")
	assert.Contains(t, group.Dependencies, s.Named(typeRolePolicy, "workers-consume").URN, "the workers boot once they may read the queue")
}

// The database and the cache admit the workers' own security group in mode autoscaling.
func TestWorkersAdmittedByTheBackends(t *testing.T) {
	s := workersOn(t)
	sg := s.Named(typeSecurityGroup, "workers-sg").ID
	for _, rule := range []string{"data-allow-workers", "cache-allow-workers"} {
		r := s.Named(typeSGRule, rule)
		assert.Equal(t, sg, str(r, "sourceSecurityGroupId"), rule)
		assert.Equal(t, "ingress", str(r, "type"), rule)
	}
	for _, r := range s.All(typeSGRule) {
		if str(r, "securityGroupId") == sg {
			assert.NotEqual(t, "ingress", str(r, "type"), "the workers admit nothing: %s", r.Name)
		}
	}
}

// The two alarms: the age of the oldest job (pages) and failed jobs in the dead-letter queue.
func TestWorkersAlarms(t *testing.T) {
	s := workersOn(t)
	oldest := s.Named(typeMetricAlarm, "observability-alarm-workers-oldest-message")
	assert.Equal(t, "ApproximateAgeOfOldestMessage", str(oldest, "metricName"))
	assert.Equal(t, outStr(s.Named(typeQueue, "workers-queue"), "name"), str(oldest, "dimensions.QueueName"))
	assert.EqualValues(t, workers.OldestMessageAlarmSeconds(120), input(oldest, "threshold"))
	dead := s.Named(typeMetricAlarm, "observability-alarm-workers-dead-letters")
	assert.Equal(t, "ApproximateNumberOfMessagesVisible", str(dead, "metricName"))
	assert.Equal(t, outStr(s.Named(typeQueue, "workers-dlq"), "name"), str(dead, "dimensions.QueueName"))
	assert.EqualValues(t, 0, input(dead, "threshold"))
	assert.Equal(t, "GreaterThanThreshold", str(dead, "comparisonOperator"))
}

// Bad tierstack:workers settings are refused with the setting, the value and what is allowed,
// before anything is registered.
func TestWorkersConfigRefused(t *testing.T) {
	on := func(extra string) string { return `{"enabled":true,"image":"` + workersImage + `"` + extra + `}` }
	cases := []struct {
		name string
		cfg  map[string]string
		want []string
	}{
		{"tier 100", workersConfig(tiers.Tier100, on(""), ""), []string{"tier 100: tierstack:workers enabled is refused with tierstack:web mode instance", "no NAT", "allowed: tier 10k or above"}},
		{"no image", workersConfig(tiers.Tier10k, `{"enabled":true}`, ""), []string{"tierstack:workers image is not set"}},
		{"fields without enabled", workersConfig(tiers.Tier10k, `{"max":3}`, ""), []string{`tierstack:workers sets fields without "enabled": true`}},
		{"unknown field", workersConfig(tiers.Tier10k, on(`,"queueName":"jobs"`), ""), []string{"tierstack:workers", `unknown field "queueName"`, "jobTimeoutSeconds"}},
		{"visibility not longer than the job", workersConfig(tiers.Tier10k, on(`,"jobTimeoutSeconds":300,"visibilityTimeoutSeconds":300`), ""), []string{"visibilityTimeoutSeconds 300 must be longer than jobTimeoutSeconds 300", "allowed: 301 to 43200"}},
		{"job too long", workersConfig(tiers.Tier10k, on(`,"jobTimeoutSeconds":43200`), ""), []string{"jobTimeoutSeconds 43200 is out of range", "allowed: 1 to 43199"}},
		{"max receives", workersConfig(tiers.Tier10k, on(`,"maxReceives":1001`), ""), []string{"maxReceives 1001 is out of range", "allowed: 1 to 1000"}},
		{"retention", workersConfig(tiers.Tier10k, on(`,"retentionSeconds":1209600`), ""), []string{"retentionSeconds 1209600 is out of range", "allowed: 60 to 604800"}},
		{"min above max", workersConfig(tiers.Tier10k, on(`,"min":5,"max":3`), ""), []string{"min 5 is above max 3"}},
		{"scale to zero in a group", workersConfig(tiers.Tier10k, on(`,"min":0`), ""), []string{"min 0 in mode autoscaling is not allowed", "target tracking", "allowed: min 1 or more"}},
		{"command with a quote", workersConfig(tiers.Tier10k, on(`,"command":["sh","-c","echo 'hi'"]`), ""), []string{"command argument 2", "has a character that is not allowed"}},
		{"x86 instance", workersConfig(tiers.Tier10k, on(`,"instanceType":"m7i.large"`), ""), []string{`instanceType "m7i.large" is not a Graviton type`}},
		{"bad secret", workersConfig(tiers.Tier10k, on(`,"secrets":{"TOKEN":"token"}`), ""), []string{"tierstack:workers secrets TOKEN", "is not a Secrets Manager ARN"}},
		{"QUEUE_URL set by hand", workersConfig(tiers.Tier10k, on(`,"env":{"QUEUE_URL":"x"}`), ""), []string{"app env QUEUE_URL is set by the workers"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s, err := runProgram(t, "", c.cfg, tiers.Program)
			require.Error(t, err)
			for _, w := range c.want {
				assert.Contains(t, err.Error(), w)
			}
			assert.Empty(t, s.Resources, "nothing is registered")
		})
	}
}

// The tier walk with workers on (mode autoscaling at every tier from 10k): 10k → 100k → 1m keeps the
// queues and their key (same URN, never replaced), replaces and deletes nothing stateful, and every
// SQS type has replacement rules.
func TestWorkersTierWalkKeepsTheQueues(t *testing.T) {
	rules := mustRules(t)
	value := `{"enabled":true,"image":"` + workersImage + `"}`
	walk := []struct {
		tier        tiers.Tier
		mode, cache string
	}{{tiers.Tier10k, "", `{"clusterMode":"compatible"}`}, {tiers.Tier100k, "autoscaling", ""}, {tiers.Tier1M, "autoscaling", ""}}
	var before stack
	for i, step := range walk {
		cfg := workersConfig(step.tier, value, step.mode)
		if step.cache != "" {
			cfg["tierstack:cache"] = step.cache
		}
		after := planTier(t, cfg)
		for _, r := range after.Resources {
			if r.Custom && strings.HasPrefix(r.Type, "aws:sqs/") {
				assert.True(t, rules.Knows(r.Type), "no replacement rules for %s", r.Type)
			}
		}
		if i > 0 {
			from := walk[i-1].tier
			for _, q := range []string{"workers-queue", "workers-dlq"} {
				assert.Equal(t, before.Named(typeQueue, q).URN, after.Named(typeQueue, q).URN, "%s → %s", from, step.tier)
			}
			changes := synth.Diff(before.Plan, after.Plan, rules)
			assert.Empty(t, synth.Unsafe(changes), "%s → %s: nothing stateful is replaced or deleted", from, step.tier)
			for _, ch := range changes {
				if strings.HasPrefix(ch.Name, "workers-") {
					assert.NotEqual(t, synth.Replace, ch.Action, "%s → %s: %s %s is replaced", from, step.tier, ch.Type, ch.Name)
				}
			}
		}
		before = after
	}
}

// plan prices the workers (their instances, the queue's requests) with nothing of theirs unknown,
// and says a zone's loss loses no job.
func TestWorkersInsights(t *testing.T) {
	s := workersOn(t)
	prices, err := insights.Prices()
	require.NoError(t, err)
	cost, err := insights.EstimateCost(s.Resources, insights.DefaultCostModel(10_000), prices)
	require.NoError(t, err)
	for _, typ := range cost.Unknown {
		assert.False(t, strings.HasPrefix(typ, "aws:sqs/"), "%s is not priced", typ)
	}
	group := s.Named(webTypeASG, "workers-asg").URN
	priced := false
	for _, r := range cost.Resources {
		if r.URN == group {
			priced = r.MonthlyUSD > 0
		}
	}
	assert.True(t, priced, "the workers' instances are priced")
	for zone, zl := range insights.AZLoss(s.Resources) {
		v, ok := zl.Checks["workers"]
		require.True(t, ok, "%s: a workers verdict", zone)
		assert.True(t, v.Survives, "%s: %s", zone, v.Why)
		assert.NotContains(t, zl.Checks["web"].Why, "workers-asg", "the web verdict is the app's")
	}
}

// privateSubnetIDs are the IDs of the tiers' Network's private subnets.
func privateSubnetIDs(s stack) []string {
	var ids []string
	for i := 0; s.Has(typeSubnet, "network-private-"+string(rune('0'+i))); i++ {
		ids = append(ids, s.Named(typeSubnet, "network-private-"+string(rune('0'+i))).ID)
	}
	return ids
}

// With the shared files on, the workers mount them as the app does (mode autoscaling): their boot
// script mounts the access point over TLS with IAM, their role may mount this file system only
// through it, and the Files admit the workers' security group on 2049.
func TestWorkersMountTheSharedFiles(t *testing.T) {
	cfg := workersConfig(tiers.Tier10k, `{"enabled":true,"image":"`+workersImage+`"}`, "")
	cfg["tierstack:files"] = `{"enabled":true,"path":"/mnt/shared"}`
	s := planTier(t, cfg)
	fs := s.Named(filesTypeFS, "files-fs")
	ap := s.Named(filesTypeAP, "files-ap")
	ud := decoded(t, s.Named(webTypeLT, "workers-lt"), "userData")
	assert.Contains(t, ud, "tls,iam,accesspoint="+outStr(ap, "id"))
	assert.Contains(t, ud, "-v /mnt/shared:/mnt/shared")
	st := policyStatements(t, str(s.Named(typeRolePolicy, "workers-mount"), "policy"))
	require.Len(t, st, 1)
	assert.Equal(t, outStr(fs, "arn"), st[0]["Resource"])
	assert.Equal(t, map[string]any{"StringEquals": map[string]any{"elasticfilesystem:AccessPointArn": outStr(ap, "arn")}}, st[0]["Condition"])
	rule := s.Named(typeSGRule, "files-allow-workers")
	assert.Equal(t, s.Named(typeSecurityGroup, "workers-sg").ID, str(rule, "sourceSecurityGroupId"))
	assert.Equal(t, 2049, num(rule, "fromPort"))
}

// workersOnEKS is the 100k tier (mode eks) with workers that scale to zero.
func workersOnEKS(t *testing.T, extra string) stack {
	t.Helper()
	return planTier(t, workersConfig(tiers.Tier100k,
		`{"enabled":true,"image":"`+workersImage+`","command":["run-jobs"],"min":0,"max":12,"jobTimeoutSeconds":90,"backlogPerWorker":5`+extra+`}`, ""))
}

// In mode eks the workers are a Deployment in the app's namespace, as the app's service account's
// sibling with a role of their own by Pod Identity, hardened as the app's pods, given the job's
// timeout to stop; KEDA scales it on the queue from zero, reading it with its operator's role.
func TestWorkersOnEKSAreADeploymentScaledByKEDA(t *testing.T) {
	s := workersOnEKS(t, "")
	assert.Zero(t, s.Count(webTypeASG), "no Auto Scaling group of the workers' (nor the app's) in mode eks")
	url := outStr(s.Named(typeQueue, "workers-queue"), "url")

	dep := s.Named(eksTypeDeployment, "workers-deployment")
	assert.Equal(t, "app", str(dep, "metadata.namespace"))
	assert.Equal(t, 0, num(dep, "spec.replicas"))
	pod := "spec.template.spec."
	assert.Equal(t, workers.WorkerAccount, str(dep, pod+"serviceAccountName"))
	assert.Equal(t, 90+workers.GraceMarginSeconds, num(dep, pod+"terminationGracePeriodSeconds"))
	assert.Equal(t, true, input(dep, pod+"securityContext.runAsNonRoot"))
	c := pod + "containers.0."
	assert.Equal(t, workersImage, str(dep, c+"image"))
	assert.Equal(t, []string{"run-jobs"}, strs(dep, c+"args"))
	assert.Equal(t, false, input(dep, c+"securityContext.allowPrivilegeEscalation"))
	assert.Equal(t, true, input(dep, c+"securityContext.readOnlyRootFilesystem"))
	assert.Nil(t, input(dep, c+"ports"), "a worker serves nothing")
	env := map[string]string{}
	for _, e := range input(dep, c+"env").([]any) {
		m := e.(map[string]any)
		v, _ := m["value"].(string)
		env[m["name"].(string)] = v
	}
	assert.Equal(t, url, env["QUEUE_URL"])
	assert.Contains(t, env, "DATABASE_HOST")

	identity := s.Named(eksTypeIdentity, "workers-identity")
	assert.Equal(t, "app", str(identity, "namespace"))
	assert.Equal(t, workers.WorkerAccount, str(identity, "serviceAccount"))
	assert.Equal(t, outStr(s.Named(typeRole, "workers-pod-role"), "arn"), str(identity, "roleArn"))
	trust := str(s.Named(typeRole, "workers-pod-role"), "assumeRolePolicy")
	assert.Contains(t, trust, `"aws:RequestTag/kubernetes-service-account":"workers"`)
	assert.Contains(t, trust, `"pods.eks.amazonaws.com"`)

	scaler := s.Named(eksTypeScaler, "workers-scaler")
	assert.Equal(t, 0, num(scaler, "spec.minReplicaCount"))
	assert.Equal(t, 12, num(scaler, "spec.maxReplicaCount"))
	assert.Equal(t, "workers", str(scaler, "spec.scaleTargetRef.name"))
	triggers := input(scaler, "spec.triggers").([]any)
	require.Len(t, triggers, 1)
	sqs := triggers[0].(map[string]any)
	assert.Equal(t, "aws-sqs-queue", sqs["type"])
	md := sqs["metadata"].(map[string]any)
	assert.Equal(t, url, md["queueURL"])
	assert.Equal(t, "5", md["queueLength"])
	assert.Equal(t, "us-east-1", md["awsRegion"])
	auth := s.Named("kubernetes:keda.sh/v1alpha1:TriggerAuthentication", "workers-scaler-auth")
	assert.Equal(t, str(auth, "metadata.name"), sqs["authenticationRef"].(map[string]any)["name"])
	assert.Equal(t, "aws", str(auth, "spec.podIdentity.provider"))
	assert.Nil(t, input(auth, "spec.podIdentity.roleArn"), "KEDA's own role, not one it assumes")

	// The pods' role takes jobs; KEDA's reads the backlog; neither holds the other's grant.
	podRole := s.Named(typeRole, "workers-pod-role").ID
	for _, p := range s.All(typeRolePolicy) {
		if str(p, "role") == podRole {
			assert.NotContains(t, []string{"workers-scaler", "workers-send-web"}, p.Name)
		}
	}
	assert.Contains(t, str(s.Named(typeRolePolicy, "workers-consume"), "role"), podRole)
}

// Known peaks for the workers: scheduled actions on their group (mode autoscaling), KEDA cron
// windows on their ScaledObject (mode eks), from the same list.
func TestWorkersSchedules(t *testing.T) {
	peak := `,"schedules":[{"name":"batch-up","cron":"0 1 * * *","timeZone":"Europe/Paris","min":6},{"name":"batch-down","cron":"0 5 * * *","timeZone":"Europe/Paris"}]`
	group := planTier(t, workersConfig(tiers.Tier10k, `{"enabled":true,"image":"`+workersImage+`","max":8`+peak+`}`, ""))
	up := group.Named(webTypeSchedule, "workers-schedule-batch-up")
	assert.Equal(t, outStr(group.Named(webTypeASG, "workers-asg"), "name"), str(up, "autoscalingGroupName"))
	assert.Equal(t, 6, num(up, "minSize"))
	assert.Equal(t, 8, num(up, "maxSize"))
	assert.Equal(t, "Europe/Paris", str(up, "timeZone"))
	down := group.Named(webTypeSchedule, "workers-schedule-batch-down")
	assert.Equal(t, 1, num(down, "minSize"), "back at the workers' own min")

	cluster := workersOnEKS(t, peak)
	triggers := input(cluster.Named(eksTypeScaler, "workers-scaler"), "spec.triggers").([]any)
	require.Len(t, triggers, 2)
	cron := triggers[1].(map[string]any)
	assert.Equal(t, "cron", cron["type"])
	assert.Equal(t, map[string]any{"timezone": "Europe/Paris", "start": "0 1 * * *", "end": "0 5 * * *", "desiredReplicas": "6"}, cron["metadata"])

	_, err := runProgram(t, "", workersConfig(tiers.Tier10k, `{"enabled":true,"image":"`+workersImage+`","max":8,"schedules":[{"name":"up","cron":"0 1 * * *","min":6}]}`, ""), tiers.Program)
	require.Error(t, err)
	assert.Contains(t, err.Error(), `tierstack:workers schedule "up" raises min to 6 and is not followed by the schedule that ends its peak`)
}

// 10k → 100k moves the workers from their group to the cluster and keeps the queues and their key.
func TestWorkersFromTheGroupToTheClusterKeepTheQueues(t *testing.T) {
	rules := mustRules(t)
	value := `{"enabled":true,"image":"` + workersImage + `"}`
	ten := workersConfig(tiers.Tier10k, value, "")
	ten["tierstack:cache"] = `{"clusterMode":"compatible"}`
	before := planTier(t, ten)
	after := planTier(t, workersConfig(tiers.Tier100k, value, ""))
	for _, q := range []string{"workers-queue", "workers-dlq"} {
		assert.Equal(t, before.Named(typeQueue, q).URN, after.Named(typeQueue, q).URN)
	}
	changes := synth.Diff(before.Plan, after.Plan, rules)
	assert.Empty(t, synth.Unsafe(changes), "nothing stateful is replaced or deleted")
	for _, ch := range changes {
		if ch.Type == typeQueue || (ch.Type == typeKey && ch.Name == "workers-key") {
			assert.NotEqual(t, synth.Replace, ch.Action, "%s is replaced", ch.Name)
			assert.NotEqual(t, synth.Delete, ch.Action, "%s is deleted", ch.Name)
		}
	}
}
