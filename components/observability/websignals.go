package observability

import (
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/tierstack/tierstack/internal/signals"
)

// WebInputs are what the web tier's signals need to name its resources. A nil field means the tier
// has no such resource, and its signals are left out.
type WebInputs struct {
	// InstanceID is the single instance of mode instance.
	InstanceID pulumi.StringInput
	// AutoScalingGroupName is the Auto Scaling group's name.
	AutoScalingGroupName pulumi.StringInput
	// LoadBalancerARNSuffix is the load balancer's ARN suffix (app/name/id), its metrics' LoadBalancer dimension.
	LoadBalancerARNSuffix pulumi.StringInput
	// TargetGroupARNSuffix is the target group's ARN suffix (targetgroup/name/id), for the per-target-group metrics.
	TargetGroupARNSuffix pulumi.StringInput
	// ClusterName is the EKS cluster's name (mode eks), whose Container Insights metrics are watched.
	ClusterName pulumi.StringInput
	// AppNamespace and AppWorkload name the app's pods in the cluster.
	AppNamespace, AppWorkload string
}

// WebSignals describes what to watch in the web tier: the single instance's CPU and status checks
// (the system check recovers the instance), or the Auto Scaling group's CPU; the load balancer's
// own and its targets' 5xx rates, response time p95 and p99, rejected connections and request
// surges; the target group's unhealthy hosts. Pure: it registers nothing.
func WebSignals(in WebInputs) []signals.Signal {
	var list []signals.Signal
	ec2 := func(name, stat string, dims map[string]pulumi.StringInput) signals.Metric {
		return signals.Metric{Namespace: "AWS/EC2", Name: name, Statistic: stat, Dimensions: dims}
	}
	if in.InstanceID != nil {
		dims := map[string]pulumi.StringInput{"InstanceId": in.InstanceID}
		list = append(list,
			signals.Signal{ID: "web-cpu", Title: "Web CPU", Resource: "web server (EC2 instance)", Layer: signals.LayerWeb, Golden: signals.Saturation,
				Metric: ec2("CPUUtilization", "Average", dims), Kind: signals.Percent, Threshold: 80, Comparison: signals.AtOrAbove,
				Period: 300, EvaluationPeriods: 3, Missing: signals.MissingMissing, Severity: signals.Page,
				Meaning:    "the one server has been busy for 15 minutes: requests queue and time out.",
				CheckFirst: "the app's logs for a hot endpoint, then a larger instanceType in tierstack:web (a stop and a start) or the 10k tier."},
			signals.Signal{ID: "web-status-system", Title: "Web system status check", Resource: "web server (EC2 instance)", Layer: signals.LayerWeb, Golden: signals.Errors,
				Metric: ec2("StatusCheckFailed_System", "Maximum", dims), Kind: signals.Count, Threshold: 1, Comparison: signals.AtOrAbove,
				Period: 60, EvaluationPeriods: 2, Missing: signals.MissingMissing, Severity: signals.Page, RecoverInstance: true,
				Meaning:    "AWS's hardware or network under the instance failed; the alarm asks EC2 to recover it onto healthy hardware (same ID, addresses and volume).",
				CheckFirst: "the instance's state in the console a few minutes later; if recovery failed, stop and start it."},
			signals.Signal{ID: "web-status-instance", Title: "Web instance status check", Resource: "web server (EC2 instance)", Layer: signals.LayerWeb, Golden: signals.Errors,
				Metric: ec2("StatusCheckFailed_Instance", "Maximum", dims), Kind: signals.Count, Threshold: 1, Comparison: signals.AtOrAbove,
				Period: 60, EvaluationPeriods: 3, Missing: signals.MissingMissing, Severity: signals.Page,
				Meaning:    "the operating system stopped answering (memory exhausted, a full disk, a kernel panic).",
				CheckFirst: "the instance's system log and screenshot in the console (no SSH needed), then reboot it."},
		)
	}
	if in.AutoScalingGroupName != nil {
		list = append(list, signals.Signal{ID: "web-cpu", Title: "Web CPU", Resource: "web Auto Scaling group", Layer: signals.LayerWeb, Golden: signals.Saturation,
			Metric: ec2("CPUUtilization", "Average", map[string]pulumi.StringInput{"AutoScalingGroupName": in.AutoScalingGroupName}),
			Kind:   signals.Percent, Threshold: 80, Comparison: signals.AtOrAbove,
			Period: 300, EvaluationPeriods: 3, Missing: signals.MissingMissing, Severity: signals.Page,
			Meaning:    "the group averages 80 % CPU for 15 minutes though it scales at 50 %: it is at its maximum size or cannot launch.",
			CheckFirst: "the group's activity history (launch failures, max size reached), then replicas.max in tierstack:app."})
	}
	if in.ClusterName != nil {
		list = append(list, clusterSignals(in)...)
	}
	if in.LoadBalancerARNSuffix != nil {
		list = append(list, albSignals(in.LoadBalancerARNSuffix)...)
	}
	if in.LoadBalancerARNSuffix != nil && in.TargetGroupARNSuffix != nil {
		list = append(list, signals.Signal{ID: "web-unhealthy-hosts", Title: "Unhealthy targets", Resource: "the load balancer's target group", Layer: signals.LayerWeb, Golden: signals.Errors,
			Metric: signals.Metric{Namespace: "AWS/ApplicationELB", Name: "UnHealthyHostCount", Statistic: "Maximum",
				Dimensions: map[string]pulumi.StringInput{"LoadBalancer": in.LoadBalancerARNSuffix, "TargetGroup": in.TargetGroupARNSuffix}},
			Kind: signals.Count, Threshold: 1, Comparison: signals.AtOrAbove,
			Period: 60, EvaluationPeriods: 5, DatapointsToAlarm: 3, Missing: signals.MissingMissing, Severity: signals.Page,
			Meaning:    "targets fail the health check: fewer servers carry the traffic, and the group replaces them.",
			CheckFirst: "the app's health path on one instance (its logs through the console), then the database and cache alarms."})
	}
	return list
}

