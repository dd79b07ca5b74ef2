package tiers

import (
	"fmt"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/tierstack/tierstack/components/webtier"
)

// checkEKSCredentials refuses, before anything is registered, mode eks with credentials that the
// cluster's kubeconfig would not use. pulumi-eks 2.8.1 (nodejs/eks/cluster.ts, generateKubeconfig)
// writes a kubeconfig that runs `aws eks get-token --cluster-name <name> --output json` with
// AWS_PROFILE set to aws:profile (or the AWS_PROFILE variable) and nothing else: the Kubernetes
// provider then talks to the cluster as the profile's identity, not as the assumed role or the
// static keys in the stack's aws: config that created the cluster and hold its only access entry,
// and every Kubernetes object fails with Unauthorized half way through pulumi up.
func checkEKSCredentials(ctx *pulumi.Context, spec Spec) error {
	if spec.Web.Mode != webtier.ModeEKS {
		return nil
	}
	for _, key := range unforwardedCredentials {
		if _, set := ctx.GetConfig(key); set {
			return fmt.Errorf("tier %s: %s is set, and the EKS cluster's kubeconfig (aws eks get-token with the profile only) would not use it, so Kubernetes would refuse pulumi up as Unauthorized (allowed: credentials through aws:profile or the environment, such as AWS_PROFILE or AWS_ROLE_ARN with AWS_WEB_IDENTITY_TOKEN_FILE, or tierstack:web mode autoscaling)", spec.Tier, key)
		}
	}
	return nil
}
