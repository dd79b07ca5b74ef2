package webtier

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/tierstack/tierstack/internal/awsenv"
	"github.com/tierstack/tierstack/internal/naming"
)

// appRole is the app's instance profile and the grants its role holds: what boots the app waits for
// the grants, so that the bootstrap's first secret read and image pull are allowed.
type appRole struct {
	profile *iam.InstanceProfile
	grants  []pulumi.Resource
}

// buildRole creates the app's role and instance profile: Session Manager (AWS's managed policy, in
// the partition) and reading exactly the secrets the app is given — its own and ReadableSecrets —
// through Secrets Manager, which decrypts them with their keys on the app's behalf.
func (w *WebTier) buildRole(ctx *pulumi.Context, name string, a checkedArgs, env awsenv.Env) (appRole, error) {
	parent := pulumi.Parent(w)
	roleName := naming.Child(name, "role")
	// The EC2 service principal carries the partition's DNS suffix: ec2.amazonaws.com.cn in China.
	description, trust := "The app's instances: Session Manager and their own secrets",
		EC2Trust(env)
	if a.Mode == ModeEKS {
		// The same role, in place, given to the app's pods by EKS Pod Identity.
		var err error
		description = "The app's pods: their own secrets"
		if trust, err = PodIdentityTrust(env, ClusterName(name, ctx.Stack()), AppNamespace, AppServiceAccount); err != nil {
			return appRole{}, err
		}
	}
	role, err := iam.NewRole(ctx, roleName, &iam.RoleArgs{
		Description:      pulumi.String(description),
		AssumeRolePolicy: pulumi.String(trust),
		Tags:             naming.Tags(a.Tags, roleName),
	}, parent)
	if err != nil {
		return appRole{}, err
	}
	w.RoleARN = role.Arn
	var out appRole
	if a.Mode != ModeEKS {
		ssm, err := iam.NewRolePolicyAttachment(ctx, naming.Child(name, "ssm"), &iam.RolePolicyAttachmentArgs{
			Role:      role.Name,
			PolicyArn: pulumi.String(env.ManagedPolicyARN("AmazonSSMManagedInstanceCore")),
		}, parent)
		if err != nil {
			return appRole{}, err
		}
		out.grants = append(out.grants, ssm)
	}
	secrets := make([]any, 0, len(a.ReadableSecrets)+len(a.App.Secrets))
	for _, s := range a.ReadableSecrets {
		secrets = append(secrets, s)
	}
	for _, k := range slices.Sorted(maps.Keys(a.App.Secrets)) {
		secrets = append(secrets, a.App.Secrets[k])
	}
	keys := make([]any, 0, len(a.SecretKeys))
	for _, k := range a.SecretKeys {
		keys = append(keys, k)
	}
	if len(secrets) > 0 {
		policy := pulumi.All(pulumi.All(secrets...), pulumi.All(keys...)).ApplyT(func(v []any) (string, error) {
			return SecretsPolicy(v[0].([]any), v[1].([]any), "secretsmanager."+env.Region+"."+env.DNSSuffix)
		}).(pulumi.StringOutput)
		grant, err := iam.NewRolePolicy(ctx, naming.Child(name, "secrets"), &iam.RolePolicyArgs{
			Role:   role.ID(),
			Policy: policy,
		}, parent)
		if err != nil {
			return appRole{}, err
		}
		out.grants = append(out.grants, grant)
	}
	if r, ok := registryOf(a.App.Image); ok && a.Mode != ModeEKS { // on EKS the nodes pull
		pull, err := PullPolicy(env.ARN("ecr", r.Region, r.Account, "repository/"+r.Repository))
		if err != nil {
			return appRole{}, err
		}
		grant, err := iam.NewRolePolicy(ctx, naming.Child(name, "pull"), &iam.RolePolicyArgs{
			Role:   role.ID(),
			Policy: pulumi.String(pull),
		}, parent)
		if err != nil {
			return appRole{}, err
		}
		out.grants = append(out.grants, grant)
	}
	if a.Mode == ModeEKS {
		return out, nil
	}
	profileName := naming.Child(name, "profile")
	out.profile, err = iam.NewInstanceProfile(ctx, profileName, &iam.InstanceProfileArgs{
		Role: role.Name,
		Tags: naming.Tags(a.Tags, profileName),
	}, parent)
	return out, err
}

// SecretsPolicy lets a role read exactly the secrets given, by ARN, and decrypt with the keys given
// only through Secrets Manager (kms:ViaService, such as secretsmanager.us-east-1.amazonaws.com),
// and nothing else.
func SecretsPolicy(arns, keys []any, viaService string) (string, error) {
	unique := func(list []any) []string {
		var out []string
		for _, v := range list {
			s, _ := v.(string)
			if s != "" && !slices.Contains(out, s) {
				out = append(out, s)
			}
		}
		return out
	}
	statements := []map[string]any{{
		"Sid":      "ReadTheAppsSecrets",
		"Effect":   "Allow",
		"Action":   []string{"secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"},
		"Resource": unique(arns),
	}}
	if k := unique(keys); len(k) > 0 {
		statements = append(statements, map[string]any{
			"Sid":       "DecryptThemThroughSecretsManager",
			"Effect":    "Allow",
			"Action":    "kms:Decrypt",
			"Resource":  k,
			"Condition": map[string]any{"StringEquals": map[string]any{"kms:ViaService": viaService}},
		})
	}
	doc, err := json.Marshal(map[string]any{"Version": "2012-10-17", "Statement": statements})
	if err != nil {
		return "", fmt.Errorf("secrets policy: %w", err)
	}
	return string(doc), nil
}

// PullPolicy lets a role pull images from one ECR repository: the layers of that repository only,
// and an authorization token, which AWS grants on "*" alone (ecr:GetAuthorizationToken has no
// resource type).
func PullPolicy(repositoryARN string) (string, error) {
	doc, err := json.Marshal(map[string]any{
		"Version": "2012-10-17",
		"Statement": []map[string]any{
			{"Sid": "PullTheAppsImage", "Effect": "Allow", "Resource": repositoryARN,
				"Action": []string{"ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:BatchCheckLayerAvailability"}},
			{"Sid": "LogInToTheRegistry", "Effect": "Allow", "Resource": "*", "Action": "ecr:GetAuthorizationToken"},
		},
	})
	if err != nil {
		return "", fmt.Errorf("pull policy: %w", err)
	}
	return string(doc), nil
}

// EC2Trust is the trust policy of a role that EC2 instances assume (the app's instances, the EKS
// nodes). The EC2 service principal carries the partition's DNS suffix: ec2.amazonaws.com.cn in
// China.
func EC2Trust(env awsenv.Env) string {
	return `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.` + env.DNSSuffix + `"},"Action":"sts:AssumeRole"}]}`
}
