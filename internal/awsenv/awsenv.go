// Package awsenv finds out, before a component registers anything, where its resources will go: the
// AWS provider its children will use, and that provider's region, account and partition.
package awsenv

import (
	"fmt"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/internals"
)

// Env is where a component's AWS resources go.
type Env struct {
	// Region is the region name, such as us-east-1 or us-gov-west-1.
	Region string
	// AccountID is the AWS account the provider deploys to.
	AccountID string
	// Partition is the ARN partition: aws, aws-us-gov or aws-cn.
	Partition string
	// DNSSuffix is the partition's DNS suffix: amazonaws.com, or amazonaws.com.cn in China.
	DNSSuffix string
	// ReverseDNSPrefix prefixes the names of interface endpoint services: com.amazonaws, or
	// cn.com.amazonaws for most services in China.
	ReverseDNSPrefix string
}

// ARN builds an ARN in the Env's partition: ARN("iam", "", "aws", "policy/X") gives
// arn:aws:iam::aws:policy/X in the commercial partition and arn:aws-us-gov:iam::aws:policy/X in
// GovCloud.
func (e Env) ARN(service, region, account, resource string) string {
	return fmt.Sprintf("arn:%s:%s:%s:%s:%s", e.Partition, service, region, account, resource)
}

// ManagedPolicyARN is the ARN of an AWS managed IAM policy in the Env's partition.
func (e Env) ManagedPolicyARN(policy string) string {
	return e.ARN("iam", "", "aws", "policy/"+policy)
}

// GatewayEndpointService is the name of a gateway endpoint service (s3, dynamodb) of the Env's
// region: com.amazonaws.<region>.<service> in every partition, China included, where only interface
// endpoint services take the cn.com.amazonaws prefix (a cn.com.amazonaws name for S3 fails with
// InvalidServiceName; eksctl-io/eksctl#3081).
func (e Env) GatewayEndpointService(service string) string {
	return "com.amazonaws." + e.Region + "." + service
}

// Lookup asks the provider that inv selects for its region, account and partition.
func Lookup(ctx *pulumi.Context, inv []pulumi.InvokeOption) (Env, error) {
	region, err := aws.GetRegion(ctx, nil, inv...)
	if err != nil {
		return Env{}, fmt.Errorf("looking up the region: %w", err)
	}
	caller, err := aws.GetCallerIdentity(ctx, nil, inv...)
	if err != nil {
		return Env{}, fmt.Errorf("looking up the account: %w", err)
	}
	partition, err := aws.GetPartition(ctx, nil, inv...)
	if err != nil {
		return Env{}, fmt.Errorf("looking up the partition: %w", err)
	}
	return Env{
		Region:           region.Name,
		AccountID:        caller.AccountId,
		Partition:        partition.Partition,
		DNSSuffix:        partition.DnsSuffix,
		ReverseDNSPrefix: partition.ReverseDnsPrefix,
	}, nil
}

// Resolve is InvokeOptions then Lookup: where a component's children will go, and the invoke options
// that reach the same provider, worked out before the component registers anything.
func Resolve(ctx *pulumi.Context, opts []pulumi.ResourceOption) (Env, []pulumi.InvokeOption, error) {
	inv, err := InvokeOptions(ctx, opts)
	if err != nil {
		return Env{}, nil, err
	}
	env, err := Lookup(ctx, inv)
	if err != nil {
		return Env{}, nil, err
	}
	return env, inv, nil
}

// InvokeOptions turns the resource options a component was given into the invoke options that reach
// exactly the AWS provider its children will use, as the Pulumi SDK picks it for them: the AWS
// provider among Providers (which wins over a conflicting Provider option, as the SDK's merge does),
// else the Provider option when it is an AWS provider, else the parent's. A provider is recognised
// by its type token (pulumi:providers:aws), whatever its Go type.
func InvokeOptions(ctx *pulumi.Context, opts []pulumi.ResourceOption) ([]pulumi.InvokeOption, error) {
	o, err := pulumi.NewResourceOptions(opts...)
	if err != nil {
		return nil, fmt.Errorf("reading resource options: %w", err)
	}
	candidates := append(append([]pulumi.ProviderResource{}, o.Providers...), o.Provider)
	for _, p := range candidates {
		if p == nil {
			continue
		}
		pkg, err := providerPackage(ctx, p)
		if err != nil {
			return nil, err
		}
		if pkg == "aws" {
			return []pulumi.InvokeOption{pulumi.Provider(p)}, nil
		}
	}
	if o.Parent != nil {
		return []pulumi.InvokeOption{pulumi.Parent(o.Parent)}, nil
	}
	return nil, nil
}

// providerPackage reads the package a provider serves from its URN's type, pulumi:providers:<package>.
func providerPackage(ctx *pulumi.Context, p pulumi.ProviderResource) (string, error) {
	res, err := internals.UnsafeAwaitOutput(ctx.Context(), p.URN())
	if err != nil {
		return "", fmt.Errorf("reading a provider's URN: %w", err)
	}
	urn, _ := res.Value.(pulumi.URN)
	parts := strings.Split(string(urn), "::")
	if len(parts) < 4 {
		return "", fmt.Errorf("provider URN %q is not a URN", urn)
	}
	typ := parts[len(parts)-2]
	if i := strings.LastIndex(typ, "$"); i >= 0 {
		typ = typ[i+1:]
	}
	return strings.TrimPrefix(typ, "pulumi:providers:"), nil
}
