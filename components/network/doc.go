// Package network is tierstack's Network component: a VPC with public, private and data subnets in
// each availability zone, its internet and NAT gateways, routes, S3 and DynamoDB gateway endpoints,
// flow logs and an optional SSH Bastion.
//
//	net, err := network.New(ctx, "shop", &network.Args{CIDR: "10.20.0.0/16", AZCount: 3})
//
// The zero value of each Args field is a working default and its comment says what zero means.
// Counts, CIDRs and strategies that decide how many resources exist are plain Go values, so New
// validates them and fails before it registers anything. Each zone index owns fixed subnet ranges
// (SubnetLayout) and child names carry the index ("shop-private-2"), so adding a zone only adds
// resources. Child names and the type tokens are a public contract: renaming either replaces
// resources unless the caller adds pulumi.Aliases.
package network
