package webtier

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// InsightsMinimumVersion is the oldest amazon-cloudwatch-observability add-on a cluster runs:
// v4.6.0 is the first whose Fluent Bit (3.x) reads the host logs from the systemd journal, the only
// place Amazon Linux 2023 nodes keep them (no /var/log/messages), and every version since v4.0.0
// takes the manager.applicationSignals settings of InsightsConfiguration (the add-on's release
// notes, aws-observability/helm-charts RELEASE_NOTES: v4.0.0 auto monitor, v4.6.0 "Update FluentBit
// config to use systemd plugin for retrieving host logs", v5.0.0 "Enable Application Signals
// AutoMonitor by default").
const InsightsMinimumVersion = "v4.6.0"

// InsightsConfiguration is the add-on's configurationValues: what Container Insights collects,
// stated rather than left to the add-on's defaults, which change between versions.
//
//   - agent.config: the CloudWatch agent collects Container Insights with enhanced observability
//     (logs.metrics_collected.kubernetes.enhanced_container_insights: cluster, node, pod and
//     container metrics, billed per observation) and nothing else. Without application_signals
//     in it, the agent receives no Application Signals metrics or traces ("Use a custom CloudWatch
//     agent configuration", Amazon CloudWatch User Guide, "Install the CloudWatch agent with the
//     Amazon CloudWatch Observability EKS add-on or the Helm chart").
//   - manager.applicationSignals.autoMonitor.monitorAllServices false: the operator injects no
//     ADOT SDK into any workload. From v5.0.0 the add-on instruments every Java, Python, .NET and
//     Node.js workload by default, billed per request; an injected init container would also be
//     one that Pod Security "restricted" refuses in the app's namespace.
//   - containerLogs.enabled true: Fluent Bit ships every container's stdout and stderr to the
//     "application" group, the nodes' kubelet, containerd, aws-node and kube-proxy logs to
//     "dataplane", and their kernel, system and security logs (from the journal) to "host".
func InsightsConfiguration() (string, error) {
	doc, err := json.Marshal(map[string]any{
		"agent": map[string]any{"config": map[string]any{
			"logs": map[string]any{"metrics_collected": map[string]any{
				"kubernetes": map[string]any{"enhanced_container_insights": true},
			}},
		}},
		"manager": map[string]any{"applicationSignals": map[string]any{
			"autoMonitor": map[string]any{"monitorAllServices": false},
		}},
		"containerLogs": map[string]any{"enabled": true},
	})
	if err != nil {
		return "", fmt.Errorf("container insights configuration: %w", err)
	}
	return string(doc), nil
}

// checkInsightsVersion refuses an amazon-cloudwatch-observability add-on version older than
// InsightsMinimumVersion, whether pinned in Cluster.AddonVersions or EKS's default.
func checkInsightsVersion(v string) error {
	got, ok := addonRelease(v)
	want, _ := addonRelease(InsightsMinimumVersion + "-eksbuild.1")
	if !ok || compareRelease(got, want) < 0 {
		return fmt.Errorf("webtier: addonVersions %s %q is older than %s (allowed: %s or later: tierstack configures it with settings older versions refuse or ignore; pin a newer version in addonVersions)",
			ObservabilityAddon, v, InsightsMinimumVersion, InsightsMinimumVersion)
	}
	return nil
}

// addonRelease is the major, minor and patch numbers of an EKS add-on version (v4.6.0-eksbuild.1).
func addonRelease(v string) ([3]int, bool) {
	var out [3]int
	core, _, _ := strings.Cut(strings.TrimPrefix(v, "v"), "-")
	parts := strings.Split(core, ".")
	if !strings.HasPrefix(v, "v") || len(parts) != 3 {
		return out, false
	}
	for i, p := range parts {
		n, err := strconv.Atoi(p)
		if err != nil || n < 0 {
			return out, false
		}
		out[i] = n
	}
	return out, true
}

// compareRelease orders two releases: negative when a is older than b, 0 when equal.
func compareRelease(a, b [3]int) int {
	for i := range a {
		if a[i] != b[i] {
			return a[i] - b[i]
		}
	}
	return 0
}
