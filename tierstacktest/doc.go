// Package tierstacktest tests a Pulumi program that uses tierstack's components, offline: it runs
// the program on tierstack's mock engine, which answers every lookup the components make, and asks
// questions of what the program registered, in the manner of AWS CDK's assertions.Template.
//
//	s, err := tierstacktest.Run(program, tierstacktest.Options{Region: "eu-west-1"})
//	s.AssertCount(t, "aws:rds/cluster:Cluster", 1)
//	s.AssertEvery(t, "aws:rds/cluster:Cluster", tierstacktest.Props{"storageEncrypted": true})
//
// The mock engine answers these invokes, for the provider each goes through (its region and
// partition: aws, aws-us-gov, aws-cn), in every region RegionNames lists:
//
//	aws:index/getAvailabilityZones:getAvailabilityZones   the region's zones that need no opt-in
//	aws:index/getRegion:getRegion                          the provider's region
//	aws:index/getCallerIdentity:getCallerIdentity          the fake account 123456789012
//	aws:index/getPartition:getPartition                    the region's partition and DNS suffix
//	aws:elb/getServiceAccount:getServiceAccount            the region's Elastic Load Balancing account
//	aws:eks/getAddonVersion:getAddonVersion                an EKS add-on version for the Kubernetes version
//	aws:route53/getZone:getZone                            a public zone example.com, whatever its ID
//	aws:ec2/getManagedPrefixList:getManagedPrefixList      the region's S3 and DynamoDB prefix lists
//	aws:ec2/getAmi:getAmi                                  an Amazon Linux 2023 arm64 image
//	aws:ssm/getParameter:getParameter                      a String parameter holding an image ID
//	aws:ec2/getVpc:getVpc, aws:ec2/getSubnet:getSubnet     the VPCs and subnets of Options.ExistingVPCs
//
// Any other invoke fails the run, naming it. Every custom resource gets a stable fake ID (derived
// from the inputs whose change replaces it, so a replacement shows as a new ID) and the outputs AWS
// computes that the components read (ARNs, endpoints, generated names). Resources is the record: one
// entry per registration, with its type, name, parent, provider, inputs (secrets as "[secret]"),
// dependencies and options.
//
// Programs that use Pulumi's own mocks can pass NewMocks to pulumi.WithMocks instead of calling Run.
package tierstacktest
