package webtier

import (
	"strconv"
	"strings"

	"github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/apiextensions"
	metav1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/meta/v1"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/tierstack/tierstack/internal/naming"
)

// PeakWindow is a known peak as KEDA's cron scaler reads it: from Start to End (Unix cron, in
// TimeZone) the app runs at least Replicas pods.
type PeakWindow struct {
	// Name is the schedule that raises the peak.
	Name string
	// Start and End are the schedules' crons: the one that raises the peak and the next, which ends it.
	Start, End string
	// TimeZone is both schedules' IANA time zone.
	TimeZone string
	// Replicas is the raising schedule's Desired, or its Min where Desired is lower or 0.
	Replicas int
}

// PeakWindows maps checked schedules to KEDA cron windows: each schedule that raises Min above
// the group's own min (lo) opens a window that the next schedule, which checkPeaks made sure ends
// the peak, closes. A schedule that ends no peak opens none.
func PeakWindows(schedules []Schedule, lo int) []PeakWindow {
	var out []PeakWindow
	for i, s := range schedules {
		if s.Min == lo || i+1 == len(schedules) {
			continue
		}
		out = append(out, PeakWindow{
			Name:     s.Name,
			Start:    strings.Join(strings.Fields(s.Cron), " "),
			End:      strings.Join(strings.Fields(schedules[i+1].Cron), " "),
			TimeZone: s.TimeZone,
			Replicas: max(s.Min, s.Desired),
		})
	}
	return out
}

// scaledObjectTriggers are the app's KEDA triggers: CPU at TargetCPU % of the requests (the cpu
// scaler, metricType Utilization), and a cron window per known peak, whose desired count KEDA's HPA
// takes as a floor while it is open (the HPA runs the most replicas any trigger asks for).
func scaledObjectTriggers(windows []PeakWindow) pulumi.Array {
	return append(pulumi.Array{pulumi.Map{
		"type":       pulumi.String("cpu"),
		"metricType": pulumi.String("Utilization"),
		"metadata":   pulumi.Map{"value": pulumi.String(strconv.Itoa(TargetCPU))},
	}}, CronTriggers(windows)...)
}

// CronTriggers are KEDA cron triggers, one per peak window: while a window is open the workload
// runs at least its Replicas.
func CronTriggers(windows []PeakWindow) pulumi.Array {
	triggers := pulumi.Array{}
	for _, p := range windows {
		triggers = append(triggers, pulumi.Map{
			"type": pulumi.String("cron"),
			"name": pulumi.String(p.Name),
			"metadata": pulumi.Map{
				"timezone":        pulumi.String(p.TimeZone),
				"start":           pulumi.String(p.Start),
				"end":             pulumi.String(p.End),
				"desiredReplicas": pulumi.String(strconv.Itoa(p.Replicas)),
			},
		})
	}
	return triggers
}

// buildScaledObject scales the app's Deployment with a KEDA ScaledObject (keda.sh/v1alpha1), which
// makes and owns the HorizontalPodAutoscaler (keda-hpa-app): from App.Replicas min to max, on CPU
// and the peaks' cron windows. It waits for KEDA, whose chart defines the kind and whose admission
// webhook checks it (the cpu trigger needs every container's CPU request, which podSpec sets), and
// for the Deployment it names. The HPA keeps KEDA's default name rather than the former HPA's
// (advanced.horizontalPodAutoscalerConfig.name "app"): a stack that ran the former one deletes it
// only after creating the ScaledObject, and KEDA's webhook refuses a ScaledObject whose target
// another HPA already scales (keda v2.21.1 apis/keda/v1alpha1/scaledobject_webhook.go verifyHpas;
// also "missing-requests" for a cpu trigger), so such a stack (none was deployed) would need two
// pulumi up.
func buildScaledObject(ctx *pulumi.Context, name string, a checkedArgs, meta *metav1.ObjectMetaArgs, deployment pulumi.StringOutput, after []pulumi.Resource, opts ...pulumi.ResourceOption) error {
	lo, _ := groupBounds(a.App.Replicas)
	r := a.App.Replicas
	_, err := apiextensions.NewCustomResource(ctx, naming.Child(name, "scaler"), &apiextensions.CustomResourceArgs{
		ApiVersion: pulumi.String("keda.sh/v1alpha1"),
		Kind:       pulumi.String("ScaledObject"),
		Metadata:   meta,
		OtherFields: map[string]any{"spec": pulumi.Map{
			"scaleTargetRef": pulumi.Map{
				"apiVersion": pulumi.String("apps/v1"), "kind": pulumi.String("Deployment"), "name": deployment,
			},
			"minReplicaCount": pulumi.Int(r.Min),
			"maxReplicaCount": pulumi.Int(r.Max),
			"triggers":        scaledObjectTriggers(PeakWindows(a.Schedules, lo)),
		}},
	}, append(opts, pulumi.DependsOn(after))...)
	return err
}
