package streaming

import "github.com/pulumi/pulumi/sdk/v3/go/pulumi"

// The environment variables a Streaming gives the app (webtier.Backend).
const (
	// EnvBootstrapBrokers holds BootstrapBrokers: host:port pairs for SASL/IAM over TLS.
	EnvBootstrapBrokers = "KAFKA_BOOTSTRAP_BROKERS"
	// EnvAuth holds AuthMechanism: how the app authenticates.
	EnvAuth = "KAFKA_AUTH"
)

// AuthMechanism is the SASL mechanism of MSK's IAM authentication, as AWS's aws-msk-iam-auth
// library names it (sasl.mechanism=AWS_MSK_IAM, security.protocol=SASL_SSL): the app authenticates
// with its role's credentials, so there is no password to hand it.
const AuthMechanism = "AWS_MSK_IAM"

// ConnectionEnv tells the app where the brokers are and how to authenticate: EnvBootstrapBrokers and
// EnvAuth. With it a *Streaming is a webtier.Backend.
func (s *Streaming) ConnectionEnv() map[string]pulumi.StringInput {
	return map[string]pulumi.StringInput{
		EnvBootstrapBrokers: s.BootstrapBrokers,
		EnvAuth:             pulumi.String(AuthMechanism),
	}
}

// ConnectionSecret is nil: IAM authentication needs no secret (the app's role, granted by GrantTo,
// is its credential). The SASL/SCRAM secret is for clients outside AWS, not the app.
func (s *Streaming) ConnectionSecret() (secretARN, kmsKeyARN pulumi.StringInput) { return nil, nil }

// ConnectionSecretFields is empty: no variable comes from a secret.
func (s *Streaming) ConnectionSecretFields() map[string]string { return map[string]string{} }
