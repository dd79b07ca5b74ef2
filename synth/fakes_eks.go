package synth

import (
	"fmt"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// eksOutputs adds what EKS and IAM compute for the resources pulumi-eks registers: a cluster's ARN,
// API endpoint, certificate authority and OIDC issuer (EKS's formats: an endpoint
// https://<32 hex>.gr7.<region>.eks.amazonaws.com, an issuer
// https://oidc.eks.<region>.amazonaws.com/id/<32 HEX>), an access entry's ARN, an OIDC provider's
// ARN (the issuer without its scheme), a managed node group's Auto Scaling group. It reports whether typ is one of them.
func eksOutputs(state resource.PropertyMap, typ, id string, reg region, set func(k, v string)) bool {
	partition := reg.partition().name
	switch typ {
	case "aws:eks/cluster:Cluster":
		set("name", id) // Pulumi names a cluster that is given no name: its logical name and a suffix
		name := plainString(state["name"], id)
		set("arn", fmt.Sprintf("arn:%s:eks:%s:%s:cluster/%s", partition, reg.name, FakeAccountID, name))
		set("endpoint", fakeEKSEndpoint(shortHash(id, 32), reg.name))
		set("status", "ACTIVE")
		setValue(state, "certificateAuthority", resource.NewProperty(resource.PropertyMap{"data": resource.NewProperty(fakeEKSCertificate)}))
		issuer := fmt.Sprintf("https://oidc.eks.%s.%s/id/%s", reg.name, reg.partition().dnsSuffix, strings.ToUpper(shortHash("oidc"+id, 32)))
		setValue(state, "identities", resource.NewProperty([]resource.PropertyValue{resource.NewProperty(resource.PropertyMap{
			"oidcs": resource.NewProperty([]resource.PropertyValue{resource.NewProperty(resource.PropertyMap{"issuer": resource.NewProperty(issuer)})}),
		})}))
	case "aws:eks/nodeGroup:NodeGroup":
		// EKS names a managed node group's Auto Scaling group eks-<node group>-<uuid>.
		group := fmt.Sprintf("eks-%s-%s", plainString(state["nodeGroupName"], id), uuidOf(id))
		setValue(state, "resources", resource.NewProperty([]resource.PropertyValue{resource.NewProperty(resource.PropertyMap{
			"autoscalingGroups": resource.NewProperty([]resource.PropertyValue{resource.NewProperty(resource.PropertyMap{"name": resource.NewProperty(group)})}),
		})}))
	case "aws:eks/accessEntry:AccessEntry":
		set("accessEntryArn", fmt.Sprintf("arn:%s:eks:%s:%s:access-entry/%s/%s", partition, reg.name, FakeAccountID,
			plainString(state["clusterName"], "cluster"), uuidOf(id)))
	case "aws:eks/accessPolicyAssociation:AccessPolicyAssociation":
		set("associatedAt", "2026-01-01T00:00:00Z")
	case "aws:iam/openIdConnectProvider:OpenIdConnectProvider":
		url := strings.TrimPrefix(plainString(state["url"], "oidc.eks."+reg.name+"."+reg.partition().dnsSuffix+"/id/"+id), "https://")
		set("arn", fmt.Sprintf("arn:%s:iam::%s:oidc-provider/%s", partition, FakeAccountID, url))
	default:
		return false
	}
	return true
}

// setValue sets a computed output that is not a string, unless the inputs hold it.
func setValue(state resource.PropertyMap, k string, v resource.PropertyValue) {
	if _, ok := state[resource.PropertyKey(k)]; !ok {
		state[resource.PropertyKey(k)] = v
	}
}
