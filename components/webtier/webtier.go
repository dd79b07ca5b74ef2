package webtier

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/lb"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/tierstack/tierstack/internal/awsenv"
	"github.com/tierstack/tierstack/internal/naming"
)

// TypeToken is the Pulumi type token of the WebTier component.
const TypeToken = "tierstack:index:WebTier"

// AMIParameter is the public SSM parameter of the newest Amazon Linux 2023 image for arm64. EC2
// resolves it when an instance of the Auto Scaling group launches, so no AMI ID is ever written
// down. The single instance of mode instance looks the same image up instead (lookupImage): the
// provider reads an instance's image to place its encrypted root volume, and a resolve:ssm: name
// is not an image it can read.
const AMIParameter = "resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64"

// WebTier runs the app: on one instance with an Elastic IP, or on an Auto Scaling group behind an
// Application Load Balancer, which stays the same resources whatever runs behind it later.
type WebTier struct {
	pulumi.ResourceState

	// Mode is how the app runs.
	Mode Mode
	// URL is where users reach the app: http:// and the Elastic IP, or the load balancer's DNS name.
	URL pulumi.StringOutput `pulumi:"url"`
	// SecurityGroupID is the security group of what runs the app: the one the data and cache tiers
	// admit with AllowFrom.
	SecurityGroupID pulumi.StringOutput `pulumi:"securityGroupId"`
	// RoleARN is the IAM role the app runs with in its mode: the instances' role in modes instance
	// and autoscaling, the pods' own role (Pod Identity) in mode eks.
	RoleARN pulumi.StringOutput `pulumi:"roleArn"`
	// LoadBalancer is the Application Load Balancer; nil in mode instance.
	LoadBalancer *lb.LoadBalancer
	// LoadBalancerARN and LoadBalancerDNSName are the load balancer's; empty in mode instance.
	LoadBalancerARN pulumi.StringOutput `pulumi:"loadBalancerArn"`
	// LoadBalancerDNSName is the load balancer's DNS name.
	LoadBalancerDNSName pulumi.StringOutput `pulumi:"loadBalancerDnsName"`
	// LoadBalancerZoneID is the load balancer's canonical hosted zone, for alias records.
	LoadBalancerZoneID pulumi.StringOutput `pulumi:"loadBalancerZoneId"`
	// Instance is the instance of mode instance; nil otherwise.
	Instance *ec2.Instance
	// PublicIP is the Elastic IP of mode instance; empty otherwise.
	PublicIP pulumi.StringOutput `pulumi:"publicIp"`
	// AutoScalingGroupName is the Auto Scaling group's name in mode autoscaling; empty otherwise.
	AutoScalingGroupName pulumi.StringOutput `pulumi:"autoScalingGroupName"`
	// TargetGroupARNSuffix is the load balancer's target group's ARN suffix (targetgroup/name/id),
	// the dimension of its CloudWatch metrics; empty in mode instance.
	TargetGroupARNSuffix pulumi.StringOutput `pulumi:"targetGroupArnSuffix"`
	// LoadBalancerARNSuffix is the load balancer's ARN suffix (app/name/id), the LoadBalancer
	// dimension of its CloudWatch metrics (observability.WebInputs); empty in mode instance.
	LoadBalancerARNSuffix pulumi.StringOutput `pulumi:"loadBalancerArnSuffix"`
	// ControlPlaneLogGroup and AppLogGroup are the names of the EKS control plane's log group and of
	// the one Container Insights writes the app's container logs to (mode eks; empty otherwise):
	// outputs of the groups, so that what reads them waits for them.
	ControlPlaneLogGroup, AppLogGroup pulumi.StringOutput
	// ClusterName is the EKS cluster's name in mode eks; empty otherwise.
	ClusterName pulumi.StringOutput `pulumi:"clusterName"`
	// Workloads are what another workload needs to run on the EKS cluster beside the app (mode
	// eks); nil in the other modes.
	Workloads *Workloads
	// Kubeconfig reaches the EKS cluster in mode eks (a secret: it names the cluster's endpoint and
	// certificate; credentials come from aws eks get-token); empty otherwise.
	Kubeconfig pulumi.StringOutput `pulumi:"kubeconfig"`
}

