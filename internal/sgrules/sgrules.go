// Package sgrules admits clients to a stateful component's security group: one ingress rule resource
// per client, from the client's security group, on the component's port only. Adding a client adds a
// rule; it never rewrites the group.
package sgrules

import (
	"fmt"
	"regexp"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/tierstack/tierstack/internal/naming"
)

// clientNamePattern is what a client's name may hold; it becomes part of the rule's logical name.
var clientNamePattern = regexp.MustCompile(`^[a-z][a-z0-9-]{0,39}$`)

// AllowFrom registers, as a child of parent, the rule "component-allow-client" that admits TCP on
// port to group from the security group source. what names the component in the rule's description.
func AllowFrom(ctx *pulumi.Context, parent pulumi.Resource, component, client string, group, source pulumi.StringInput, port int, what string) (*ec2.SecurityGroupRule, error) {
	if !clientNamePattern.MatchString(client) {
		return nil, fmt.Errorf("%s: client name %q is not allowed (allowed: a lowercase letter, then up to 39 lowercase letters, digits and hyphens)", component, client)
	}
	if source == nil {
		return nil, fmt.Errorf("%s: client %s has no security group (allowed: the ID of the client's security group; CIDR ranges are never admitted)", component, client)
	}
	return ec2.NewSecurityGroupRule(ctx, naming.Child(component, "allow-"+client), &ec2.SecurityGroupRuleArgs{
		Type:                  pulumi.String("ingress"),
		Description:           pulumi.String(fmt.Sprintf("%s from %s", what, client)),
		Protocol:              pulumi.String("tcp"),
		FromPort:              pulumi.Int(port),
		ToPort:                pulumi.Int(port),
		SecurityGroupId:       group,
		SourceSecurityGroupId: source,
	}, pulumi.Parent(parent))
}
