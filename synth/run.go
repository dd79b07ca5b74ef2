package synth

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"sort"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/internals"
)

// Program is a Pulumi program that hands back its stack outputs, so that a plan can show them. The
// Pulumi entry point exports each of them with ctx.Export.
type Program func(ctx *pulumi.Context) (pulumi.Map, error)

// Options say how to run a program on the mock engine.
type Options struct {
	// Project is the Pulumi project name; "" means "tierstack".
	Project string
	// Stack is the stack name; "" means "plan".
	Stack string
	// Region is the default provider's region; "" means the config's aws:region, else us-east-1.
	Region string
	// Config is the stack configuration, by full key ("tierstack:tier", "aws:region").
	Config map[string]string
	// SecretKeys are the config keys whose values are secret.
	SecretKeys []string
	// Preview runs the program as `pulumi preview` does on a new stack: resource IDs and the outputs
	// AWS computes are unknown, and code that needs them (an apply) does not run.
	Preview bool
	// SecretHashKey is a team secret that keys the hashes of secret inputs (Resource.SecretHashes),
	// so that a plan file alone does not let anyone test guesses of a secret; "" keys them with the
	// project and stack names only. Plans compare their secrets only when made with the same key.
	SecretHashKey string
	// ExistingVPCs are VPCs and subnets the fake account holds before the program runs, for a
	// program that looks them up (network.Existing).
	ExistingVPCs []ExistingVPC
}

// DefaultRegion is the region a plan uses when neither the options nor the config name one.
const DefaultRegion = "us-east-1"

// Run runs program on the mock engine and returns what it registered. When the program fails, the
// plan holds what was registered before the failure (nothing, for input the program validates first),
// beside the error.
func Run(program Program, opts Options) (*Plan, error) {
	if opts.Project == "" {
		opts.Project = "tierstack"
	}
	if opts.Stack == "" {
		opts.Stack = "plan"
	}
	config := maps.Clone(opts.Config)
	if config == nil {
		config = map[string]string{}
	}
	if opts.Region != "" {
		config["aws:region"] = opts.Region
	}
	if config["aws:region"] == "" {
		config["aws:region"] = DefaultRegion
	}
	region := config["aws:region"]

	rec, err := NewRecorder(opts.Project, opts.Stack, region, opts.Preview)
	if err != nil {
		return nil, fmt.Errorf("plan: %w", err)
	}
	rec.secretKey = secretKey(opts.Project, opts.Stack, opts.SecretHashKey)
	var (
		outputs    = map[string]pulumi.Output{}
		programErr error
	)
	rec.AddExistingVPCs(opts.ExistingVPCs...)
	addr, stop, err := serve(rec)
	if err != nil {
		return nil, err
	}
	defer stop()
	body := func(ctx *pulumi.Context) error {
		outs, err := program(ctx)
		if err != nil {
			programErr = err
			return err
		}
		for key, value := range outs {
			ctx.Export(key, value)
			outputs[key] = pulumi.ToOutput(value)
		}
		return nil
	}
	withEngine := func(info *pulumi.RunInfo) {
		info.Project, info.Stack = opts.Project, opts.Stack
		info.MonitorAddr, info.EngineAddr = addr, addr
		info.Mocks = nil
		info.Config = config
		info.ConfigSecretKeys = opts.SecretKeys
		info.DryRun = opts.Preview
		info.Parallel = 0
	}
	runErr := pulumi.RunErr(body, withEngine)
	if programErr != nil {
		runErr = programErr // the program's own words, without the engine's "1 error occurred" wrapping
	}

	plan := &Plan{
		Project:   opts.Project,
		Stack:     opts.Stack,
		Region:    region,
		Resources: rec.Resources(),
		Outputs:   map[string]any{},
		Preview:   opts.Preview,
		Warnings:  rec.Warnings(),

		SecretHashKey: secretKeyID(rec.secretKey),
	}
	if runErr != nil {
		return plan, runErr
	}
	keys := make([]string, 0, len(outputs))
	for k := range outputs {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		// The run is over, so every output is settled: awaiting reads it.
		res, err := internals.UnsafeAwaitOutput(context.Background(), outputs[k])
		if err != nil {
			return plan, fmt.Errorf("plan: output %s: %w", k, err)
		}
		switch {
		case res.Secret:
			plan.Outputs[k] = SecretPlaceholder
		case !res.Known:
			plan.Outputs[k] = UnknownPlaceholder
		default:
			plain, err := plainJSON(res.Value)
			if err != nil {
				return plan, fmt.Errorf("plan: output %s: %w", k, err)
			}
			plan.Outputs[k] = plain
		}
	}
	return plan, nil
}

// plainJSON turns a resolved Go value into the plain JSON value it encodes to, so that outputs read
// like inputs (lists as []any, numbers as float64).
func plainJSON(v any) (any, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	var out any
	err = json.Unmarshal(b, &out)
	return out, err
}
