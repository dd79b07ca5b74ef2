package cli

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"os"
	"slices"
	"strings"

	"github.com/tierstack/tierstack/insights"
	"github.com/tierstack/tierstack/synth"
	"github.com/tierstack/tierstack/tiers"
)

// TierAll is the --tier value that plans every tier and puts them side by side.
const TierAll = "all"

// formats are the output formats of plan.
var formats = []string{"text", "json", "mermaid", "kubernetes"}

// Exit codes of plan.
const (
	// ExitOK: the output was printed.
	ExitOK = 0
	// ExitRefused: the program refused its input (bad config, a zone count the region cannot serve).
	ExitRefused = 1
	// ExitUsage: the command line is wrong.
	ExitUsage = 2
	// ExitUnsafe: with --from, the change replaces or deletes a stateful resource and loses its state.
	// The output is printed all the same, so that a CI job both shows and gates on it.
	ExitUnsafe = 3
)

// Plan runs `tierstack plan`: it builds the tier on the mock engine and prints what it creates, or
// with --from, what moving to it from another tier or from an earlier plan's JSON changes. It
// returns the process exit code (ExitOK, ExitRefused, ExitUsage or ExitUnsafe).
func Plan(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("plan", flag.ContinueOnError)
	fs.SetOutput(stderr)
	tier := fs.String("tier", "", "tier to plan: 100, 10k, 100k or 1m (overrides the config file's), or all: every tier side by side")
	from := fs.String("from", "", "show what changes from this tier, or from this earlier `plan --format json` file; exit 3 if a stateful resource is replaced or deleted")
	region := fs.String("region", "", "AWS region (overrides the config file's aws:region; default "+synth.DefaultRegion+")")
	format := fs.String("format", "text", "output format: "+strings.Join(formats, ", ")+" (text or json with --from)")
	configFile := fs.String("config", "", "stack settings file to plan, such as Pulumi.prod.yaml")
	preview := fs.Bool("preview", false, "run the program as pulumi preview does: IDs and computed outputs unknown")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: tierstack plan [--tier T] [--from T|FILE] [--region R] [--format text|json|mermaid|kubernetes] [--config FILE] [--preview]")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return ExitUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "plan: unexpected argument %q\n", fs.Arg(0))
		fs.Usage()
		return ExitUsage
	}
	// mermaid and kubernetes draw one plan: neither compares two.
	single := *format == "mermaid" || *format == "kubernetes"
	if !slices.Contains(formats, *format) || (*from != "" && single) {
		fmt.Fprintf(stderr, "plan: --format %q is not a format here (allowed: %s; text or json with --from)\n", *format, strings.Join(formats, ", "))
		return ExitUsage
	}
	if *tier == TierAll && (*from != "" || single) {
		fmt.Fprintln(stderr, "plan: --tier all puts the tiers side by side (allowed with --format text or json, without --from)")
		return ExitUsage
	}
	if *from != "" && *preview {
		fmt.Fprintln(stderr, "plan: --from compares updates, whose IDs are known (allowed: --from or --preview, not both)")
		return ExitUsage
	}

	// The team key of secret inputs' hashes (see synth.Options.SecretHashKey): set it in CI so that
	// a plan file alone allows no guessing of a secret.
	opts := synth.Options{Project: tiers.Namespace, Config: map[string]string{}, Preview: *preview, SecretHashKey: os.Getenv(PlanKeyVariable)}
	if *configFile != "" {
		sf, err := ReadStackFile(*configFile, tiers.Namespace)
		if err != nil {
			fmt.Fprintf(stderr, "plan: %v\n", err)
			return ExitUsage
		}
		opts.Stack, opts.Config, opts.SecretKeys = sf.Stack, sf.Config, sf.SecretKeys
	}
	if *tier != "" && *tier != TierAll {
		opts.Config[tiers.Namespace+":tier"] = *tier
	}
	if *region != "" {
		opts.Config["aws:region"] = *region
	}
	if opts.Config["aws:region"] == "" {
		opts.Config["aws:region"] = synth.DefaultRegion
	}

	if *tier == TierAll {
		return allTiers(opts, *format, stdout, stderr)
	}
	after, settings, err := planOnce(opts)
	if err != nil {
		fmt.Fprintf(stderr, "plan: %v\n", err)
		return ExitRefused
	}
	if *from != "" {
		return upgrade(*from, opts, after, settings, *format, stdout, stderr)
	}
	var report insights.Report
	if !single {
		if report, err = insights.Analyze(after, settings.CostModel, nil); err != nil {
			fmt.Fprintf(stderr, "plan: %v\n", err)
			return ExitRefused
		}
	}

	switch *format {
	case "json":
		err = writeJSON(stdout, Document{Plan: after, Report: report})
	case "mermaid":
		err = synth.WriteMermaid(stdout, after)
	case "kubernetes":
		err = synth.WriteKubernetesYAML(stdout, after)
	default:
		if err = synth.WriteText(stdout, after); err == nil {
			err = insights.WriteText(stdout, report)
		}
	}
	if err != nil {
		fmt.Fprintf(stderr, "plan: writing output: %v\n", err)
		return ExitRefused
	}
	return ExitOK
}

// PlanKeyVariable is the environment variable that holds the team key of the plans' secret hashes.
const PlanKeyVariable = "TIERSTACK_PLAN_KEY"

// Document is the `plan --format json` document: the plan, and what it costs, how long it takes
// to deploy and how safe it is.
type Document struct {
	*synth.Plan
	insights.Report
}

