package drregion

import "github.com/pulumi/pulumi/sdk/v3/go/pulumi"

// Readers is what the DR region's app learns from the DR region itself about its database: the
// secondary cluster's reader endpoint, a regional name that the primary's secret cannot carry (its
// replica in the DR region is a copy of it, readerHost the primary region's). It satisfies
// webtier.Backend (ConnectionEnv, ConnectionSecret, ConnectionSecretFields) beside the DataTier's
// replica backend (datatier.DataTier.ReplicaBackend), which sets every other DATABASE_ variable.
type Readers struct {
	host       pulumi.StringOutput
	forwarding bool
}

// Readers returns the DR region's database readers for its app, nil without Args.Database.
func (d *DRRegion) Readers() *Readers { return d.readers }

// ConnectionEnv sets DATABASE_READER_HOST, shard 0's secondary reader endpoint, and
// DATABASE_WRITE_FORWARDING, "true" when the secondaries forward writes to the primary
// (StrategyActiveActive): the app may then write through DATABASE_READER_HOST, with
// aurora_replica_read_consistency set in each session (Aurora User Guide, "Connecting to Amazon
// Aurora Global Database": for occasional writes, connect to the reader endpoint of a secondary with
// write forwarding), until its region is promoted and DATABASE_HOST, the global writer endpoint,
// resolves there.
func (r *Readers) ConnectionEnv() map[string]pulumi.StringInput {
	forwarding := "false"
	if r.forwarding {
		forwarding = "true"
	}
	return map[string]pulumi.StringInput{
		"DATABASE_READER_HOST":      r.host,
		"DATABASE_WRITE_FORWARDING": pulumi.String(forwarding),
	}
}

// ConnectionSecret is none: the credentials are the DataTier's replica's.
func (r *Readers) ConnectionSecret() (secretARN, kmsKeyARN pulumi.StringInput) { return nil, nil }

// ConnectionSecretFields is empty.
func (r *Readers) ConnectionSecretFields() map[string]string { return nil }
