"""Ships CloudWatch Logs subscription events to the stack's OpenSearch domain.

CloudWatch Logs invokes the function with a gzip'd, base64'd batch per log group. The function writes
each event to the daily index logs-YYYY.MM.DD with the bulk API over HTTPS, authenticating as the
domain's master user, whose credentials it reads from Secrets Manager (SECRET_ARN) once per execution
environment. A failed bulk request raises, so that CloudWatch Logs retries the batch.
"""
import base64
import datetime
import gzip
import json
import os
import urllib.request

import boto3

_auth = None


def _authorization():
    global _auth
    if _auth is None:
        client = boto3.client("secretsmanager")
        secret = json.loads(client.get_secret_value(SecretId=os.environ["SECRET_ARN"])["SecretString"])
        token = base64.b64encode(("%s:%s" % (secret["username"], secret["password"])).encode()).decode()
        _auth = "Basic " + token
    return _auth


def handler(event, _context):
    batch = json.loads(gzip.decompress(base64.b64decode(event["awslogs"]["data"])))
    if batch.get("messageType") != "DATA_MESSAGE":
        return
    lines = []
    for e in batch["logEvents"]:
        ts = datetime.datetime.fromtimestamp(e["timestamp"] / 1000, datetime.timezone.utc)
        lines.append(json.dumps({"index": {"_index": "logs-" + ts.strftime("%Y.%m.%d"), "_id": e["id"]}}))
        lines.append(json.dumps({
            "@timestamp": ts.isoformat(),
            "message": e["message"],
            "logGroup": batch["logGroup"],
            "logStream": batch["logStream"],
            "owner": batch["owner"],
        }))
    request = urllib.request.Request(
        "https://%s/_bulk" % os.environ["ENDPOINT"],
        data=("\n".join(lines) + "\n").encode(),
        headers={"Content-Type": "application/x-ndjson", "Authorization": _authorization()},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=20) as response:
        result = json.loads(response.read())
    if result.get("errors"):
        failed = [i for i in result["items"] if i["index"].get("status", 500) >= 300]
        raise RuntimeError("%d of %d events were refused: %s" % (len(failed), len(result["items"]), failed[:1]))
