package webtier

import (
	"encoding/base64"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/tierstack/tierstack/components/network"
	"github.com/tierstack/tierstack/internal/naming"
)

// InstanceHopLimit is the IMDSv2 hop limit of the instances that run the app (mode instance and the
// Auto Scaling group's launch template): 2, so that the app's container, one network hop behind
// Docker's bridge, reaches the instance metadata and gets the instances' role. This is deliberate:
// an app that uses AWS itself (a queue, a bucket) works with no keys of its own, and the role holds
// nothing the app may not do (buildInstanceRole: its own secrets, its image, and Session Manager's
// minimum, which reads no parameter). EKS nodes keep a hop limit of 1: pods have roles of their own.
const InstanceHopLimit = 2

// instanceMetadata requires IMDSv2, with InstanceHopLimit.
func instanceMetadata() ec2.InstanceMetadataOptionsArgs {
	return ec2.InstanceMetadataOptionsArgs{
		HttpEndpoint:            pulumi.String("enabled"),
		HttpTokens:              pulumi.String("required"),
		HttpPutResponseHopLimit: pulumi.Int(InstanceHopLimit),
	}
}

// buildInstance runs the app on one instance in the first public subnet, with an Elastic IP and a
// security group open on 80 and 443 only, next to the app's own. AWS's image is the newest at
// creation; a newer one never replaces the instance (ignoreChanges: ami), a new golden image does
// (instanceImageOptions); a new instance type stops
// and starts it.
func (w *WebTier) buildInstance(ctx *pulumi.Context, name string, a checkedArgs, imageID string, app *ec2.SecurityGroup, role appRole, userData pulumi.StringOutput) error {
	parent := pulumi.Parent(w)
	net := a.Network
	publicName := naming.Child(name, "public-sg")
	public, err := ec2.NewSecurityGroup(ctx, publicName, &ec2.SecurityGroupArgs{
		VpcId:       net.VPCID,
		Description: pulumi.String("tierstack web server: HTTP and HTTPS from anywhere"),
		Ingress: ec2.SecurityGroupIngressArray{
			ec2.SecurityGroupIngressArgs{Description: pulumi.String("HTTP"), Protocol: pulumi.String("tcp"), FromPort: pulumi.Int(80), ToPort: pulumi.Int(80), CidrBlocks: pulumi.StringArray{pulumi.String("0.0.0.0/0")}},
			ec2.SecurityGroupIngressArgs{Description: pulumi.String("HTTPS"), Protocol: pulumi.String("tcp"), FromPort: pulumi.Int(443), ToPort: pulumi.Int(443), CidrBlocks: pulumi.StringArray{pulumi.String("0.0.0.0/0")}},
		},
		Tags: naming.Tags(a.Tags, publicName),
	}, parent)
	if err != nil {
		return err
	}
	instanceName := naming.Child(name, "server")
	instance, err := ec2.NewInstance(ctx, instanceName, &ec2.InstanceArgs{
		Ami:                      pulumi.String(imageID),
		InstanceType:             pulumi.String(a.InstanceType),
		SubnetId:                 net.SubnetID(network.SubnetPublic, 0),
		AssociatePublicIpAddress: pulumi.Bool(true), // until the Elastic IP replaces it: the bootstrap needs the internet
		VpcSecurityGroupIds:      pulumi.StringArray{app.ID().ToStringOutput(), public.ID().ToStringOutput()},
		IamInstanceProfile:       role.profile.Name,
		MetadataOptions:          instanceMetadata(),
		RootBlockDevice: ec2.InstanceRootBlockDeviceArgs{
			Encrypted: pulumi.Bool(true), VolumeType: pulumi.String("gp3"), VolumeSize: pulumi.Int(16),
		},
		UserDataBase64: userData.ApplyT(func(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }).(pulumi.StringOutput),
		// A changed bootstrap (a new image, env or connection setting) replaces the instance: user
		// data runs at first boot only, so a stop and start would keep the old container running.
		// The instance holds no state; the Elastic IP moves to the new one.
		UserDataReplaceOnChange: pulumi.Bool(true),
		Monitoring:              pulumi.Bool(true),
		Tags:                    naming.Tags(a.Tags, instanceName),
	}, parent, instanceImageOptions(a), pulumi.DependsOn(append(append([]pulumi.Resource{}, net.InternetConnectivity...), role.grants...)))
	if err != nil {
		return err
	}
	w.Instance = instance
	eipName := naming.Child(name, "eip")
	eip, err := ec2.NewEip(ctx, eipName, &ec2.EipArgs{
		Domain:   pulumi.String("vpc"),
		Instance: instance.ID(),
		Tags:     naming.Tags(a.Tags, eipName),
	}, parent,
		// When the tier moves on to a load balancer, the address stays allocated in AWS (and billed)
		// until DNS has moved off it: release it by hand then.
		pulumi.RetainOnDelete(true))
	if err != nil {
		return err
	}
	w.PublicIP = eip.PublicIp
	w.URL = pulumi.Sprintf("http://%s", eip.PublicIp)
	return nil
}

// instanceImageOptions keep AWS's image as it was at creation: a newer Amazon Linux never replaces
// the instance (ignoreChanges: ami). A golden image is the user's choice, so a new one (a new ID,
// or a new value of its SSM parameter) replaces the instance: ami is ForceNew on aws_instance
// (terraform-provider-aws internal/service/ec2/ec2_instance.go). The Elastic IP is its own
// resource: it stays and is associated with the new instance, in place.
func instanceImageOptions(a checkedArgs) pulumi.ResourceOption {
	if a.bakedImage() {
		return pulumi.IgnoreChanges(nil)
	}
	return pulumi.IgnoreChanges([]string{"ami"})
}
