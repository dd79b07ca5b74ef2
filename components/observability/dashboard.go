package observability

import (
	"encoding/json"
	"fmt"
	"regexp"
	"sort"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/tierstack/tierstack/internal/awsenv"
	"github.com/tierstack/tierstack/internal/naming"
	"github.com/tierstack/tierstack/internal/signals"
)

// MaxWidgets is how many widgets CloudWatch accepts on one dashboard.
const MaxWidgets = 500

// goldenRows are the dashboard's rows, top to bottom.
var goldenRows = []signals.Golden{signals.Latency, signals.Traffic, signals.Errors, signals.Saturation}

// dashboardNameChars are what a dashboard name may hold besides letters and digits: - and _.
var notDashboardChar = regexp.MustCompile(`[^A-Za-z0-9_-]`)

// dashboardName is the stack's dashboard name: project, stack and component, in the characters
// CloudWatch allows (letters, digits, - and _), at most 255 of them.
func dashboardName(ctx *pulumi.Context, name string) string {
	n := notDashboardChar.ReplaceAllString(fmt.Sprintf("%s-%s-%s", ctx.Project(), ctx.Stack(), name), "-")
	if len(n) > 255 {
		n = n[:255]
	}
	return n
}

// buildDashboard creates the dashboard: one row per golden signal, one graph per signal, each with
// its alarm's threshold drawn across it.
func (o *Observability) buildDashboard(ctx *pulumi.Context, name string, a Args, env awsenv.Env) error {
	// Every dimension value, in signal order, to resolve at once.
	var values []any
	for _, s := range a.Signals {
		for _, m := range metricsOf(s) {
			for _, k := range sortedKeys(m.Dimensions) {
				values = append(values, m.Dimensions[k])
			}
		}
	}
	list := a.Signals
	body := pulumi.All(values...).ApplyT(func(vs []any) (string, error) {
		i := 0
		resolved := make([]Resolved, len(list))
		for j, s := range list {
			r := Resolved{Signal: s}
			for _, m := range metricsOf(s) {
				dims := map[string]string{}
				for _, k := range sortedKeys(m.Dimensions) {
					dims[k], _ = vs[i].(string)
					i++
				}
				r.Dimensions = append(r.Dimensions, dims)
			}
			resolved[j] = r
		}
		return DashboardBody(env.Region, resolved)
	}).(pulumi.StringOutput)
	d, err := cloudwatch.NewDashboard(ctx, naming.Child(name, "dashboard"), &cloudwatch.DashboardArgs{
		DashboardName: pulumi.String(dashboardName(ctx, name)),
		DashboardBody: body,
	}, pulumi.Parent(o))
	if err != nil {
		return err
	}
	o.DashboardName = d.DashboardName
	return nil
}

// metricsOf lists a signal's metrics: the metric, and for a rate the one it is divided by.
func metricsOf(s signals.Signal) []signals.Metric {
	if s.Per != nil {
		return []signals.Metric{s.Metric, *s.Per}
	}
	return []signals.Metric{s.Metric}
}

// Resolved is a signal whose dimension values are known: one map per metric of metricsOf.
type Resolved struct {
	signals.Signal
	// Dimensions are the metric's dimensions, then for a rate those of Per.
	Dimensions []map[string]string
}

// DashboardBody is the dashboard's JSON: per golden signal a title and one graph per signal, in
// the region of the signal's metric, with the alarm's threshold as a horizontal annotation. It is
// pure, so that tests read it without an engine.
func DashboardBody(home string, list []Resolved) (string, error) {
	type widget map[string]any
	var widgets []widget
	y := 0
	for _, golden := range goldenRows {
		var row []Resolved
		for _, r := range list {
			if r.Golden == golden {
				row = append(row, r)
			}
		}
		if len(row) == 0 {
			continue
		}
		sort.SliceStable(row, func(i, j int) bool { return layerRank(row[i].Layer) < layerRank(row[j].Layer) })
		widgets = append(widgets, widget{"type": "text", "x": 0, "y": y, "width": 24, "height": 1,
			"properties": map[string]any{"markdown": "## " + titleOf(golden)}})
		y++
		for i, r := range row {
			region := r.Metric.Region
			if region == "" {
				region = home
			}
			props := map[string]any{
				"title":   r.Title,
				"region":  region,
				"view":    "timeSeries",
				"stacked": false,
				"period":  r.Period,
				"stat":    r.Metric.Statistic,
				"metrics": graphMetrics(r),
				"annotations": map[string]any{"horizontal": []map[string]any{{
					"label": "alarm " + r.ID, "value": r.Threshold,
				}}},
			}
			widgets = append(widgets, widget{"type": "metric", "x": (i % 3) * 8, "y": y + (i/3)*6, "width": 8, "height": 6, "properties": props})
		}
		y += ((len(row) + 2) / 3) * 6
	}
	if len(widgets) > MaxWidgets {
		return "", fmt.Errorf("dashboard would have %d widgets (allowed: at most %d)", len(widgets), MaxWidgets)
	}
	if widgets == nil {
		widgets = []widget{}
	}
	out, err := json.Marshal(map[string]any{"widgets": widgets})
	if err != nil {
		return "", fmt.Errorf("dashboard body: %w", err)
	}
	return string(out), nil
}

// graphMetrics is a graph's metrics array: [namespace, name, dimension, value, …, options].
func graphMetrics(r Resolved) []any {
	line := func(m signals.Metric, dims map[string]string, opts map[string]any) []any {
		out := []any{m.Namespace, m.Name}
		for _, k := range sortedKeys(dims) {
			out = append(out, k, dims[k])
		}
		if opts != nil {
			out = append(out, opts)
		}
		return out
	}
	if r.Growth {
		return []any{
			[]any{map[string]any{"expression": GrowthExpression, "label": r.Title + " (growth)", "id": "growth"}},
			line(r.Metric, r.Dimensions[0], map[string]any{"id": "m", "visible": false}),
		}
	}
	if r.Per == nil {
		return []any{line(r.Metric, r.Dimensions[0], nil)}
	}
	return []any{
		[]any{map[string]any{"expression": RateExpression, "label": r.Title + " (%)", "id": "rate"}},
		line(r.Metric, r.Dimensions[0], map[string]any{"id": "m", "visible": false}),
		line(*r.Per, r.Dimensions[1], map[string]any{"id": "d", "visible": false}),
	}
}

// layerRank orders graphs in a row from the user inwards.
func layerRank(l signals.Layer) int {
	for i, v := range []signals.Layer{signals.LayerEdge, signals.LayerWeb, signals.LayerWorkers, signals.LayerData, signals.LayerCache, signals.LayerStreaming, signals.LayerLogs} {
		if v == l {
			return i
		}
	}
	return 99
}

// titleOf is a golden signal's row title.
func titleOf(g signals.Golden) string {
	return map[signals.Golden]string{signals.Latency: "Latency", signals.Traffic: "Traffic", signals.Errors: "Errors", signals.Saturation: "Saturation"}[g]
}
