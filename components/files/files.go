package files

import (
	"fmt"
	"strconv"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/efs"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/tierstack/tierstack/components/network"
	"github.com/tierstack/tierstack/internal/awsenv"
	"github.com/tierstack/tierstack/internal/kmskey"
	"github.com/tierstack/tierstack/internal/naming"
	"github.com/tierstack/tierstack/internal/sgrules"
)

// TypeToken is the Pulumi type token of the Files component.
const TypeToken = "tierstack:index:Files"

// Args are the inputs of Files. Only Network is required: the zero value of every other field is a
// file system for uid and gid 1000 under /shared, moved to Infrequent Access after 30 days unread.
type Args struct {
	// Network is where the file system is reached: a mount target in the private subnet of each of
	// its zones, and its VPC (for the Files' security group). Required.
	Network *network.Network
	// UID and GID are the POSIX user and group the access point enforces on every client and owns
	// its root directory with, 0 to MaxID; nil means DefaultUID and DefaultGID. A change replaces
	// the access point (not the file system or its data), so mounts must be made again.
	UID, GID *int64
	// RootDirectory is the directory of the file system the access point exposes, created on first
	// use; "" means DefaultRootDirectory. Checked as CheckPath does. A change replaces the access
	// point.
	RootDirectory string
	// Permissions is the octal mode the root directory is created with; "" means
	// DefaultPermissions.
	Permissions string
	// TransitionToIA is when a file not read moves to Infrequent Access, one of TransitionsToIA();
	// "" means DefaultTransitionToIA. A file read there moves back to Standard on its first read.
	// Changes in place.
	TransitionToIA string
	// Unprotected lifts the protection of the file system and its KMS key, so that pulumi destroy
	// can delete them. The zero value protects both. Both are kept in AWS on delete either way
	// (RetainOnDelete).
	Unprotected bool
	// Tags are added to every resource the Files create, beside a Name tag.
	Tags map[string]string
}

// Files are an encrypted, regional Amazon EFS file system with one access point, reached only from
// the security groups AllowFrom names, over TLS, by IAM principals of the account.
type Files struct {
	pulumi.ResourceState

	// FileSystem is the file system, the escape hatch.
	FileSystem *efs.FileSystem
	// AccessPoint is the access point clients mount through.
	AccessPoint *efs.AccessPoint
	// MountTargets are the mount targets, one per zone, in AZ-slot order.
	MountTargets []*efs.MountTarget

	// FileSystemID is the file system's ID (fs-…).
	FileSystemID pulumi.StringOutput `pulumi:"fileSystemId"`
	// FileSystemARN is the file system's ARN.
	FileSystemARN pulumi.StringOutput `pulumi:"fileSystemArn"`
	// AccessPointID is the access point's ID (fsap-…), the accesspoint= mount option.
	AccessPointID pulumi.StringOutput `pulumi:"accessPointId"`
	// AccessPointARN is the access point's ARN: the condition a client's grant holds (webtier.MountPolicy).
	AccessPointARN pulumi.StringOutput `pulumi:"accessPointArn"`
	// SecurityGroupID is the mount targets' security group, which admits nothing until AllowFrom.
	SecurityGroupID pulumi.StringOutput `pulumi:"securityGroupId"`
	// KMSKeyARN is the key that encrypts the file system at rest.
	KMSKeyARN pulumi.StringOutput `pulumi:"kmsKeyArn"`

	name    string
	allowed map[string]bool
}

// New creates Files. It checks args and its name, and looks up the account and partition through
// the provider its children will use, before it registers anything.
func New(ctx *pulumi.Context, name string, args *Args, opts ...pulumi.ResourceOption) (*Files, error) {
	if err := naming.CheckName("files", name, "-mount-9", 63, "resource name"); err != nil {
		return nil, err
	}
	a, err := args.checked(true)
	if err != nil {
		return nil, err
	}
	env, _, err := awsenv.Resolve(ctx, opts)
	if err != nil {
		return nil, fmt.Errorf("files %s: %w", name, err)
	}
	f := &Files{name: name, allowed: map[string]bool{}}
	if err := ctx.RegisterComponentResource(TypeToken, name, f, opts...); err != nil {
		return nil, fmt.Errorf("files %s: %w", name, err)
	}
	if err := f.build(ctx, name, a, env); err != nil {
		return nil, fmt.Errorf("files %s: %w", name, err)
	}
	if err := ctx.RegisterResourceOutputs(f, pulumi.Map{
		"fileSystemId":    f.FileSystemID,
		"fileSystemArn":   f.FileSystemARN,
		"accessPointId":   f.AccessPointID,
		"accessPointArn":  f.AccessPointARN,
		"securityGroupId": f.SecurityGroupID,
		"kmsKeyArn":       f.KMSKeyARN,
	}); err != nil {
		return nil, fmt.Errorf("files %s: registering outputs: %w", name, err)
	}
	return f, nil
}

