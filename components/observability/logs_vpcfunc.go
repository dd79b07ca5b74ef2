package observability

import (
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/tierstack/tierstack/internal/awsenv"
	"github.com/tierstack/tierstack/internal/naming"
)

// domainClient is what a function that calls the domain from the VPC needs besides its code: a
// security group the domain admits, its log group, and Lambda's network interface permissions on
// its role.
type domainClient struct {
	securityGroup *ec2.SecurityGroup
	admitted      *ec2.SecurityGroupRule
	logGroup      *cloudwatch.LogGroup
	vpcAccess     *iam.RolePolicyAttachment
	subnets       pulumi.StringArrayInput
}

// newDomainClient creates, for the function named logs-<key>, its security group (HTTPS out) and the
// domain's rule admitting it, its log group and its role's VPC access.
func (c *CentralLogs) newDomainClient(ctx *pulumi.Context, name, key, what string, a Args, env awsenv.Env, home *alarmTopic, role *iam.Role) (domainClient, error) {
	cl := a.CentralLogs
	opt := pulumi.Parent(c.parent)
	var out domainClient
	sgName := naming.Child(name, "logs-"+key+"-sg")
	sg, err := ec2.NewSecurityGroup(ctx, sgName, &ec2.SecurityGroupArgs{
		VpcId:       cl.Network.VPCID,
		Description: pulumi.String(what + ": HTTPS out, to the domain and to Secrets Manager"),
		Egress: ec2.SecurityGroupEgressArray{ec2.SecurityGroupEgressArgs{
			Description: pulumi.String("HTTPS out"), Protocol: pulumi.String("tcp"), FromPort: pulumi.Int(443), ToPort: pulumi.Int(443),
			CidrBlocks: pulumi.StringArray{pulumi.String("0.0.0.0/0")},
		}},
		Tags: naming.Tags(a.Tags, sgName),
	}, opt)
	if err != nil {
		return out, err
	}
	out.securityGroup = sg
	if out.admitted, err = c.AllowFrom(ctx, key, sg.ID()); err != nil {
		return out, err
	}
	logName := naming.Child(name, "logs-"+key+"-logs")
	if out.logGroup, err = cloudwatch.NewLogGroup(ctx, logName, &cloudwatch.LogGroupArgs{
		RetentionInDays: pulumi.Int(a.LogRetentionDays),
		KmsKeyId:        home.key.Arn,
		Tags:            naming.Tags(a.Tags, logName),
	}, opt); err != nil {
		return out, err
	}
	// Lambda's ENIs in the VPC: AWS's managed policy, whose EC2 describe actions IAM grants only on "*".
	if out.vpcAccess, err = iam.NewRolePolicyAttachment(ctx, naming.Child(name, "logs-"+key+"-vpc"), &iam.RolePolicyAttachmentArgs{
		Role: role.Name, PolicyArn: pulumi.String(env.ManagedPolicyARN("service-role/AWSLambdaVPCAccessExecutionRole")),
	}, opt); err != nil {
		return out, err
	}
	out.subnets = cl.ShipperSubnets
	if out.subnets == nil {
		out.subnets = cl.Network.PrivateSubnetIDs
	}
	return out, nil
}

// newFunctionRole is the role of the function named logs-<key>, which Lambda alone assumes for
// this account.
func (c *CentralLogs) newFunctionRole(ctx *pulumi.Context, name, key, what string, a Args, env awsenv.Env) (*iam.Role, error) {
	roleName := naming.Child(name, "logs-"+key+"-role")
	return iam.NewRole(ctx, roleName, &iam.RoleArgs{
		Description:      pulumi.String(what),
		AssumeRolePolicy: pulumi.String(assumePolicy("lambda.amazonaws.com", env.AccountID)),
		Tags:             naming.Tags(a.Tags, roleName),
	}, pulumi.Parent(c.parent))
}
