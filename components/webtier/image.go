package webtier

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// amiPattern is an AMI ID: "ami-" and 8 (older images) or 17 hexadecimal digits (Amazon EC2 API
// Reference, "Image": imageId; "Resource IDs": longer IDs since 2018).
var amiPattern = regexp.MustCompile(`^ami-([0-9a-f]{8}|[0-9a-f]{17})$`)

// ssmPrefix is how EC2 names an SSM parameter in an image's place (Amazon EC2 User Guide, "Use a
// Systems Manager parameter instead of an AMI ID").
const ssmPrefix = "resolve:ssm:"

// parameterPattern is a fully qualified SSM parameter name: one or more /-separated levels of
// letters, digits, _ . and - (AWS Systems Manager User Guide, "Requirements and constraints for
// parameter names": at most 2048 characters and 15 levels).
var parameterPattern = regexp.MustCompile(`^(/[A-Za-z0-9_.-]+)+$`)

// checkedImage checks Args.Image in mode m: "" (AWS's Amazon Linux 2023), an AMI ID, or
// resolve:ssm: and the name of an SSM parameter that holds one; modes instance and autoscaling only.
func checkedImage(image string, m Mode) error {
	if image == "" {
		return nil
	}
	if m == ModeEKS {
		return fmt.Errorf("webtier: image %q is set in mode eks, whose nodes run EKS's own node images, chosen by the node groups' release version (allowed: modes instance and autoscaling; on EKS the app's container image is tierstack:app image)", image)
	}
	if strings.HasPrefix(image, "ami-") {
		if !amiPattern.MatchString(image) {
			return fmt.Errorf("webtier: image %q is not an AMI ID (allowed: ami- and 8 or 17 lower-case hexadecimal digits, or resolve:ssm: and an SSM parameter name)", image)
		}
		return nil
	}
	name, ok := strings.CutPrefix(image, ssmPrefix)
	if !ok {
		return fmt.Errorf("webtier: image %q is neither an AMI ID nor an SSM parameter (allowed: ami-0123456789abcdef0, or resolve:ssm:/a/parameter/name that holds one)", image)
	}
	if !parameterPattern.MatchString(name) || len(name) > 2048 || strings.Count(name, "/") > 15 {
		return fmt.Errorf("webtier: image %q does not name an SSM parameter (allowed: resolve:ssm: and a full parameter path such as /golden/web/ami: levels of letters, digits, _ . and -, at most 15 levels and 2048 characters)", image)
	}
	return nil
}

// bakedImage reports whether the instances boot a golden image of the user's rather than AWS's
// Amazon Linux 2023: the image then holds the runtime, and the boot script only starts the app.
func (a checkedArgs) bakedImage() bool { return a.Image != "" }

// launchImage is the launch template's image: the golden image, or AMIParameter.
func (a checkedArgs) launchImage() string {
	if a.Image != "" {
		return a.Image
	}
	return AMIParameter
}

// lookupGoldenImage is the AMI ID the single instance of mode instance boots from a golden image:
// the image itself, or the value the SSM parameter holds now, read through inv (the provider must
// read an instance's image, so a resolve:ssm: name cannot go in its place).
func lookupGoldenImage(ctx *pulumi.Context, image string, inv []pulumi.InvokeOption) (string, error) {
	name, isParameter := strings.CutPrefix(image, ssmPrefix)
	if !isParameter {
		return image, nil
	}
	// The invoke by its token, as ssm.LookupParameter makes it, without pulling in the SDK's ssm
	// package for one lookup (tests/packages_test.go).
	var p struct {
		InsecureValue string `pulumi:"insecureValue"`
	}
	if err := ctx.Invoke("aws:ssm/getParameter:getParameter", map[string]any{"name": name}, &p, inv...); err != nil {
		return "", fmt.Errorf("reading the image's SSM parameter %s: %w", name, err)
	}
	if !amiPattern.MatchString(p.InsecureValue) {
		return "", fmt.Errorf("image %s: the SSM parameter holds %q, not an AMI ID (allowed: a parameter whose value is ami- and 8 or 17 hexadecimal digits)", image, p.InsecureValue)
	}
	return p.InsecureValue, nil
}
