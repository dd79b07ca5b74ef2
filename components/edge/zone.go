package edge

import (
	"fmt"
	"regexp"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/route53"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// zoneIDPattern is a Route 53 hosted zone ID.
var zoneIDPattern = regexp.MustCompile(`^Z[A-Z0-9]{1,31}$`)

// CheckZone looks the hosted zone up through the invoke options inv and checks that the domain and
// its alternative names are DNS names inside it and that it is public (a private zone answers
// inside a VPC only, and ACM cannot validate through it). It returns the zone's name. It registers
// nothing: a composing program calls it before it builds anything.
func CheckZone(ctx *pulumi.Context, domain string, alternatives []string, zoneID string, inv []pulumi.InvokeOption) (string, error) {
	if !zoneIDPattern.MatchString(zoneID) {
		return "", fmt.Errorf("hostedZoneId %q is not a Route 53 zone ID (allowed: one such as Z0123456789ABCDEFGHIJ)", zoneID)
	}
	if err := CheckNames(domain, alternatives, ""); err != nil {
		return "", err
	}
	zone, err := route53.LookupZone(ctx, &route53.LookupZoneArgs{ZoneId: pulumi.StringRef(zoneID)}, inv...)
	if err != nil {
		return "", fmt.Errorf("looking up hosted zone %s: %w", zoneID, err)
	}
	if zone.PrivateZone != nil && *zone.PrivateZone {
		return "", fmt.Errorf("hostedZoneId %s is the private zone %s (allowed: a public hosted zone, which users and ACM resolve)", zoneID, zone.Name)
	}
	if err := CheckNames(domain, alternatives, zone.Name); err != nil {
		return "", err
	}
	return zone.Name, nil
}
