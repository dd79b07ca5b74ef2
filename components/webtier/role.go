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

// buildRole creates the role the app runs with in its mode, and sets RoleARN to it: the instances'
// role in modes instance and autoscaling, the pods' role in mode eks (buildPodRole). The two are
// separate resources, so that moving to EKS never changes the instances' role while the Auto
// Scaling group still launches instances with it: the group, its profile and the instances' role
// are deleted together at the end of the move.
func (w *WebTier) buildRole(ctx *pulumi.Context, name string, a checkedArgs, env awsenv.Env) (appRole, error) {
	if a.Mode == ModeEKS {
		return w.buildPodRole(ctx, name, a, env)
	}
	return w.buildInstanceRole(ctx, name, a, env)
}

// buildInstanceRole creates the instances' role and instance profile: Session Manager
// (SessionManagerPolicy, its documented minimum), reading exactly the secrets the app is given —
// its own and ReadableSecrets — through Secrets Manager, which decrypts them with their keys on the
// app's behalf, pulling a private ECR image, and mounting each of Mounts (MountPolicy, the child
// "name-mount", then "name-mount-1"…). The instances' IMDS hop limit is 2, so the app's
// container has these credentials too: the role holds nothing the app may not do.
func (w *WebTier) buildInstanceRole(ctx *pulumi.Context, name string, a checkedArgs, env awsenv.Env) (appRole, error) {
	parent := pulumi.Parent(w)
	roleName := naming.Child(name, "role")
	role, err := iam.NewRole(ctx, roleName, &iam.RoleArgs{
		Description: pulumi.String("The app's instances: Session Manager and their own secrets"),
		// The EC2 service principal carries the partition's DNS suffix: ec2.amazonaws.com.cn in China.
		AssumeRolePolicy: pulumi.String(EC2Trust(env)),
		Tags:             naming.Tags(a.Tags, roleName),
	}, parent)
	if err != nil {
		return appRole{}, err
	}
	w.RoleARN = role.Arn
	var out appRole
	ssm, err := iam.NewRolePolicy(ctx, naming.Child(name, "ssm"), &iam.RolePolicyArgs{
		Role:   role.ID(),
		Policy: pulumi.String(SessionManagerPolicy()),
	}, parent)
	if err != nil {
		return appRole{}, err
	}
	out.grants = append(out.grants, ssm)
	grant, err := secretsGrant(ctx, naming.Child(name, "secrets"), role, a, env, parent)
	if err != nil {
		return appRole{}, err
	}
	if grant != nil {
		out.grants = append(out.grants, grant)
	}
	if r, ok := registryOf(a.App.Image); ok {
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
	for i, m := range a.Mounts {
		policy := pulumi.All(m.FileSystemARN, m.AccessPointARN).ApplyT(func(v []any) (string, error) {
			fs, _ := v[0].(string)
			ap, _ := v[1].(string)
			return MountPolicy(fs, ap)
		}).(pulumi.StringOutput)
		child := naming.Child(name, "mount")
		if i > 0 {
			child = naming.Child(name, fmt.Sprintf("mount-%d", i))
		}
		grant, err := iam.NewRolePolicy(ctx, child, &iam.RolePolicyArgs{Role: role.ID(), Policy: policy}, parent)
		if err != nil {
			return appRole{}, err
		}
		out.grants = append(out.grants, grant)
	}
	profileName := naming.Child(name, "profile")
	out.profile, err = iam.NewInstanceProfile(ctx, profileName, &iam.InstanceProfileArgs{
		Role: role.Name,
		Tags: naming.Tags(a.Tags, profileName),
	}, parent)
	return out, err
}

// secretsGrant lets role read the app's secrets (SecretsPolicy), as the child named child; nil when
// the app reads none.
func secretsGrant(ctx *pulumi.Context, child string, role *iam.Role, a checkedArgs, env awsenv.Env, parent pulumi.ResourceOption) (pulumi.Resource, error) {
	secrets := make([]any, 0, len(a.ReadableSecrets)+len(a.App.Secrets))
	for _, s := range a.ReadableSecrets {
		secrets = append(secrets, s)
	}
	for _, k := range slices.Sorted(maps.Keys(a.App.Secrets)) {
		secrets = append(secrets, a.App.Secrets[k])
	}
	if len(secrets) == 0 {
		return nil, nil
	}
	keys := make([]any, 0, len(a.SecretKeys))
	for _, k := range a.SecretKeys {
		keys = append(keys, k)
	}
	policy := pulumi.All(pulumi.All(secrets...), pulumi.All(keys...)).ApplyT(func(v []any) (string, error) {
		return SecretsPolicy(v[0].([]any), v[1].([]any), "secretsmanager."+env.Region+"."+env.DNSSuffix)
	}).(pulumi.StringOutput)
	return iam.NewRolePolicy(ctx, child, &iam.RolePolicyArgs{Role: role.ID(), Policy: policy}, parent)
}

// SessionManagerPolicy lets an instance's SSM Agent register and carry Session Manager sessions,
// and nothing else: AWS's documented minimum for Session Manager ("Step 2: Verify or add instance
// permissions for Session Manager", AWS Systems Manager User Guide; the same actions as AWS's
// managed policy AWSCloud9SSMInstanceProfile). It replaces AmazonSSMManagedInstanceCore, whose
// ssm:GetParameter(s) on * and State Manager, Run Command and inventory grants are not the app's.
// The actions take no resource type: "*" is the only resource AWS accepts. Sessions are neither
// logged to S3 or CloudWatch Logs nor encrypted with a KMS key of yours, which would need more.
func SessionManagerPolicy() string {
	return `{"Version":"2012-10-17","Statement":[{"Sid":"SessionManagerOnly","Effect":"Allow","Action":[` +
		`"ssm:UpdateInstanceInformation","ssmmessages:CreateControlChannel","ssmmessages:CreateDataChannel",` +
		`"ssmmessages:OpenControlChannel","ssmmessages:OpenDataChannel"],"Resource":"*"}]}`
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
