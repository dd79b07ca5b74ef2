package insights

import (
	"encoding/base64"
	"strings"
	"testing"

	"github.com/tierstack/tierstack/synth"
)

func TestCheckSafetyFindings(t *testing.T) {
	cases := []struct {
		name     string
		resource synth.Resource
		want     string // a word of the finding's message; "" for none
	}{
		{"SSH from the internet", res("aws:ec2/securityGroupRule:SecurityGroupRule", "ssh", map[string]any{"type": "ingress", "fromPort": 22.0, "toPort": 22.0, "protocol": "tcp", "cidrBlocks": []any{"0.0.0.0/0"}}), "ports 22-22"},
		{"HTTPS from the internet", res("aws:ec2/securityGroupRule:SecurityGroupRule", "https", map[string]any{"type": "ingress", "fromPort": 443.0, "toPort": 443.0, "protocol": "tcp", "cidrBlocks": []any{"0.0.0.0/0"}}), ""},
		{"SSH from an office", res("aws:ec2/securityGroupRule:SecurityGroupRule", "office", map[string]any{"type": "ingress", "fromPort": 22.0, "toPort": 22.0, "protocol": "tcp", "cidrBlocks": []any{"203.0.113.0/24"}}), ""},
		{"every port inline", res("aws:ec2/securityGroup:SecurityGroup", "open", map[string]any{"ingress": []any{map[string]any{"protocol": "-1", "fromPort": 0.0, "toPort": 0.0, "ipv6CidrBlocks": []any{"::/0"}}}}), "every port"},
		{"IMDSv1", res("aws:ec2/launchTemplate:LaunchTemplate", "lt", map[string]any{"metadataOptions": map[string]any{"httpTokens": "optional"}}), "IMDSv1"},
		{"unencrypted database", res("aws:rds/cluster:Cluster", "db", map[string]any{"deletionProtection": true, "finalSnapshotIdentifier": "final"}), "not encrypted"},
		{"no final snapshot", res("aws:rds/cluster:Cluster", "db", map[string]any{"storageEncrypted": true, "deletionProtection": true, "skipFinalSnapshot": true, "finalSnapshotIdentifier": "x"}), "final snapshot"},
		{"no deletion protection", res("aws:rds/cluster:Cluster", "db", map[string]any{"storageEncrypted": true, "finalSnapshotIdentifier": "final"}), "deletion protection"},
		{"a plaintext password", res("aws:rds/cluster:Cluster", "db", map[string]any{"storageEncrypted": true, "deletionProtection": true, "finalSnapshotIdentifier": "final", "masterPassword": "hunter2"}), "plain text"},
		{"a secret password", res("aws:rds/cluster:Cluster", "db", map[string]any{"storageEncrypted": true, "deletionProtection": true, "finalSnapshotIdentifier": "final", "masterPassword": synth.SecretPlaceholder}), ""},
		{"a password in a container's environment", res("kubernetes:apps/v1:Deployment", "app", map[string]any{"spec": map[string]any{"template": map[string]any{"spec": map[string]any{"containers": []any{map[string]any{"env": []any{map[string]any{"name": "DB_PASSWORD", "value": "hunter2"}, map[string]any{"name": "DB_SECRET_ARN", "value": "arn:aws:secretsmanager:x"}}}}}}}}), "DB_PASSWORD"},
		{"a password in user data", res("aws:ec2/instance:Instance", "vm", map[string]any{"metadataOptions": map[string]any{"httpTokens": "required"}, "rootBlockDevice": map[string]any{"encrypted": true},
			"userDataBase64": base64.StdEncoding.EncodeToString([]byte("#!/bin/bash\nDATABASE_SECRET_ARN=arn:x\nexport DB_PASSWORD=hunter2\n"))}), "DB_PASSWORD"},
		{"secret ARNs in user data", res("aws:ec2/instance:Instance", "vm", map[string]any{"metadataOptions": map[string]any{"httpTokens": "required"}, "rootBlockDevice": map[string]any{"encrypted": true},
			"userDataBase64": base64.StdEncoding.EncodeToString([]byte("#!/bin/bash\nDATABASE_SECRET_ARN=arn:x\nCACHE_SECRET_ARN=arn:y\n"))}), ""},
		{"a bucket without a public access block", res("aws:s3/bucketV2:BucketV2", "b", nil), "public access block"},
		{"a log group kept forever", res("aws:cloudwatch/logGroup:LogGroup", "logs", map[string]any{}), "forever"},
		{"an unencrypted cache", res("aws:elasticache/replicationGroup:ReplicationGroup", "c", map[string]any{"transitEncryptionEnabled": true, "finalSnapshotIdentifier": "f"}), "at rest"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := CheckSafety([]synth.Resource{c.resource}, nil).Findings
			if c.want == "" {
				if len(got) != 0 {
					t.Errorf("findings = %+v, want none", got)
				}
				return
			}
			if len(got) != 1 || !strings.Contains(got[0].Message, c.want) || got[0].URN != c.resource.URN {
				t.Errorf("findings = %+v, want one on %s saying %q", got, c.resource.URN, c.want)
			}
		})
	}
}

func TestCheckSafetyMakesUnsafeChangesErrors(t *testing.T) {
	change := synth.Change{URN: "urn:db", Type: "aws:rds/cluster:Cluster", Action: synth.Replace, ReplacedBy: []string{"engine"}, Stateful: true, Unsafe: true}
	s := CheckSafety(nil, []synth.Change{change})
	if s.Errors() != 1 || s.Findings[0].URN != "urn:db" || !strings.Contains(s.Findings[0].Message, "engine") {
		t.Errorf("findings = %+v, want one error on urn:db naming engine", s.Findings)
	}
}

func TestChangeMessageSaysWhatTheChangeDoes(t *testing.T) {
	refused := synth.Change{URN: "urn:cache", Type: "aws:elasticache/replicationGroup:ReplicationGroup", Action: synth.Update,
		Stateful: true, Protected: true, Refused: []string{"cluster mode skips compatible"}, Unsafe: true}
	msg := changeMessage(refused)
	if strings.Contains(msg, "lost") || strings.Contains(msg, "protected") || !strings.Contains(msg, "AWS refuses: cluster mode") {
		t.Errorf("a refused update loses nothing and protection does not apply: %q", msg)
	}
	replaced := synth.Change{URN: "urn:vpc", Type: "aws:ec2/vpc:Vpc", Action: synth.Replace, Stateful: true, ReplacedBy: []string{"cidrBlock"}, Unsafe: true}
	if msg := changeMessage(replaced); !strings.Contains(msg, "replaces a stateful resource, and its state is lost") {
		t.Errorf("a replaced VPC: %q", msg)
	}
}
