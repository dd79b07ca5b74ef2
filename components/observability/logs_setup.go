package observability

import (
	"crypto/sha256"
	_ "embed" // the setup function's handler
	"encoding/hex"
	"encoding/json"
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/lambda"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/tierstack/tierstack/internal/awsenv"
	"github.com/tierstack/tierstack/internal/naming"
)

// logsSetup is the setup function's code, run as it is by SlackRuntime's runtime.
//
//go:embed logs_setup.py
var logsSetup string

// The names the setup gives what it creates in the domain.
const (
	// RetentionPolicy is the Index State Management policy that deletes a logs-* index
	// LogRetentionDays after it was created.
	RetentionPolicy = "logs-retention"
	// LogsTemplate is the index template of the logs-* indices: shards, replicas and mappings.
	LogsTemplate = "logs"
	// WriterRole is the fine-grained access control role that may only write logs-* indices; the
	// shipper's IAM role is mapped to it as a backend role.
	WriterRole = "logs_writer"
)

// SetupInput is what the setup function is invoked with: everything it puts in the domain. A
// change of it (or of the function's code, by its hash) invokes the function again.
type SetupInput struct {
	// RetentionDays is how long a logs-* index lives.
	RetentionDays int `json:"retentionDays"`
	// Policy, Template and Role are the names of the ISM policy, index template and writer role.
	Policy string `json:"policy"`
	// Template is the index template's name.
	Template string `json:"template"`
	// Role is the writer role's name.
	Role string `json:"role"`
	// Writers are the IAM role ARNs mapped to Role: the shipper's, when there is one.
	Writers []string `json:"writers"`
	// Shards and Replicas are each daily index's primary shards and replicas of each.
	Shards int `json:"shards"`
	// Replicas is each primary shard's replica count.
	Replicas int `json:"replicas"`
	// Code is the hash of the function's code.
	Code string `json:"code"`
}

// setupInput is the setup's input for the domain's settings and the writer roles.
func setupInput(a Args, writers []string) SetupInput {
	cl := a.CentralLogs
	sum := sha256.Sum256([]byte(logsSetup))
	return SetupInput{
		RetentionDays: a.LogRetentionDays, Policy: RetentionPolicy, Template: LogsTemplate, Role: WriterRole,
		Writers: writers,
		// A day's primaries and their one replica each take at most one shard per data node.
		Shards: max(1, cl.InstanceCount/2), Replicas: 1,
		Code: hex.EncodeToString(sum[:]),
	}
}