// albSignals are the load balancer's signals; lb is its ARN suffix.
func albSignals(lb pulumi.StringInput) []signals.Signal {
	m := func(name, stat string) signals.Metric {
		return signals.Metric{Namespace: "AWS/ApplicationELB", Name: name, Statistic: stat, Dimensions: map[string]pulumi.StringInput{"LoadBalancer": lb}}
	}
	requests := m("RequestCount", "Sum")
	resource := "web load balancer"
	return []signals.Signal{
		{ID: "web-5xx-rate", Title: "Load balancer 5xx rate", Resource: resource, Layer: signals.LayerWeb, Golden: signals.Errors,
			Metric: m("HTTPCode_ELB_5XX_Count", "Sum"), Per: &requests, Threshold: 5, Comparison: signals.AtOrAbove,
			Period: 60, EvaluationPeriods: 5, DatapointsToAlarm: 3, Missing: signals.MissingNotBreaching, Severity: signals.Page,
			Meaning:    "over 5 % of requests get a 5xx from the load balancer itself: no healthy target (502/503) or targets too slow (504).",
			CheckFirst: "unhealthy hosts and target response time, then the group's activity history."},
		{ID: "web-target-5xx-rate", Title: "App 5xx rate", Resource: resource, Layer: signals.LayerWeb, Golden: signals.Errors,
			Metric: m("HTTPCode_Target_5XX_Count", "Sum"), Per: &requests, Threshold: 5, Comparison: signals.AtOrAbove,
			Period: 60, EvaluationPeriods: 5, DatapointsToAlarm: 3, Missing: signals.MissingNotBreaching, Severity: signals.Page,
			Meaning:    "over 5 % of requests get a 5xx from the app.",
			CheckFirst: "the app's error logs, then the database and cache alarms (time-outs there surface here)."},
		{ID: "web-latency-p95", Title: "Response time p95 (s)", Resource: resource, Layer: signals.LayerWeb, Golden: signals.Latency,
			Metric: m("TargetResponseTime", "p95"), Kind: signals.Seconds, Threshold: 1, Comparison: signals.AtOrAbove,
			Period: 60, EvaluationPeriods: 5, DatapointsToAlarm: 3, Missing: signals.MissingNotBreaching, Severity: signals.Notify,
			Meaning:    "one request in twenty takes over a second.",
			CheckFirst: "database CPU and replica lag, then the app's slowest endpoints."},
		{ID: "web-latency-p99", Title: "Response time p99 (s)", Resource: resource, Layer: signals.LayerWeb, Golden: signals.Latency,
			Metric: m("TargetResponseTime", "p99"), Kind: signals.Seconds, Threshold: 3, Comparison: signals.AtOrAbove,
			Period: 60, EvaluationPeriods: 5, DatapointsToAlarm: 3, Missing: signals.MissingNotBreaching, Severity: signals.Page,
			Meaning:    "one request in a hundred takes over 3 seconds: users are timing out.",
			CheckFirst: "database connections and CPU, cache CPU, then web CPU."},
		{ID: "web-rejected-connections", Title: "Rejected connections", Resource: resource, Layer: signals.LayerWeb, Golden: signals.Saturation,
			Metric: m("RejectedConnectionCount", "Sum"), Kind: signals.Count, Threshold: 0, Comparison: signals.Above,
			Period: 60, EvaluationPeriods: 3, DatapointsToAlarm: 2, Missing: signals.MissingNotBreaching, Severity: signals.Notify,
			Meaning:    "the load balancer turned connections away at its connection limit.",
			CheckFirst: "a traffic surge (requests graph), then clients that keep idle connections open."},
		{ID: "web-requests", Title: "Requests per minute", Resource: resource, Layer: signals.LayerWeb, Golden: signals.Traffic,
			Metric: requests, Kind: signals.Count, Threshold: 60000, Comparison: signals.AtOrAbove,
			Period: 60, EvaluationPeriods: 3, Missing: signals.MissingNotBreaching, Severity: signals.Notify,
			Meaning:    "traffic is above what the tier was sized for: a flash sale, a campaign or a flood.",
			CheckFirst: "WAF blocked requests (a flood), then whether the group is scaling out."},
	}
}

