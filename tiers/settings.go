package tiers

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"net/mail"
	"regexp"
	"strconv"
	"strings"

	"github.com/tierstack/tierstack/components/edge"
	"github.com/tierstack/tierstack/insights"
)

// Settings are the stack configuration, parsed and checked: plain values, no Pulumi types.
type Settings struct {
	// Tier is the tier to build.
	Tier Tier
	// Region is aws:region; "" when the provider takes it from the environment.
	Region string
	// Network overrides the tier's network.
	Network NetworkOverrides
	// Data overrides the tier's database and tables.
	Data DataOverrides
	// Cache overrides the tier's cache.
	Cache CacheOverrides
	// App describes the application.
	App AppSettings
	// Web overrides how the tier runs the app.
	Web WebOverrides
	// Edge is the service under its domain.
	Edge EdgeSettings
	// Streaming is Kafka on Amazon MSK, off unless enabled.
	Streaming StreamingOverrides
	// Files are shared files on Amazon EFS, off unless enabled.
	Files FilesOverrides
	// Workers are background workers on an SQS queue, off unless enabled.
	Workers WorkersOverrides
	// DRRegion is the disaster-recovery region; "" for none.
	DRRegion string
	// DR is how the DR region is built.
	DR DROverrides
	// Domain is the service's DNS name; "" for none.
	Domain string
	// HostedZoneID is the Route 53 zone that holds Domain.
	HostedZoneID string
	// AlarmEmail receives alarm notifications; "" for none.
	AlarmEmail string
	// Alarms are how alarms reach people and what they watch.
	Alarms AlarmsSettings
	// SlackWebhookURL is the Slack incoming webhook of tierstack:alarms slack webhook; a secret.
	SlackWebhookURL string
	// CostModel is the usage plan's cost estimate assumes: the tier's defaults with the
	// tierstack:costModel overrides.
	CostModel insights.CostModel
}

// NetworkOverrides are the tierstack:network settings. A zero field keeps the tier's value.
type NetworkOverrides struct {
	// CIDR is the VPC range, such as 10.20.0.0/16.
	CIDR string `json:"cidr,omitempty"`
	// AZCount is how many zones to span.
	AZCount int `json:"azCount,omitempty"`
	// AvailabilityZones pins the zone names, in AZ-slot order.
	AvailabilityZones []string `json:"availabilityZones,omitempty"`
	// NATStrategy is none, single or perAz.
	NATStrategy string `json:"natStrategy,omitempty"`
	// FlowLogs turns VPC flow logs on or off; nil keeps the tier's choice.
	FlowLogs *bool `json:"flowLogs,omitempty"`
	// FlowLogRetentionDays is how long flow logs are kept.
	FlowLogRetentionDays int `json:"flowLogRetentionDays,omitempty"`
	// BastionAllowedCIDRs are the ranges allowed to SSH to a bastion; empty means no bastion.
	BastionAllowedCIDRs []string `json:"bastionAllowedCidrs,omitempty"`
	// S3EndpointExtraBuckets are buckets beyond the account's own and AWS's repositories that the
	// VPC may reach through its S3 gateway endpoint; "*" means any.
	S3EndpointExtraBuckets []string `json:"s3EndpointExtraBuckets,omitempty"`
}

