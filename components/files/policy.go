package files

import (
	"encoding/json"
	"fmt"
)

// FileSystemPolicy is the file system's resource policy (Amazon EFS User Guide, "Using IAM to
// control file system data access" and "Encrypting data in transit"): it denies every request not
// made over TLS (aws:SecureTransport false), and allows mounting and writing only to IAM principals
// of the account (accountRoot, arn:PARTITION:iam::ACCOUNT:root, whose own policies must allow it
// too), through a mount target and through the access point accessPointARN. A client that mounts
// without iam is anonymous and gets nothing; root access (ClientRootAccess) is granted to no one,
// so the access point's POSIX user is the only identity files are written as.
func FileSystemPolicy(fileSystemARN, accessPointARN, accountRoot string) (string, error) {
	doc, err := json.Marshal(map[string]any{
		"Version": "2012-10-17",
		"Statement": []map[string]any{
			{"Sid": "DenyWithoutTLS", "Effect": "Deny", "Principal": map[string]any{"AWS": "*"},
				"Action": "*", "Resource": fileSystemARN,
				"Condition": map[string]any{"Bool": map[string]any{"aws:SecureTransport": "false"}}},
			{"Sid": "AccountPrincipalsThroughTheAccessPoint", "Effect": "Allow", "Principal": map[string]any{"AWS": accountRoot},
				"Action":   []string{"elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite"},
				"Resource": fileSystemARN,
				"Condition": map[string]any{
					"Bool":         map[string]any{"elasticfilesystem:AccessedViaMountTarget": "true"},
					"StringEquals": map[string]any{"elasticfilesystem:AccessPointArn": accessPointARN},
				}},
		},
	})
	if err != nil {
		return "", fmt.Errorf("file system policy: %w", err)
	}
	return string(doc), nil
}
