package synth

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"text/tabwriter"
)

// WriteText prints a plan for a terminal: each component with the count of each resource type it
// holds directly, then the total.
func WriteText(w io.Writer, p *Plan) error {
	groups := groupByComponent(p)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "%s · stack %s · tier %s · %s\n", p.Project, p.Stack, p.Tier, p.Region)
	for _, g := range groups {
		fmt.Fprintf(tw, "\n%s\t%d resources\n", g.title(), g.total())
		for _, tc := range g.counts() {
			fmt.Fprintf(tw, "  %s\t%d\n", tc.typ, tc.count)
		}
	}
	custom := 0
	for _, r := range p.Resources {
		if r.Custom {
			custom++
		}
	}
	fmt.Fprintf(tw, "\nTotal: %s (%s, %s)\n", plural(len(p.Resources), "resource"),
		plural(custom, "cloud resource"), plural(len(p.Resources)-custom, "component"))
	if p.Preview {
		fmt.Fprintf(tw, "\n(preview: %s stands for what AWS only knows once a resource exists)\n", UnknownPlaceholder)
	}
	if len(p.Outputs) > 0 {
		fmt.Fprintln(tw, "\nOutputs:")
		keys := make([]string, 0, len(p.Outputs))
		for k := range p.Outputs {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			fmt.Fprintf(tw, "  %s\t%v\n", k, p.Outputs[k])
		}
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	return writeWarnings(w, p.Warnings)
}

// writeWarnings lists the warnings the program logged, each once.
func writeWarnings(w io.Writer, warnings []Warning) error {
	seen := map[string]bool{}
	var b strings.Builder
	for _, wn := range warnings {
		if seen[wn.Message] {
			continue
		}
		seen[wn.Message] = true
		if b.Len() == 0 {
			b.WriteString("\nWarnings:\n")
		}
		fmt.Fprintf(&b, "  %s: %s\n", wn.Severity, wn.Message)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// group is a component and the custom resources whose nearest component ancestor it is.
type group struct {
	component *Resource // nil for resources directly under the stack
	members   []Resource
}

func (g group) title() string {
	if g.component == nil {
		return "(stack)"
	}
	return fmt.Sprintf("%s %q", shortType(g.component.Type), g.component.Name)
}

func (g group) total() int { return len(g.members) }

type typeCount struct {
	typ   string
	count int
}

// counts returns the member count per type, most first, then by type.
func (g group) counts() []typeCount {
	m := map[string]int{}
	for _, r := range g.members {
		m[r.Type]++
	}
	out := make([]typeCount, 0, len(m))
	for t, c := range m {
		out = append(out, typeCount{t, c})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].count != out[j].count {
			return out[i].count > out[j].count
		}
		return out[i].typ < out[j].typ
	})
	return out
}

// groupByComponent groups custom resources under their nearest component ancestor; components are
// ordered by URN, the stack's own resources first.
func groupByComponent(p *Plan) []group {
	byURN := map[string]*Resource{}
	for i := range p.Resources {
		byURN[p.Resources[i].URN] = &p.Resources[i]
	}
	index := map[string]int{}
	var groups []group
	add := func(key string, comp *Resource) int {
		if i, ok := index[key]; ok {
			return i
		}
		index[key] = len(groups)
		groups = append(groups, group{component: comp})
		return index[key]
	}
	for i := range p.Resources {
		r := &p.Resources[i]
		if !r.Custom {
			add(r.URN, r)
			continue
		}
		owner := byURN[r.Parent]
		for owner != nil && owner.Custom {
			owner = byURN[owner.Parent]
		}
		key := ""
		if owner != nil {
			key = owner.URN
		}
		gi := add(key, owner)
		groups[gi].members = append(groups[gi].members, *r)
	}
	sort.SliceStable(groups, func(i, j int) bool {
		if (groups[i].component == nil) != (groups[j].component == nil) {
			return groups[i].component == nil
		}
		return groups[i].component != nil && groups[i].component.URN < groups[j].component.URN
	})
	return groups
}

// shortType turns a type token into a readable name: tierstack:index:Network gives Network,
// aws:ec2/natGateway:NatGateway gives ec2.NatGateway.
func shortType(t string) string {
	parts := strings.Split(t, ":")
	if len(parts) != 3 {
		return t
	}
	if parts[1] == "index" && parts[0] == "tierstack" {
		return parts[2]
	}
	if strings.HasPrefix(parts[1], "index") {
		return parts[0] + "." + parts[2]
	}
	return strings.SplitN(parts[1], "/", 2)[0] + "." + parts[2]
}

