package insights

import (
	"fmt"

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
	var only map[string]bool
	if changes != nil {
		only = map[string]bool{}
		for _, c := range changes {
			if c.Action != synth.Delete {
				only[c.URN] = true
			}
		}
	}
	deploy, err := EstimateDeploy(p.Resources, durations, only)
	if err != nil {
		return Report{}, err
	}
	return Report{Cost: cost, Deploy: deploy, Safety: CheckSafety(p.Resources, synth.Unsafe(changes))}, nil
}
