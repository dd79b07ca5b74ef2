// Package naming names the child resources of tierstack's components and checks component names
// against the limits AWS puts on the physical names Pulumi derives from them.
package naming

import (
	"fmt"
	"regexp"
	"strconv"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Child names a component's child resource that exists once per component: "name-role".
func Child(component, role string) string {
	return component + "-" + role
}

// AZChild names a child resource that exists once per availability zone: "name-role-azIndex". The
// index is the AZ's slot (0 for the first zone), which never moves when more zones are added, so
// growing from two zones to three only adds names.
func AZChild(component, role string, azIndex int) string {
	return component + "-" + role + "-" + strconv.Itoa(azIndex)
}

// Tags returns tags plus a Name tag, as a fresh map for one child resource.
func Tags(tags map[string]string, name string) pulumi.StringMap {
	out := make(pulumi.StringMap, len(tags)+1)
	for k, v := range tags {
		out[k] = pulumi.String(v)
	}
	out["Name"] = pulumi.String(name)
	return out
}

// AutoNameSuffix is how many characters Pulumi's auto-naming adds to a logical name: a hyphen and
// seven random hex digits.
const AutoNameSuffix = 8

// IAMNameLimit is the longest name AWS accepts for an IAM role (64 characters; instance profiles and
// policies allow 128, so a role is what binds).
const IAMNameLimit = 64

// componentNamePattern is what a component name may hold: it starts a letter and goes on with
// letters, digits and hyphens, which every AWS name that tierstack derives from it accepts.
var componentNamePattern = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9-]*$`)

// CheckComponent refuses a component name that would make AWS refuse a child's auto-generated name.
// longestIAMRole is the longest role suffix the component appends ("-flow-logs-role"); the name plus
// that suffix plus Pulumi's auto-naming suffix must fit in IAMNameLimit.
func CheckComponent(kind, name, longestIAMRole string) error {
	return CheckName(kind, name, longestIAMRole, IAMNameLimit, "IAM role")
}

// CheckName is CheckComponent for any kind of generated name: the component's name plus the
// longest child suffix plus Pulumi's auto-naming suffix must fit in limit characters, the limit of
// what (such as "RDS instance identifier").
func CheckName(kind, name, longestSuffix string, limit int, what string) error {
	if !componentNamePattern.MatchString(name) {
		return fmt.Errorf("%s name %q is not allowed (allowed: a letter, then letters, digits and hyphens, as AWS names built from it need)", kind, name)
	}
	most := limit - AutoNameSuffix - len(longestSuffix)
	if len(name) > most {
		return fmt.Errorf("%s name %q has %d characters (allowed: at most %d, so that its %s %q plus Pulumi's %d-character suffix fits AWS's %d-character limit)",
			kind, name, len(name), most, what, name+longestSuffix, AutoNameSuffix, limit)
	}
	return nil
}
