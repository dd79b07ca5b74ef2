package cli

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/tierstack/tierstack/synth"
	"github.com/tierstack/tierstack/tiers"
)

// Formats are the output formats of plan.
var Formats = []string{"text", "json", "mermaid"}

// Plan runs `tierstack plan`: it builds the tier on the mock engine and prints what it creates. It
// returns the process exit code: 0 when the plan was printed, 1 when the program refused its input,
// 2 for a bad command line.
func Plan(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("plan", flag.ContinueOnError)
	fs.SetOutput(stderr)
	tier := fs.String("tier", "", "tier to plan: 100, 10k, 100k or 1m (overrides the config file's)")
	region := fs.String("region", "", "AWS region (overrides the config file's aws:region; default "+synth.DefaultRegion+")")
	format := fs.String("format", "text", "output format: "+strings.Join(Formats, ", "))
	configFile := fs.String("config", "", "stack settings file to plan, such as Pulumi.prod.yaml")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: tierstack plan [--tier T] [--region R] [--format text|json|mermaid] [--config FILE]")
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
	if !contains(Formats, *format) {
		fmt.Fprintf(stderr, "plan: --format %q is not a format (allowed: %s)\n", *format, strings.Join(Formats, ", "))
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

	settings, err := tiers.ParseSettings(opts.Config)
	if err != nil {
		fmt.Fprintf(stderr, "plan: %v\n", err)
		return 1
	}
	plan, err := synth.Run(tiers.Program, opts)
	if err != nil {
		fmt.Fprintf(stderr, "plan: %v\n", err)
		return 1
	}
	plan.Tier = string(settings.Tier)

	switch *format {
	case "json":
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		err = enc.Encode(plan)
	case "mermaid":
		err = synth.WriteMermaid(stdout, plan)
	default:
		err = synth.WriteText(stdout, plan)
	}
	if err != nil {
		fmt.Fprintf(stderr, "plan: writing output: %v\n", err)
		return 1
	}
	return 0
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
