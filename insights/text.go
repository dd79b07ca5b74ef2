package insights

import (
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"
	"text/tabwriter"
)

// WriteText prints a report for a terminal: the cost by component and its assumptions, the deploy
// time and its chain, the safety findings and the zone-loss verdicts.
func WriteText(w io.Writer, r Report) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	c := r.Cost
	fmt.Fprintf(tw, "\nCost: $%.2f a month, $%.4f per user (%d users; on-demand prices compiled %s)\n", c.MonthlyUSD, c.PerUserUSD, c.Assumptions.Users, c.PriceTable)
	comps := make([]string, 0, len(c.ByComponent))
	for k := range c.ByComponent {
		comps = append(comps, k)
	}
	sort.Slice(comps, func(i, j int) bool { return c.ByComponent[comps[i]] > c.ByComponent[comps[j]] })
	for _, k := range comps {
		fmt.Fprintf(tw, "  %s\t$%.2f\n", k, c.ByComponent[k])
	}
	shown := 0
	for _, rc := range c.Resources {
		if rc.MonthlyUSD <= 0 || shown == 8 {
			continue
		}
		shown++
		items := make([]string, 0, len(rc.Lines))
		for _, l := range rc.Lines {
			if l.USD > 0 {
				items = append(items, l.Item)
			}
		}
		fmt.Fprintf(tw, "  · %s\t$%.2f\t%s\n", shortName(rc.URN), rc.MonthlyUSD, strings.Join(items, ", "))
	}
	if len(c.Unknown) > 0 {
		fmt.Fprintf(tw, "  not priced (the true cost is higher): %s\n", strings.Join(c.Unknown, ", "))
	}
	fmt.Fprintf(tw, "  assumed a month: %s\n", assumptionsLine(c.Assumptions))
	if c.Note != "" {
		fmt.Fprintf(tw, "  note: %s\n", c.Note)
	}

	d := r.Deploy
	fmt.Fprintf(tw, "\nDeploy: about %s for pulumi up (%d resources; without explicit dependsOn waits: %s; the slowest resource, %s, and the data it reads: %s)\n",
		minutes(d.CriticalPathSeconds), d.Resources, minutes(d.UnavoidableSeconds), shortName(d.Slowest), minutes(d.SlowestNeedsSeconds))
	for i, u := range d.Chain {
		fmt.Fprintf(tw, "  %d. %s\t%s\n", i+1, shortName(u), minutes(d.ChainSeconds[i]))
	}
	for _, wt := range d.ChainWaits {
		how := "reads an output of"
		if wt.Explicit {
			how = "has dependsOn"
		}
		fmt.Fprintf(tw, "  if %s did not wait for %s (it %s it): %s sooner\n", shortName(wt.URN), shortName(wt.On), how, minutes(wt.Seconds))
	}
	for _, wt := range d.Waits {
		fmt.Fprintf(tw, "  wait: %s waits for %s without reading from it: %s longer\n", shortName(wt.URN), shortName(wt.On), minutes(wt.Seconds))
	}
	for _, u := range d.Updates {
		fit := "within"
		if !u.WithinTimeout {
			fit = "OVER"
		}
		fmt.Fprintf(tw, "  update: %s takes about %s (%s), %s its update timeout of %s\n",
			shortName(u.URN), minutes(u.Seconds), strings.Join(u.Steps, "; "), fit, minutes(u.TimeoutSeconds))
	}

	s := r.Safety
	fmt.Fprintf(tw, "\nSafety: %d errors, %d findings\n", s.Errors(), len(s.Findings))
	for _, f := range s.Findings {
		fmt.Fprintf(tw, "  %s\t%s\t%s\n", f.Severity, shortName(f.URN), f.Message)
	}
	zones := make([]string, 0, len(s.AZLoss))
	for z := range s.AZLoss {
		zones = append(zones, z)
	}
	sort.Strings(zones)
	for _, z := range zones {
		verdict := "survives"
		if !s.AZLoss[z].Survives {
			verdict = "does not survive"
		}
		fmt.Fprintf(tw, "  losing %s:\t%s\t%s\n", z, verdict, s.AZLoss[z].Why)
	}
	if rl := s.RegionLoss; rl != nil {
		verdict := "data survives"
		if !rl.Survives {
			verdict = "data lost"
		}
		why := rl.Why
		if rl.RPO != "" || rl.RTO != "" {
			why = fmt.Sprintf("RPO %s, RTO %s: %s", orDash(rl.RPO), orDash(rl.RTO), why)
		}
		fmt.Fprintf(tw, "  losing the region %s:\t%s\t%s\n", rl.Region, verdict, why)
	}
	return tw.Flush()
}

// assumptionsLine lists the cost model's figures as key=value.
func assumptionsLine(m CostModel) string {
	raw, _ := json.Marshal(m)
	var kv map[string]float64
	_ = json.Unmarshal(raw, &kv)
	keys := make([]string, 0, len(kv))
	for k := range kv {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, 0, len(keys))
	for _, k := range keys {
		parts = append(parts, fmt.Sprintf("%s=%g", k, kv[k]))
	}
	return strings.Join(parts, " ")
}

// minutes writes seconds as minutes and seconds.
func minutes(s float64) string {
	m, sec := int(s)/60, int(s)%60
	if m == 0 {
		return fmt.Sprintf("%ds", sec)
	}
	return fmt.Sprintf("%dm%02ds", m, sec)
}

// Verdict is the zone-loss verdict in a few words: "survives any one zone", or what a zone takes.
func (s Safety) Verdict() string {
	var lost []string
	zones := make([]string, 0, len(s.AZLoss))
	for z := range s.AZLoss {
		zones = append(zones, z)
	}
	sort.Strings(zones)
	for _, z := range zones {
		if zl := s.AZLoss[z]; !zl.Survives {
			var parts []string
			for _, p := range []string{"web", "database", "cache", "nat"} {
				if v, ok := zl.Checks[p]; ok && !v.Survives {
					parts = append(parts, p)
				}
			}
			lost = append(lost, z+" takes "+strings.Join(parts, "+"))
		}
	}
	if len(lost) == 0 {
		return "survives any one zone"
	}
	return strings.Join(lost, "; ")
}

// TierRow is one tier of `plan --tier all`.
type TierRow struct {
	// Tier is the tier's name.
	Tier string `json:"tier"`
	// Resources is how many resources it registers, components included.
	Resources int `json:"resources"`
	// Report is its cost, deploy time and safety.
	Report
}

// WriteTiers prints the tiers side by side: resources, monthly cost, cost per user, deploy time and
// the zone-loss verdict.
func WriteTiers(w io.Writer, rows []TierRow) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "tier\tresources\tmonthly\tper user\tdeploy\tsafety errors\tlosing a zone")
	for _, r := range rows {
		unknown := ""
		if len(r.Cost.Unknown) > 0 {
			unknown = "+"
		}
		fmt.Fprintf(tw, "%s\t%d\t$%.2f%s\t$%.4f\t%s\t%d\t%s\n", r.Tier, r.Resources, r.Cost.MonthlyUSD, unknown,
			r.Cost.PerUserUSD, minutes(r.Deploy.CriticalPathSeconds), r.Safety.Errors(), r.Safety.Verdict())
	}
	for _, r := range rows {
		if len(r.Cost.Unknown) > 0 {
			fmt.Fprintln(tw, "\n(+: some resources have no price in the table, so the cost is higher; see plan --tier T)")
			break
		}
	}
	return tw.Flush()
}

// orDash is s, or "-" when it is empty.
func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
