package datatier

import (
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/secretsmanager"
	"github.com/pulumi/pulumi-random/sdk/v4/go/random"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/tierstack/tierstack/internal/secrets"
)

// passwordLength is the master password's length: RDS allows 8 to 41 characters for Aurora MySQL
// (99 for PostgreSQL); 32 letters and digits carry about 190 bits.
const passwordLength = 32

// The credential scheme, the same at every tier: tierstack generates the master password and the
// application user's password once (random.RandomPassword, kept in Pulumi state as secrets), hands
// the master's to the cluster, and keeps each with the endpoints in a Secrets Manager secret
// encrypted with the tier's key; the application reads only its own (see buildSecrets and
// buildAppUser). RDS-managed passwords (manageMasterUserPassword) are not used: AWS does not
// support them for a cluster in an Aurora global database, which the 1m tier's disaster-recovery
// region makes this cluster, and the secret the application reads must never move.
func newPassword(ctx *pulumi.Context, name string, opts ...pulumi.ResourceOption) (*random.RandomPassword, error) {
	return secrets.Password(ctx, name, passwordLength, opts...)
}

func newSecret(ctx *pulumi.Context, name, description string, keyARN, value pulumi.StringInput, tags map[string]string, replica *secrets.Replica, opts ...pulumi.ResourceOption) (*secretsmanager.Secret, *secretsmanager.SecretVersion, error) {
	return secrets.NewReplicated(ctx, name, description, keyARN, value, tags, replica, opts...)
}
