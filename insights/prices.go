package insights

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"sync"
)

// pricesJSON is the price table: dated, sourced on-demand prices by id.
//
//go:embed prices.json
var pricesJSON []byte

// Price is one figure of the price table.
type Price struct {
	// Item says what is priced.
	Item string `json:"item"`
	// Value is the price in USD per Unit.
	Value float64 `json:"value"`
	// Unit is what Value is per, such as USD/hour or USD/GB-month.
	Unit string `json:"unit"`
	// Region is where the figure applies.
	Region string `json:"region"`
	// AsOf is the date of the source figure.
	AsOf string `json:"asOf"`
	// Seen is the date the figure was compiled.
	Seen string `json:"seen"`
	// Sources are where the figure comes from.
	Sources []string `json:"sources"`
	// Confidence is high, medium or low (see the table's meta).
	Confidence string `json:"confidence"`
}

// PriceTable is the embedded price table.
type PriceTable struct {
	// Meta describes the table: what it holds, when it was compiled, what confidence means.
	Meta struct {
		Description string            `json:"description"`
		Compiled    string            `json:"compiled"`
		Copied      string            `json:"copied"`
		Confidence  map[string]string `json:"confidence"`
	} `json:"meta"`
	// Prices are the figures by id, such as "ec2.t4g.small.hour".
	Prices map[string]Price `json:"prices"`
}

// Prices returns the embedded price table, decoded once.
var Prices = sync.OnceValues(func() (PriceTable, error) { return decodeEmbedded[PriceTable](pricesJSON, "prices.json") })

// decodeEmbedded decodes one of the package's embedded tables.
func decodeEmbedded[T any](raw []byte, name string) (T, error) {
	var t T
	if err := json.Unmarshal(raw, &t); err != nil {
		return t, fmt.Errorf("insights: reading the embedded %s: %w", name, err)
	}
	return t, nil
}

// Lookup returns the price with id and whether the table has it.
func (t PriceTable) Lookup(id string) (Price, bool) {
	p, ok := t.Prices[id]
	return p, ok
}
