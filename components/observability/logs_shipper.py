"""Ships CloudWatch Logs subscription events to the stack's OpenSearch domain.

CloudWatch Logs invokes the function with a gzip'd, base64'd batch per log group. The function writes
each event to the daily index logs-YYYY.MM.DD with the bulk API over HTTPS, signing the request with
its own IAM role (SigV4, service es): the domain maps that role to the logs_writer role, which may
write logs-* indices and nothing else. It holds no password. A failed bulk request raises, so that
Lambda retries the batch.
"""
import base64
import datetime
import gzip
import json
import os
import urllib.request

import boto3
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest

_session = boto3.Session()


def _signed_headers(url, body):
    request = AWSRequest(method="POST", url=url, data=body, headers={"Content-Type": "application/x-ndjson"})
    SigV4Auth(_session.get_credentials(), "es", os.environ["AWS_REGION"]).add_auth(request)
    return dict(request.headers.items())


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
    url = "https://%s/_bulk" % os.environ["ENDPOINT"]
    body = ("\n".join(lines) + "\n").encode()
    request = urllib.request.Request(url, data=body, headers=_signed_headers(url, body), method="POST")
    with urllib.request.urlopen(request, timeout=20) as response:
        result = json.loads(response.read())
    if result.get("errors"):
        failed = [i for i in result["items"] if i["index"].get("status", 500) >= 300]
        raise RuntimeError("%d of %d events were refused: %s" % (len(failed), len(result["items"]), failed[:1]))
