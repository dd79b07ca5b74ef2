//go:build tools

// This file pins modules that later tiers build on, so that `go mod tidy` keeps their versions in
// go.mod before any package imports them. The tools build tag keeps it out of every real build.
package main

import (
	_ "github.com/pulumi/pulumi-eks/sdk/v2/go/eks"
)
