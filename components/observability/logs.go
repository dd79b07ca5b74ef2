package observability

import (
	"crypto/sha256"
	_ "embed" // the log shipper's handler
	"encoding/hex"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/lambda"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/opensearch"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/sqs"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/tierstack/tierstack/internal/awsenv"
	"github.com/tierstack/tierstack/internal/naming"
	"github.com/tierstack/tierstack/internal/secrets"
	"github.com/tierstack/tierstack/internal/sgrules"
)

// logsShipper is the shipping function's code, run as it is by SlackRuntime's runtime.
//
//go:embed logs_shipper.py
var logsShipper string

// MasterUser is the name of the domain's fine-grained access control master user.
const MasterUser = "tierstack-admin"

// CentralLogs is the OpenSearch domain the stack's logs are shipped to.
type CentralLogs struct {
	// Domain is the OpenSearch domain.
	Domain *opensearch.Domain
	// Endpoint is the domain's HTTPS endpoint in the VPC.
	Endpoint pulumi.StringOutput
	// SecretARN is the secret holding the master user's name and password.
	SecretARN pulumi.StringOutput
	// SecurityGroupID is the domain's security group: admit clients with AllowFrom.
	SecurityGroupID pulumi.StringOutput
	// DomainName is the domain's name, the DomainName dimension of its metrics.
	DomainName string

	parent pulumi.Resource
	name   string
	// shipperFunction and shipperQueue are the shipper's, for its alarms; nil without one.
	shipperFunction, shipperQueue pulumi.StringInput
}

// AllowFrom admits HTTPS to the domain from the security group source (Fluent Bit's nodes, say),
// with one rule resource named after client.
func (c *CentralLogs) AllowFrom(ctx *pulumi.Context, client string, source pulumi.StringInput) (*ec2.SecurityGroupRule, error) {
	return sgrules.AllowFrom(ctx, c.parent, naming.Child(c.name, "logs"), client, c.SecurityGroupID, source, 443, "OpenSearch HTTPS")
}

// notDomainChar is what an OpenSearch domain name may not hold.
var notDomainChar = regexp.MustCompile(`[^a-z0-9-]`)

// logsDomainName is the domain's name: stack and component, lower-case, cut to fit the 28
// characters OpenSearch allows, then a hash of project and stack (two projects may have stacks of
// one name in an account), starting with a letter. It never changes for a stack (a new name
// replaces the domain).
func logsDomainName(ctx *pulumi.Context, name string) string {
	sum := sha256.Sum256([]byte(ctx.Project() + "/" + ctx.Stack()))
	hash := hex.EncodeToString(sum[:])[:6]
	n := notDomainChar.ReplaceAllString(strings.ToLower(ctx.Stack()+"-"+name+"-logs"), "-")
	if n == "" || n[0] < 'a' || n[0] > 'z' {
		n = "l" + n
	}
	if len(n) > 28-len(hash)-1 {
		n = n[:28-len(hash)-1]
	}
	return strings.TrimRight(n, "-") + "-" + hash
}

