package observability

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/opensearch"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/tierstack/tierstack/internal/awsenv"
	"github.com/tierstack/tierstack/internal/naming"
	"github.com/tierstack/tierstack/internal/secrets"
	"github.com/tierstack/tierstack/internal/sgrules"
)

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
// function that sets the domain up (retention, index template, writer role) and the function that
// ships the log groups' events to it, subscribed to each of them.
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
	// The shipper's role exists first: the setup maps it to the write-only role in the domain.
	var shipperRole *iam.Role
	if len(c.ShipLogGroups) > 0 {
		if shipperRole, err = logs.newShipperRole(ctx, name, a, env); err != nil {
			return nil, err
		}
	}
	if err := logs.buildSetup(ctx, name, a, env, home, shipperRole); err != nil {
		return nil, err
	}
	if shipperRole != nil {
		if err := logs.buildShipper(ctx, name, a, env, home, domainARN, shipperRole); err != nil {
			return nil, err
		}
	}
	return logs, nil
}

// domainAccessPolicy is the domain's resource policy. With fine-grained access control, AWS
// advises a policy that does not require signed requests and lets the security plugin
// authenticate: the domain is reachable only inside the VPC, through its security group, and
// every request must still log in — the setup function as the master user, the shipper with
// requests signed by its IAM role, which the security plugin maps to the logs_writer role
// (Amazon OpenSearch Service Developer Guide, "Fine-grained access control": mapping roles to IAM
// roles as backend roles).
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