// longestChild is the longest suffix a WebTier appends to its name for an auto-named resource with
// a limit: the load balancer, whose name AWS limits to 32 characters.
const longestChild = "-alb"

// New creates a WebTier. It checks args and its name and looks up the environment before it
// registers anything.
func New(ctx *pulumi.Context, name string, args *Args, opts ...pulumi.ResourceOption) (*WebTier, error) {
	if err := naming.CheckName("webtier", name, longestChild, 32, "load balancer name"); err != nil {
		return nil, err
	}
	if name != strings.ToLower(name) {
		return nil, fmt.Errorf("webtier name %q has capitals (allowed: lower-case letters, digits and hyphens: the access-log bucket is named after it, and S3 takes no capitals)", name)
	}
	a, err := args.checked()
	if err != nil {
		return nil, err
	}
	if err := a.Network.CheckFor("webtier "+name, minZones(a.Mode), subnetRoles(a.Mode)...); err != nil {
		return nil, err
	}
	env, inv, err := awsenv.Resolve(ctx, opts)
	if err != nil {
		return nil, fmt.Errorf("webtier %s: %w", name, err)
	}
	var elbAccount, imageID string
	var addonVersions map[string]string
	if a.Mode == ModeInstance && a.bakedImage() {
		if imageID, err = lookupGoldenImage(ctx, a.Image, inv); err != nil {
			return nil, fmt.Errorf("webtier %s: %w", name, err)
		}
	} else if a.Mode == ModeInstance {
		if imageID, err = lookupImage(ctx, inv); err != nil {
			return nil, fmt.Errorf("webtier %s: %w", name, err)
		}
	} else {
		if elbAccount, err = elbLogAccount(ctx, env, inv); err != nil {
			return nil, fmt.Errorf("webtier %s: %w", name, err)
		}
	}
	if a.Mode == ModeEKS {
		if addonVersions, err = lookupAddonVersions(ctx, a.Cluster, len(a.Mounts) > 0, inv); err != nil {
			return nil, fmt.Errorf("webtier %s: %w", name, err)
		}
	}
	w := &WebTier{Mode: a.Mode}
	if err := ctx.RegisterComponentResource(TypeToken, name, w, opts...); err != nil {
		return nil, fmt.Errorf("webtier %s: %w", name, err)
	}
	if err := w.build(ctx, name, a, env, elbAccount, imageID, addonVersions); err != nil {
		return nil, fmt.Errorf("webtier %s: %w", name, err)
	}
	if err := ctx.RegisterResourceOutputs(w, pulumi.Map{
		"url":                   w.URL,
		"securityGroupId":       w.SecurityGroupID,
		"roleArn":               w.RoleARN,
		"loadBalancerArn":       w.LoadBalancerARN,
		"loadBalancerDnsName":   w.LoadBalancerDNSName,
		"loadBalancerZoneId":    w.LoadBalancerZoneID,
		"publicIp":              w.PublicIP,
		"clusterName":           w.ClusterName,
		"autoScalingGroupName":  w.AutoScalingGroupName,
		"targetGroupArnSuffix":  w.TargetGroupARNSuffix,
		"loadBalancerArnSuffix": w.LoadBalancerARNSuffix,
		"kubeconfig":            w.Kubeconfig,
	}); err != nil {
		return nil, fmt.Errorf("webtier %s: registering outputs: %w", name, err)
	}
	return w, nil
}

// build creates the app's role, then the mode's compute (and from autoscaling on, the load balancer).
func (w *WebTier) build(ctx *pulumi.Context, name string, a checkedArgs, env awsenv.Env, elbAccount, imageID string, addonVersions map[string]string) error {
	role, err := w.buildRole(ctx, name, a, env)
	if err != nil {
		return err
	}
	app, err := w.buildAppSecurityGroup(ctx, name, a)
	if err != nil {
		return err
	}
	userData := userDataOutput(a, env.Region)
	empty := pulumi.String("").ToStringOutput()
	w.LoadBalancerARN, w.LoadBalancerDNSName, w.LoadBalancerZoneID, w.PublicIP = empty, empty, empty, empty
	w.ClusterName, w.Kubeconfig, w.AutoScalingGroupName, w.TargetGroupARNSuffix = empty, empty, empty, empty
	w.ControlPlaneLogGroup, w.AppLogGroup, w.LoadBalancerARNSuffix = empty, empty, empty
	if a.Mode == ModeInstance {
		return w.buildInstance(ctx, name, a, imageID, app, role, userData)
	}
	alb, err := w.buildLoadBalancer(ctx, name, a, env, elbAccount)
	if err != nil {
		return err
	}
	// The EKS control plane's log group outlives the cluster (eks_logs.go).
	logs, err := w.buildClusterLogs(ctx, name, a, env)
	if err != nil {
		return err
	}
	if a.Mode == ModeEKS {
		return w.buildEKS(ctx, name, a, env, app, alb, logs, addonVersions)
	}
	return w.buildAutoScaling(ctx, name, a, app, role, userData, alb)
}

