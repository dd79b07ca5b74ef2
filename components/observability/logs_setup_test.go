package observability

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tierstack/tierstack/components/network"
)

// setupRunner runs the setup function's handler once with the event on stdin, against a fake
// domain that answers every request (the retention policy exists already when POLICY_EXISTS is
// set), with boto3 stubbed: it prints the requests the handler sent, as JSON.
const setupRunner = `
import io, json, os, sys, types, urllib.error, urllib.request
os.environ.update(ENDPOINT="vpc-logs.example", SECRET_ARN="arn:secret")
fake_boto3 = types.ModuleType("boto3")
class _SecretsManager:
    def get_secret_value(self, SecretId):
        return {"SecretString": json.dumps({"username": "tierstack-admin", "password": "pw"})}
fake_boto3.client = lambda name: _SecretsManager()
sys.modules["boto3"] = fake_boto3
calls = []
class _Answer:
    def __init__(self, body): self.status, self._body = 200, json.dumps(body).encode()
    def read(self): return self._body
    def __enter__(self): return self
    def __exit__(self, *a): pass
def urlopen(request, timeout=None):
    body = json.loads(request.data) if request.data else None
    calls.append({"method": request.get_method(), "url": request.full_url, "body": body,
                  "auth": request.get_header("Authorization")})
    if request.get_method() == "GET":
        if os.environ.get("POLICY_EXISTS"):
            return _Answer({"_seq_no": 7, "_primary_term": 2})
        raise urllib.error.HTTPError(request.full_url, 404, "Not Found", {}, io.BytesIO(b"{}"))
    return _Answer({"acknowledged": True})
urllib.request.urlopen = urlopen
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import setup_fn
setup_fn.handler(json.load(sys.stdin), None)
print(json.dumps(calls))
`

type setupCall struct {
	Method, URL, Auth string
	Body              map[string]any
}

// runSetup runs the embedded setup function with in, in python3; the test is skipped without it.
func runSetup(t *testing.T, in any, policyExists bool) []setupCall {
	t.Helper()
	python, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("python3 is not installed")
	}
	dir := t.TempDir()
	for name, text := range map[string]string{"setup_fn.py": logsSetup, "runner.py": setupRunner} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	event, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(python, filepath.Join(dir, "runner.py"))
	cmd.Stdin = strings.NewReader(string(event))
	cmd.Env = append(os.Environ(), "POLICY_EXISTS=")
	if policyExists {
		cmd.Env = append(cmd.Env, "POLICY_EXISTS=1")
	}
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("the setup function failed: %v\n%s", err, out)
	}
	var calls []setupCall
	if err := json.Unmarshal(out, &calls); err != nil {
		t.Fatalf("reading the requests: %v\n%s", err, out)
	}
	return calls
}

// find returns the request of a method whose URL ends with path.
func find(t *testing.T, calls []setupCall, method, path string) setupCall {
	t.Helper()
	for _, c := range calls {
		if c.Method == method && strings.HasSuffix(strings.SplitN(c.URL, "?", 2)[0], path) {
			return c
		}
	}
	t.Fatalf("no %s …%s among %+v", method, path, calls)
	return setupCall{}
}

