package tiers

import (
	"encoding/json"
	"fmt"
	"iter"
	"maps"
	"os"
	"slices"
	"sort"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Namespace is the config namespace of tierstack's settings: the Pulumi project name.
const Namespace = "tierstack"

// ConfigKey describes one setting the program reads, as Pulumi.yaml declares it and docs/configuration.md lists it.
type ConfigKey struct {
	// Name is the key inside Namespace, such as "tier".
	Name string
	// Type is the Pulumi.yaml config type: string, integer, boolean, array or object.
	Type string
	// Default is the value Pulumi.yaml declares, written as config passes it to the program; each
	// means "not set" to the program.
	Default string
	// Description says what the key does.
	Description string
}

// configKeys are every tierstack setting the program reads.
var configKeys = []ConfigKey{
	{"tier", "string", "auto",
		"Growth tier to build: 100, 10k, 100k or 1m (case does not matter; 10000 works too), or auto: the smallest tier for expectedUsers, else 100."},
	{"expectedUsers", "integer", "0",
		"Users to serve; with tier auto, picks the smallest tier built for that many (1m above a million). 0 means not set."},
	{"network", "object", "{}",
		"Overrides of the tier's network: cidr, azCount, availabilityZones (required from 10k up), natStrategy (none, single, perAz), flowLogs, flowLogRetentionDays, bastionAllowedCidrs, s3EndpointExtraBuckets. Unset fields keep the tier's values."},
	{"data", "object", "{}",
		"Overrides of the tier's database and tables: engine (aurora-mysql, aurora-postgresql; once per stack), engineVersion, databaseName, instanceClass, minAcu, maxAcu, secondsUntilAutoPause, readers, readerScaling {min, max, targetAcu, targetCpu}, backupRetentionDays, backupWindow, maintenanceWindow, backtrackHours, performanceInsights, monitoringInterval, timeZone, parameters, tables, shards, logRetentionDays, protectData, acknowledgeDataLoss. Unset fields keep the tier's values."},
	{"cache", "object", "{}",
		"Overrides of the tier's cache: enabled (a cache at 100, or none), engine (valkey, redis; once per stack), engineVersion, clusterMode (disabled, compatible, enabled; required from 100k up), replicas, shards, replicasPerShard, nodeType, parameters, snapshotRetentionDays, snapshotWindow, maintenanceWindow, logRetentionDays. Unset fields keep the tier's values."},
	{"app", "object", "{}",
		"The application, run by every tier: image, port, healthPath, env, secrets (variable name to Secrets Manager ARN, read at start), cpu (millicores), memory (MiB), replicas {min, desired, max}."},
	{"web", "object", "{}",
		"Overrides of how the tier runs the app: mode (instance, autoscaling, eks), instanceType (Graviton), idleTimeoutSeconds, accessLogDays; for eks: eksVersion, nodeInstanceType, nodesPerZone {min, desired, max}, nodeDiskGiB, publicAccessCidrs (none: a private API endpoint), allowPublicAccessFromAnywhere, adminRoleArns, clusterLogRetentionDays, addonVersions; image (a golden AMI ID or resolve:ssm:/parameter; instance, autoscaling), schedules [{name, cron, timeZone, min, desired, max}] (autoscaling, eks: each peak a schedule raising min and the next ending it) and stickiness {duration} (autoscaling)."},
	{"edge", "object", "{}",
		"The edge: alternativeNames (more names on the certificate and in DNS, with tierstack:domain), waf (on from 10k), rateLimit (requests per client IP in 5 minutes), addRuleGroups, excludeRuleGroups (AWS managed rule groups), wafLogRetentionDays, blockLargeBodies (let the core rule set block request bodies over 8 KB; counted by default), cdn (CloudFront, on from 10k), priceClass, cdnLogDays, allowCountries / denyCountries (ISO 3166 codes)."},
	{"streaming", "object", "{}",
		"Kafka on Amazon MSK, off unless enabled (from 100k up): enabled, mode (serverless, the default; provisioned; once per stack), partitions (checked against the serverless quota); for provisioned: brokers (a multiple of the zones, up to 3) or brokersPerZone, brokerType, kafkaVersion, volumeGiB, maxVolumeGiB, storageTargetPercent, replicationFactor, minInSyncReplicas, scram, logRetentionDays."},
	{"files", "object", "{}",
		"Shared files on Amazon EFS, off unless enabled, mounted by every mode (mode eks through the aws-efs-csi-driver add-on): enabled, path (where the instances and the app's container, or the app's pods, see them; default /mnt/shared; with mode eks not over or under /run/secrets/app), uid, gid (the POSIX user and group every client writes as; default 1000), rootDirectory (default /shared), transitionToIA (AFTER_1_DAY to AFTER_365_DAYS; default AFTER_30_DAYS)."},
	{"workers", "object", "{}",
		"Background workers on an SQS queue, off unless enabled (from 10k: an Auto Scaling group of their own in mode autoscaling, a Deployment on the cluster scaled by KEDA in mode eks): enabled, image (required), command (replaces the image's CMD), env, secrets, cpu, memory, min (default 1; 0 only in mode eks), max (default 10), jobTimeoutSeconds (default 60), visibilityTimeoutSeconds (longer than the job; default twice it), maxReceives (tries before the dead-letter queue; default 5), retentionSeconds (60 to 604800; default 4 days), backlogPerWorker (messages waiting per worker the scaling holds; default 10), instanceType (autoscaling), schedules [{name, cron, timeZone, min, desired, max}] (known peaks, as web's). The app learns QUEUE_URL."},
	{"drRegion", "string", "",
		"Disaster-recovery region; must differ from aws:region. Empty means none below 1m; required from 1m (pulumi up refuses without it, an offline plan picks one in the primary's geography and warns)."},
	{"dr", "object", "{}",
		"How the DR region of drRegion is built: strategy (backupRestore, pilotLight, warmStandby or activeActive), cidr (default: the block of the primary's size after it; must not overlap it), availabilityZones (zones of drRegion, required by pulumi up), globalEngineVersion (with live data: the engine version given to each global cluster, to upgrade the global databases; unset while they are created, then tierstack:data engineVersion's value), image (the app's image there; default: tierstack:app image, a private ECR registry's region moved to drRegion), web {min, max, instanceType} (the DR Auto Scaling group: warmStandby 2 to the primary's max, activeActive the primary's size; pilotLight at zero), cache {shards, replicas} (warmStandby: the primary's shards, 1 replica each; activeActive: the primary's), serveFrom (primary, the default, or dr: where origin.<domain> sends users; dr once the DR database is promoted, with a strategy that runs the web tier there)."},
	{"domain", "string", "",
		"DNS name of the service, such as app.example.com; needs hostedZoneId. Empty means none."},
	{"hostedZoneId", "string", "",
		"Route 53 hosted zone that holds domain, such as Z0123456789ABCDEFGHIJ."},
	{"alarmEmail", "string", "",
		"Email address that alarm notifications go to. Empty means none."},
	{"alarms", "object", "{}",
		"How alarms reach people and what they watch: slack (webhook, chatbot, none), slackWorkspaceId and slackChannelId (chatbot), logRetentionDays, centralLogs (OpenSearch, on from 100k), logsInstanceType, logsInstanceCount, logsVolumeGiB, signals (per signal ID or family: threshold, period, evaluationPeriods, datapointsToAlarm, severity, disabled). Unset fields keep the tier's values."},
	{"slackWebhookUrl", "string", "",
		"Slack incoming webhook URL for tierstack:alarms slack webhook; set it as a secret (pulumi config set --secret). Empty means none."},
	{"costModel", "object", "{}",
		"Usage a month that plan's cost estimate assumes, over defaults from the tier's users: users, hoursPerMonth, requests, transferOutGB, natGB, albLCU, databaseGB, databaseIOMillions, databaseActiveHours, averageAcu, storageGB, logsGB, dnsQueriesMillions, dynamodbWritesMillions, dynamodbReadsMillions, dynamodbGB, queueRequestsMillions, topicRequestsMillions, rootVolumeGB, streamingPartitions, streamingGB, filesGB. Unset fields follow users."},
}

// LoadSettings reads the stack's configuration and parses it with ParseSettings. Under the Pulumi
// engine it also refuses tierstack keys the program does not read: the engine hands the program every
// key in PULUMI_CONFIG, which the context cannot list. (A plan checks its own config map instead.)
func LoadSettings(ctx *pulumi.Context) (Settings, error) {
	if os.Getenv(pulumi.EnvMonitor) != "" {
		if err := checkEngineConfigKeys(os.Getenv(pulumi.EnvConfig)); err != nil {
			return Settings{}, err
		}
	}
	cfg := map[string]string{}
	for _, k := range append(fullKeys(), "aws:region") {
		if v, ok := ctx.GetConfig(k); ok {
			cfg[k] = v
		}
	}
	return ParseSettings(cfg)
}

// checkEngineConfigKeys refuses unknown tierstack keys in the engine's PULUMI_CONFIG document.
func checkEngineConfigKeys(doc string) error {
	if doc == "" {
		return nil
	}
	var keys map[string]any
	if err := json.Unmarshal([]byte(doc), &keys); err != nil {
		return fmt.Errorf("reading the engine's %s: %w", pulumi.EnvConfig, err)
	}
	return checkKnownKeys(maps.Keys(keys))
}

// ConfigKeys returns every tierstack setting the program reads, as a new slice.
func ConfigKeys() []ConfigKey { return slices.Clone(configKeys) }

// fullKeys returns every tierstack key with its namespace.
func fullKeys() []string {
	keys := make([]string, len(configKeys))
	for i, k := range configKeys {
		keys[i] = Namespace + ":" + k.Name
	}
	return keys
}

// checkKnownKeys refuses a tierstack key the program does not read: most often a typo that would
// otherwise be ignored without a word.
func checkKnownKeys(keys iter.Seq[string]) error {
	known := map[string]bool{}
	for _, k := range fullKeys() {
		known[k] = true
	}
	var unknown []string
	for k := range keys {
		if strings.HasPrefix(k, Namespace+":") && !known[k] {
			unknown = append(unknown, k)
		}
	}
	if len(unknown) == 0 {
		return nil
	}
	sort.Strings(unknown)
	return fmt.Errorf("config %s is not a tierstack setting (allowed: %s)", strings.Join(unknown, ", "), strings.Join(fullKeys(), ", "))
}
