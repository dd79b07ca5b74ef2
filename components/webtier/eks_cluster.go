package webtier

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	awseks "github.com/pulumi/pulumi-aws/sdk/v6/go/aws/eks"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/kms"
	"github.com/pulumi/pulumi-eks/sdk/v2/go/eks"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/tierstack/tierstack/internal/awsenv"
	"github.com/tierstack/tierstack/internal/naming"
)

// ControlPlaneLogTypes are the control plane logs every cluster sends to CloudWatch Logs: all of
// them, since the audit log is what answers "who changed this" after an incident.
var ControlPlaneLogTypes = []string{"api", "audit", "authenticator", "controllerManager", "scheduler"}

// clusterAdminPolicy is EKS's access policy that makes a principal cluster-admin.
const clusterAdminPolicy = "arn:%s:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy"

// eksParts are what the cluster's builders share.
type eksParts struct {
	cluster     *eks.Cluster
	clusterName string
	// nodeSG is the nodes' own group, beside the app's (which the data and cache tiers admit).
	nodeSG *ec2.SecurityGroup
	// key encrypts the cluster's secrets and its log groups.
	key *kms.Key
}

// ClusterName is the EKS cluster's name for a WebTier named name in a stack: fixed rather than
// generated, because the control plane's log group is named after it and must exist first, to have
// a retention.
func ClusterName(name, stack string) string {
	n := name + "-" + strings.NewReplacer(".", "-").Replace(stack)
	if len(n) > 100 {
		n = n[:100]
	}
	return n
}

// buildCluster creates the EKS cluster with pulumi-eks: authentication by access entries, no
// default node group, the endpoint private (public only for the ranges given), secrets encrypted
// with the tier's own KMS key, every control plane log in the log group with a retention
// (buildClusterLogs), and an OIDC provider for roles of service accounts. Around it: the control
// plane's and the nodes' security groups, chained to each other only.
func (w *WebTier) buildCluster(ctx *pulumi.Context, name string, a checkedArgs, env awsenv.Env, nodeRole *iam.Role, logs clusterLogs) (eksParts, error) {
	parent := pulumi.Parent(w)
	tags := func(child string) pulumi.StringMap { return naming.Tags(a.Tags, child) }
	c := a.Cluster
	out := eksParts{clusterName: ClusterName(name, ctx.Stack())}

	out.key = logs.key
	role, grants, err := w.clusterRole(ctx, name, a, env, logs.key)
	if err != nil {
		return out, err
	}
	w.ControlPlaneLogGroup = logs.group.Name
	cpSG, err := ec2.NewSecurityGroup(ctx, naming.Child(name, "eks-cp-sg"), &ec2.SecurityGroupArgs{
		VpcId:       a.Network.VPCID,
		Description: pulumi.String("tierstack EKS control plane: the nodes reach the API"),
		Tags:        tags(naming.Child(name, "eks-cp-sg")),
	}, parent)
	if err != nil {
		return out, err
	}
	if out.nodeSG, err = ec2.NewSecurityGroup(ctx, naming.Child(name, "eks-node-sg"), &ec2.SecurityGroupArgs{
		VpcId:       a.Network.VPCID,
		Description: pulumi.String("tierstack EKS nodes: the control plane, each other, the load balancer"),
		// Out like the app's group: images, AWS APIs, the database and cache. Inline, as the app's
		// group has it; every way in is a rule resource naming its source group.
		Egress: outToAnywhere("Images, AWS APIs, the database and cache"),
		Tags:   tags(naming.Child(name, "eks-node-sg")),
	}, parent); err != nil {
		return out, err
	}
	if err := clusterRules(ctx, name, cpSG, out.nodeSG, parent); err != nil {
		return out, err
	}

	access := map[string]eks.AccessEntryArgs{}
	for _, arn := range c.AdminRoleARNs {
		// Keyed by the role, not its place in the list: removing or reordering adminRoleArns
		// replaces no entry (EKS refuses a second entry for a principal, so a replacement made
		// create-first would fail).
		access[AdminAccessEntryKey(arn)] = eks.AccessEntryArgs{
			PrincipalArn: pulumi.String(arn),
			AccessPolicies: map[string]eks.AccessPolicyAssociationInput{
				"admin": eks.AccessPolicyAssociationArgs{
					PolicyArn:   pulumi.Sprintf(clusterAdminPolicy, env.Partition),
					AccessScope: awseks.AccessPolicyAssociationAccessScopeArgs{Type: pulumi.String("cluster")},
				},
			},
		}
	}
	publicCIDRs := pulumi.ToStringArray(c.PublicAccessCIDRs)
	skip, useDefaultCNI := true, true
	mode := eks.AuthenticationModeApi
	out.cluster, err = eks.NewCluster(ctx, naming.Child(name, "eks"), &eks.ClusterArgs{
		Name:                         pulumi.String(out.clusterName),
		Version:                      pulumi.String(c.Version),
		VpcId:                        a.Network.VPCID,
		PrivateSubnetIds:             a.Network.PrivateSubnetIDs,
		PublicSubnetIds:              a.Network.PublicSubnetIDs,
		NodeAssociatePublicIpAddress: new(bool),
		EndpointPrivateAccess:        pulumi.Bool(true),
		EndpointPublicAccess:         pulumi.Bool(len(c.PublicAccessCIDRs) > 0),
		PublicAccessCidrs:            publicCIDRs,
		AuthenticationMode:           &mode,
		AccessEntries:                access,
		SkipDefaultNodeGroup:         &skip,
		UseDefaultVpcCni:             &useDefaultCNI,
		CreateOidcProvider:           pulumi.Bool(true),
		EncryptionConfigKeyArn:       logs.key.Arn,
		EnabledClusterLogTypes:       pulumi.ToStringArray(ControlPlaneLogTypes),
		ClusterSecurityGroup:         cpSG,
		ServiceRole:                  role,
		InstanceRole:                 nodeRole,
		Tags:                         pulumi.ToStringMap(a.Tags),
		ClusterTags:                  tags(out.clusterName),
	}, parent,
		// The control plane logs into the group with a retention, never one EKS makes for ever;
		// its role holds its policies first (and last: EKS needs them to delete what it made).
		pulumi.DependsOn(append([]pulumi.Resource{logs.group}, grants...)))
	if err != nil {
		return out, err
	}
	if len(c.PublicAccessCIDRs) == 0 {
		msg := fmt.Sprintf("webtier %s: the EKS API endpoint is private (no publicAccessCidrs): pulumi up installs the controllers and the app through it, so run it from inside the VPC, or add your runner's range to publicAccessCidrs (docs/web-tier.md, \"Reaching the cluster\")", name)
		if err := ctx.Log.Warn(msg, &pulumi.LogArgs{Resource: w}); err != nil {
			return out, err
		}
	}
	w.ClusterName = pulumi.String(out.clusterName).ToStringOutput()
	w.Kubeconfig = pulumi.ToSecret(out.cluster.KubeconfigJson).(pulumi.StringOutput)
	return out, nil
}

