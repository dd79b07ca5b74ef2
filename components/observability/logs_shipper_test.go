package observability

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// shipperRunner runs the shipper's handler on one subscription batch with made-up credentials,
// against a fake domain, and prints the request it sent as JSON.
const shipperRunner = `
import base64, gzip, json, os, sys, urllib.request
os.environ.update(ENDPOINT="vpc-logs.example", AWS_REGION="eu-west-1",
                  AWS_ACCESS_KEY_ID="AKIDEXAMPLE", AWS_SECRET_ACCESS_KEY="secret", AWS_SESSION_TOKEN="token")
sent = {}
class _Answer:
    status = 200
    def read(self): return b'{"errors": false, "items": []}'
    def __enter__(self): return self
    def __exit__(self, *a): pass
def urlopen(request, timeout=None):
    sent.update(url=request.full_url, headers=dict(request.header_items()), body=request.data.decode())
    return _Answer()
urllib.request.urlopen = urlopen
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import shipper_fn
batch = {"messageType": "DATA_MESSAGE", "logGroup": "/aws/vpc/flow", "logStream": "eni-1", "owner": "123456789012",
         "logEvents": [{"id": "e1", "timestamp": 1764806400000, "message": "accept"}]}
shipper_fn.handler({"awslogs": {"data": base64.b64encode(gzip.compress(json.dumps(batch).encode())).decode()}}, None)
print(json.dumps(sent))
`

// The shipper signs its bulk request with its role's credentials (SigV4 for the es service in its
// region), sends no password, and writes to the day's logs-* index.
func TestShipperSignsItsBulkRequests(t *testing.T) {
	python, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("python3 is not installed")
	}
	if exec.Command(python, "-c", "import boto3, botocore").Run() != nil {
		t.Skip("boto3 is not installed (the Lambda runtime has it)")
	}
	dir := t.TempDir()
	for name, text := range map[string]string{"shipper_fn.py": logsShipper, "runner.py": shipperRunner} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	out, err := exec.Command(python, filepath.Join(dir, "runner.py")).Output()
	if err != nil {
		t.Fatalf("the shipper failed: %v\n%s", err, out)
	}
	var sent struct {
		URL     string
		Headers map[string]string
		Body    string
	}
	if err := json.Unmarshal(out, &sent); err != nil {
		t.Fatalf("reading the request: %v\n%s", err, out)
	}
	if sent.URL != "https://vpc-logs.example/_bulk" {
		t.Errorf("sent to %s", sent.URL)
	}
	auth := sent.Headers["Authorization"]
	if !strings.HasPrefix(auth, "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/") || !strings.Contains(auth, "/eu-west-1/es/aws4_request") {
		t.Errorf("authorization %q is not SigV4 for es in the function's region", auth)
	}
	if sent.Headers["X-amz-security-token"] != "token" {
		t.Errorf("the role's session token is not sent: %v", sent.Headers)
	}
	if !strings.Contains(sent.Body, `{"index": {"_index": "logs-2025.12.04", "_id": "e1"}}`) {
		t.Errorf("body %q does not index into the day's logs-* index", sent.Body)
	}
}
