package workers

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/tierstack/tierstack/components/webtier"
	"github.com/tierstack/tierstack/internal/naming"
)

// grantRole gives the workers' role what they do and nothing more: take jobs from the queue
// (ConsumePolicy), read their secrets and their backends' connection secrets (webtier.SecretsPolicy)
// and, on instances, pull a private ECR image and carry Session Manager. It returns the grants, which
// what boots a worker waits for.
func (w *Workers) grantRole(ctx *pulumi.Context, role *iam.Role, backends webtier.ResolvedBackends, onInstances bool) ([]pulumi.Resource, error) {
	a, name, parent := w.args, w.name, pulumi.Parent(w)
	var grants []pulumi.Resource
	add := func(child string, policy pulumi.StringInput) error {
		g, err := iam.NewRolePolicy(ctx, naming.Child(name, child), &iam.RolePolicyArgs{Role: role.ID(), Policy: policy}, parent)
		if err == nil {
			grants = append(grants, g)
		}
		return err
	}
	consume := pulumi.All(w.QueueARN, w.KMSKeyARN).ApplyT(func(v []any) (string, error) {
		return ConsumePolicy(v[0].(string), v[1].(string), w.sqsService())
	}).(pulumi.StringOutput)
	if err := add("consume", consume); err != nil {
		return nil, err
	}
	secrets := make([]any, 0, len(backends.Secrets)+len(a.App.Secrets))
	for _, s := range backends.Secrets {
		secrets = append(secrets, s)
	}
	for _, k := range sortedKeys(a.App.Secrets) {
		secrets = append(secrets, a.App.Secrets[k])
	}
	if len(secrets) > 0 {
		keys := make([]any, 0, len(backends.Keys))
		for _, k := range backends.Keys {
			keys = append(keys, k)
		}
		via := "secretsmanager." + w.env.Region + "." + w.env.DNSSuffix
		policy := pulumi.All(pulumi.All(secrets...), pulumi.All(keys...)).ApplyT(func(v []any) (string, error) {
			return webtier.SecretsPolicy(v[0].([]any), v[1].([]any), via)
		}).(pulumi.StringOutput)
		if err := add("secrets", policy); err != nil {
			return nil, err
		}
	}
	if !onInstances {
		return grants, nil
	}
	if err := add("ssm", pulumi.String(webtier.SessionManagerPolicy())); err != nil {
		return nil, err
	}
	for i, m := range a.Mounts {
		policy := pulumi.All(m.FileSystemARN, m.AccessPointARN).ApplyT(func(v []any) (string, error) {
			return webtier.MountPolicy(v[0].(string), v[1].(string))
		}).(pulumi.StringOutput)
		child := "mount"
		if i > 0 {
			child = fmt.Sprintf("mount-%d", i)
		}
		if err := add(child, policy); err != nil {
			return nil, err
		}
	}
	if repo, private := webtier.ImageRepositoryARN(w.env, a.App.Image); private {
		pull, err := webtier.PullPolicy(repo)
		if err != nil {
			return nil, err
		}
		if err := add("pull", pulumi.String(pull)); err != nil {
			return nil, err
		}
	}
	return grants, nil
}
