package datatier

import "github.com/pulumi/pulumi/sdk/v3/go/pulumi"

// ConnectionEnv are the environment variables that tell an app where the database is:
// DATABASE_ENGINE, DATABASE_HOST (shard 0's writer), DATABASE_READER_HOST, DATABASE_PORT,
// DATABASE_NAME and DATABASE_SECRET_ARN (the credentials). With ConnectionSecret it makes the
// DataTier a webtier.Backend.
func (d *DataTier) ConnectionEnv() map[string]pulumi.StringInput {
	return map[string]pulumi.StringInput{
		"DATABASE_ENGINE":      pulumi.String(string(d.Engine)),
		"DATABASE_HOST":        d.WriterEndpoint,
		"DATABASE_READER_HOST": d.ReaderEndpoint,
		"DATABASE_PORT":        pulumi.Sprintf("%d", d.Port),
		"DATABASE_NAME":        d.DatabaseName,
		"DATABASE_SECRET_ARN":  d.SecretARN,
	}
}

// ConnectionSecret is the secret with the credentials and endpoints (SecretARN) and the key that
// encrypts it (KMSKeyARN): an app that connects must be allowed to read both.
func (d *DataTier) ConnectionSecret() (secretARN, kmsKeyARN pulumi.StringInput) {
	return d.SecretARN, d.KMSKeyARN
}

// ConnectionSecretFields is empty: the app waits for the database's endpoints, which exist once
// the cluster does.
func (d *DataTier) ConnectionSecretFields() map[string]string { return nil }
