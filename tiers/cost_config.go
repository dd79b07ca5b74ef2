package tiers

import (
	"bytes"
	"encoding/json"
	"fmt"

	"github.com/tierstack/tierstack/insights"
)

// costModelFields are the fields of tierstack:costModel, for error messages.
const costModelFields = "users, hoursPerMonth, requests, transferOutGB, natGB, albLCU, databaseGB, databaseIOMillions, databaseActiveHours, averageAcu, storageGB, logsGB, dnsQueriesMillions, dynamodbWritesMillions, dynamodbReadsMillions, dynamodbGB, queueRequestsMillions, topicRequestsMillions, rootVolumeGB, streamingPartitions, streamingGB, filesGB"

// parseCostModel reads tierstack:costModel over the defaults for the users it names (else the
// tier's users): a field set in config replaces the default, the others follow the user count, and
// databaseActiveHours, unless set, follows hoursPerMonth (a pooled app never lets the database pause).
func parseCostModel(tier Tier, raw string) (insights.CostModel, error) {
	users := tier.Users()
	var set struct {
		Users               *int     `json:"users"`
		DatabaseActiveHours *float64 `json:"databaseActiveHours"`
	}
	if raw != "" {
		if err := json.NewDecoder(bytes.NewReader([]byte(raw))).Decode(&set); err == nil && set.Users != nil {
			users = *set.Users
		}
	}
	m := insights.DefaultCostModel(users)
	if err := decodeStrict("costModel", raw, &m, costModelFields); err != nil {
		return insights.CostModel{}, err
	}
	if set.DatabaseActiveHours == nil {
		m.DatabaseActiveHours = m.HoursPerMonth
	}
	if err := m.Validate(); err != nil {
		return insights.CostModel{}, fmt.Errorf("tierstack:%w", err)
	}
	return m, nil
}
