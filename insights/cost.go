package insights

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"

	"github.com/tierstack/tierstack/synth"
)

// Cost is a monthly cost estimate of a plan: the `cost` object of `plan --format json`.
type Cost struct {
	// MonthlyUSD is the estimated monthly cost of every resource whose price is known.
	MonthlyUSD float64 `json:"monthlyUSD"`
	// PerUserUSD is MonthlyUSD divided by the model's users.
	PerUserUSD float64 `json:"perUserUSD"`
	// ByComponent is MonthlyUSD split by the top-level component a resource belongs to ("stack" for
	// resources outside any component).
	ByComponent map[string]float64 `json:"byComponent"`
	// Unknown are the types with a resource the price table cannot price: the estimate leaves them
	// out, so the true cost is higher.
	Unknown []string `json:"unknown"`
	// Assumptions are the usage figures the estimate assumed.
	Assumptions CostModel `json:"assumptions"`
	// Resources are the priced, free and unknown resources, most expensive first.
	Resources []ResourceCost `json:"resources"`
	// PriceTable says when the embedded price table was compiled.
	PriceTable string `json:"priceTable"`
	// Note says what to bear in mind, such as prices of another region than the plan's.
	Note string `json:"note,omitempty"`
}

// ResourceCost is the estimate for one resource.
type ResourceCost struct {
	// URN is the resource.
	URN string `json:"urn"`
	// Type is its type token.
	Type string `json:"type"`
	// Component is the top-level component it belongs to.
	Component string `json:"component"`
	// MonthlyUSD is its known monthly cost.
	MonthlyUSD float64 `json:"monthlyUSD"`
	// Lines are what makes up MonthlyUSD.
	Lines []Line `json:"lines,omitempty"`
	// Free says why AWS charges nothing for it, when it does not.
	Free string `json:"free,omitempty"`
	// Unknown says what the table cannot price, when it cannot.
	Unknown string `json:"unknown,omitempty"`
}

// Line is one priced quantity: quantity × the price's value.
type Line struct {
	// Item says what is charged.
	Item string `json:"item"`
	// Quantity is how many Units a month.
	Quantity float64 `json:"quantity"`
	// PriceID is the price table's id of the unit price.
	PriceID string `json:"priceId"`
	// USD is quantity × price.
	USD float64 `json:"usd"`
	// Assumed is true when the quantity comes from the cost model rather than from the plan.
	Assumed bool `json:"assumed,omitempty"`
}

// pricer prices one resource: its lines, or why it cannot be priced.
type pricer func(e *estimator, r *synth.Resource) ([]Line, string)

// estimator holds what pricing one resource may need of the rest of the plan.
type estimator struct {
	model  CostModel
	prices PriceTable
	ix     index
	counts map[string]int // resources per type, to share usage between them
}

// line prices quantity units of the price id; ok is false when the table lacks id.
func (e *estimator) line(item, id string, quantity float64, assumed bool) (Line, bool) {
	p, ok := e.prices.Lookup(id)
	if !ok {
		return Line{}, false
	}
	return Line{Item: item, Quantity: quantity, PriceID: id, USD: quantity * p.Value, Assumed: assumed}, true
}