// userDataOutput renders UserData once the connection settings and the secrets their fields are
// read from are known.
func userDataOutput(a checkedArgs, region string) pulumi.StringOutput {
	return BootSettings{App: a.App, Connection: a.Connection, FromSecrets: a.ConnectionFromSecrets, Mounts: a.Mounts}.Render(
		func(env map[string]string, fields map[string]SecretFieldValue, mounts []MountedFiles) string {
			return userData(a.App, region, env, fields, mountValues(mounts), a.bakedImage())
		})
}

// BootSettings are what a boot script says beside the App: the variables known as outputs, those
// read from secrets at every start, and the file systems to mount.
type BootSettings struct {
	// App is the workload; its Env comes first, the other variables after.
	App App
	// Connection are variables whose values are outputs.
	Connection map[string]pulumi.StringInput
	// FromSecrets are variables read from a field of a secret at every start, by the secret's ARN.
	FromSecrets map[string]SecretField
	// Mounts are the file systems to mount.
	Mounts []Mount
}

// Render calls script once every output the settings hold is known, with the App's env and the
// Connection's values, the secrets' ARNs and fields, and the mounts' IDs: the app's boot script
// and the Workers' are rendered by it.
func (b BootSettings) Render(script func(env map[string]string, fields map[string]SecretFieldValue, mounts []MountedFiles) string) pulumi.StringOutput {
	keys := slices.Sorted(maps.Keys(b.Connection))
	fromSecrets := slices.Sorted(maps.Keys(b.FromSecrets))
	values := make([]any, 0, len(keys)+len(fromSecrets)+2*len(b.Mounts))
	for _, k := range keys {
		values = append(values, b.Connection[k])
	}
	for _, k := range fromSecrets {
		values = append(values, b.FromSecrets[k].ARN)
	}
	for _, m := range b.Mounts {
		values = append(values, m.FileSystemID, m.AccessPointID)
	}
	return pulumi.All(values...).ApplyT(func(vs []any) string {
		env := maps.Clone(b.App.Env)
		if env == nil {
			env = map[string]string{}
		}
		for i, k := range keys {
			env[k], _ = vs[i].(string)
		}
		fields := map[string]SecretFieldValue{}
		for i, k := range fromSecrets {
			arn, _ := vs[len(keys)+i].(string)
			fields[k] = SecretFieldValue{ARN: arn, Field: b.FromSecrets[k].Field}
		}
		mounts := make([]MountedFiles, len(b.Mounts))
		for i, m := range b.Mounts {
			at := len(keys) + len(fromSecrets) + 2*i
			mounts[i].FileSystemID, _ = vs[at].(string)
			mounts[i].AccessPointID, _ = vs[at+1].(string)
			mounts[i].Path = m.Path
		}
		return script(env, fields, mounts)
	}).(pulumi.StringOutput)
}

// lookupImage finds the newest Amazon Linux 2023 arm64 image, through the invoke options inv: the
// image AMIParameter names.
func lookupImage(ctx *pulumi.Context, inv []pulumi.InvokeOption) (string, error) {
	ami, err := ec2.LookupAmi(ctx, &ec2.LookupAmiArgs{
		MostRecent: pulumi.BoolRef(true),
		Owners:     []string{"amazon"},
		Filters: []ec2.GetAmiFilter{
			{Name: "name", Values: []string{"al2023-ami-2023.*-kernel-*-arm64"}},
			{Name: "architecture", Values: []string{"arm64"}},
		},
	}, inv...)
	if err != nil {
		return "", fmt.Errorf("looking up the Amazon Linux 2023 image: %w", err)
	}
	return ami.Id, nil
}
