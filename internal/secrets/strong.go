package secrets

import (
	"github.com/pulumi/pulumi-random/sdk/v4/go/random"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// StrongSpecials are the punctuation StrongPassword draws from: none that needs escaping in JSON,
// a shell or a URL's user-info.
const StrongSpecials = "!#%^*-_+="

// StrongPassword is Password with at least one of StrongSpecials, for services whose rules demand
// an upper-case letter, a lower-case letter, a digit and a special character (OpenSearch's
// fine-grained access control master user). Generated once and kept.
func StrongPassword(ctx *pulumi.Context, name string, length int, opts ...pulumi.ResourceOption) (*random.RandomPassword, error) {
	return random.NewRandomPassword(ctx, name, &random.RandomPasswordArgs{
		Length:          pulumi.Int(length),
		Special:         pulumi.Bool(true),
		OverrideSpecial: pulumi.String(StrongSpecials),
		Upper:           pulumi.Bool(true),
		Lower:           pulumi.Bool(true),
		Numeric:         pulumi.Bool(true),
		MinUpper:        pulumi.Int(1), MinLower: pulumi.Int(1), MinNumeric: pulumi.Int(1), MinSpecial: pulumi.Int(1),
	}, opts...)
}
