package drregion

import (
	"encoding/json"
	"strings"
	"testing"
)

// statements decodes a policy document's statements.
func statements(t *testing.T, doc string) []map[string]any {
	t.Helper()
	var d struct {
		Statement []map[string]any
	}
	if err := json.Unmarshal([]byte(doc), &d); err != nil {
		t.Fatal(err)
	}
	return d.Statement
}

func TestReplicationPolicyTouchesOnlyTheTwoBuckets(t *testing.T) {
	doc, err := ReplicationPolicy("arn:aws:s3:::src", "arn:aws:s3:::dst")
	if err != nil {
		t.Fatal(err)
	}
	allowed := map[string]bool{"arn:aws:s3:::src": true, "arn:aws:s3:::src/*": true, "arn:aws:s3:::dst/*": true}
	for _, st := range statements(t, doc) {
		res, _ := st["Resource"].(string)
		if !allowed[res] {
			t.Errorf("statement %v names resource %q", st["Sid"], res)
		}
		for _, a := range st["Action"].([]any) {
			action := a.(string)
			if strings.Contains(action, "*") {
				t.Errorf("wildcard action %s", action)
			}
			if strings.HasPrefix(action, "s3:Replicate") && res != "arn:aws:s3:::dst/*" {
				t.Errorf("%s on %s: replicas are written into the destination only", action, res)
			}
		}
	}
}

func TestBackupKeyPolicyNamesTheKeys(t *testing.T) {
	src, dst := []string{"arn:aws:kms:us-east-1:1:key/a", "arn:aws:kms:us-east-1:1:key/b"}, []string{"arn:aws:kms:us-west-2:1:key/c"}
	doc, err := BackupKeyPolicy(src, dst)
	if err != nil {
		t.Fatal(err)
	}
	for _, st := range statements(t, doc) {
		for _, r := range st["Resource"].([]any) {
			if r == "*" {
				t.Errorf("statement %v on every key", st["Sid"])
			}
		}
		if st["Action"] == "kms:CreateGrant" && st["Condition"] == nil {
			t.Error("grants are not limited to AWS resources")
		}
	}
	if !strings.Contains(doc, "key/c") || !strings.Contains(doc, "key/a") {
		t.Error("a key is missing")
	}
	if _, err := BackupKeyPolicy(nil, dst); err == nil {
		t.Error("no source keys accepted")
	}
}
