// Command tierstack is the Pulumi program that builds a growth tier of a web service on AWS, and
// `tierstack plan`, which shows what a tier creates without an AWS account or the Pulumi CLI.
//
//	pulumi up                      # the program, run by the Pulumi CLI
//	go run . plan --tier 10k       # offline: what the 10k tier creates
package main

import (
	"os"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/tierstack/tierstack/cli"
	"github.com/tierstack/tierstack/tiers"
)

func main() {
	if len(os.Args) > 1 && os.Args[1] == "plan" {
		os.Exit(cli.Plan(os.Args[2:], os.Stdout, os.Stderr))
	}
	pulumi.Run(func(ctx *pulumi.Context) error {
		outputs, err := tiers.Program(ctx)
		if err != nil {
			return err
		}
		for key, value := range outputs {
			ctx.Export(key, value)
		}
		return nil
	})
}