// The setup function puts what its input says into the domain, logged in as the master user: a
// retention policy that deletes every logs-* index retentionDays after its creation (attached to
// new indices by its ISM template, and to existing ones), an index template for logs-*, and a role
// that may only write logs-* indices, mapped to the writers. Run twice, it updates the policy with
// the sequence number and primary term the domain has, as ISM requires.
func TestSetupFunctionPutsRetentionTemplateAndWriterRole(t *testing.T) {
	args := Args{LogRetentionDays: 14, CentralLogs: &CentralLogsArgs{Network: &network.Network{}, InstanceCount: 6}}
	in := setupInput(args, []string{"arn:aws:iam::123456789012:role/shipper"})
	if in.Shards != 3 || in.RetentionDays != 14 {
		t.Fatalf("input %+v: want 3 shards (6 nodes, one replica each) and 14 days", in)
	}
	calls := runSetup(t, in, false)
	for _, c := range calls {
		if !strings.HasPrefix(c.Auth, "Basic ") || !strings.HasPrefix(c.URL, "https://vpc-logs.example/") {
			t.Errorf("%s %s: want HTTPS as the master user", c.Method, c.URL)
		}
	}

	policy := find(t, calls, "PUT", "/_plugins/_ism/policies/"+RetentionPolicy)
	doc, _ := json.Marshal(policy.Body)
	for _, want := range []string{
		`"conditions":{"min_index_age":"14d"}`, `"state_name":"delete"`, `"actions":[{"delete":{}}]`,
		`"ism_template":[{"index_patterns":["logs-*"]`,
	} {
		if !strings.Contains(string(doc), want) {
			t.Errorf("retention policy %s lacks %s", doc, want)
		}
	}
	if strings.Contains(policy.URL, "if_seq_no") {
		t.Errorf("a new policy is created without a sequence number: %s", policy.URL)
	}
	find(t, calls, "POST", "/_plugins/_ism/add/logs-*")

	template := find(t, calls, "PUT", "/_index_template/"+LogsTemplate)
	tdoc, _ := json.Marshal(template.Body)
	for _, want := range []string{`"index_patterns":["logs-*"]`, `"number_of_shards":3`, `"number_of_replicas":1`, `"@timestamp":{"type":"date"}`} {
		if !strings.Contains(string(tdoc), want) {
			t.Errorf("index template %s lacks %s", tdoc, want)
		}
	}

	role := find(t, calls, "PUT", "/_plugins/_security/api/roles/"+WriterRole)
	rdoc, _ := json.Marshal(role.Body)
	var writer struct {
		ClusterPermissions []string `json:"cluster_permissions"`
		IndexPermissions   []struct {
			IndexPatterns  []string `json:"index_patterns"`
			AllowedActions []string `json:"allowed_actions"`
		} `json:"index_permissions"`
	}
	if err := json.Unmarshal(rdoc, &writer); err != nil {
		t.Fatal(err)
	}
	// Bulk indexing into logs-* indices it may create, and nothing else (no read, delete,
	// wildcard or cluster administration).
	write := map[string]bool{"indices:data/write/bulk": true, "indices:data/write/bulk*": true, "indices:data/write/index": true,
		"indices:admin/create": true, "indices:admin/mapping/put": true}
	for _, p := range writer.ClusterPermissions {
		if !write[p] {
			t.Errorf("writer role grants cluster permission %q", p)
		}
	}
	if len(writer.IndexPermissions) != 1 || strings.Join(writer.IndexPermissions[0].IndexPatterns, ",") != "logs-*" {
		t.Fatalf("writer role %s is not limited to logs-*", rdoc)
	}
	for _, a := range writer.IndexPermissions[0].AllowedActions {
		if !write[a] {
			t.Errorf("writer role grants %q on logs-*", a)
		}
	}
	mapping := find(t, calls, "PUT", "/_plugins/_security/api/rolesmapping/"+WriterRole)
	mdoc, _ := json.Marshal(mapping.Body)
	if !strings.Contains(string(mdoc), `"backend_roles":["arn:aws:iam::123456789012:role/shipper"]`) {
		t.Errorf("role mapping %s does not map the shipper's role", mdoc)
	}

	again := find(t, runSetup(t, in, true), "PUT", "/_plugins/_ism/policies/"+RetentionPolicy)
	if !strings.HasSuffix(again.URL, "?if_seq_no=7&if_primary_term=2") {
		t.Errorf("an existing policy is updated at %s, want its sequence number and primary term", again.URL)
	}
}

// Pulumi runs the setup with action delete when the invocation leaves the stack: it changes
// nothing in the domain (which may be going too).
func TestSetupFunctionDoesNothingOnDelete(t *testing.T) {
	event := map[string]any{"retentionDays": 30, "policy": RetentionPolicy, "template": LogsTemplate, "role": WriterRole,
		"writers": []string{}, "shards": 1, "replicas": 1, "tf": map[string]any{"action": "delete"}}
	if calls := runSetup(t, event, true); len(calls) != 0 {
		t.Errorf("on delete the setup sent %+v", calls)
	}
	event["tf"] = map[string]any{"action": "update"}
	if calls := runSetup(t, event, true); len(calls) == 0 {
		t.Error("on update the setup sent nothing")
	}
}