// buildSetup creates the setup function (in the VPC, the one reader of the master user's
// secret) and invokes it when it is created and whenever its input changes: it puts the retention
// policy, the index template and the writer role, mapped to shipperRole, into the domain, each
// with an idempotent request. OpenSearch's ISM, templates and security roles are REST calls, not
// AWS resources.
func (c *CentralLogs) buildSetup(ctx *pulumi.Context, name string, a Args, env awsenv.Env, home *alarmTopic, shipperRole *iam.Role) error {
	opt := pulumi.Parent(c.parent)
	const what = "Sets up the central logs domain: retention, index template, writer role"
	role, err := c.newFunctionRole(ctx, name, "setup", what, a, env)
	if err != nil {
		return err
	}
	client, err := c.newDomainClient(ctx, name, "setup", "The central logs' setup", a, env, home, role)
	if err != nil {
		return err
	}
	policy := pulumi.All(client.logGroup.Arn, c.SecretARN, home.key.Arn).ApplyT(func(v []any) (string, error) {
		return setupPolicy(env, v[0].(string), v[1].(string), v[2].(string))
	}).(pulumi.StringOutput)
	grant, err := iam.NewRolePolicy(ctx, naming.Child(name, "logs-setup-policy"), &iam.RolePolicyArgs{Role: role.ID(), Policy: policy}, opt)
	if err != nil {
		return err
	}
	fnName := naming.Child(name, "logs-setup")
	fn, err := lambda.NewFunction(ctx, fnName, &lambda.FunctionArgs{
		Description:   pulumi.String(what),
		Runtime:       pulumi.String(SlackRuntime),
		Architectures: pulumi.StringArray{pulumi.String("arm64")},
		Handler:       pulumi.String("index.handler"),
		Code:          pulumi.NewAssetArchive(map[string]any{"index.py": pulumi.NewStringAsset(logsSetup)}),
		Role:          role.Arn,
		MemorySize:    pulumi.Int(128),
		// Room for the domain to settle after a change: each request is retried for about a minute.
		Timeout:       pulumi.Int(300),
		Environment:   lambda.FunctionEnvironmentArgs{Variables: pulumi.StringMap{"SECRET_ARN": c.SecretARN, "ENDPOINT": c.Endpoint}},
		VpcConfig:     lambda.FunctionVpcConfigArgs{SubnetIds: client.subnets, SecurityGroupIds: pulumi.StringArray{client.securityGroup.ID()}},
		LoggingConfig: lambda.FunctionLoggingConfigArgs{LogFormat: pulumi.String("Text"), LogGroup: client.logGroup.Name},
		Tags:          naming.Tags(a.Tags, fnName),
	}, opt, pulumi.DependsOn([]pulumi.Resource{grant, client.vpcAccess}))
	if err != nil {
		return err
	}
	var writers pulumi.StringArray
	if shipperRole != nil {
		writers = append(writers, shipperRole.Arn)
	}
	input := writers.ToStringArrayOutput().ApplyT(func(arns []string) (string, error) {
		doc, err := json.Marshal(setupInput(a, append([]string{}, arns...)))
		if err != nil {
			return "", fmt.Errorf("central logs setup input: %w", err)
		}
		return string(doc), nil
	}).(pulumi.StringOutput)
	// CRUD: a changed input updates the invocation in place, which runs the function again (with
	// CREATE_ONLY, the default, it would replace it: terraform-provider-aws
	// internal/service/lambda/invocation.go); removing it runs the function with action delete,
	// which changes nothing, so the domain keeps what the last run put there.
	_, err = lambda.NewInvocation(ctx, naming.Child(name, "logs-setup-run"), &lambda.InvocationArgs{
		FunctionName:   fn.Name,
		Input:          input,
		LifecycleScope: pulumi.String(SetupLifecycleScope),
	}, opt, pulumi.DependsOn([]pulumi.Resource{fn, c.Domain, client.admitted}))
	return err
}

// SetupLifecycleScope is the setup invocation's lifecycle scope: it runs on create and on every
// change of its input.
const SetupLifecycleScope = "CRUD"

// setupPolicy is the setup function's permissions: write its log group, read the master user's
// secret and decrypt it through Secrets Manager only. Its requests to the domain log in as the
// master user; they need no IAM permission (the domain's access policy admits the VPC's clients).
func setupPolicy(env awsenv.Env, logGroupARN, secretARN, keyARN string) (string, error) {
	doc, err := json.Marshal(map[string]any{
		"Version": "2012-10-17",
		"Statement": []map[string]any{
			{"Sid": "WriteItsLogs", "Effect": "Allow", "Action": []string{"logs:CreateLogStream", "logs:PutLogEvents"}, "Resource": logGroupARN + ":*"},
			{"Sid": "ReadTheMasterUser", "Effect": "Allow", "Action": "secretsmanager:GetSecretValue", "Resource": secretARN},
			{"Sid": "DecryptTheMasterUser", "Effect": "Allow", "Action": "kms:Decrypt", "Resource": keyARN,
				"Condition": map[string]any{"StringEquals": map[string]any{"kms:ViaService": "secretsmanager." + env.Region + "." + env.DNSSuffix}}},
		},
	})
	if err != nil {
		return "", fmt.Errorf("central logs setup policy: %w", err)
	}
	return string(doc), nil
}
