package synth

import (
	"encoding/json"
	"fmt"
	"maps"
	"sort"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
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
}

// outputWait bounds the wait for a stack output once the run is over; on the mock engine every
// output is known, so only a program bug reaches it.
const outputWait = 30 * time.Second

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

	rec, err := NewRecorder(opts.Project, opts.Stack, region)
	if err != nil {
		return nil, fmt.Errorf("plan: %w", err)
	}
	var (
		resolved   = map[string]chan any{}
		outputs    = map[string]pulumi.Output{}
		programErr error
	)
	body := func(ctx *pulumi.Context) error {
		outs, err := program(ctx)
		if err != nil {
			programErr = err
			return err
		}
		for key, value := range outs {
			ctx.Export(key, value)
			out := pulumi.ToOutput(value)
			ch := make(chan any, 1)
			outputs[key], resolved[key] = out, ch
			// An output of plain values is not tied to the context, so the run does not wait for it:
			// the value is collected from the channel after the run.
			out.ApplyT(func(v any) any {
				ch <- v
				return nil
			})
		}
		return nil
	}
	withConfig := func(info *pulumi.RunInfo) {
		info.Config = config
		info.ConfigSecretKeys = opts.SecretKeys
	}
	runErr := pulumi.RunErr(body, pulumi.WithMocks(opts.Project, opts.Stack, rec), withConfig)
	if programErr != nil {
		runErr = programErr // the program's own words, without the engine's "1 error occurred" wrapping
	}

	plan := &Plan{
		Project:   opts.Project,
		Stack:     opts.Stack,
		Region:    region,
		Resources: rec.Resources(),
		Outputs:   map[string]any{},
	}
	keys := make([]string, 0, len(outputs))
	for k := range outputs {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if runErr != nil {
			break
		}
		if pulumi.IsSecret(outputs[k]) {
			plan.Outputs[k] = SecretPlaceholder
			continue
		}
		var v any
		select {
		case v = <-resolved[k]:
		case <-time.After(outputWait):
			return plan, fmt.Errorf("plan: output %s did not resolve within %s", k, outputWait)
		}
		plain, err := plainJSON(v)
		if err != nil {
			return plan, fmt.Errorf("plan: output %s: %w", k, err)
		}
		plan.Outputs[k] = plain
	}
	return plan, runErr
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
