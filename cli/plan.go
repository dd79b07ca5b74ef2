package cli

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"

	"github.com/tierstack/tierstack/synth"
	"github.com/tierstack/tierstack/tiers"
)

// Formats are the output formats of plan.
var Formats = []string{"text", "json", "mermaid"}

// Plan runs `tierstack plan`: it builds the tier on the mock engine and prints what it creates, or
// with --from, what moving up from another tier changes. It returns the process exit code: 0 when
// the output was printed, 1 when the program refused its input, 2 for a bad command line.
func Plan(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("plan", flag.ContinueOnError)
	fs.SetOutput(stderr)
	tier := fs.String("tier", "", "tier to plan: 100, 10k, 100k or 1m (overrides the config file's)")
	from := fs.String("from", "", "show what moving to the planned tier from this tier changes")
	region := fs.String("region", "", "AWS region (overrides the config file's aws:region; default "+synth.DefaultRegion+")")
	format := fs.String("format", "text", "output format: "+strings.Join(Formats, ", ")+" (text or json with --from)")
	configFile := fs.String("config", "", "stack settings file to plan, such as Pulumi.prod.yaml")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: tierstack plan [--tier T] [--from T] [--region R] [--format text|json|mermaid] [--config FILE]")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "plan: unexpected argument %q\n", fs.Arg(0))
		fs.Usage()
		return 2
	}
	if !slices.Contains(Formats, *format) || (*from != "" && *format == "mermaid") {
		fmt.Fprintf(stderr, "plan: --format %q is not a format here (allowed: %s; text or json with --from)\n", *format, strings.Join(Formats, ", "))
		return 2
	}

	opts := synth.Options{Project: tiers.Namespace, Config: map[string]string{}}
	if *configFile != "" {
		sf, err := ReadStackFile(*configFile, tiers.Namespace)
		if err != nil {
			fmt.Fprintf(stderr, "plan: %v\n", err)
			return 2
		}
		opts.Stack, opts.Config, opts.SecretKeys = sf.Stack, sf.Config, sf.SecretKeys
	}
	if *tier != "" {
		opts.Config[tiers.Namespace+":tier"] = *tier
	}
	if *region != "" {
		opts.Config["aws:region"] = *region
	}
	if opts.Config["aws:region"] == "" {
		opts.Config["aws:region"] = synth.DefaultRegion
	}

	after, err := planOnce(opts)
	if err != nil {
		fmt.Fprintf(stderr, "plan: %v\n", err)
		return 1
	}
	if *from != "" {
		return upgrade(*from, opts, after, *format, stdout, stderr)
	}

	switch *format {
	case "json":
		err = writeJSON(stdout, after)
	case "mermaid":
		err = synth.WriteMermaid(stdout, after)
	default:
		err = synth.WriteText(stdout, after)
	}
	if err != nil {
		fmt.Fprintf(stderr, "plan: writing output: %v\n", err)
		return 1
	}
	return 0
}

// planOnce checks the settings, then runs the program on the mock engine.
func planOnce(opts synth.Options) (*synth.Plan, error) {
	settings, err := tiers.ParseSettings(opts.Config)
	if err != nil {
		return nil, err
	}
	plan, err := synth.Run(tiers.Program, opts)
	if err != nil {
		return nil, err
	}
	plan.Tier = string(settings.Tier)
	return plan, nil
}

// upgrade plans the same stack at tier from and prints what moving to after changes.
func upgrade(from string, opts synth.Options, after *synth.Plan, format string, stdout, stderr io.Writer) int {
	before := opts
	before.Config = maps.Clone(opts.Config)
	before.Config[tiers.Namespace+":tier"] = from
	prev, err := planOnce(before)
	if err != nil {
		fmt.Fprintf(stderr, "plan: --from: %v\n", err)
		return 1
	}
	rules, err := synth.ReplacementRules()
	if err != nil {
		fmt.Fprintf(stderr, "plan: %v\n", err)
		return 1
	}
	changes := synth.Diff(prev, after, rules)
	if format == "json" {
		err = writeJSON(stdout, map[string]any{
			"project": after.Project, "stack": after.Stack, "region": after.Region,
			"from": prev.Tier, "to": after.Tier, "changes": changes,
		})
	} else {
		err = synth.WriteChanges(stdout, prev, after, changes)
	}
	if err != nil {
		fmt.Fprintf(stderr, "plan: writing output: %v\n", err)
		return 1
	}
	return 0
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
