package insights

import (
	_ "embed"
	"sync"
)

// durationsJSON is the creation-time table: seconds by type, with the evidence behind them.
//
//go:embed durations.json
var durationsJSON []byte

// DurationTable is the embedded creation-time table.
type DurationTable struct {
	// Meta describes the table and gives the seconds of a type it does not list.
	Meta struct {
		Description    string  `json:"description"`
		Compiled       string  `json:"compiled"`
		DefaultSeconds float64 `json:"defaultSeconds"`
		DefaultHow     string  `json:"defaultHow"`
	} `json:"meta"`
	// Types are the seconds each type takes to create, and how they follow from the evidence.
	Types map[string]TypeDuration `json:"types"`
	// Updates time the in-place updates of the types whose update is long (see UpdateSeconds).
	Updates struct {
		Note  string                    `json:"note"`
		Types map[string]UpdateDuration `json:"types"`
	} `json:"updates"`
}

// TypeDuration is how long creating one resource of a type takes.
type TypeDuration struct {
	// Seconds is the typical creation time used.
	Seconds float64 `json:"seconds"`
	// Evidence is the id of the sourced figure it comes from, if any.
	Evidence string `json:"evidence,omitempty"`
	// How says how Seconds follows from the evidence, or that it is an assumption.
	How string `json:"how,omitempty"`
}

// Durations returns the embedded creation-time table, decoded once.
var Durations = sync.OnceValues(func() (DurationTable, error) {
	return decodeEmbedded[DurationTable](durationsJSON, "durations.json")
})

// Seconds is how long a resource of typ takes to create, and whether the table lists the type.
func (t DurationTable) Seconds(typ string) (float64, bool) {
	if d, ok := t.Types[typ]; ok {
		return d.Seconds, true
	}
	return t.Meta.DefaultSeconds, false
}
