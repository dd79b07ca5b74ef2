package tiers

import (
	"bytes"
	"encoding/json"
	"fmt"

	"github.com/tierstack/tierstack/insights"
)

// costModelFields are the fields of tierstack:costModel, for error messages.
const costModelFields = "users, hoursPerMonth, requests, transferOutGB, natGB, albLCU, databaseGB, databaseIOMillions, databaseActiveHours, averageAcu, storageGB, logsGB, dnsQueriesMillions, dynamodbWritesMillions, dynamodbReadsMillions, dynamodbGB, queueRequestsMillions, topicRequestsMillions, rootVolumeGB"

// parseCostModel reads tierstack:costModel over the defaults for the users it names (else the
// tier's users): a field set in config replaces the default, the others follow the user count.
func parseCostModel(tier Tier, raw string) (insights.CostModel, error) {
	users := tier.Users()
	if raw != "" {
		var u struct {
			Users *int `json:"users"`
		}
		if err := json.NewDecoder(bytes.NewReader([]byte(raw))).Decode(&u); err == nil && u.Users != nil {
			users = *u.Users
		}
	}
	m := insights.DefaultCostModel(users)
	if err := decodeStrict("costModel", raw, &m, costModelFields); err != nil {
		return insights.CostModel{}, err
	}
	if err := m.Validate(); err != nil {
		return insights.CostModel{}, fmt.Errorf("tierstack:%w", err)
	}
	return m, nil
}
