"""Creates or updates the application's database user, through the RDS Data API with the master
credentials, with the password held in the application's secret. It runs once per cluster when the
stack is created and again whenever its input changes; every statement is idempotent. It never
returns the password: the result is kept in Pulumi state."""

import json
import re
import time

import boto3
from botocore.exceptions import ClientError

NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]{0,62}$")
PASSWORD = re.compile(r"^[A-Za-z0-9]{8,64}$")
# Errors the Data API returns while a paused Serverless v2 instance resumes (about 15 seconds).
RESUMING = ("DatabaseResumingException", "DatabaseNotFoundException", "StatementTimeoutException")


def statements(engine, user, password, database):
    if engine == "aurora-postgresql":
        return [
            "DO $$BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '%s') "
            "THEN CREATE ROLE \"%s\" LOGIN; END IF; END$$" % (user, user),
            "ALTER ROLE \"%s\" LOGIN PASSWORD '%s'" % (user, password),
            "GRANT ALL PRIVILEGES ON DATABASE \"%s\" TO \"%s\"" % (database, user),
            "GRANT ALL ON SCHEMA public TO \"%s\"" % user,
        ]
    return [
        "CREATE USER IF NOT EXISTS '%s'@'%%' IDENTIFIED BY '%s'" % (user, password),
        "ALTER USER '%s'@'%%' IDENTIFIED BY '%s'" % (user, password),
        "GRANT ALL PRIVILEGES ON `%s`.* TO '%s'@'%%'" % (database, user),
    ]


def handler(event, _context):
    secret = boto3.client("secretsmanager").get_secret_value(SecretId=event["appSecretArn"])
    app = json.loads(secret["SecretString"])
    user, password, database = app["username"], app["password"], event["database"]
    if not NAME.match(user) or not NAME.match(database) or not PASSWORD.match(password):
        raise ValueError("the application's user, password or database name has characters this function does not quote")
    data = boto3.client("rds-data")
    sql = statements(event["engine"], user, password, database)
    for statement in sql:
        for attempt in range(18):
            try:
                data.execute_statement(resourceArn=event["clusterArn"], secretArn=event["masterSecretArn"],
                                       database=database, sql=statement)
                break
            except ClientError as err:
                if err.response["Error"]["Code"] not in RESUMING or attempt == 17:
                    raise
                time.sleep(5)
    print("user %s has all privileges on %s (statements run on %s)" % (user, database, event.get("writerInstance", "the writer")))
    return {"user": user, "database": database, "writerInstance": event.get("writerInstance"), "statements": len(sql)}
