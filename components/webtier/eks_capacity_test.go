package webtier

import "testing"

// kubeReservedCPU follows EKS's AL2023 formula: 6 % of the first core, 1 % of the second, 0.5 %
// of the third and fourth, 0.25 % of the rest.
func TestKubeReservedCPU(t *testing.T) {
	cases := []struct {
		name       string
		millicores int
		want       int
	}{
		{"one vCPU", 1000, 60},
		{"two vCPUs", 2000, 70},
		{"four vCPUs", 4000, 80},
		{"eight vCPUs", 8000, 90},
		{"sixty-four vCPUs", 64000, 230},
	}
	for _, c := range cases {
		if got := kubeReservedCPU(c.millicores); got != c.want {
			t.Errorf("%s: kubeReservedCPU(%d) = %d, want %d", c.name, c.millicores, got, c.want)
		}
	}
}

// PodCPU is the node's allocatable CPU less the DaemonSets' requests (425m: aws-node 25m,
// kube-proxy 100m, the Pod Identity agent none, the CloudWatch agent 250m, Fluent Bit 50m).
func TestPodCPU(t *testing.T) {
	cases := []struct {
		typ   string
		want  int
		known bool
	}{
		{"m7g.medium", 1000 - 60 - 425, true},
		{"m7g.large", 2000 - 70 - 425, true},
		{"c7g.xlarge", 4000 - 80 - 425, true},
		{"m7g.2xlarge", 8000 - 90 - 425, true},
		{"m7g.16xlarge", 64000 - 230 - 425, true},
		{"m7g.metal", 0, false},
	}
	for _, c := range cases {
		got, known := PodCPU(c.typ)
		if got != c.want || known != c.known {
			t.Errorf("PodCPU(%q) = %d, %v; want %d, %v", c.typ, got, known, c.want, c.known)
		}
	}
}

// The check refuses an app that would never schedule and accepts one that fits, by the node's
// allocatable CPU less the DaemonSets, not by its vCPUs less a flat 200m.
func TestClusterCheckedRefusesAnAppThatNeverSchedules(t *testing.T) {
	cases := []struct {
		name    string
		typ     string
		cpu     int
		refused bool
	}{
		{"fits m7g.large", "m7g.large", 1505, false},
		{"over m7g.large's room, under its vCPUs less 200m", "m7g.large", 1506, true},
		{"the old limit on m7g.large", "m7g.large", 1800, true},
		{"fits m7g.xlarge", "m7g.xlarge", 3495, false},
		{"over m7g.xlarge", "m7g.xlarge", 3500, true},
	}
	for _, c := range cases {
		_, err := Cluster{NodeInstanceType: c.typ}.checked(c.cpu)
		if (err != nil) != c.refused {
			t.Errorf("%s: cpu %d on %s: err = %v, want refused %v", c.name, c.cpu, c.typ, err, c.refused)
		}
	}
}
