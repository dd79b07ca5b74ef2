package kmskey

import (
	"encoding/json"
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/kms"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/tierstack/tierstack/internal/awsenv"
	"github.com/tierstack/tierstack/internal/naming"
)

// Statement is one statement of a key policy.
type Statement = map[string]any

// CloudWatchAlarms lets CloudWatch alarms publish to an SNS topic encrypted with the key: the
// alarms service calls kms:GenerateDataKey* and kms:Decrypt itself, and without this grant an
// alarm's action fails ("CloudWatch Alarms does not have authorization to access the SNS topic
// encryption key"). The account-managed key alias/aws/sns cannot carry it, hence a customer key.
// The grant is limited to the account's own alarms: CloudWatch sends aws:SourceAccount and
// aws:SourceArn (the alarm's ARN) with its KMS calls, so the confused-deputy conditions AWS
// recommends for service principals hold (Amazon SNS Developer Guide, "Enable compatibility between
// event sources from AWS services and encrypted topics"; IAM User Guide, "The confused deputy
// problem"). The alarm may be in any region of the account.
func CloudWatchAlarms(env awsenv.Env) Statement {
	return Statement{
		"Sid":       "CloudWatchAlarmsPublishToTheTopic",
		"Effect":    "Allow",
		"Principal": map[string]any{"Service": "cloudwatch.amazonaws.com"},
		"Action":    []string{"kms:Decrypt", "kms:GenerateDataKey*"},
		"Resource":  "*",
		"Condition": map[string]any{
			"StringEquals": map[string]any{"aws:SourceAccount": env.AccountID},
			"ArnLike":      map[string]any{"aws:SourceArn": env.ARN("cloudwatch", "*", env.AccountID, "alarm:*")},
		},
	}
}

// Logs lets CloudWatch Logs of the Env's region encrypt the account's log groups there with the key:
// the service principal is regional (logs.REGION.amazonaws.com), and the encryption context
// condition keeps it to this account's log groups in that region, as AWS's guide to encrypting log
// data with KMS has it.
func Logs(env awsenv.Env) Statement {
	return Statement{
		"Sid":       "CloudWatchLogsEncryptTheAccountsLogGroups",
		"Effect":    "Allow",
		"Principal": map[string]any{"Service": "logs." + env.Region + "." + env.DNSSuffix},
		"Action":    []string{"kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"},
		"Resource":  "*",
		"Condition": map[string]any{"ArnLike": map[string]any{
			"kms:EncryptionContext:aws:logs:arn": env.ARN("logs", env.Region, env.AccountID, "log-group:*"),
		}},
	}
}

// PolicyWith is Policy plus statements that let AWS services use the key on their own behalf.
// Without them it is Policy, byte for byte.
func PolicyWith(env awsenv.Env, extra ...Statement) (string, error) {
	base, err := Policy(env)
	if err != nil || len(extra) == 0 {
		return base, err
	}
	var doc map[string]any
	if err := json.Unmarshal([]byte(base), &doc); err != nil {
		return "", fmt.Errorf("key policy: %w", err)
	}
	statements, _ := doc["Statement"].([]any)
	for _, s := range extra {
		statements = append(statements, s)
	}
	doc["Statement"] = statements
	out, err := json.Marshal(doc)
	if err != nil {
		return "", fmt.Errorf("key policy: %w", err)
	}
	return string(out), nil
}

// NewWith is New with a policy that also grants extra statements.
func NewWith(ctx *pulumi.Context, name, description string, env awsenv.Env, tags map[string]string, extra []Statement, opts ...pulumi.ResourceOption) (*kms.Key, error) {
	policy, err := PolicyWith(env, extra...)
	if err != nil {
		return nil, err
	}
	return kms.NewKey(ctx, name, &kms.KeyArgs{
		Description:          pulumi.String(description),
		KeyUsage:             pulumi.String("ENCRYPT_DECRYPT"),
		EnableKeyRotation:    pulumi.Bool(true),
		DeletionWindowInDays: pulumi.Int(DeletionWindowDays),
		Policy:               pulumi.String(policy),
		Tags:                 naming.Tags(tags, name),
	}, opts...)
}
