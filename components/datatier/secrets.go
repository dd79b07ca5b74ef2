package datatier

import (
	"encoding/json"
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/kms"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/secretsmanager"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/tierstack/tierstack/internal/naming"
)

// buildSecrets keeps two sets of credentials in Secrets Manager, encrypted with the tier's key: the
// master user's (for administration, the Data API and rotation) and the application's user's, which
// is what the application reads. Both are in the JSON shape Secrets Manager's rotation functions for
// Amazon RDS expect (engine, host, port, username, password, dbname; the application's also masterarn,
// for the alternating-users strategy), with the reader and shard endpoints beside. With a global
// database, host and shardHosts are the global writer endpoints (rds.GlobalCluster.Endpoint: "always
// points to the writer DB instance in the current primary cluster"), so that a switchover or a
// failover needs no change of the app (Aurora User Guide, "Connecting to Amazon Aurora Global
// Database"); readerHost stays the primary region's reader endpoint, a regional name. With a DR
// region both secrets are replicated there, encrypted with a key of that region. It returns the two
// secrets and what marks the application's secret as holding its value.
func (d *DataTier) buildSecrets(ctx *pulumi.Context, name string, a Args, s shared, key *kms.Key) (master, app *secretsmanager.Secret, appReady pulumi.Resource, err error) {
	var hosts []any
	for _, h := range d.hosts {
		hosts = append(hosts, h)
	}
	document := func(username string, password pulumi.StringOutput, extra pulumi.StringInput) pulumi.StringOutput {
		return pulumi.All(password, d.WriterEndpoint, d.Cluster.ReaderEndpoint, pulumi.All(hosts...), extra).ApplyT(
			func(v []any) (string, error) {
				password, _ := v[0].(string)
				host, _ := v[1].(string)
				readerHost, _ := v[2].(string)
				masterARN, _ := v[4].(string)
				return secretDocument(a, username, password, host, readerHost, v[3].([]any), masterARN)
			}).(pulumi.StringOutput)
	}
	master, _, err = newSecret(ctx, naming.Child(name, "credentials"), "tierstack "+name+": the database's master credentials (administration only) and endpoints",
		key.Arn, document(a.MasterUsername, s.password.Result, pulumi.String("")), a.Tags, d.replicaOf(a), pulumi.Parent(d), pulumi.RetainOnDelete(true))
	if err != nil {
		return nil, nil, nil, err
	}
	appPassword, err := newPassword(ctx, naming.Child(name, "app-password"), pulumi.Parent(d))
	if err != nil {
		return nil, nil, nil, err
	}
	app, appValue, err := newSecret(ctx, naming.Child(name, "app-credentials"), "tierstack "+name+": the application's database credentials and endpoints",
		key.Arn, document(a.AppUsername, appPassword.Result, master.Arn), a.Tags, d.replicaOf(a), pulumi.Parent(d), pulumi.RetainOnDelete(true))
	if err != nil {
		return nil, nil, nil, err
	}
	d.SecretARN, d.MasterSecretARN = app.Arn, master.Arn
	d.appDocument = document(a.AppUsername, appPassword.Result, master.Arn)
	return master, app, appValue, nil
}

// secretDocument is a credentials secret's JSON: the fields Secrets Manager's rotation functions for
// Amazon RDS read (engine, host, port, username, password, dbname, and masterarn for the
// alternating-users strategy when masterARN is not ""), with the reader and shard endpoints beside.
func secretDocument(a Args, username, password, host, readerHost string, shardHosts []any, masterARN string) (string, error) {
	doc := map[string]any{
		"engine":     RotationEngine(a.Engine),
		"host":       host,
		"readerHost": readerHost,
		"shardHosts": shardHosts,
		"port":       a.Engine.Port(),
		"username":   username,
		"password":   password,
		"dbname":     a.DatabaseName,
	}
	if masterARN != "" {
		doc["masterarn"] = masterARN
	}
	b, err := json.Marshal(doc)
	if err != nil {
		return "", fmt.Errorf("database secret: %w", err)
	}
	return string(b), nil
}