// build creates the key, the file system and what serves it. Every input that replaces the file
// system (encrypted, kmsKeyId, performanceMode, creationToken, availabilityZoneName) is the same
// at every tier, so nothing a tier changes replaces it.
func (f *Files) build(ctx *pulumi.Context, name string, a checkedArgs, env awsenv.Env) error {
	parent := pulumi.Parent(f)
	protect := pulumi.Protect(!a.Unprotected)
	key, err := kmskey.New(ctx, naming.Child(name, "key"), fmt.Sprintf("Encrypts the shared files %s at rest", name),
		env, a.Tags, parent, protect, pulumi.RetainOnDelete(true))
	if err != nil {
		return err
	}
	f.KMSKeyARN = key.Arn

	fsName := naming.Child(name, "fs")
	fs, err := efs.NewFileSystem(ctx, fsName, &efs.FileSystemArgs{
		Encrypted:       pulumi.Bool(true),
		KmsKeyId:        key.Arn,
		PerformanceMode: pulumi.String("generalPurpose"),
		ThroughputMode:  pulumi.String("elastic"),
		LifecyclePolicies: efs.FileSystemLifecyclePolicyArray{
			efs.FileSystemLifecyclePolicyArgs{TransitionToIa: pulumi.String(a.TransitionToIA)},
			efs.FileSystemLifecyclePolicyArgs{TransitionToPrimaryStorageClass: pulumi.String("AFTER_1_ACCESS")},
		},
		Tags: naming.Tags(a.Tags, fsName),
	}, parent, protect, pulumi.RetainOnDelete(true))
	if err != nil {
		return err
	}
	f.FileSystem, f.FileSystemID, f.FileSystemARN = fs, fs.ID().ToStringOutput(), fs.Arn

	if _, err := efs.NewBackupPolicy(ctx, naming.Child(name, "backup"), &efs.BackupPolicyArgs{
		FileSystemId: fs.ID(),
		BackupPolicy: efs.BackupPolicyBackupPolicyArgs{Status: pulumi.String("ENABLED")},
	}, parent); err != nil {
		return err
	}

	// The mount targets' own security group: no inline rules, so no egress (EFS calls nothing) and
	// no ingress until AllowFrom adds one rule resource per client.
	sgName := naming.Child(name, "sg")
	sg, err := ec2.NewSecurityGroup(ctx, sgName, &ec2.SecurityGroupArgs{
		VpcId:       a.Network.VPCID,
		Description: pulumi.String(fmt.Sprintf("Shared files %s: NFS over TLS from the clients it names only", name)),
		Tags:        naming.Tags(a.Tags, sgName),
	}, parent)
	if err != nil {
		return err
	}
	f.SecurityGroupID = sg.ID().ToStringOutput()
	for i := range a.Network.Zones {
		mt, err := efs.NewMountTarget(ctx, naming.AZChild(name, "mount", i), &efs.MountTargetArgs{
			FileSystemId:   fs.ID(),
			SubnetId:       a.Network.SubnetID(network.SubnetPrivate, i),
			SecurityGroups: pulumi.StringArray{sg.ID()},
		}, parent)
		if err != nil {
			return err
		}
		f.MountTargets = append(f.MountTargets, mt)
	}

	apName := naming.Child(name, "ap")
	ap, err := efs.NewAccessPoint(ctx, apName, &efs.AccessPointArgs{
		FileSystemId: fs.ID(),
		PosixUser:    efs.AccessPointPosixUserArgs{Uid: pulumi.Int(int(a.uid)), Gid: pulumi.Int(int(a.gid))},
		RootDirectory: efs.AccessPointRootDirectoryArgs{
			Path: pulumi.String(a.RootDirectory),
			CreationInfo: efs.AccessPointRootDirectoryCreationInfoArgs{
				OwnerUid:    pulumi.Int(int(a.uid)),
				OwnerGid:    pulumi.Int(int(a.gid)),
				Permissions: pulumi.String(a.Permissions),
			},
		},
		Tags: naming.Tags(a.Tags, apName),
	}, parent)
	if err != nil {
		return err
	}
	f.AccessPoint, f.AccessPointID, f.AccessPointARN = ap, ap.ID().ToStringOutput(), ap.Arn

	policy := pulumi.All(fs.Arn, ap.Arn).ApplyT(func(v []any) (string, error) {
		return FileSystemPolicy(v[0].(string), v[1].(string), env.ARN("iam", "", env.AccountID, "root"))
	}).(pulumi.StringOutput)
	_, err = efs.NewFileSystemPolicy(ctx, naming.Child(name, "policy"), &efs.FileSystemPolicyArgs{
		FileSystemId: fs.ID(),
		Policy:       policy,
	}, parent)
	return err
}

// AllowFrom admits a client to the mount targets: the rule "name-allow-client", a child of the
// Files, lets the security group sourceSecurityGroupID reach Port, and nothing else. client names
// the rule ("web", "workers") once per Files.
func (f *Files) AllowFrom(ctx *pulumi.Context, client string, sourceSecurityGroupID pulumi.StringInput) (*ec2.SecurityGroupRule, error) {
	if f == nil || f.allowed == nil {
		return nil, fmt.Errorf("files: AllowFrom %s: the Files were not built by New", client)
	}
	if f.allowed[client] {
		return nil, fmt.Errorf("files %s: client %q is already admitted (allowed: each client name once)", f.name, client)
	}
	rule, err := sgrules.AllowFrom(ctx, f, f.name, client, f.SecurityGroupID, sourceSecurityGroupID, Port, "NFS over TLS ("+strconv.Itoa(Port)+")")
	if err != nil {
		return nil, fmt.Errorf("files %s: %w", f.name, err)
	}
	f.allowed[client] = true
	return rule, nil
}
