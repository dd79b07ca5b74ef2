package datatier

import (
	"fmt"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/kms"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/tierstack/tierstack/internal/awsenv"
	"github.com/tierstack/tierstack/internal/kmskey"
	"github.com/tierstack/tierstack/internal/naming"
	"github.com/tierstack/tierstack/internal/secrets"
)

// DRRegionChildren are the names of the children of a DataTier named name that live in the DR
// region of Args.Global, on Global.Provider: the key that encrypts the secrets' replicas. Every
// other child lives in the tier's own region (the global clusters among them: a global cluster is
// created in its source cluster's region).
func DRRegionChildren(name string) []string {
	return []string{naming.Child(name, "replica-key")}
}

// buildReplicaKey creates the key of the DR region that encrypts the secrets' replicas (a replica is
// encrypted with a key of its own region: Secrets Manager User Guide, "Replicate AWS Secrets Manager
// secrets across Regions"), through the DR region's provider. Kept in AWS when it leaves the stack,
// as the tier's own key is, so that whatever it encrypted stays readable; not protected, as the DR
// region's own keys are not: turning the DR region off must not need it unprotected first.
func (d *DataTier) buildReplicaKey(ctx *pulumi.Context, name string, a Args, drEnv awsenv.Env) (*kms.Key, error) {
	return kmskey.New(ctx, naming.Child(name, "replica-key"), "tierstack "+name+": the database secrets' replicas in "+drEnv.Region,
		drEnv, a.Tags, pulumi.Parent(d), pulumi.Provider(a.Global.Provider), pulumi.RetainOnDelete(true))
}

// replicaOf is the secret replication of the tier, nil without a global database.
func (d *DataTier) replicaOf(a Args) *secrets.Replica {
	if a.Global == nil || d.replicaKey == nil {
		return nil
	}
	return &secrets.Replica{Region: a.Global.Region, KMSKeyID: d.replicaKey.Arn}
}

// Replica is the DataTier as an app in the DR region connects to it: the replica of the
// application's secret in that region, the key of that region that encrypts it, and the global
// writer endpoint, which follows the writer across a switchover or a failover. It satisfies
// webtier.Backend (ConnectionEnv, ConnectionSecret, ConnectionSecretFields).
//
// It sets no DATABASE_READER_HOST: a reader endpoint is regional, and the replica's readerHost is
// the primary region's (a replica is a copy of its primary: Secrets Manager User Guide, "Replicate
// AWS Secrets Manager secrets across Regions"). The DR region's own readers come from the component
// that builds the secondary cluster there (drregion.DRRegion.Readers).
type Replica struct {
	// Region is the replica's region.
	Region string
	// SecretARN is the replica's ARN: the application secret's, in Region (the same ARN but for the
	// region, same page).
	SecretARN pulumi.StringOutput
	// KMSKeyARN is the key of Region that encrypts the replica.
	KMSKeyARN pulumi.StringOutput

	d *DataTier
}

// ReplicaBackend returns the DataTier as an app in region connects to it (see Replica), or an
// error when the tier replicates its secrets to no such region (Args.Global).
func (d *DataTier) ReplicaBackend(region string) (*Replica, error) {
	if d.args.Global == nil || d.replicaKey == nil {
		return nil, fmt.Errorf("datatier %s: no replica in %s (allowed: the region of Args.Global, which this tier does not have)", d.name, region)
	}
	if region != d.args.Global.Region {
		return nil, fmt.Errorf("datatier %s: no replica in %s (allowed: %s, the region of Args.Global)", d.name, region, d.args.Global.Region)
	}
	arn := d.SecretARN.ApplyT(func(arn string) string { return ARNInRegion(arn, region) }).(pulumi.StringOutput)
	return &Replica{Region: region, SecretARN: arn, KMSKeyARN: d.replicaKey.Arn, d: d}, nil
}

// ARNInRegion is arn with its region replaced: a secret replica's ARN from its primary's. An arn
// without the six parts of an ARN is returned as it is.
func ARNInRegion(arn, region string) string {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) != 6 {
		return arn
	}
	parts[3] = region
	return strings.Join(parts, ":")
}

// ConnectionEnv are the variables the DR app gets: DATABASE_ENGINE, DATABASE_HOST (shard 0's
// global writer endpoint), DATABASE_PORT, DATABASE_NAME and DATABASE_SECRET_ARN (the replica).
func (r *Replica) ConnectionEnv() map[string]pulumi.StringInput {
	return map[string]pulumi.StringInput{
		"DATABASE_ENGINE":     pulumi.String(string(r.d.Engine)),
		"DATABASE_HOST":       r.d.WriterEndpoint,
		"DATABASE_PORT":       pulumi.Sprintf("%d", r.d.Port),
		"DATABASE_NAME":       r.d.DatabaseName,
		"DATABASE_SECRET_ARN": r.SecretARN,
	}
}

// ConnectionSecret is the replica and the DR key: the DR app's role may read both, and nothing of
// the primary region.
func (r *Replica) ConnectionSecret() (secretARN, kmsKeyARN pulumi.StringInput) {
	return r.SecretARN, r.KMSKeyARN
}

// ConnectionSecretFields is empty, as the DataTier's.
func (r *Replica) ConnectionSecretFields() map[string]string { return nil }
