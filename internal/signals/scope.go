package signals

import "strings"

// Scoped gives the signals of a component named name IDs that keep two components of one kind apart
// under one Observability. A component named after its kind (the DataTier "data", the CacheTier
// "cache", as tierstack's tiers name them) keeps its IDs (data-cpu); any other has its name in
// place of the kind (orders-cpu, orders-shard1-cpu, orders-table-events-read-throttles), and its name
// in the graphs' titles and the alarms' descriptions. Families stay the kind's (data-cpu), so that an
// override of a family reaches every component of the kind, and an override of an ID one component.
func Scoped(list []Signal, kind, name string) []Signal {
	if name == kind {
		return list
	}
	scope := strings.ToLower(name)
	out := make([]Signal, len(list))
	for i, s := range list {
		s = s.WithDefaults() // the family is fixed before the ID changes
		if rest, ok := strings.CutPrefix(s.ID, kind+"-"); ok {
			s.ID = scope + "-" + rest
		} else {
			s.ID = scope + "-" + s.ID
		}
		s.Title += " (" + name + ")"
		s.Resource += " of " + name
		out[i] = s
	}
	return out
}
