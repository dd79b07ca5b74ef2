package streaming

import (
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/msk"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/tierstack/tierstack/internal/naming"
)

// buildServerless creates an MSK Serverless cluster in the data subnets of the zones it spans, with
// IAM authentication (the only kind it has). AWS encrypts its data at rest and in transit itself
// (TLS is the only way in; "MSK Serverless": "encrypts all traffic in transit and all data at rest
// using service-managed keys"), and spreads it over three zones. Every input of the cluster replaces
// it (aws_msk_serverless_cluster: client_authentication, cluster_name and vpc_config are ForceNew;
// only tags change in place), and none of them changes with the tier.
func (s *Streaming) buildServerless(ctx *pulumi.Context, name string, a checkedArgs, sg *ec2.SecurityGroup) error {
	subnets := pulumi.StringArray{}
	for i := range a.zones {
		subnets = append(subnets, a.Network.DataSubnetIDs.Index(pulumi.Int(i)))
	}
	clusterName := naming.Child(name, "cluster")
	cluster, err := msk.NewServerlessCluster(ctx, clusterName, &msk.ServerlessClusterArgs{
		ClientAuthentication: &msk.ServerlessClusterClientAuthenticationArgs{
			Sasl: &msk.ServerlessClusterClientAuthenticationSaslArgs{
				Iam: &msk.ServerlessClusterClientAuthenticationSaslIamArgs{Enabled: pulumi.Bool(true)},
			},
		},
		VpcConfigs: msk.ServerlessClusterVpcConfigArray{&msk.ServerlessClusterVpcConfigArgs{
			SubnetIds:        subnets,
			SecurityGroupIds: pulumi.StringArray{sg.ID().ToStringOutput()},
		}},
		Tags: naming.Tags(a.Tags, clusterName),
	}, pulumi.Parent(s), pulumi.Protect(!a.Unprotected),
		// The provider declares create and delete timeouts only (tags are its one update).
		pulumi.Timeouts(&pulumi.CustomTimeouts{Create: "120m", Delete: "120m"}))
	if err != nil {
		return err
	}
	s.ServerlessCluster = cluster
	s.ARN, s.ClusterName = cluster.Arn, cluster.ClusterName
	s.BootstrapBrokers = cluster.BootstrapBrokersSaslIam
	empty := pulumi.String("").ToStringOutput()
	s.BootstrapBrokersSCRAM, s.SCRAMSecretARN, s.KMSKeyARN = empty, empty, empty
	return nil
}
