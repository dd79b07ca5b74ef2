// Package synth runs a Pulumi Go program in process on the Pulumi SDK's mock engine, answers the
// invokes it makes with realistic fake data for the chosen region, and records every resource it
// registers, with its inputs and options. It is how `tierstack plan` shows a tier with no AWS account
// and no Pulumi CLI, and what the tests ask questions of.
package synth
