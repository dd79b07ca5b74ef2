package synth

// markRegisteredBy copies to each change the package that registers its resource (the new plan's
// word, else the old plan's for a deletion), so that the changes pulumi-eks's provider makes read
// as its own.
func markRegisteredBy(changes []Change, before, after *Plan) {
	by := map[string]string{}
	for _, p := range []*Plan{before, after} {
		for _, r := range p.Resources {
			if r.RegisteredBy != "" {
				by[r.URN] = r.RegisteredBy
			}
		}
	}
	for i := range changes {
		changes[i].RegisteredBy = by[changes[i].URN]
	}
}
