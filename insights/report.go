package insights

import (
	"fmt"
	"strings"

	"github.com/tierstack/tierstack/synth"
)

// pricedRegion is the region of the price table's figures.
const pricedRegion = "us-east-1"

// Report is what plan adds to a plan: its cost, deploy time and safety, as `plan --format json`
// names them.
type Report struct {
	// Cost is the monthly cost estimate.
	Cost Cost `json:"cost"`
	// Deploy is the pulumi up time estimate.
	Deploy Deploy `json:"deploy"`
	// Safety is the safety report.
	Safety Safety `json:"safety"`
}

// Analyze reports on a plan with the embedded tables. With a tier change, changes are what it does
// (synth.Diff): the deploy estimate covers only what it creates, replaces or updates, and its unsafe
// changes are safety errors; changes nil means a new stack.
func Analyze(p *synth.Plan, model CostModel, changes []synth.Change) (Report, error) {
	return AnalyzeChange(nil, p, model, changes)
}

// AnalyzeChange is Analyze for a tier change from plan before (nil when unknown), so that the
// deploy estimate times each in-place update by what changes in it (EstimateUpdate).
func AnalyzeChange(before, p *synth.Plan, model CostModel, changes []synth.Change) (Report, error) {
	prices, err := Prices()
	if err != nil {
		return Report{}, err
	}
	durations, err := Durations()
	if err != nil {
		return Report{}, err
	}
	cost, err := EstimateCost(p.Resources, model, prices)
	if err != nil {
		return Report{}, err
	}
	if p.Region != "" && p.Region != pricedRegion {
		cost.Note = fmt.Sprintf("the price table holds %s prices; %s may differ", pricedRegion, p.Region)
	}
	var deploy Deploy
	if changes != nil {
		deploy, err = EstimateUpdate(before, p, durations, changes)
	} else {
		deploy, err = EstimateDeploy(p.Resources, durations, nil)
	}
	if err != nil {
		return Report{}, err
	}
	safety := CheckSafety(p.Resources, synth.Unsafe(changes))
	if p.Region != "" {
		rl := RegionLossOf(p.Region, p.Resources)
		if rto, ok := p.Outputs["drRto"].(string); ok && rl.Survives && len(rl.CopiedTo) > 0 {
			rl.RTO = rto
		}
		safety.RegionLoss = &rl
		// The zone-loss verdict is the stack's region's: a DR region's zones (their names begin
		// with another region's) are that region's business, judged by the region-loss verdict.
		for z := range safety.AZLoss {
			if !strings.HasPrefix(z, p.Region) {
				delete(safety.AZLoss, z)
			}
		}
	}
	return Report{Cost: cost, Deploy: deploy, Safety: safety}, nil
}