// planOnce checks the settings, then runs the program on the mock engine.
func planOnce(opts synth.Options) (*synth.Plan, tiers.Settings, error) {
	settings, err := tiers.ParseSettings(opts.Config)
	if err != nil {
		return nil, tiers.Settings{}, err
	}
	program := tiers.PlanProgram
	if opts.Stack != "" {
		// A stack file is a real stack: plan it as pulumi up would run it.
		program = tiers.Program
	}
	plan, err := synth.Run(program, opts)
	if err != nil {
		return nil, tiers.Settings{}, err
	}
	plan.Tier = string(settings.Tier)
	return plan, settings, nil
}

// upgrade prints what moving to after changes from the plan that from names: a tier of the same
// stack, or a plan JSON file. It exits ExitUnsafe when a stateful resource would lose its state or
// a protected one would stop pulumi up.
func upgrade(from string, opts synth.Options, after *synth.Plan, settings tiers.Settings, format string, stdout, stderr io.Writer) int {
	prev, code, err := earlierPlan(from, opts)
	if err != nil {
		fmt.Fprintf(stderr, "plan: --from: %v\n", err)
		return code
	}
	if prev.Project != after.Project || prev.Stack != after.Stack {
		fmt.Fprintf(stderr, "plan: --from: %s is a plan of stack %s/%s, this one of %s/%s, so no resource would match (plan the same stack: --config Pulumi.%s.yaml)\n",
			from, prev.Project, prev.Stack, after.Project, after.Stack, prev.Stack)
		return ExitUsage
	}
	if prev.Preview {
		fmt.Fprintf(stderr, "plan: --from: %s was made with --preview, whose IDs are unknown (allowed: a plan made without --preview)\n", from)
		return ExitUsage
	}
	rules, err := synth.ReplacementRules()
	if err != nil {
		fmt.Fprintf(stderr, "plan: %v\n", err)
		return ExitRefused
	}
	changes := synth.Diff(prev, after, rules)
	unsafe := synth.Unsafe(changes)
	report, err := insights.AnalyzeChange(prev, after, settings.CostModel, nonNil(changes))
	if err != nil {
		fmt.Fprintf(stderr, "plan: %v\n", err)
		return ExitRefused
	}
	if format == "json" {
		err = writeJSON(stdout, map[string]any{
			"project": after.Project, "stack": after.Stack, "region": after.Region,
			"from": prev.Tier, "to": after.Tier, "changes": nonNil(changes), "unsafe": nonNil(unsafe),
			"warnings": after.Warnings, "cost": report.Cost, "deploy": report.Deploy, "safety": report.Safety,
		})
	} else if err = synth.WriteChanges(stdout, prev, after, changes); err == nil {
		err = insights.WriteText(stdout, report)
	}
	if err != nil {
		fmt.Fprintf(stderr, "plan: writing output: %v\n", err)
		return ExitRefused
	}
	if len(unsafe) > 0 {
		return ExitUnsafe
	}
	return ExitOK
}

// earlierPlan is the plan --from names: a plan JSON file when from is a file, else the same stack at
// tier from. The code is the exit code for its error.
func earlierPlan(from string, opts synth.Options) (*synth.Plan, int, error) {
	if info, err := os.Stat(from); err == nil && !info.IsDir() {
		p, err := ReadPlanFile(from)
		if err != nil {
			return nil, ExitUsage, err
		}
		return p, ExitOK, nil
	} else if strings.HasSuffix(from, ".json") {
		return nil, ExitUsage, fmt.Errorf("reading plan %s: %w", from, errors.Unwrap(err))
	}
	if _, err := tiers.ParseTier(from); err != nil {
		return nil, ExitUsage, fmt.Errorf("%q is neither a tier (100, 10k, 100k, 1m) nor a plan file", from)
	}
	before := opts
	before.Config = maps.Clone(opts.Config)
	before.Config[tiers.Namespace+":tier"] = from
	p, _, err := planOnce(before)
	if err != nil {
		return nil, ExitRefused, err
	}
	return p, ExitOK, nil
}

// ReadPlanFile reads a plan written by `plan --format json`.
func ReadPlanFile(path string) (*synth.Plan, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading plan: %w", err)
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	var p synth.Plan
	if err := dec.Decode(&p); err != nil {
		return nil, fmt.Errorf("plan %s is not a `plan --format json` document: %w", path, err)
	}
	if p.Project == "" || p.Resources == nil {
		return nil, fmt.Errorf("plan %s is not a `plan --format json` document: it has no project or resources", path)
	}
	return &p, nil
}

// nonNil turns a nil slice into an empty one, so that JSON shows [] rather than null.
func nonNil(c []synth.Change) []synth.Change {
	if c == nil {
		return []synth.Change{}
	}
	return c
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// allTiers plans every tier of the stack and prints them side by side.
func allTiers(opts synth.Options, format string, stdout, stderr io.Writer) int {
	var rows []insights.TierRow
	for _, t := range tiers.All() {
		o := opts
		o.Config = maps.Clone(opts.Config)
		o.Config[tiers.Namespace+":tier"] = string(t)
		p, settings, err := planOnce(o)
		if err != nil {
			fmt.Fprintf(stderr, "plan: tier %s: %v\n", t, err)
			return ExitRefused
		}
		report, err := insights.Analyze(p, settings.CostModel, nil)
		if err != nil {
			fmt.Fprintf(stderr, "plan: tier %s: %v\n", t, err)
			return ExitRefused
		}
		rows = append(rows, insights.TierRow{Tier: string(t), Resources: len(p.Resources), Report: report})
	}
	var err error
	if format == "json" {
		err = writeJSON(stdout, map[string]any{"tiers": rows})
	} else {
		err = insights.WriteTiers(stdout, rows)
	}
	if err != nil {
		fmt.Fprintf(stderr, "plan: writing output: %v\n", err)
		return ExitRefused
	}
	return ExitOK
}