// newCentralLogs creates the domain with its security group and master user secret, then the
// function that ships the log groups' events to it, subscribed to each of them.
func newCentralLogs(ctx *pulumi.Context, name string, a Args, env awsenv.Env, home *alarmTopic, parent pulumi.Resource) (*CentralLogs, error) {
	c := a.CentralLogs
	opt := pulumi.Parent(parent)
	logs := &CentralLogs{DomainName: logsDomainName(ctx, name), parent: parent, name: name}
	sgName := naming.Child(name, "logs-sg")
	sg, err := ec2.NewSecurityGroup(ctx, sgName, &ec2.SecurityGroupArgs{
		VpcId:       c.Network.VPCID,
		Description: pulumi.String("OpenSearch central logs: HTTPS from the clients admitted by rule"),
		Tags:        naming.Tags(a.Tags, sgName),
	}, opt)
	if err != nil {
		return nil, err
	}
	logs.SecurityGroupID = sg.ID().ToStringOutput()
	password, err := secrets.StrongPassword(ctx, naming.Child(name, "logs-master-password"), 32, opt)
	if err != nil {
		return nil, err
	}
	value := password.Result.ApplyT(func(p string) (string, error) {
		doc, err := json.Marshal(map[string]string{"username": MasterUser, "password": p})
		return string(doc), err
	}).(pulumi.StringOutput)
	secret, _, err := secrets.New(ctx, naming.Child(name, "logs-master"), "OpenSearch central logs: the fine-grained access control master user",
		home.key.Arn, value, a.Tags, opt)
	if err != nil {
		return nil, err
	}
	logs.SecretARN = secret.Arn
	subnets := c.Network.DataSubnetIDs.ApplyT(func(ids []string) []string {
		return ids[:min(len(ids), c.ZoneCount)]
	}).(pulumi.StringArrayOutput)
	domainARN := env.ARN("es", env.Region, env.AccountID, "domain/"+logs.DomainName)
	access, err := domainAccessPolicy(domainARN)
	if err != nil {
		return nil, err
	}
	cluster := opensearch.DomainClusterConfigArgs{
		InstanceType:           pulumi.String(c.InstanceType),
		InstanceCount:          pulumi.Int(c.InstanceCount),
		ZoneAwarenessEnabled:   pulumi.Bool(true),
		ZoneAwarenessConfig:    opensearch.DomainClusterConfigZoneAwarenessConfigArgs{AvailabilityZoneCount: pulumi.Int(c.ZoneCount)},
		DedicatedMasterEnabled: pulumi.Bool(c.DedicatedMasters),
	}
	if c.DedicatedMasters {
		cluster.DedicatedMasterType = pulumi.String(c.MasterInstanceType)
		cluster.DedicatedMasterCount = pulumi.Int(DedicatedMasterCount)
	}
	domain, err := opensearch.NewDomain(ctx, naming.Child(name, "logs"), &opensearch.DomainArgs{
		DomainName:    pulumi.String(logs.DomainName),
		EngineVersion: pulumi.String(c.EngineVersion),
		ClusterConfig: cluster,
		EbsOptions: opensearch.DomainEbsOptionsArgs{
			EbsEnabled: pulumi.Bool(true), VolumeType: pulumi.String("gp3"), VolumeSize: pulumi.Int(c.VolumeGiB),
		},
		EncryptAtRest:        opensearch.DomainEncryptAtRestArgs{Enabled: pulumi.Bool(true), KmsKeyId: home.key.Arn},
		NodeToNodeEncryption: opensearch.DomainNodeToNodeEncryptionArgs{Enabled: pulumi.Bool(true)},
		DomainEndpointOptions: opensearch.DomainDomainEndpointOptionsArgs{
			EnforceHttps: pulumi.Bool(true), TlsSecurityPolicy: pulumi.String(TLSPolicy),
		},
		AdvancedSecurityOptions: opensearch.DomainAdvancedSecurityOptionsArgs{
			Enabled:                     pulumi.Bool(true),
			InternalUserDatabaseEnabled: pulumi.Bool(true),
			AnonymousAuthEnabled:        pulumi.Bool(false),
			MasterUserOptions: opensearch.DomainAdvancedSecurityOptionsMasterUserOptionsArgs{
				MasterUserName:     pulumi.String(MasterUser),
				MasterUserPassword: password.Result,
			},
		},
		VpcOptions: opensearch.DomainVpcOptionsArgs{
			SubnetIds:        subnets,
			SecurityGroupIds: pulumi.StringArray{sg.ID()},
		},
		AccessPolicies: pulumi.String(access),
		Tags:           naming.Tags(a.Tags, naming.Child(name, "logs")),
	}, opt)
	if err != nil {
		return nil, err
	}
	logs.Domain, logs.Endpoint = domain, domain.Endpoint
	if len(c.ShipLogGroups) > 0 {
		if err := logs.buildShipper(ctx, name, a, env, home); err != nil {
			return nil, err
		}
	}
	return logs, nil
}

// domainAccessPolicy is the domain's resource policy. With fine-grained access control, AWS
// advises a policy that does not require signed requests and lets the security plugin
// authenticate: the domain is reachable only inside the VPC, through its security group, and
// every request must still log in.
func domainAccessPolicy(domainARN string) (string, error) {
	doc, err := json.Marshal(map[string]any{
		"Version": "2012-10-17",
		"Statement": []map[string]any{{
			"Effect":    "Allow",
			"Principal": map[string]any{"AWS": "*"},
			"Action":    "es:ESHttp*",
			"Resource":  domainARN + "/*",
		}},
	})
	if err != nil {
		return "", fmt.Errorf("domain access policy: %w", err)
	}
	return string(doc), nil
}

