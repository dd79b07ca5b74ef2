package webtier

import (
	"slices"
	"testing"
)

// Every region AWS opened in or after August 2022 writes load balancer access logs through the log
// delivery principal, and no region with a regional Elastic Load Balancing account does: a region
// in neither list fails the plan, since the provider's getServiceAccount knows no account for it.
func TestLogDeliveryPrincipalRegions(t *testing.T) {
	// Regions opened in or after August 2022, with their opening dates (AWS, "Regions and Zones"
	// and the Region documentation history).
	opened := map[string]string{
		"eu-central-2": "2022-11-09", "eu-south-2": "2022-11-16", "ap-south-2": "2022-11-22",
		"me-central-1": "2022-08-30", "ap-southeast-4": "2023-01-24", "il-central-1": "2023-08-01",
		"ca-west-1": "2023-12-20", "ap-southeast-5": "2024-08-22", "ap-southeast-7": "2025-01-07",
		"mx-central-1": "2025-01-14", "ap-east-2": "2025-06-06", "ap-southeast-6": "2025-09-02",
	}
	for region, date := range opened {
		if !slices.Contains(regionsWithLogDeliveryPrincipal, region) {
			t.Errorf("%s (opened %s) is missing from regionsWithLogDeliveryPrincipal", region, date)
		}
	}
	// The regions terraform-provider-aws has an Elastic Load Balancing account for
	// (internal/service/elb/service_account_data_source.go, accountIDPerRegionMap).
	withAccount := []string{
		"af-south-1", "ap-east-1", "ap-northeast-1", "ap-northeast-2", "ap-northeast-3", "ap-south-1",
		"ap-southeast-1", "ap-southeast-2", "ap-southeast-3", "ca-central-1", "cn-north-1", "cn-northwest-1",
		"eu-central-1", "eu-north-1", "eu-south-1", "eu-west-1", "eu-west-2", "eu-west-3", "me-south-1",
		"sa-east-1", "us-east-1", "us-east-2", "us-gov-east-1", "us-gov-west-1", "us-west-1", "us-west-2",
	}
	for _, region := range regionsWithLogDeliveryPrincipal {
		if slices.Contains(withAccount, region) {
			t.Errorf("%s has an Elastic Load Balancing account and is listed for the principal", region)
		}
		if _, ok := opened[region]; !ok {
			t.Errorf("%s is listed for the principal without an opening date in or after August 2022", region)
		}
	}
}
