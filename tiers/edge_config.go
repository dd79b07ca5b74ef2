package tiers

// EdgeSettings are the tierstack:edge settings: the service under tierstack:domain.
type EdgeSettings struct {
	// AlternativeNames are more names on the certificate and in DNS, in the hosted zone.
	AlternativeNames []string `json:"alternativeNames,omitempty"`
}

const edgeFields = "alternativeNames"
