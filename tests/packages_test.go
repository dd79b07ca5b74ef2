package tests

import (
	"os/exec"
	"path"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// componentServices are the AWS SDK service packages each component package may pull in, directly
// or through anything it imports. A program that imports one component compiles only these: the
// AWS SDK's packages are what makes a cold build take minutes.
var componentServices = map[string][]string{
	"github.com/tierstack/tierstack/components/network": {"ec2", "cloudwatch", "iam"},
	// datatier takes a *network.Network, so the Network's services (cloudwatch) come along.
	"github.com/tierstack/tierstack/components/datatier": {"ec2", "cloudwatch", "iam", "kms", "rds", "appautoscaling", "dynamodb", "secretsmanager", "lambda"},
	// The cache's log groups use cloudwatch; iam comes with the Network the CacheTier takes.
	"github.com/tierstack/tierstack/components/cachetier": {"elasticache", "secretsmanager", "kms", "ec2", "cloudwatch", "iam"},
	// webtier takes the Network too; it adds the load balancer, the Auto Scaling group, the logs
	// bucket and, for mode eks, the cluster's add-ons, node groups and key; pulumi-eks brings
	// cloudformation (its self-managed node groups, which tierstack does not use).
	"github.com/tierstack/tierstack/components/webtier": {"ec2", "cloudwatch", "iam", "lb", "autoscaling", "s3", "eks", "kms", "cloudformation"},
	// edge holds the certificate, the DNS records, the WAF with its log group, and CloudFront with its buckets.
	"github.com/tierstack/tierstack/components/edge": {"acm", "route53", "wafv2", "cloudwatch", "cloudfront", "s3"},
	// observability holds the alarms, dashboard and log groups, the encrypted topic and its key, the
	// Slack function with its queue, role and secret, Chatbot, and OpenSearch with its security
	// groups (ec2, iam and cloudwatch come with the Network the central logs take too).
	// drregion builds its own Network (ec2, cloudwatch, iam), the vaults, plan and selection
	// (backup), their keys (kms), the replica bucket with its replication (s3), for pilotLight
	// the global clusters and secondaries (rds) and the table replicas (dynamodb), and from
	// pilotLight on the DR web tier (a WebTier: lb, autoscaling, and what the WebTier package
	// compiles for its other modes, eks and cloudformation) and the DR cache (a CacheTier:
	// elasticache, secretsmanager).
	"github.com/tierstack/tierstack/components/drregion": {"ec2", "cloudwatch", "iam", "backup", "kms", "s3", "rds", "dynamodb",
		"lb", "autoscaling", "eks", "cloudformation", "elasticache", "secretsmanager"},
	// streaming holds the cluster (msk), its security group (ec2), key (kms), broker log group
	// (cloudwatch), storage auto scaling (appautoscaling), the SCRAM secret (secretsmanager) and the
	// clients' grants (iam).
	"github.com/tierstack/tierstack/components/streaming": {"msk", "ec2", "kms", "cloudwatch", "appautoscaling", "secretsmanager", "iam"},
	// files holds the file system and what serves it (efs), its security group (ec2) and key (kms);
	// the Network brings cloudwatch and iam.
	"github.com/tierstack/tierstack/components/files":         {"efs", "ec2", "kms", "cloudwatch", "iam"},
	"github.com/tierstack/tierstack/components/observability": {"cloudwatch", "sns", "kms", "lambda", "sqs", "iam", "secretsmanager", "chatbot", "opensearch", "ec2"},
	// workers hold the queues (sqs), their key (kms), the workers' group (autoscaling, ec2) and
	// roles (iam), and their Pod Identity association (eks); they run beside a WebTier, whose
	// package they import for the App and its boot script, so the WebTier's services come along.
	"github.com/tierstack/tierstack/components/workers": {"sqs", "kms", "autoscaling", "ec2", "iam", "eks", "cloudwatch", "lb", "s3", "cloudformation"},
}

// heavyModules are SDKs no component may pull in unless heavyAllowed lists them for it.
var heavyModules = []string{
	"github.com/pulumi/pulumi-eks/",
	"github.com/pulumi/pulumi-kubernetes/",
}

// kubernetesPackageLimit is the most pulumi-kubernetes packages the WebTier may compile: the
// provider, meta/v1, the kinds it creates and what pulumi-eks needs. The SDK's helm/v3 package
// alone imports all 66, every API group in every version.
const kubernetesPackageLimit = 12

// heavyAllowed are the heavy SDKs a component may pull in: only the WebTier runs EKS, and the
// DRRegion, whose web tier is a WebTier (in mode autoscaling: a Go package compiles whole).
var heavyAllowed = map[string][]string{
	"github.com/tierstack/tierstack/components/webtier":  {"github.com/pulumi/pulumi-eks/", "github.com/pulumi/pulumi-kubernetes/"},
	"github.com/tierstack/tierstack/components/drregion": {"github.com/pulumi/pulumi-eks/", "github.com/pulumi/pulumi-kubernetes/"},
	// The Workers run a Deployment and a KEDA ScaledObject on the WebTier's cluster.
	"github.com/tierstack/tierstack/components/workers": {"github.com/pulumi/pulumi-eks/", "github.com/pulumi/pulumi-kubernetes/"},
}

const awsSDK = "github.com/pulumi/pulumi-aws/sdk/v6/go/aws"

// goList runs go list with args from the module root and returns its lines.
func goList(t *testing.T, args ...string) []string {
	t.Helper()
	cmd := exec.Command("go", append([]string{"list"}, args...)...)
	cmd.Dir = root
	out, err := cmd.Output()
	require.NoError(t, err, "go list %v", args)
	return strings.Fields(string(out))
}

// Each component package's dependency closure holds only the AWS services that component uses:
// a program importing the Network does not compile RDS, ElastiCache, EKS or Kubernetes.
func TestComponentPackagesPullOnlyTheirServices(t *testing.T) {
	packages := goList(t, "./components/...")
	require.NotEmpty(t, packages)
	for _, pkg := range packages {
		t.Run(path.Base(pkg), func(t *testing.T) {
			allowed, ok := componentServices[pkg]
			require.True(t, ok, "%s has no entry in componentServices: list the AWS services it may use", pkg)
			var services []string
			kubernetesPackages := 0
			for _, dep := range goList(t, "-deps", pkg) {
				for _, heavy := range heavyModules {
					if !slices.Contains(heavyAllowed[pkg], heavy) {
						assert.False(t, strings.HasPrefix(dep, heavy), "%s pulls in %s", pkg, dep)
					}
				}
				if strings.HasPrefix(dep, "github.com/pulumi/pulumi-kubernetes/") {
					kubernetesPackages++
				}
				rest, found := strings.CutPrefix(dep, awsSDK+"/")
				if !found || rest == "internal" || rest == "config" {
					continue
				}
				services = append(services, rest)
				assert.Contains(t, allowed, rest, "%s pulls in the AWS %s package", pkg, rest)
			}
			for _, s := range allowed {
				assert.Contains(t, services, s, "%s lists %s but does not use it: keep the list honest", pkg, s)
			}
			assert.LessOrEqual(t, kubernetesPackages, kubernetesPackageLimit, "%s compiles %d pulumi-kubernetes packages", pkg, kubernetesPackages)
		})
	}
}
