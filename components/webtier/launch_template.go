package webtier

import (
	"encoding/base64"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/tierstack/tierstack/internal/naming"
)

// LaunchTemplate is what an Auto Scaling group's instances that run a container boot with: the
// app's group and the Workers' group.
type LaunchTemplate struct {
	// Image is an AMI ID or a resolve:ssm: parameter name.
	Image string
	// InstanceType is the instances' type.
	InstanceType string
	// SecurityGroupID is the one security group they carry.
	SecurityGroupID pulumi.StringInput
	// ProfileARN is their instance profile's ARN.
	ProfileARN pulumi.StringInput
	// UserData is their boot script, in plain text.
	UserData pulumi.StringOutput
	// InstanceName is the Name tag of the instances.
	InstanceName string
	// Tags are the stack's tags.
	Tags map[string]string
}

// NewLaunchTemplate creates the launch template named name: IMDSv2 only, with InstanceHopLimit so
// that the container reaches the instance role; an encrypted 16 GiB gp3 root volume; detailed
// monitoring; the boot script; each new version the default, which the group follows.
func NewLaunchTemplate(ctx *pulumi.Context, name string, lt LaunchTemplate, opts ...pulumi.ResourceOption) (*ec2.LaunchTemplate, error) {
	return ec2.NewLaunchTemplate(ctx, name, &ec2.LaunchTemplateArgs{
		ImageId:             pulumi.String(lt.Image),
		InstanceType:        pulumi.String(lt.InstanceType),
		VpcSecurityGroupIds: pulumi.StringArray{lt.SecurityGroupID},
		IamInstanceProfile:  &ec2.LaunchTemplateIamInstanceProfileArgs{Arn: lt.ProfileARN},
		MetadataOptions: &ec2.LaunchTemplateMetadataOptionsArgs{
			HttpEndpoint: pulumi.String("enabled"), HttpTokens: pulumi.String("required"), HttpPutResponseHopLimit: pulumi.Int(InstanceHopLimit),
		},
		BlockDeviceMappings: ec2.LaunchTemplateBlockDeviceMappingArray{ec2.LaunchTemplateBlockDeviceMappingArgs{
			DeviceName: pulumi.String("/dev/xvda"),
			Ebs: &ec2.LaunchTemplateBlockDeviceMappingEbsArgs{
				Encrypted: pulumi.String("true"), VolumeType: pulumi.String("gp3"), VolumeSize: pulumi.Int(16), DeleteOnTermination: pulumi.String("true"),
			},
		}},
		Monitoring:           &ec2.LaunchTemplateMonitoringArgs{Enabled: pulumi.Bool(true)},
		UserData:             lt.UserData.ApplyT(func(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }).(pulumi.StringOutput),
		UpdateDefaultVersion: pulumi.Bool(true),
		TagSpecifications: ec2.LaunchTemplateTagSpecificationArray{ec2.LaunchTemplateTagSpecificationArgs{
			ResourceType: pulumi.String("instance"), Tags: naming.Tags(lt.Tags, lt.InstanceName),
		}},
		Tags: naming.Tags(lt.Tags, name),
	}, opts...)
}
