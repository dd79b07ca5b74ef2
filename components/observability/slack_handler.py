"""Posts CloudWatch alarm notifications from SNS to a Slack incoming webhook.

The webhook URL is read from Secrets Manager (SECRET_ARN) on the first call and kept for the life of
the execution environment. A post that fails raises, so that Lambda retries the event and, after its
retries, sends it to the function's dead-letter queue.
"""
import json
import os
import urllib.request

import boto3

_webhook = None


def _webhook_url():
    global _webhook
    if _webhook is None:
        client = boto3.client("secretsmanager")
        _webhook = client.get_secret_value(SecretId=os.environ["SECRET_ARN"])["SecretString"]
    return _webhook


def _text(message):
    try:
        alarm = json.loads(message)
    except ValueError:
        return message
    if "AlarmName" not in alarm:
        return message
    icon = {"ALARM": ":red_circle:", "OK": ":large_green_circle:"}.get(alarm.get("NewStateValue"), ":white_circle:")
    return "%s *%s* is %s in %s\n%s\n_%s_" % (
        icon,
        alarm.get("AlarmName"),
        alarm.get("NewStateValue"),
        alarm.get("Region"),
        alarm.get("AlarmDescription") or "",
        alarm.get("NewStateReason") or "",
    )


def handler(event, _context):
    for record in event.get("Records", []):
        body = json.dumps({"text": _text(record["Sns"]["Message"])}).encode()
        request = urllib.request.Request(
            _webhook_url(), data=body, headers={"Content-Type": "application/json"}, method="POST"
        )
        with urllib.request.urlopen(request, timeout=5) as response:
            if response.status >= 300:
                raise RuntimeError("Slack answered %d" % response.status)
