package insights

import (
	"testing"

	"github.com/tierstack/tierstack/synth"
)

// A remote component and, when the plan lists them, the children its provider registers:
// pulumi-eks's Cluster over its EKS cluster.
func eksComponent(withChild bool) []synth.Resource {
	component := synth.Resource{URN: "urn:eks", Type: "eks:index:Cluster", Name: "eks"}
	if !withChild {
		return []synth.Resource{component}
	}
	cluster := res("aws:eks/cluster:Cluster", "eks-eksCluster", nil)
	cluster.Parent = component.URN
	return []synth.Resource{component, cluster}
}

// The control plane is priced once: on the EKS cluster when the plan lists pulumi-eks's children,
// on the component in a plan made before they were listed.
func TestEstimateCostPricesAnExpandedComponentOnItsChildren(t *testing.T) {
	table, err := Prices()
	if err != nil {
		t.Fatal(err)
	}
	hour, ok := table.Lookup("eks.cluster.hour")
	if !ok {
		t.Fatal("price eks.cluster.hour missing")
	}
	m := DefaultCostModel(100_000)
	want := roundCents(m.HoursPerMonth * hour.Value)
	for _, withChild := range []bool{true, false} {
		got, err := EstimateCost(eksComponent(withChild), m, table)
		if err != nil {
			t.Fatal(err)
		}
		if got.MonthlyUSD != want {
			t.Errorf("children listed %v: $%.2f a month, want $%.2f (one control plane)", withChild, got.MonthlyUSD, want)
		}
		for _, rc := range got.Resources {
			if withChild && rc.Type == "eks:index:Cluster" && rc.Free == "" {
				t.Errorf("the component is priced beside its cluster: %+v", rc)
			}
		}
	}
}

// The EKS cluster's creation is timed once: on the cluster when the plan lists it, on the
// component otherwise.
func TestEstimateDeployTimesAnExpandedComponentOnItsChildren(t *testing.T) {
	durations := timed()
	durations.Types["eks:index:Cluster"] = TypeDuration{Seconds: 600}
	durations.Types["aws:eks/cluster:Cluster"] = TypeDuration{Seconds: 600}
	for _, withChild := range []bool{true, false} {
		resources := append(eksComponent(withChild), node("nodes", "t100", "eks"))
		got, err := EstimateDeploy(resources, durations, nil)
		if err != nil {
			t.Fatal(err)
		}
		if got.CriticalPathSeconds != 700 {
			t.Errorf("children listed %v: critical path %gs, want 700s (the cluster once, then the nodes)", withChild, got.CriticalPathSeconds)
		}
		if got.Resources != 2 {
			t.Errorf("children listed %v: %d resources created, want 2 (the cluster once, the nodes)", withChild, got.Resources)
		}
	}
}

// A component is registered once what it depends on exists, and its children after it: pulumi-eks's
// EKS cluster waits for the log group its component waits for, though it reads nothing of it.
func TestEstimateDeployChildrenWaitForTheirComponentsDependencies(t *testing.T) {
	durations := timed()
	durations.Types["aws:eks/cluster:Cluster"] = TypeDuration{Seconds: 600}
	logs := node("logs", "t100")
	component := synth.Resource{URN: "urn:eks", Type: "eks:index:Cluster", Name: "eks",
		Dependencies: []string{logs.URN}, DependsOn: []string{logs.URN}}
	cluster := res("aws:eks/cluster:Cluster", "eks-eksCluster", nil)
	cluster.Parent = component.URN
	got, err := EstimateDeploy([]synth.Resource{logs, component, cluster}, durations, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got.CriticalPathSeconds != 700 {
		t.Errorf("critical path %gs, want 700s: the log group, then the cluster", got.CriticalPathSeconds)
	}
	if len(got.Chain) != 2 || got.Chain[0] != logs.URN || got.Chain[1] != cluster.URN {
		t.Errorf("chain %v, want the log group then the cluster", got.Chain)
	}
	if got.UnavoidableSeconds != 600 {
		t.Errorf("without explicit waits %gs, want 600s: the wait is the component's dependsOn", got.UnavoidableSeconds)
	}
}
