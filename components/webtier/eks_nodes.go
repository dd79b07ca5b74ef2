package webtier

import (
	"strconv"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	awseks "github.com/pulumi/pulumi-aws/sdk/v6/go/aws/eks"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/tierstack/tierstack/components/network"
	"github.com/tierstack/tierstack/internal/awsenv"
	"github.com/tierstack/tierstack/internal/naming"
)

// NodeAMIType is the managed node groups' image: EKS's Amazon Linux 2023 for Graviton.
const NodeAMIType = "AL2023_ARM_64_STANDARD"

// nodePolicies are the AWS managed policies of the nodes' role: joining the cluster, pod
// networking (the VPC CNI runs with the node's role), pulling images from ECR, and Session Manager
// in place of SSH.
var nodePolicies = map[string]string{
	"worker":   "AmazonEKSWorkerNodePolicy",
	"cni":      "AmazonEKS_CNI_Policy",
	"ecr-pull": "AmazonEC2ContainerRegistryPullOnly",
	"ssm":      "AmazonSSMManagedInstanceCore",
}

// buildNodes creates the nodes: their role, a launch template (IMDSv2 with a hop limit of 1, so
// that pods use their own Pod Identity and never the node's role; an encrypted gp3 root volume;
// the app's and the nodes' security groups) and one EKS managed node group per zone, in its private
// subnet, so that the Cluster Autoscaler grows the zone that needs a node and a zone's loss leaves
// the others' groups whole.
func (w *WebTier) buildNodes(ctx *pulumi.Context, name string, a checkedArgs, env awsenv.Env, parts eksParts, role *iam.Role, appSG *ec2.SecurityGroup, networking []pulumi.Resource) ([]pulumi.Resource, error) {
	parent := pulumi.Parent(w)
	tags := func(child string) pulumi.StringMap { return naming.Tags(a.Tags, child) }
	c := a.Cluster
	grants := []pulumi.Resource{}
	for _, child := range []string{"worker", "cni", "ecr-pull", "ssm"} {
		grant, err := iam.NewRolePolicyAttachment(ctx, naming.Child(name, "node-"+child), &iam.RolePolicyAttachmentArgs{
			Role: role.Name, PolicyArn: pulumi.String(env.ManagedPolicyARN(nodePolicies[child])),
		}, parent)
		if err != nil {
			return nil, err
		}
		grants = append(grants, grant)
	}
	if r, ok := registryOf(a.App.Image); ok {
		// The kubelet pulls the app's image with the node's role.
		pull, err := PullPolicy(env.ARN("ecr", r.Region, r.Account, "repository/"+r.Repository))
		if err != nil {
			return nil, err
		}
		grant, err := iam.NewRolePolicy(ctx, naming.Child(name, "node-pull"), &iam.RolePolicyArgs{Role: role.ID(), Policy: pulumi.String(pull)}, parent)
		if err != nil {
			return nil, err
		}
		grants = append(grants, grant)
	}

	ltName := naming.Child(name, "node-lt")
	lt, err := ec2.NewLaunchTemplate(ctx, ltName, &ec2.LaunchTemplateArgs{
		// The app's group lets the data and cache tiers admit the pods (which use the node's
		// network interfaces); the nodes' group chains them to the control plane.
		VpcSecurityGroupIds: pulumi.StringArray{appSG.ID().ToStringOutput(), parts.nodeSG.ID().ToStringOutput()},
		MetadataOptions: &ec2.LaunchTemplateMetadataOptionsArgs{
			HttpEndpoint: pulumi.String("enabled"), HttpTokens: pulumi.String("required"), HttpPutResponseHopLimit: pulumi.Int(1),
		},
		BlockDeviceMappings: ec2.LaunchTemplateBlockDeviceMappingArray{ec2.LaunchTemplateBlockDeviceMappingArgs{
			DeviceName: pulumi.String("/dev/xvda"),
			Ebs: &ec2.LaunchTemplateBlockDeviceMappingEbsArgs{
				Encrypted: pulumi.String("true"), VolumeType: pulumi.String("gp3"), VolumeSize: pulumi.Int(c.NodeDiskGiB), DeleteOnTermination: pulumi.String("true"),
			},
		}},
		Monitoring: &ec2.LaunchTemplateMonitoringArgs{Enabled: pulumi.Bool(true)},
		TagSpecifications: ec2.LaunchTemplateTagSpecificationArray{ec2.LaunchTemplateTagSpecificationArgs{
			ResourceType: pulumi.String("instance"), Tags: tags(naming.Child(name, "node")),
		}},
		Tags: tags(ltName),
	}, parent)
	if err != nil {
		return nil, err
	}
	var groups []pulumi.Resource
	for i := range a.Network.Zones {
		groupName := naming.AZChild(name, "nodes", i)
		group, err := awseks.NewNodeGroup(ctx, groupName, &awseks.NodeGroupArgs{
			ClusterName:   pulumi.String(parts.clusterName),
			NodeRoleArn:   role.Arn,
			AmiType:       pulumi.String(NodeAMIType),
			CapacityType:  pulumi.String("ON_DEMAND"),
			InstanceTypes: pulumi.StringArray{pulumi.String(c.NodeInstanceType)},
			SubnetIds:     pulumi.StringArray{a.Network.SubnetID(network.SubnetPrivate, i)},
			ScalingConfig: &awseks.NodeGroupScalingConfigArgs{
				MinSize: pulumi.Int(c.NodesPerZone.Min), DesiredSize: pulumi.Int(c.NodesPerZone.Desired), MaxSize: pulumi.Int(c.NodesPerZone.Max),
			},
			// A new launch template version rolls the group's nodes, a third at a time.
			UpdateConfig:   &awseks.NodeGroupUpdateConfigArgs{MaxUnavailablePercentage: pulumi.Int(33)},
			LaunchTemplate: &awseks.NodeGroupLaunchTemplateArgs{Id: lt.ID(), Version: lt.LatestVersion.ApplyT(func(v int) string { return strconv.Itoa(v) }).(pulumi.StringOutput)},
			Version:        pulumi.String(c.Version),
			Tags:           tags(groupName),
		}, parent,
			// The Cluster Autoscaler moves the desired size; Pulumi must not move it back.
			pulumi.IgnoreChanges([]string{"scalingConfig.desiredSize"}),
			// The nodes join once the cluster is up with its pod networking and Pod Identity agent,
			// their role holds its policies and the zone has its NAT route.
			pulumi.DependsOn(append(append(append([]pulumi.Resource{parts.cluster}, grants...), networking...), a.Network.InternetConnectivity...)))
		if err != nil {
			return nil, err
		}
		groups = append(groups, group)
	}
	return groups, nil
}

// nodeRole is the nodes' role, made before the cluster so that pulumi-eks registers it (one
// access entry, of type EC2_LINUX) rather than making a role of its own that nothing uses.
func (w *WebTier) nodeRole(ctx *pulumi.Context, name string, a checkedArgs, env awsenv.Env) (*iam.Role, error) {
	roleName := naming.Child(name, "node-role")
	return iam.NewRole(ctx, roleName, &iam.RoleArgs{
		Description:      pulumi.String("The EKS nodes of " + name),
		AssumeRolePolicy: pulumi.String(EC2Trust(env)),
		Tags:             naming.Tags(a.Tags, roleName),
	}, pulumi.Parent(w))
}