// clusterRole is the cluster's service role: EKS's managed policy, and the key that encrypts the
// cluster's secrets, by ARN.
func (w *WebTier) clusterRole(ctx *pulumi.Context, name string, a checkedArgs, env awsenv.Env, key *kms.Key) (*iam.Role, []pulumi.Resource, error) {
	parent := pulumi.Parent(w)
	roleName := naming.Child(name, "eks-role")
	role, err := iam.NewRole(ctx, roleName, &iam.RoleArgs{
		Description:      pulumi.String("The EKS control plane of " + name),
		AssumeRolePolicy: pulumi.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"eks.amazonaws.com"},"Action":["sts:AssumeRole","sts:TagSession"]}]}`),
		Tags:             naming.Tags(a.Tags, roleName),
	}, parent)
	if err != nil {
		return nil, nil, err
	}
	attached, err := iam.NewRolePolicyAttachment(ctx, naming.Child(name, "eks-role-cluster"), &iam.RolePolicyAttachmentArgs{
		Role: role.Name, PolicyArn: pulumi.String(env.ManagedPolicyARN("AmazonEKSClusterPolicy")),
	}, parent)
	if err != nil {
		return nil, nil, err
	}
	keyGrant, err := iam.NewRolePolicy(ctx, naming.Child(name, "eks-role-key"), &iam.RolePolicyArgs{
		Role: role.ID(),
		Policy: key.Arn.ApplyT(func(arn string) (string, error) {
			doc, err := json.Marshal(map[string]any{"Version": "2012-10-17", "Statement": []map[string]any{{
				"Sid": "EnvelopeEncryptionOfSecrets", "Effect": "Allow", "Resource": arn,
				"Action": []string{"kms:Encrypt", "kms:Decrypt", "kms:ListGrants", "kms:DescribeKey", "kms:CreateGrant"},
			}}})
			return string(doc), err
		}).(pulumi.StringOutput),
	}, parent)
	if err != nil {
		return nil, nil, err
	}
	return role, []pulumi.Resource{attached, keyGrant}, nil
}

// clusterRules chain the control plane and the nodes: the nodes reach the API on 443; the control
// plane reaches the kubelets and the webhooks on the nodes' unprivileged ports (and 443); the nodes
// reach each other (pods, DNS).
func clusterRules(ctx *pulumi.Context, name string, cp, nodes *ec2.SecurityGroup, parent pulumi.ResourceOption) error {
	rules := []struct {
		child, kind, desc string
		from, to          int
		protocol          string
		group, peer       *ec2.SecurityGroup
	}{
		{"eks-api-from-nodes", "ingress", "the API, from the nodes", 443, 443, "tcp", cp, nodes},
		{"eks-cp-to-nodes", "egress", "the kubelets and webhooks", 1025, 65535, "tcp", cp, nodes},
		{"eks-cp-to-nodes-https", "egress", "webhooks on 443", 443, 443, "tcp", cp, nodes},
		{"eks-nodes-from-cp", "ingress", "the kubelets and webhooks, from the control plane", 1025, 65535, "tcp", nodes, cp},
		{"eks-nodes-from-cp-https", "ingress", "webhooks on 443, from the control plane", 443, 443, "tcp", nodes, cp},
		{"eks-nodes-self", "ingress", "pods and DNS, between the nodes", 0, 0, "-1", nodes, nodes},
	}
	for _, r := range rules {
		if _, err := ec2.NewSecurityGroupRule(ctx, naming.Child(name, r.child), &ec2.SecurityGroupRuleArgs{
			Type: pulumi.String(r.kind), Description: pulumi.String(r.desc),
			Protocol: pulumi.String(r.protocol), FromPort: pulumi.Int(r.from), ToPort: pulumi.Int(r.to),
			SecurityGroupId: r.group.ID(), SourceSecurityGroupId: r.peer.ID(),
		}, parent); err != nil {
			return err
		}
	}
	return nil
}
