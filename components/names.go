package components

import (
	"strconv"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// NetworkType is the Pulumi type token of the Network component.
const NetworkType = "tierstack:index:Network"

// ChildName names a component's child resource that exists once per component: "name-role".
func ChildName(component, role string) string {
	return component + "-" + role
}

// AZChildName names a child resource that exists once per availability zone: "name-role-azIndex".
// The index is the AZ's slot (0 for the first zone), which never moves when more zones are added, so
// growing from two zones to three only adds names.
func AZChildName(component, role string, azIndex int) string {
	return component + "-" + role + "-" + strconv.Itoa(azIndex)
}

// tagsFor returns the component's tags plus a Name tag, as a fresh map for one child resource.
func tagsFor(tags map[string]string, name string) pulumi.StringMap {
	out := make(pulumi.StringMap, len(tags)+1)
	for k, v := range tags {
		out[k] = pulumi.String(v)
	}
	out["Name"] = pulumi.String(name)
	return out
}
