package observability

import (
	_ "embed" // the log shipper's handler
	"encoding/json"
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/lambda"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/sqs"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/tierstack/tierstack/internal/awsenv"
	"github.com/tierstack/tierstack/internal/naming"
)

// logsShipper is the shipping function's code, run as it is by SlackRuntime's runtime.
//
//go:embed logs_shipper.py
var logsShipper string

// newShipperRole is the shipping function's role: the domain knows it as a backend role, mapped
// to WriterRole.
func (c *CentralLogs) newShipperRole(ctx *pulumi.Context, name string, a Args, env awsenv.Env) (*iam.Role, error) {
	return c.newFunctionRole(ctx, name, "shipper", "Ships the stack's log groups to OpenSearch", a, env)
}

// buildShipper creates the shipping function in the VPC, its security group (admitted by the
// domain's), log group and permissions, and one subscription filter per shipped log group.
//
// It does not wait for the setup (that would lengthen pulumi up by the setup's run): on a new
// domain its first batches may arrive before the setup has mapped its role to WriterRole, and
// are refused. Lambda retries a failed asynchronous invocation twice, one and then two minutes
// later (AWS Lambda Developer Guide, "Asynchronous invocation"), by which time the mapping exists;
// a batch refused three times waits in the dead-letter queue, which alarms.
func (c *CentralLogs) buildShipper(ctx *pulumi.Context, name string, a Args, env awsenv.Env, home *alarmTopic, domainARN string, role *iam.Role) error {
	cl := a.CentralLogs
	opt := pulumi.Parent(c.parent)
	client, err := c.newDomainClient(ctx, name, "shipper", "The log shipper", a, env, home, role)
	if err != nil {
		return err
	}
	// Events the function fails on twice more (Lambda's retries of an asynchronous call) wait
	// here, and an alarm says so, rather than being dropped.
	dlqName := naming.Child(name, "logs-shipper-dlq")
	dlq, err := sqs.NewQueue(ctx, dlqName, &sqs.QueueArgs{
		SqsManagedSseEnabled:    pulumi.Bool(true),
		MessageRetentionSeconds: pulumi.Int(dlqRetentionSeconds),
		Tags:                    naming.Tags(a.Tags, dlqName),
	}, opt)
	if err != nil {
		return err
	}
	policy := pulumi.All(client.logGroup.Arn, dlq.Arn).ApplyT(func(v []any) (string, error) {
		return shipperPolicy(v[0].(string), domainARN, v[1].(string))
	}).(pulumi.StringOutput)
	grant, err := iam.NewRolePolicy(ctx, naming.Child(name, "logs-shipper-policy"), &iam.RolePolicyArgs{Role: role.ID(), Policy: policy}, opt)
	if err != nil {
		return err
	}
	fnName := naming.Child(name, "logs-shipper")
	fn, err := lambda.NewFunction(ctx, fnName, &lambda.FunctionArgs{
		Description:      pulumi.String("Ships the stack's log groups to OpenSearch"),
		Runtime:          pulumi.String(SlackRuntime),
		Architectures:    pulumi.StringArray{pulumi.String("arm64")},
		Handler:          pulumi.String("index.handler"),
		Code:             pulumi.NewAssetArchive(map[string]any{"index.py": pulumi.NewStringAsset(logsShipper)}),
		Role:             role.Arn,
		MemorySize:       pulumi.Int(256),
		Timeout:          pulumi.Int(60),
		Environment:      lambda.FunctionEnvironmentArgs{Variables: pulumi.StringMap{"ENDPOINT": c.Endpoint}},
		VpcConfig:        lambda.FunctionVpcConfigArgs{SubnetIds: client.subnets, SecurityGroupIds: pulumi.StringArray{client.securityGroup.ID()}},
		LoggingConfig:    lambda.FunctionLoggingConfigArgs{LogFormat: pulumi.String("Text"), LogGroup: client.logGroup.Name},
		DeadLetterConfig: lambda.FunctionDeadLetterConfigArgs{TargetArn: dlq.Arn},
		Tags:             naming.Tags(a.Tags, fnName),
	}, opt, pulumi.DependsOn([]pulumi.Resource{grant, client.vpcAccess}))
	if err != nil {
		return err
	}
	c.shipperFunction, c.shipperQueue = fn.Name, dlq.Name
	for _, key := range sortedKeys(cl.ShipLogGroups) {
		source := cl.ShipLogGroups[key]
		sourceARN := pulumi.All(source).ApplyT(func(v []any) string {
			return env.ARN("logs", env.Region, env.AccountID, "log-group:"+v[0].(string)+":*")
		}).(pulumi.StringOutput)
		perm, err := lambda.NewPermission(ctx, naming.Child(name, "logs-invoke-"+key), &lambda.PermissionArgs{
			Function:      fn.Name,
			Action:        pulumi.String("lambda:InvokeFunction"),
			Principal:     pulumi.String("logs.amazonaws.com"),
			SourceArn:     sourceARN,
			SourceAccount: pulumi.String(env.AccountID),
		}, opt)
		if err != nil {
			return err
		}
		if _, err := cloudwatch.NewLogSubscriptionFilter(ctx, naming.Child(name, "logs-ship-"+key), &cloudwatch.LogSubscriptionFilterArgs{
			LogGroup:       source,
			FilterPattern:  pulumi.String(""),
			DestinationArn: fn.Arn,
		}, opt, pulumi.DependsOn([]pulumi.Resource{perm})); err != nil {
			return err
		}
	}
	return nil
}

// shipperPolicy is the shipper's own permissions: write its log group, send its signed bulk
// requests to the domain (OpenSearch maps its role to WriterRole, which may only write logs-*
// indices), send failures to its queue. It reads no secret: it never logs in as the master user.
func shipperPolicy(logGroupARN, domainARN, queueARN string) (string, error) {
	doc, err := json.Marshal(map[string]any{
		"Version": "2012-10-17",
		"Statement": []map[string]any{
			{"Sid": "WriteItsLogs", "Effect": "Allow", "Action": []string{"logs:CreateLogStream", "logs:PutLogEvents"}, "Resource": logGroupARN + ":*"},
			{"Sid": "BulkWrites", "Effect": "Allow", "Action": "es:ESHttpPost", "Resource": domainARN + "/_bulk"},
			{"Sid": "DeadLetters", "Effect": "Allow", "Action": "sqs:SendMessage", "Resource": queueARN},
		},
	})
	if err != nil {
		return "", fmt.Errorf("log shipper policy: %w", err)
	}
	return string(doc), nil
}
