package drregion

import (
	"encoding/json"
	"fmt"
)

// ServiceTrustPolicy lets one AWS service assume a role.
func ServiceTrustPolicy(service string) map[string]any {
	return map[string]any{
		"Version": "2012-10-17",
		"Statement": []map[string]any{{
			"Effect": "Allow", "Principal": map[string]any{"Service": service}, "Action": "sts:AssumeRole",
		}},
	}
}

// BackupKeyPolicy is what the backup role may do with KMS keys: read what the source keys encrypt
// (the clusters', the tables' and the source vault's keys) and encrypt the copies with the
// destination keys (the DR vault's). Cross-region copies of encrypted recovery points are
// re-encrypted with the destination vault's key (AWS Backup Developer Guide, "Encryption for
// backups in AWS Backup" and "Creating backup copies across AWS Regions"); RDS and AWS Backup use
// the keys through grants, hence kms:CreateGrant for AWS resources only. Which of these actions a
// copy job actually calls could not be proven offline: the set is the documented one for copies,
// each limited to the named keys.
func BackupKeyPolicy(sourceKeys, destinationKeys []string) (string, error) {
	if len(sourceKeys) == 0 || len(destinationKeys) == 0 {
		return "", fmt.Errorf("backup key policy: source and destination keys are required")
	}
	grant := map[string]any{"Bool": map[string]any{"kms:GrantIsForAWSResource": "true"}}
	doc := map[string]any{
		"Version": "2012-10-17",
		"Statement": []map[string]any{
			{"Sid": "ReadTheSources", "Effect": "Allow", "Resource": sourceKeys,
				"Action": []string{"kms:Decrypt", "kms:DescribeKey", "kms:GenerateDataKey", "kms:GenerateDataKeyWithoutPlaintext", "kms:ReEncryptFrom"}},
			{"Sid": "EncryptTheCopies", "Effect": "Allow", "Resource": destinationKeys,
				"Action": []string{"kms:Encrypt", "kms:Decrypt", "kms:DescribeKey", "kms:GenerateDataKey", "kms:GenerateDataKeyWithoutPlaintext", "kms:ReEncryptTo"}},
			{"Sid": "GrantToAWSServices", "Effect": "Allow", "Resource": append(append([]string{}, sourceKeys...), destinationKeys...),
				"Action": "kms:CreateGrant", "Condition": grant},
		},
	}
	out, err := json.Marshal(doc)
	if err != nil {
		return "", fmt.Errorf("backup key policy: %w", err)
	}
	return string(out), nil
}

// ReplicationPolicy lets S3 replicate one bucket to another and nothing else: read the source's
// replication configuration and object versions, write replicas into the destination (Amazon S3
// User Guide, "Setting up permissions for live replication").
func ReplicationPolicy(sourceARN, destinationARN string) (string, error) {
	doc := map[string]any{
		"Version": "2012-10-17",
		"Statement": []map[string]any{
			{"Sid": "ReadTheSourceBucket", "Effect": "Allow", "Resource": sourceARN,
				"Action": []string{"s3:GetReplicationConfiguration", "s3:ListBucket"}},
			{"Sid": "ReadTheSourceVersions", "Effect": "Allow", "Resource": sourceARN + "/*",
				"Action": []string{"s3:GetObjectVersionForReplication", "s3:GetObjectVersionAcl", "s3:GetObjectVersionTagging"}},
			{"Sid": "WriteTheReplicas", "Effect": "Allow", "Resource": destinationARN + "/*",
				"Action": []string{"s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags"}},
		},
	}
	out, err := json.Marshal(doc)
	if err != nil {
		return "", fmt.Errorf("replication policy: %w", err)
	}
	return string(out), nil
}

// mustJSON marshals a document built from plain maps and strings, which cannot fail.
func mustJSON(v any) string {
	out, err := json.Marshal(v)
	if err != nil {
		return "{}"
	}
	return string(out)
}
