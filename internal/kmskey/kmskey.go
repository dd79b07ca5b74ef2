// Package kmskey creates the customer managed KMS key a stateful component encrypts its data with.
package kmskey

import (
	"encoding/json"
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/kms"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/tierstack/tierstack/internal/awsenv"
)

// DeletionWindowDays is how long a deleted key can still be recovered: the longest AWS allows (30),
// because every backup and snapshot encrypted with it is unreadable once it is gone.
const DeletionWindowDays = 30

// Policy is the key policy: the account administers and uses the key through IAM, as AWS's default
// key policy does, so that the services the component uses (RDS, ElastiCache, Secrets Manager,
// DynamoDB) reach it on behalf of principals the account allows, and nothing outside the account does.
func Policy(env awsenv.Env) (string, error) {
	doc, err := json.Marshal(map[string]any{
		"Version": "2012-10-17",
		"Statement": []map[string]any{{
			"Sid":       "AccountUsesTheKeyThroughIAM",
			"Effect":    "Allow",
			"Principal": map[string]any{"AWS": env.ARN("iam", "", env.AccountID, "root")},
			"Action":    "kms:*",
			"Resource":  "*",
		}},
	})
	if err != nil {
		return "", fmt.Errorf("key policy: %w", err)
	}
	return string(doc), nil
}

// New creates a symmetric key named name, rotated every year, with the account-only Policy. opts
// carry the caller's Parent, and its Protect and RetainOnDelete choices.
func New(ctx *pulumi.Context, name, description string, env awsenv.Env, tags map[string]string, opts ...pulumi.ResourceOption) (*kms.Key, error) {
	return NewWith(ctx, name, description, env, tags, nil, opts...)
}
