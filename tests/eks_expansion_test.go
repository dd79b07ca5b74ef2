package tests

import (
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi-eks/sdk/v2/go/eks"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tierstack/tierstack/synth"
)

// pulumi-eks's children deploy with the component's AWS provider, to its region (where the DR
// region's cluster will be); a cluster given no name is auto-named, and its entries name it.
func TestPulumiEKSChildrenFollowTheComponentsProvider(t *testing.T) {
	s := mustRun(t, "", func(ctx *pulumi.Context) error {
		west, err := aws.NewProvider(ctx, "west", &aws.ProviderArgs{Region: pulumi.String("us-west-2")})
		if err != nil {
			return err
		}
		role, err := iam.NewRole(ctx, "role", &iam.RoleArgs{AssumeRolePolicy: pulumi.String("{}")}, pulumi.Provider(west))
		if err != nil {
			return err
		}
		sg, err := ec2.NewSecurityGroup(ctx, "sg", &ec2.SecurityGroupArgs{VpcId: pulumi.String("vpc-1")}, pulumi.Provider(west))
		if err != nil {
			return err
		}
		skip, defaultCNI, mode := true, true, eks.AuthenticationModeApi
		_, err = eks.NewCluster(ctx, "dr", &eks.ClusterArgs{VpcId: pulumi.String("vpc-1"), PrivateSubnetIds: pulumi.ToStringArray([]string{"subnet-1", "subnet-2"}),
			ServiceRole: role, InstanceRole: role, ClusterSecurityGroup: sg, SkipDefaultNodeGroup: &skip,
			UseDefaultVpcCni: &defaultCNI, AuthenticationMode: &mode}, pulumi.Provider(west))
		return err
	})
	west := s.Named("pulumi:providers:aws", "west")
	children := 0
	for _, r := range s.Resources {
		if r.RegisteredBy == "" || r.Type == typeK8sProvider {
			continue
		}
		children++
		assert.Equal(t, west.URN, r.Provider, "%s deploys with the component's provider", r.Name)
	}
	assert.Equal(t, 8, children, "the cluster, its entry, the node group and its five rules")
	c := s.Named(eksTypeAWSCluster, "dr-eksCluster")
	assert.Contains(t, c.Outputs["arn"], ":eks:us-west-2:")
	assert.Equal(t, c.Outputs["name"], str(s.Named(eksTypeAccessEntry, "dr-defaultNodeGroupInstanceRole"), "clusterName"))
}

// The expansion follows the pulumi-eks release go.mod pins: a new release needs its source read again.
func TestEKSExpansionFollowsThePinnedRelease(t *testing.T) {
	mod, err := os.ReadFile(filepath.Join(root, "go.mod"))
	require.NoError(t, err)
	m := regexp.MustCompile(`github\.com/pulumi/pulumi-eks/sdk/v2 v(\S+)`).FindStringSubmatch(string(mod))
	require.NotNil(t, m, "go.mod pins pulumi-eks")
	assert.Equal(t, "pulumi-eks "+m[1], synth.EKSPackage)
}

// Options whose children the expansion does not model make the plan fail, naming the option,
// rather than list less than pulumi up would create.
func TestEKSExpansionRefusesWhatItDoesNotModel(t *testing.T) {
	cases := []struct {
		name string
		edit func(a *eks.ClusterArgs)
		want string
	}{
		{"no service role", func(a *eks.ClusterArgs) { a.ServiceRole = nil }, "without serviceRole, pulumi-eks 2.8.1 registers its own service role"},
		{"a default node group", func(a *eks.ClusterArgs) { a.SkipDefaultNodeGroup = nil }, "without skipDefaultNodeGroup, pulumi-eks 2.8.1 registers a default node group"},
		{"the aws-auth ConfigMap beside access entries", func(a *eks.ClusterArgs) {
			mode := eks.AuthenticationModeApiAndConfigMap
			a.AuthenticationMode = &mode
		}, "registers the aws-auth ConfigMap"},
		{"role mappings", func(a *eks.ClusterArgs) {
			a.RoleMappings = eks.RoleMappingArray{eks.RoleMappingArgs{RoleArn: pulumi.String("arn:aws:iam::1:role/x"), Username: pulumi.String("x"), Groups: pulumi.StringArray{}}}
		}, `option "roleMappings" is not modelled offline`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := runProgram(t, "", nil, func(ctx *pulumi.Context) (pulumi.Map, error) {
				role, err := iam.NewRole(ctx, "role", &iam.RoleArgs{AssumeRolePolicy: pulumi.String("{}")})
				if err != nil {
					return nil, err
				}
				sg, err := ec2.NewSecurityGroup(ctx, "sg", &ec2.SecurityGroupArgs{VpcId: pulumi.String("vpc-1")})
				if err != nil {
					return nil, err
				}
				skip, defaultCNI, mode := true, true, eks.AuthenticationModeApi
				args := &eks.ClusterArgs{VpcId: pulumi.String("vpc-1"), PrivateSubnetIds: pulumi.ToStringArray([]string{"subnet-1", "subnet-2"}),
					ServiceRole: role, InstanceRole: role, ClusterSecurityGroup: sg, SkipDefaultNodeGroup: &skip,
					UseDefaultVpcCni: &defaultCNI, AuthenticationMode: &mode}
				tc.edit(args)
				_, err = eks.NewCluster(ctx, "c", args)
				return nil, err
			})
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
	// The same options, all modelled, plan.
	_, err := runProgram(t, "", nil, func(ctx *pulumi.Context) (pulumi.Map, error) {
		role, err := iam.NewRole(ctx, "role", &iam.RoleArgs{AssumeRolePolicy: pulumi.String("{}")})
		if err != nil {
			return nil, err
		}
		sg, err := ec2.NewSecurityGroup(ctx, "sg", &ec2.SecurityGroupArgs{VpcId: pulumi.String("vpc-1")})
		if err != nil {
			return nil, err
		}
		skip, defaultCNI, mode := true, true, eks.AuthenticationModeApi
		_, err = eks.NewCluster(ctx, "c", &eks.ClusterArgs{VpcId: pulumi.String("vpc-1"), PrivateSubnetIds: pulumi.ToStringArray([]string{"subnet-1", "subnet-2"}),
			ServiceRole: role, InstanceRole: role, ClusterSecurityGroup: sg, SkipDefaultNodeGroup: &skip,
			UseDefaultVpcCni: &defaultCNI, AuthenticationMode: &mode})
		return nil, err
	})
	assert.NoError(t, err)
}