// changeMarks are the marks `pulumi preview` puts before each action.
var changeMarks = map[Action]string{Create: "+", Update: "~", Replace: "+-", Delete: "-"}

// WriteChanges prints what an update from plan before to plan after does, one line per touched
// resource, then a count per action, then the changes that lose state: what an upgrade must not have.
func WriteChanges(w io.Writer, before, after *Plan, changes []Change) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "%s · stack %s · tier %s → %s · %s\n\n", after.Project, after.Stack, before.Tier, after.Tier, after.Region)
	count := map[Action]int{}
	for _, c := range changes {
		count[c.Action]++
		mark := changeMarks[c.Action]
		if c.Action == Replace && c.DeleteBeforeReplace {
			mark = "-+"
		}
		fmt.Fprintf(tw, "%s %s\t%s\t%s\t%s\n", mark, c.Action, shortType(c.Type), c.Name, changeDetail(c))
	}
	fmt.Fprintf(tw, "\n%d to create, %d to update in place, %d to replace, %d to delete\n",
		count[Create], count[Update], count[Replace], count[Delete])
	if err := tw.Flush(); err != nil {
		return err
	}
	if err := writeAfterUpdate(w, changes); err != nil {
		return err
	}
	unsafe := Unsafe(changes)
	if len(unsafe) == 0 {
		_, err := fmt.Fprintln(w, "\nNo stateful resource is replaced or deleted.")
		return err
	}
	fmt.Fprintf(w, "\nUNSAFE: %s would lose state or stop pulumi up:\n", plural(len(unsafe), "resource"))
	for _, c := range unsafe {
		why, _ := Stateful(c.Type)
		if len(c.Refused) > 0 {
			why = "refused by AWS: " + strings.Join(c.Refused, "; ")
		} else if c.Protected {
			why = strings.TrimPrefix(why+"; ", "; ") + "protected: pulumi up refuses"
		}
		fmt.Fprintf(w, "  %s %s %s (%s)\n", c.Action, shortType(c.Type), c.Name, why)
	}
	return nil
}

// changeDetail says why a change happens and what to know about it.
func changeDetail(c Change) string {
	var parts []string
	switch {
	case len(c.ReplacedBy) > 0:
		parts = append(parts, "replaced by a change to "+strings.Join(c.ReplacedBy, ", "))
	case len(c.Keys) > 0:
		parts = append(parts, strings.Join(c.Keys, ", "))
	}
	if c.RenamedFrom != "" {
		parts = append(parts, "renamed (alias of "+c.RenamedFrom+")")
	}
	if c.Action == Replace && c.DeleteBeforeReplace {
		parts = append(parts, "deleted before its replacement is created")
	}
	for _, why := range c.Refused {
		parts = append(parts, "refused by AWS: "+why)
	}
	if len(c.AfterUpdate) > 0 {
		parts = append(parts, "needs a step after pulumi up (below)")
	}
	if c.Retained {
		parts = append(parts, "kept in AWS (retainOnDelete)")
	}
	if c.Protected && (c.Action == Replace || c.Action == Delete) {
		parts = append(parts, "protected: pulumi up will refuse")
	}
	if c.Unknown {
		parts = append(parts, "(no replacement rules for this type: may replace)")
	}
	if c.RegisteredBy != "" {
		parts = append(parts, "registered by "+c.RegisteredBy)
	}
	return strings.Join(parts, "; ")
}

// plural writes a count with its noun, adding an s unless the count is one.
func plural(n int, noun string) string {
	if n == 1 {
		return fmt.Sprintf("1 %s", noun)
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// writeAfterUpdate lists the steps that changes need after pulumi up to take effect.
func writeAfterUpdate(w io.Writer, changes []Change) error {
	first := true
	for _, c := range changes {
		for _, step := range c.AfterUpdate {
			if first {
				if _, err := fmt.Fprintln(w, "\nAfter pulumi up:"); err != nil {
					return err
				}
				first = false
			}
			if _, err := fmt.Fprintf(w, "  %s %s: %s\n", shortType(c.Type), c.Name, step); err != nil {
				return err
			}
		}
	}
	return nil
}
