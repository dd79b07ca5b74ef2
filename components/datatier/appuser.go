package datatier

import (
	_ "embed" // the app user function's source
	"encoding/json"
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/kms"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/lambda"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/rds"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/secretsmanager"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/tierstack/tierstack/internal/awsenv"
	"github.com/tierstack/tierstack/internal/naming"
)

// AppUserRuntime is the runtime of the function that creates the application's database user: one
// AWS Lambda provides and supports, with boto3.
const AppUserRuntime = "python3.12"

//go:embed appuser.py
var appUserHandler string

// RotationEngine is the engine name Secrets Manager's rotation functions for Amazon RDS expect in a
// secret's JSON ("mysql" or "postgres"; Secrets Manager User Guide, "JSON structure of AWS Secrets
// Manager secrets", Amazon RDS and Aurora credentials).
func RotationEngine(e Engine) string {
	if e == EnginePostgreSQL {
		return "postgres"
	}
	return "mysql"
}

// buildAppUser creates what gives the application a database user of its own: the function that
// creates the user on each shard's cluster through the RDS Data API (enableHttpEndpoint on the
// cluster: Aurora MySQL 3.07 and later, Aurora PostgreSQL 13.11, 14.8, 15.3, 16.1 and later; Aurora
// User Guide, "Supported Regions and Aurora DB engines for RDS Data API"), its least-privilege role
// and log group, and one invocation per cluster, run after the writer exists and re-run when what
// it is given changes. The SQL runs as the master user, whose secret only this function and the
// Data API read; the application reads its own secret.
func (d *DataTier) buildAppUser(ctx *pulumi.Context, name string, a Args, env awsenv.Env, key *kms.Key,
	master, app *secretsmanager.Secret, appReady pulumi.Resource, writers []*rds.ClusterInstance) error {
	parent := pulumi.Parent(d)
	tags := func(child string) pulumi.StringMap { return naming.Tags(a.Tags, child) }
	logName := naming.Child(name, "app-user-logs")
	logs, err := cloudwatch.NewLogGroup(ctx, logName, &cloudwatch.LogGroupArgs{
		RetentionInDays: pulumi.Int(a.LogRetentionDays),
		KmsKeyId:        key.Arn,
		Tags:            tags(logName),
	}, parent)
	if err != nil {
		return err
	}
	roleName := naming.Child(name, "app-user-role")
	role, err := iam.NewRole(ctx, roleName, &iam.RoleArgs{
		Description:      pulumi.String("The function that creates the application's database user"),
		AssumeRolePolicy: pulumi.String(lambdaTrust(env.AccountID)),
		Tags:             tags(roleName),
	}, parent)
	if err != nil {
		return err
	}
	var clusterARNs []any
	for _, c := range d.Clusters {
		clusterARNs = append(clusterARNs, c.Arn)
	}
	policy := pulumi.All(logs.Arn, master.Arn, app.Arn, key.Arn, pulumi.All(clusterARNs...)).ApplyT(func(v []any) (string, error) {
		var clusters []string
		for _, c := range v[4].([]any) {
			clusters = append(clusters, c.(string))
		}
		return appUserPolicy(env, v[0].(string), v[1].(string), v[2].(string), v[3].(string), clusters)
	}).(pulumi.StringOutput)
	grant, err := iam.NewRolePolicy(ctx, naming.Child(name, "app-user-policy"), &iam.RolePolicyArgs{Role: role.ID(), Policy: policy}, parent)
	if err != nil {
		return err
	}
	fnName := naming.Child(name, "app-user")
	fn, err := lambda.NewFunction(ctx, fnName, &lambda.FunctionArgs{
		Description:   pulumi.String("Creates the application's database user through the RDS Data API"),
		Runtime:       pulumi.String(AppUserRuntime),
		Architectures: pulumi.StringArray{pulumi.String("arm64")},
		Handler:       pulumi.String("index.handler"),
		Code:          pulumi.NewAssetArchive(map[string]any{"index.py": pulumi.NewStringAsset(appUserHandler)}),
		Role:          role.Arn,
		MemorySize:    pulumi.Int(128),
		// A paused instance resumes in about 15 seconds; each statement is retried for 90.
		Timeout:       pulumi.Int(300),
		LoggingConfig: lambda.FunctionLoggingConfigArgs{LogFormat: pulumi.String("Text"), LogGroup: logs.Name},
		Tags:          tags(fnName),
	}, parent, pulumi.DependsOn([]pulumi.Resource{grant}))
	if err != nil {
		return err
	}
	for shard, c := range d.Clusters {
		// The writer's identifier is in the input because the statements run on it: the invocation
		// waits for the writer, which the Data API needs available.
		input := pulumi.All(c.Arn, master.Arn, app.Arn, writers[shard].Identifier).ApplyT(func(v []any) (string, error) {
			b, err := json.Marshal(map[string]string{
				"clusterArn": v[0].(string), "masterSecretArn": v[1].(string), "appSecretArn": v[2].(string),
				"writerInstance": v[3].(string), "database": a.DatabaseName, "engine": string(a.Engine),
			})
			if err != nil {
				return "", fmt.Errorf("app user invocation: %w", err)
			}
			return string(b), nil
		}).(pulumi.StringOutput)
		// The app's secret must hold the password before the function reads it.
		if _, err := lambda.NewInvocation(ctx, naming.Child(shardName(name, shard), "app-user"), &lambda.InvocationArgs{
			FunctionName: fn.Name,
			Input:        input,
		}, parent, pulumi.DependsOn([]pulumi.Resource{appReady})); err != nil {
			return err
		}
	}
	return nil
}

// lambdaTrust lets Lambda assume a role for the account's own functions.
func lambdaTrust(account string) string {
	doc, _ := json.Marshal(map[string]any{ // plain maps always marshal
		"Version": "2012-10-17",
		"Statement": []map[string]any{{
			"Effect":    "Allow",
			"Principal": map[string]any{"Service": "lambda.amazonaws.com"},
			"Action":    "sts:AssumeRole",
			"Condition": map[string]any{"StringEquals": map[string]any{"aws:SourceAccount": account}},
		}},
	})
	return string(doc)
}

// appUserPolicy is the app user function's policy: write its logs, run statements on the tier's
// clusters through the Data API, read the master secret (the Data API reads it as the caller) and
// the app's secret, decrypted through Secrets Manager only (RDS Data API: "Authorizing access to
// RDS Data API").
func appUserPolicy(env awsenv.Env, logGroupARN, masterARN, appARN, keyARN string, clusters []string) (string, error) {
	doc, err := json.Marshal(map[string]any{
		"Version": "2012-10-17",
		"Statement": []map[string]any{
			{"Sid": "WriteItsLogs", "Effect": "Allow", "Action": []string{"logs:CreateLogStream", "logs:PutLogEvents"}, "Resource": logGroupARN + ":*"},
			{"Sid": "RunStatements", "Effect": "Allow", "Action": "rds-data:ExecuteStatement", "Resource": clusters},
			{"Sid": "ReadTheCredentials", "Effect": "Allow", "Action": "secretsmanager:GetSecretValue", "Resource": []string{masterARN, appARN}},
			{"Sid": "DecryptTheCredentials", "Effect": "Allow", "Action": "kms:Decrypt", "Resource": keyARN,
				"Condition": map[string]any{"StringEquals": map[string]any{"kms:ViaService": "secretsmanager." + env.Region + "." + env.DNSSuffix}}},
		},
	})
	if err != nil {
		return "", fmt.Errorf("app user function policy: %w", err)
	}
	return string(doc), nil
}
