"""Sets up the stack's OpenSearch domain for the central logs.

Invoked by Pulumi (aws:lambda/invocation, lifecycle scope CRUD) when it is created and whenever its
input changes, it logs in as the domain's
master user, whose credentials it alone reads from Secrets Manager (SECRET_ARN), and puts, each with
an idempotent request:

1. the writer role: fine-grained access control role `role` may bulk-write logs-* indices and
   nothing else, and the IAM roles in `writers` (the shipper's) are mapped to it as backend roles;
2. the index template `template`: shards, replicas and mappings of every new logs-* index;
3. the ISM policy `policy`: a logs-* index is deleted `retentionDays` after it was created. Its
   ism_template attaches it to every new logs-* index; indices made before it get it here too, and
   indices on an older version of it move to this one.

A failed request raises: the invocation, and so `pulumi up`, fails with the domain's answer.
"""
import base64
import json
import os
import time
import urllib.error
import urllib.parse
import urllib.request

import boto3

# OpenSearch's permissions for a _bulk request that indexes documents into indices it may create
# (OpenSearch documentation, "Permissions": indices:data/write/bulk* and the write actions it
# performs; "Default action groups": cluster_composite_ops holds indices:data/write/bulk).
WRITER_CLUSTER_PERMISSIONS = ["indices:data/write/bulk"]
WRITER_INDEX_PERMISSIONS = [
    "indices:data/write/bulk*",
    "indices:data/write/index",
    "indices:admin/create",
    "indices:admin/mapping/put",
]


def _authorization():
    client = boto3.client("secretsmanager")
    secret = json.loads(client.get_secret_value(SecretId=os.environ["SECRET_ARN"])["SecretString"])
    token = base64.b64encode(("%s:%s" % (secret["username"], secret["password"])).encode()).decode()
    return "Basic " + token


def _request(auth, method, path, body=None, attempts=7):
    """Sends one request; retries while the domain is unreachable or busy (about a minute)."""
    data = json.dumps(body).encode() if body is not None else None
    for attempt in range(attempts):
        request = urllib.request.Request(
            "https://%s%s" % (os.environ["ENDPOINT"], path),
            data=data,
            headers={"Content-Type": "application/json", "Authorization": auth},
            method=method,
        )
        try:
            with urllib.request.urlopen(request, timeout=20) as response:
                return response.status, json.loads(response.read() or b"{}")
        except urllib.error.HTTPError as e:
            text = e.read()
            if e.code in (429, 502, 503, 504) and attempt + 1 < attempts:
                time.sleep(10)
                continue
            try:
                return e.code, json.loads(text or b"{}")
            except ValueError:
                return e.code, {"error": text.decode(errors="replace")}
        except urllib.error.URLError:
            if attempt + 1 < attempts:
                time.sleep(10)
                continue
            raise
    raise RuntimeError("%s %s: no answer" % (method, path))


def _must(status, answer, what, ok=(200, 201)):
    if status not in ok:
        raise RuntimeError("%s: HTTP %d: %s" % (what, status, json.dumps(answer)[:2000]))
    return answer


def writer_role():
    return {
        "description": "Writes logs-* indices only (tierstack's log shipper)",
        "cluster_permissions": WRITER_CLUSTER_PERMISSIONS,
        "index_permissions": [{"index_patterns": ["logs-*"], "allowed_actions": WRITER_INDEX_PERMISSIONS}],
    }


def index_template(shards, replicas):
    return {
        "index_patterns": ["logs-*"],
        "priority": 100,
        "template": {
            "settings": {"number_of_shards": shards, "number_of_replicas": replicas},
            "mappings": {
                "properties": {
                    "@timestamp": {"type": "date"},
                    "message": {"type": "text"},
                    "logGroup": {"type": "keyword"},
                    "logStream": {"type": "keyword"},
                    "owner": {"type": "keyword"},
                }
            },
        },
    }


def retention_policy(days):
    return {
        "policy": {
            "description": "Deletes logs-* indices %d days after they were created (tierstack)" % days,
            "default_state": "hot",
            "states": [
                {"name": "hot", "actions": [],
                 "transitions": [{"state_name": "delete", "conditions": {"min_index_age": "%dd" % days}}]},
                {"name": "delete", "actions": [{"delete": {}}], "transitions": []},
            ],
            "ism_template": [{"index_patterns": ["logs-*"], "priority": 100}],
        }
    }


def handler(event, _context):
    # Pulumi's invocation (lifecycle scope CRUD) says what it does under "tf": on delete, the
    # domain keeps what the last run put there (it may be going too).
    if event.get("tf", {}).get("action") == "delete":
        return {"deleted": "nothing"}
    auth = _authorization()
    role, policy = event["role"], event["policy"]

    _must(*_request(auth, "PUT", "/_plugins/_security/api/roles/" + role, writer_role()), "writer role")
    _must(*_request(auth, "PUT", "/_plugins/_security/api/rolesmapping/" + role,
                    {"backend_roles": event["writers"], "hosts": [], "users": []}), "writer role mapping")

    _must(*_request(auth, "PUT", "/_index_template/" + event["template"],
                    index_template(event["shards"], event["replicas"])), "index template")

    # An existing policy is updated only with the sequence number and primary term it has now.
    path = "/_plugins/_ism/policies/" + policy
    status, current = _request(auth, "GET", path)
    if status == 200:
        path += "?" + urllib.parse.urlencode({"if_seq_no": current["_seq_no"], "if_primary_term": current["_primary_term"]})
    elif status != 404:
        _must(status, current, "reading the retention policy")
    _must(*_request(auth, "PUT", path, retention_policy(event["retentionDays"])), "retention policy")

    # Indices made before the policy: add it (those that have it already are reported, not
    # changed); those on an older version of it: move them to this one.
    # Not found: no logs-* index yet.
    _must(*_request(auth, "POST", "/_plugins/_ism/add/logs-*", {"policy_id": policy}), "attaching the policy", ok=(200, 404))
    _must(*_request(auth, "POST", "/_plugins/_ism/change_policy/logs-*", {"policy_id": policy}), "updating attached indices", ok=(200, 404))

    return {"role": role, "writers": len(event["writers"]), "template": event["template"],
            "policy": policy, "retentionDays": event["retentionDays"]}