// clusterSignals are the EKS cluster's, from Container Insights (the amazon-cloudwatch-observability
// add-on): the nodes' CPU and memory, nodes that failed, and the app's containers restarting.
func clusterSignals(in WebInputs) []signals.Signal {
	m := func(name, stat string, dims map[string]pulumi.StringInput) signals.Metric {
		return signals.Metric{Namespace: "ContainerInsights", Name: name, Statistic: stat, Dimensions: dims}
	}
	cluster := map[string]pulumi.StringInput{"ClusterName": in.ClusterName}
	resource := "the EKS cluster's nodes"
	return []signals.Signal{
		{ID: "web-node-cpu", Title: "Node CPU", Resource: resource, Layer: signals.LayerWeb, Golden: signals.Saturation,
			Metric: m("node_cpu_utilization", "Average", cluster), Kind: signals.Percent, Threshold: 80, Comparison: signals.AtOrAbove,
			Period: 300, EvaluationPeriods: 3, Missing: signals.MissingMissing, Severity: signals.Page,
			Meaning:    "the nodes average 80 % CPU for 15 minutes though pods scale at 50 %: the autoscaler cannot add nodes (max reached, no capacity).",
			CheckFirst: "the Cluster Autoscaler's logs (kube-system) and nodesPerZone max in tierstack:web, then pending pods."},
		{ID: "web-node-memory", Title: "Node memory", Resource: resource, Layer: signals.LayerWeb, Golden: signals.Saturation,
			Metric: m("node_memory_utilization", "Average", cluster), Kind: signals.Percent, Threshold: 85, Comparison: signals.AtOrAbove,
			Period: 300, EvaluationPeriods: 3, Missing: signals.MissingMissing, Severity: signals.Page,
			Meaning:    "the nodes use 85 % of their memory: pods are about to be evicted or killed out of memory.",
			CheckFirst: "the app's memory limit against its use (kubectl top pods -n app), then a larger nodeInstanceType."},
		{ID: "web-node-failed", Title: "Failed nodes", Resource: resource, Layer: signals.LayerWeb, Golden: signals.Errors,
			Metric: m("cluster_failed_node_count", "Maximum", cluster), Kind: signals.Count, Threshold: 1, Comparison: signals.AtOrAbove,
			Period: 60, EvaluationPeriods: 5, DatapointsToAlarm: 3, Missing: signals.MissingMissing, Severity: signals.Page,
			Meaning:    "a node is not ready: its pods are being moved, and its zone runs short.",
			CheckFirst: "kubectl describe node for its conditions, then the node group's health in the EKS console."},
		{ID: "web-pod-restarts", Title: "App container restarts", Resource: "the app's pods", Layer: signals.LayerWeb, Golden: signals.Errors,
			Metric: m("pod_number_of_container_restarts", "Maximum", map[string]pulumi.StringInput{
				"ClusterName": in.ClusterName, "Namespace": pulumi.String(in.AppNamespace), "PodName": pulumi.String(in.AppWorkload)}),
			Growth: true, Kind: signals.Count, Threshold: 3, Comparison: signals.AtOrAbove,
			Period: 300, EvaluationPeriods: 1, Missing: signals.MissingNotBreaching, Severity: signals.Notify,
			Meaning:    "the app's containers restarted 3 times or more in 5 minutes (the metric is a running total; the alarm watches its growth): failing liveness probes, crashes or out-of-memory kills.",
			CheckFirst: "kubectl logs --previous and describe on the restarting pod (its last state says OOMKilled or the exit code)."},
	}
}