// ParseSettings parses and checks the stack configuration, given by full key ("tierstack:tier",
// "aws:region"). Every error names the setting, the bad value and what is allowed.
func ParseSettings(cfg map[string]string) (Settings, error) {
	if err := checkKnownKeys(maps.Keys(cfg)); err != nil {
		return Settings{}, err
	}
	get := func(key string) string { return strings.TrimSpace(cfg[Namespace+":"+key]) }
	s := Settings{
		Region:       strings.TrimSpace(cfg["aws:region"]),
		DRRegion:     get("drRegion"),
		Domain:       strings.TrimSuffix(strings.ToLower(get("domain")), "."),
		HostedZoneID: get("hostedZoneId"),
		AlarmEmail:   get("alarmEmail"),
		// A secret: never printed, never in an error.
		SlackWebhookURL: get("slackWebhookUrl"),
	}

	tier, err := pickTier(get("tier"), get("expectedUsers"))
	if err != nil {
		return Settings{}, err
	}
	s.Tier = tier

	if err := decodeStrict("network", get("network"), &s.Network, "cidr, azCount, availabilityZones, natStrategy, flowLogs, flowLogRetentionDays, bastionAllowedCidrs, s3EndpointExtraBuckets"); err != nil {
		return Settings{}, err
	}
	if err := decodeStrict("data", get("data"), &s.Data, dataFields); err != nil {
		return Settings{}, err
	}
	if err := decodeStrict("cache", get("cache"), &s.Cache, cacheFields); err != nil {
		return Settings{}, err
	}
	if err := decodeStrict("app", get("app"), &s.App, appFields); err != nil {
		return Settings{}, err
	}
	if err := decodeStrict("edge", get("edge"), &s.Edge, edgeFields); err != nil {
		return Settings{}, err
	}
	if err := decodeStrict("web", get("web"), &s.Web, webFields); err != nil {
		return Settings{}, err
	}
	if err := decodeStrict("streaming", get("streaming"), &s.Streaming, streamingFields); err != nil {
		return Settings{}, err
	}
	if err := decodeStrict("files", get("files"), &s.Files, filesFields); err != nil {
		return Settings{}, err
	}
	if err := decodeStrict("workers", get("workers"), &s.Workers, workersFields); err != nil {
		return Settings{}, err
	}
	if err := decodeStrict("dr", get("dr"), &s.DR, drFields); err != nil {
		return Settings{}, err
	}
	if err := decodeStrict("alarms", get("alarms"), &s.Alarms, alarmsFields); err != nil {
		return Settings{}, err
	}
	if err := checkAlarms(s); err != nil {
		return Settings{}, err
	}

	if s.CostModel, err = parseCostModel(s.Tier, get("costModel")); err != nil {
		return Settings{}, err
	}

	if s.Region != "" && !regionPattern.MatchString(s.Region) {
		return Settings{}, fmt.Errorf("aws:region %q is not a region name (want one such as us-east-1)", s.Region)
	}
	if s.DRRegion != "" {
		if !regionPattern.MatchString(s.DRRegion) {
			return Settings{}, fmt.Errorf("tierstack:drRegion %q is not a region name (want one such as us-west-2)", s.DRRegion)
		}
		if s.DRRegion == s.Region {
			return Settings{}, fmt.Errorf("tierstack:drRegion %q is the primary region (allowed: any region but %s)", s.DRRegion, s.Region)
		}
	}
	if s.Domain != "" {
		if !validDomain(s.Domain) {
			return Settings{}, fmt.Errorf("tierstack:domain %q is not a DNS name (want one such as app.example.com)", s.Domain)
		}
		if s.HostedZoneID == "" {
			return Settings{}, fmt.Errorf("tierstack:domain %q has no tierstack:hostedZoneId (set the Route 53 hosted zone that holds it)", s.Domain)
		}
	}
	if len(s.Edge.AlternativeNames) > 0 && s.Domain == "" {
		return Settings{}, fmt.Errorf("tierstack:edge alternativeNames are set without tierstack:domain (set the domain they go with, or remove them)")
	}
	if s.Domain != "" {
		if err := edge.CheckNames(s.Domain, s.Edge.AlternativeNames, ""); err != nil {
			return Settings{}, fmt.Errorf("tierstack:edge %w", err)
		}
	}
	if s.HostedZoneID != "" && s.Domain == "" {
		return Settings{}, fmt.Errorf("tierstack:hostedZoneId %q is set without tierstack:domain (set the DNS name it should hold, or remove it)", s.HostedZoneID)
	}
	if s.HostedZoneID != "" && !zoneIDPattern.MatchString(s.HostedZoneID) {
		return Settings{}, fmt.Errorf("tierstack:hostedZoneId %q is not a Route 53 zone ID (want one such as Z0123456789ABCDEFGHIJ)", s.HostedZoneID)
	}
	if s.AlarmEmail != "" {
		if a, err := mail.ParseAddress(s.AlarmEmail); err != nil || a.Address != s.AlarmEmail {
			return Settings{}, fmt.Errorf("tierstack:alarmEmail %q is not an email address (want one such as ops@example.com)", s.AlarmEmail)
		}
	}
	return s, nil
}

// decodeStrict decodes the object setting key into v, refusing fields v does not have.
func decodeStrict(key, raw string, v any, fields string) error {
	if raw == "" {
		return nil
	}
	dec := json.NewDecoder(bytes.NewReader([]byte(raw)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("tierstack:%s %s: %v (allowed fields: %s)", key, raw, err, fields)
	}
	return nil
}

// TierAuto is the tier setting that picks the tier from expectedUsers.
const TierAuto = "auto"

// pickTier reads the tier, or when it is unset or auto, the smallest tier for the expected users.
func pickTier(tier, expectedUsers string) (Tier, error) {
	if tier != "" && !strings.EqualFold(tier, TierAuto) {
		t, err := ParseTier(tier)
		if err != nil {
			return "", fmt.Errorf("tierstack:%w", err)
		}
		return t, nil
	}
	if expectedUsers == "" || expectedUsers == "0" {
		return Tier100, nil
	}
	users, err := strconv.Atoi(strings.ReplaceAll(expectedUsers, "_", ""))
	if err != nil {
		return "", fmt.Errorf("tierstack:expectedUsers %q is not a whole number (want a user count such as 25000)", expectedUsers)
	}
	t, err := ForUsers(users)
	if err != nil {
		return "", fmt.Errorf("tierstack:%w", err)
	}
	return t, nil
}

var (
	// regionPattern matches AWS region names: us-east-1, us-gov-west-1, ap-southeast-2.
	regionPattern = regexp.MustCompile(`^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-[0-9]$`)
	// zoneIDPattern matches Route 53 hosted zone IDs.
	zoneIDPattern = regexp.MustCompile(`^Z[A-Z0-9]{1,32}$`)
	// labelPattern matches one DNS label.
	labelPattern = regexp.MustCompile(`^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$`)
)

// validDomain reports whether d is a fully qualified DNS name of at least two labels.
func validDomain(d string) bool {
	labels := strings.Split(d, ".")
	if len(d) > 253 || len(labels) < 2 {
		return false
	}
	for _, l := range labels {
		if !labelPattern.MatchString(l) {
			return false
		}
	}
	return true
}