// buildShipper creates the shipping function in the VPC, its security group (admitted by the
// domain's), role and log group, and one subscription filter per shipped log group.
func (c *CentralLogs) buildShipper(ctx *pulumi.Context, name string, a Args, env awsenv.Env, home *alarmTopic) error {
	cl := a.CentralLogs
	opt := pulumi.Parent(c.parent)
	sgName := naming.Child(name, "logs-shipper-sg")
	sg, err := ec2.NewSecurityGroup(ctx, sgName, &ec2.SecurityGroupArgs{
		VpcId:       cl.Network.VPCID,
		Description: pulumi.String("The log shipper: HTTPS out, to the domain and to Secrets Manager"),
		Egress: ec2.SecurityGroupEgressArray{ec2.SecurityGroupEgressArgs{
			Description: pulumi.String("HTTPS out"), Protocol: pulumi.String("tcp"), FromPort: pulumi.Int(443), ToPort: pulumi.Int(443),
			CidrBlocks: pulumi.StringArray{pulumi.String("0.0.0.0/0")},
		}},
		Tags: naming.Tags(a.Tags, sgName),
	}, opt)
	if err != nil {
		return err
	}
	if _, err := c.AllowFrom(ctx, "shipper", sg.ID()); err != nil {
		return err
	}
	logName := naming.Child(name, "logs-shipper-logs")
	group, err := cloudwatch.NewLogGroup(ctx, logName, &cloudwatch.LogGroupArgs{
		RetentionInDays: pulumi.Int(a.LogRetentionDays),
		KmsKeyId:        home.key.Arn,
		Tags:            naming.Tags(a.Tags, logName),
	}, opt)
	if err != nil {
		return err
	}
	roleName := naming.Child(name, "logs-shipper-role")
	role, err := iam.NewRole(ctx, roleName, &iam.RoleArgs{
		Description:      pulumi.String("Ships the stack's log groups to OpenSearch"),
		AssumeRolePolicy: pulumi.String(assumePolicy("lambda.amazonaws.com", env.AccountID)),
		Tags:             naming.Tags(a.Tags, roleName),
	}, opt)
	if err != nil {
		return err
	}
	// Lambda's ENIs in the VPC: AWS's managed policy, whose EC2 describe actions IAM grants only on "*".
	vpcAccess, err := iam.NewRolePolicyAttachment(ctx, naming.Child(name, "logs-shipper-vpc"), &iam.RolePolicyAttachmentArgs{
		Role: role.Name, PolicyArn: pulumi.String(env.ManagedPolicyARN("service-role/AWSLambdaVPCAccessExecutionRole")),
	}, opt)
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
	policy := pulumi.All(group.Arn, c.SecretARN, home.key.Arn, dlq.Arn).ApplyT(func(v []any) (string, error) {
		return shipperPolicy(env, v[0].(string), v[1].(string), v[2].(string), v[3].(string))
	}).(pulumi.StringOutput)
	grant, err := iam.NewRolePolicy(ctx, naming.Child(name, "logs-shipper-policy"), &iam.RolePolicyArgs{Role: role.ID(), Policy: policy}, opt)
	if err != nil {
		return err
	}
	subnets := cl.ShipperSubnets
	if subnets == nil {
		subnets = cl.Network.PrivateSubnetIDs
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
		Environment:      lambda.FunctionEnvironmentArgs{Variables: pulumi.StringMap{"SECRET_ARN": c.SecretARN, "ENDPOINT": c.Endpoint}},
		VpcConfig:        lambda.FunctionVpcConfigArgs{SubnetIds: subnets, SecurityGroupIds: pulumi.StringArray{sg.ID()}},
		LoggingConfig:    lambda.FunctionLoggingConfigArgs{LogFormat: pulumi.String("Text"), LogGroup: group.Name},
		DeadLetterConfig: lambda.FunctionDeadLetterConfigArgs{TargetArn: dlq.Arn},
		Tags:             naming.Tags(a.Tags, fnName),
	}, opt, pulumi.DependsOn([]pulumi.Resource{grant, vpcAccess}))
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

// shipperPolicy is the shipper's own permissions: write its log group, read the master user secret
// and decrypt it through Secrets Manager only, send failures to its queue.
func shipperPolicy(env awsenv.Env, logGroupARN, secretARN, keyARN, queueARN string) (string, error) {
	doc, err := json.Marshal(map[string]any{
		"Version": "2012-10-17",
		"Statement": []map[string]any{
			{"Sid": "WriteItsLogs", "Effect": "Allow", "Action": []string{"logs:CreateLogStream", "logs:PutLogEvents"}, "Resource": logGroupARN + ":*"},
			{"Sid": "ReadTheMasterUser", "Effect": "Allow", "Action": "secretsmanager:GetSecretValue", "Resource": secretARN},
			{"Sid": "DecryptTheMasterUser", "Effect": "Allow", "Action": "kms:Decrypt", "Resource": keyARN,
				"Condition": map[string]any{"StringEquals": map[string]any{"kms:ViaService": "secretsmanager." + env.Region + "." + env.DNSSuffix}}},
			{"Sid": "DeadLetters", "Effect": "Allow", "Action": "sqs:SendMessage", "Resource": queueARN},
		},
	})
	if err != nil {
		return "", fmt.Errorf("log shipper policy: %w", err)
	}
	return string(doc), nil
}
