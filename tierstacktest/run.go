package tierstacktest

import (
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/tierstack/tierstack/synth"
)

// Options say how to run a program on the mock engine.
type Options struct {
	// Region is the default provider's region; "" means us-east-1. It must be one RegionNames lists.
	Region string
	// Config is the stack configuration, by full key ("myapp:size", "aws:region").
	Config map[string]string
	// SecretKeys are the config keys whose values are secret.
	SecretKeys []string
	// Project is the Pulumi project name; "" means "tierstack".
	Project string
	// Stack is the stack name; "" means "plan".
	Stack string
	// Preview runs the program as pulumi preview runs it on a new stack: IDs and the outputs AWS
	// computes are unknown, and applies over them do not run.
	Preview bool
	// ExistingVPCs are the VPCs and subnets the fake account holds before the program runs, for a
	// program that places components in a VPC it did not build (network.Existing looks them up).
	ExistingVPCs []ExistingVPC
}

// ExistingVPC is a VPC that exists before the program runs.
type ExistingVPC = synth.ExistingVPC

// ExistingSubnet is a subnet of an ExistingVPC.
type ExistingSubnet = synth.ExistingSubnet

// Resource is one registered resource: its URN, fake ID, type, name, parent, provider, inputs as
// plain JSON values, dependencies and options.
type Resource = synth.Resource

// Warning is one warning the program logged.
type Warning = synth.Warning

// FakeAccountID is the AWS account the mock engine pretends to deploy to.
const FakeAccountID = synth.FakeAccountID

// RegionNames lists the regions the mock engine knows, in the three partitions.
func RegionNames() []string { return synth.RegionNames() }

// AnsweredInvokes lists the invoke tokens the mock engine answers.
func AnsweredInvokes() []string { return synth.AnsweredInvokes() }

// Run runs program on the mock engine and returns what it registered. When the program fails, the
// Stack holds what was registered before the failure (nothing, for input the components validate
// first), beside the error; a nil Stack means the engine could not start (an unknown region).
func Run(program func(ctx *pulumi.Context) error, opts Options) (*Stack, error) {
	plan, err := synth.Run(func(ctx *pulumi.Context) (pulumi.Map, error) { return nil, program(ctx) }, synth.Options{
		Project:      opts.Project,
		Stack:        opts.Stack,
		Region:       opts.Region,
		Config:       opts.Config,
		SecretKeys:   opts.SecretKeys,
		Preview:      opts.Preview,
		ExistingVPCs: opts.ExistingVPCs,
	})
	if plan == nil {
		return nil, err
	}
	return &Stack{Resources: plan.Resources, Warnings: plan.Warnings}, err
}

// Mocks are the mock engine's answers as Pulumi's own mocks take them: pass them to pulumi.WithMocks
// with the same project and stack, then read what was registered with Stack. (Run keeps more of what
// a real engine does: unknowns in a preview, and warnings with the resource they are about.)
type Mocks struct {
	*synth.Recorder
}

// NewMocks returns Mocks for a project and stack whose default provider deploys to region ("" means
// us-east-1), holding the given existing VPCs.
func NewMocks(project, stack, region string, existing ...ExistingVPC) (*Mocks, error) {
	if region == "" {
		region = synth.DefaultRegion
	}
	rec, err := synth.NewRecorder(project, stack, region, false)
	if err != nil {
		return nil, err
	}
	rec.AddExistingVPCs(existing...)
	return &Mocks{Recorder: rec}, nil
}

// Stack returns what was registered through the mocks so far.
func (m *Mocks) Stack() *Stack {
	return &Stack{Resources: m.Resources(), Warnings: m.Warnings()}
}