// EstimateCost prices every resource of a plan for a month of the model's usage. A resource whose
// type the table cannot price is listed in Unknown and counts nothing; a type AWS does not charge
// for is free. A remote component listed without its children (pulumi-eks's cluster in a plan made
// before the offline engine expanded it) is priced as what it creates; listed with them, they carry
// the cost.
func EstimateCost(resources []synth.Resource, model CostModel, prices PriceTable) (Cost, error) {
	if err := model.Validate(); err != nil {
		return Cost{}, err
	}
	e := &estimator{model: model, prices: prices, ix: newIndex(resources), counts: map[string]int{}}
	parents := map[string]bool{}
	for _, r := range resources {
		e.counts[r.Type]++
		parents[r.Parent] = true
	}
	c := Cost{ByComponent: map[string]float64{}, Unknown: []string{}, Assumptions: model,
		PriceTable: prices.Meta.Compiled}
	unknown := map[string]bool{}
	for i := range resources {
		r := &resources[i]
		rc := ResourceCost{URN: r.URN, Type: r.Type, Component: topComponent(e.ix, r)}
		switch {
		case !r.Custom && (pricers[r.Type] == nil || parents[r.URN]):
			rc.Free = "a component: its resources carry the cost"
		case freeReason(r.Type) != "":
			rc.Free = freeReason(r.Type)
		default:
			price, known := pricers[r.Type]
			if !known {
				rc.Unknown = "the price table has no price for this type"
				break
			}
			lines, why := price(e, r)
			rc.Lines = lines
			rc.Unknown = why
			for _, l := range lines {
				rc.MonthlyUSD += l.USD
			}
		}
		if rc.Unknown != "" {
			unknown[r.Type] = true
		}
		rc.MonthlyUSD = roundCents(rc.MonthlyUSD)
		c.MonthlyUSD += rc.MonthlyUSD
		if rc.MonthlyUSD > 0 {
			c.ByComponent[rc.Component] = roundCents(c.ByComponent[rc.Component] + rc.MonthlyUSD)
		}
		c.Resources = append(c.Resources, rc)
	}
	c.MonthlyUSD = roundCents(c.MonthlyUSD)
	c.PerUserUSD = math.Round(c.MonthlyUSD/float64(model.Users)*1e4) / 1e4
	for t := range unknown {
		c.Unknown = append(c.Unknown, t)
	}
	sort.Strings(c.Unknown)
	sort.SliceStable(c.Resources, func(i, j int) bool {
		if c.Resources[i].MonthlyUSD != c.Resources[j].MonthlyUSD {
			return c.Resources[i].MonthlyUSD > c.Resources[j].MonthlyUSD
		}
		return c.Resources[i].URN < c.Resources[j].URN
	})
	return c, nil
}

// roundCents rounds to whole cents.
func roundCents(v float64) float64 { return math.Round(v*100) / 100 }

// topComponent is the name of the outermost component that holds r (r itself when it is one), or
// "stack".
func topComponent(ix index, r *synth.Resource) string {
	name := "stack"
	for cur := r; cur != nil; cur = ix.byURN[cur.Parent] {
		if !cur.Custom {
			name = cur.Name
		}
	}
	return name
}

// hourly prices a resource that runs all month: count × the hourly price id.
func (e *estimator) hourly(item, id string, count float64) ([]Line, string) {
	l, ok := e.line(item, id, count*e.model.HoursPerMonth, false)
	if !ok {
		return nil, fmt.Sprintf("no price %s in the table", id)
	}
	return []Line{l}, ""
}

// share is a usage figure split evenly between the resources of a type.
func (e *estimator) share(total float64, typ string) float64 {
	n := e.counts[typ]
	if n == 0 {
		return 0
	}
	return total / float64(n)
}

// ec2ID is the price id of an EC2 instance type's hour.
func ec2ID(instanceType string) string { return "ec2." + instanceType + ".hour" }

// instanceLines prices count instances of a type with a gp3 root volume each.
func (e *estimator) instanceLines(instanceType string, count, volumeGB float64) ([]Line, string) {
	if instanceType == "" {
		return nil, "the plan does not say the instance type"
	}
	lines, why := e.hourly(fmt.Sprintf("%g × %s", count, instanceType), ec2ID(instanceType), count)
	if why != "" {
		return nil, why
	}
	if volumeGB > 0 {
		if l, ok := e.line(fmt.Sprintf("%g × %g GB gp3 root volume", count, volumeGB), "ebs.gp3.gb_month", count*volumeGB, false); ok {
			lines = append(lines, l)
		}
	}
	return lines, ""
}

// joinWhy joins the reasons a resource is partly unpriced.
func joinWhy(whys ...string) string {
	return strings.Join(slices.DeleteFunc(whys, func(s string) bool { return s == "" }), "; ")
}
