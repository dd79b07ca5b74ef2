package webtier

import (
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// HelmReleaseType is the Kubernetes provider's Helm release resource.
const HelmReleaseType = "kubernetes:helm.sh/v3:Release"

// helmRelease is a Helm release, registered by its type token with the Kubernetes provider. It is
// the provider's own resource; tierstack registers it without the SDK's helm/v3 package because
// that package imports every Kubernetes API group (66 packages), which made the program's link
// the largest step of the build.
type helmRelease struct {
	pulumi.CustomResourceState
}

// helmChart names a chart at a pinned version in a repository.
type helmChart struct {
	Name, Repo, Version string
}

// newHelmRelease installs chart as release in namespace with values; atomic, so that a failed
// install or upgrade rolls back rather than leaving a half-done release.
func newHelmRelease(ctx *pulumi.Context, name, release, namespace string, chart helmChart, values pulumi.Map, opts ...pulumi.ResourceOption) (*helmRelease, error) {
	var r helmRelease
	err := ctx.RegisterResource(HelmReleaseType, name, pulumi.Map{
		"name":           pulumi.String(release),
		"chart":          pulumi.String(chart.Name),
		"version":        pulumi.String(chart.Version),
		"repositoryOpts": pulumi.Map{"repo": pulumi.String(chart.Repo)},
		"namespace":      pulumi.String(namespace),
		"atomic":         pulumi.Bool(true),
		"values":         values,
	}, &r, opts...)
	if err != nil {
		return nil, err
	}
	return &r, nil
}
