// Package secrets generates the credentials a stateful component needs and keeps them in Secrets
// Manager, encrypted with the component's key. The generated value lives in Pulumi state only as a
// secret (encrypted with the stack's secrets provider) and is never printed.
package secrets

import (
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/secretsmanager"
	"github.com/pulumi/pulumi-random/sdk/v4/go/random"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/tierstack/tierstack/internal/naming"
)

// RecoveryWindowDays is how long a deleted secret can be restored: the longest Secrets Manager allows.
const RecoveryWindowDays = 30

// Password generates a password of length letters and digits: no punctuation, so that it needs no
// escaping in a connection string and passes every engine's rules (RDS refuses /, ", @ and spaces;
// ElastiCache AUTH tokens refuse more). It is generated once and kept: a tier change never
// regenerates it.
func Password(ctx *pulumi.Context, name string, length int, opts ...pulumi.ResourceOption) (*random.RandomPassword, error) {
	return random.NewRandomPassword(ctx, name, &random.RandomPasswordArgs{
		Length:   pulumi.Int(length),
		Special:  pulumi.Bool(false),
		Upper:    pulumi.Bool(true),
		Lower:    pulumi.Bool(true),
		Numeric:  pulumi.Bool(true),
		MinUpper: pulumi.Int(1), MinLower: pulumi.Int(1), MinNumeric: pulumi.Int(1),
	}, opts...)
}

// New creates a secret encrypted with kmsKeyID whose value is value (a JSON document, secret).
func New(ctx *pulumi.Context, name, description string, kmsKeyID, value pulumi.StringInput, tags map[string]string, opts ...pulumi.ResourceOption) (*secretsmanager.Secret, *secretsmanager.SecretVersion, error) {
	return NewReplicated(ctx, name, description, kmsKeyID, value, tags, nil, opts...)
}

// Replica is a region a secret is replicated to, and the key of that region that encrypts the
// replica (Secrets Manager User Guide, "Replicate AWS Secrets Manager secrets across Regions": a
// replica is encrypted with a key of its own region).
type Replica struct {
	// Region is the replica's region.
	Region string
	// KMSKeyID is the ARN of the key, of Region, that encrypts the replica.
	KMSKeyID pulumi.StringInput
}

// NewReplicated is New with a replica in another region when replica is not nil. The replica
// overwrites a secret of the same name in its region (forceOverwriteReplicaSecret): one is there
// after the replica was promoted to a standalone secret during a region loss (the runbook's
// StopReplicationToReplica), and replication would otherwise fail on the way back.
func NewReplicated(ctx *pulumi.Context, name, description string, kmsKeyID, value pulumi.StringInput, tags map[string]string, replica *Replica, opts ...pulumi.ResourceOption) (*secretsmanager.Secret, *secretsmanager.SecretVersion, error) {
	args := &secretsmanager.SecretArgs{
		Description:          pulumi.String(description),
		KmsKeyId:             kmsKeyID,
		RecoveryWindowInDays: pulumi.Int(RecoveryWindowDays),
		Tags:                 naming.Tags(tags, name),
	}
	if replica != nil {
		args.Replicas = secretsmanager.SecretReplicaArray{secretsmanager.SecretReplicaArgs{
			Region: pulumi.String(replica.Region), KmsKeyId: replica.KMSKeyID,
		}}
		args.ForceOverwriteReplicaSecret = pulumi.Bool(true)
	}
	secret, err := secretsmanager.NewSecret(ctx, name, args, opts...)
	if err != nil {
		return nil, nil, err
	}
	version, err := secretsmanager.NewSecretVersion(ctx, name+"-value", &secretsmanager.SecretVersionArgs{
		SecretId:     secret.ID(),
		SecretString: pulumi.ToSecret(value).(pulumi.StringOutput),
	}, opts...)
	if err != nil {
		return nil, nil, err
	}
	return secret, version, nil
}
