package streaming

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/tierstack/tierstack/internal/naming"
	"github.com/tierstack/tierstack/internal/sgrules"
)

// AllowFrom admits a client to the brokers: it registers, as children of the Streaming, the rule
// "name-allow-client" that lets the security group sourceSecurityGroupID reach PortIAM and, with
// SCRAM, "name-allow-client-scram" for PortSCRAM, and nothing else. client names the rules ("web",
// "workers"): a lowercase letter, then up to 39 lowercase letters, digits and hyphens, once per
// Streaming. Sources are security groups, never CIDR ranges. Adding a client adds rules; it never
// rewrites the cluster's security group.
func (s *Streaming) AllowFrom(ctx *pulumi.Context, client string, sourceSecurityGroupID pulumi.StringInput) ([]*ec2.SecurityGroupRule, error) {
	if s == nil || s.securityGrp == nil {
		return nil, fmt.Errorf("streaming: AllowFrom %s: the Streaming was not built by New", client)
	}
	if s.allowed[client] {
		return nil, fmt.Errorf("streaming %s: client %q is already admitted (allowed: each client name once)", s.name, client)
	}
	rule, err := sgrules.AllowFrom(ctx, s, s.name, client, s.SecurityGroupID, sourceSecurityGroupID, PortIAM, "Kafka (SASL/IAM over TLS)")
	if err != nil {
		return nil, fmt.Errorf("streaming %s: %w", s.name, err)
	}
	rules := []*ec2.SecurityGroupRule{rule}
	if s.args.SCRAM {
		scram, err := sgrules.AllowFrom(ctx, s, s.name, client+"-scram", s.SecurityGroupID, sourceSecurityGroupID, PortSCRAM, "Kafka (SASL/SCRAM over TLS)")
		if err != nil {
			return nil, fmt.Errorf("streaming %s: %w", s.name, err)
		}
		rules = append(rules, scram)
	}
	s.allowed[client] = true
	return rules, nil
}

// GrantTo lets the IAM role roleARN use the cluster as a client: the child "name-grant-client", an
// inline policy of ClientPolicy on the role. client names it as in AllowFrom, once per Streaming.
// The role is the app's (webtier.WebTier.RoleARN: the instances' role, or the pods' role on EKS).
func (s *Streaming) GrantTo(ctx *pulumi.Context, client string, roleARN pulumi.StringInput) (*iam.RolePolicy, error) {
	if s == nil || s.securityGrp == nil {
		return nil, fmt.Errorf("streaming: GrantTo %s: the Streaming was not built by New", client)
	}
	if !clientPattern.MatchString(client) {
		return nil, fmt.Errorf("streaming %s: client name %q is not allowed (allowed: a lowercase letter, then up to 39 lowercase letters, digits and hyphens)", s.name, client)
	}
	if roleARN == nil {
		return nil, fmt.Errorf("streaming %s: client %s has no role (allowed: the ARN of the IAM role the client runs with)", s.name, client)
	}
	if s.granted[client] {
		return nil, fmt.Errorf("streaming %s: client %q is already granted (allowed: each client name once)", s.name, client)
	}
	role := roleARN.ToStringOutput().ApplyT(RoleName).(pulumi.StringOutput)
	policy := s.ARN.ApplyT(ClientPolicy).(pulumi.StringOutput)
	grant, err := iam.NewRolePolicy(ctx, naming.Child(s.name, "grant-"+client), &iam.RolePolicyArgs{
		Role:   role,
		Policy: policy,
	}, pulumi.Parent(s))
	if err != nil {
		return nil, fmt.Errorf("streaming %s: %w", s.name, err)
	}
	s.granted[client] = true
	return grant, nil
}

// clientPattern is what a client's name may hold, as sgrules takes it.
var clientPattern = regexp.MustCompile(`^[a-z][a-z0-9-]{0,39}$`)

// RoleName is the name of the IAM role an ARN names: what follows the last slash of
// arn:PARTITION:iam::ACCOUNT:role/PATH/NAME.
func RoleName(roleARN string) (string, error) {
	_, rest, ok := strings.Cut(roleARN, ":role/")
	if !ok || rest == "" || strings.HasSuffix(rest, "/") {
		return "", fmt.Errorf("%q is not an IAM role ARN (want arn:aws:iam::123456789012:role/NAME)", roleARN)
	}
	return rest[strings.LastIndex(rest, "/")+1:], nil
}

// ClientPolicy is the policy a client of the cluster clusterARN needs to produce and consume with IAM
// authentication, and no more (Amazon MSK Developer Guide, "IAM access control" and "Resources"): to
// connect to and describe this cluster and write idempotently (Kafka 3 producers do by default); to
// create, describe, read and write its topics; to read and commit offsets in its consumer groups. The
// topic and group ARNs are the cluster's with "topic" or "group" for "cluster" and the cluster's name
// and UUID before the topic or group name (arn:aws:kafka:REGION:ACCOUNT:topic/CLUSTER/UUID/*). No
// administrative action (deleting topics, altering the cluster, ACLs, transactional IDs) is granted.
func ClientPolicy(clusterARN string) (string, error) {
	prefix, rest, ok := strings.Cut(clusterARN, ":cluster/")
	if !ok || strings.Count(rest, "/") != 1 {
		return "", fmt.Errorf("%q is not an MSK cluster ARN (want arn:aws:kafka:REGION:ACCOUNT:cluster/NAME/UUID)", clusterARN)
	}
	doc, err := json.Marshal(map[string]any{
		"Version": "2012-10-17",
		"Statement": []map[string]any{
			{"Sid": "ConnectToTheCluster", "Effect": "Allow", "Resource": clusterARN,
				"Action": []string{"kafka-cluster:Connect", "kafka-cluster:DescribeCluster", "kafka-cluster:WriteDataIdempotently"}},
			{"Sid": "UseItsTopics", "Effect": "Allow", "Resource": prefix + ":topic/" + rest + "/*",
				"Action": []string{"kafka-cluster:CreateTopic", "kafka-cluster:DescribeTopic", "kafka-cluster:ReadData", "kafka-cluster:WriteData"}},
			{"Sid": "UseItsConsumerGroups", "Effect": "Allow", "Resource": prefix + ":group/" + rest + "/*",
				"Action": []string{"kafka-cluster:AlterGroup", "kafka-cluster:DescribeGroup"}},
		},
	})
	if err != nil {
		return "", fmt.Errorf("client policy: %w", err)
	}
	return string(doc), nil
}
