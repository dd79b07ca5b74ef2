package webtier

import (
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/tierstack/tierstack/internal/awsenv"
	"github.com/tierstack/tierstack/internal/naming"
)

// buildPodRole creates the app's pods' role (mode eks): trusted by EKS Pod Identity for the app's
// service account in this cluster only, reading exactly the app's secrets (secretsGrant). It is a
// role of its own, not the instances' role with a new trust: during 10k → 100k the Auto Scaling
// group keeps launching instances with the instances' role until it is deleted, and a role trusted
// by pods only would give those instances no credentials. The nodes pull the images, so the pods'
// role has no pull grant, and no Session Manager.
func (w *WebTier) buildPodRole(ctx *pulumi.Context, name string, a checkedArgs, env awsenv.Env) (appRole, error) {
	parent := pulumi.Parent(w)
	trust, err := PodIdentityTrust(env, ClusterName(name, ctx.Stack()), AppNamespace, AppServiceAccount)
	if err != nil {
		return appRole{}, err
	}
	roleName := naming.Child(name, "pod-role")
	role, err := iam.NewRole(ctx, roleName, &iam.RoleArgs{
		Description:      pulumi.String("The app's pods: their own secrets"),
		AssumeRolePolicy: pulumi.String(trust),
		Tags:             naming.Tags(a.Tags, roleName),
	}, parent)
	if err != nil {
		return appRole{}, err
	}
	w.RoleARN = role.Arn
	var out appRole
	grant, err := secretsGrant(ctx, naming.Child(name, "pod-secrets"), role, a, env, parent)
	if err != nil {
		return appRole{}, err
	}
	if grant != nil {
		out.grants = append(out.grants, grant)
	}
	return out, nil
}
