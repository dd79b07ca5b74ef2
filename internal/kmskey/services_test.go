package kmskey

import (
	"encoding/json"
	"testing"

	"github.com/tierstack/tierstack/internal/awsenv"
)

// TestCloudWatchAlarmsGrantIsTheAccountsOwn checks that the alarms' key grant carries the
// confused-deputy conditions: the account's own alarms only, through the policy a key is created
// with.
func TestCloudWatchAlarmsGrantIsTheAccountsOwn(t *testing.T) {
	env := awsenv.Env{Partition: "aws", Region: "eu-west-1", AccountID: "123456789012", DNSSuffix: "amazonaws.com"}
	doc, err := PolicyWith(env, CloudWatchAlarms(env))
	if err != nil {
		t.Fatal(err)
	}
	var policy struct {
		Statement []struct {
			Sid       string
			Principal map[string]any
			Condition map[string]map[string]string
		}
	}
	if err := json.Unmarshal([]byte(doc), &policy); err != nil {
		t.Fatal(err)
	}
	found := false
	for _, s := range policy.Statement {
		if s.Principal["Service"] != "cloudwatch.amazonaws.com" {
			continue
		}
		found = true
		if got := s.Condition["StringEquals"]["aws:SourceAccount"]; got != env.AccountID {
			t.Errorf("%s: aws:SourceAccount = %q, want %q", s.Sid, got, env.AccountID)
		}
		if got, want := s.Condition["ArnLike"]["aws:SourceArn"], "arn:aws:cloudwatch:*:123456789012:alarm:*"; got != want {
			t.Errorf("%s: aws:SourceArn = %q, want %q", s.Sid, got, want)
		}
	}
	if !found {
		t.Fatal("no statement for cloudwatch.amazonaws.com in the key policy")
	}
}
