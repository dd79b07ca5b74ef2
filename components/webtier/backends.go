package webtier

import (
	"fmt"
	"maps"
	"regexp"
	"slices"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Backend is a component the app connects to, as it tells the app where it is: a
// *datatier.DataTier and a *cachetier.CacheTier satisfy it (an interface, so that the WebTier does
// not compile RDS or ElastiCache). Args.Backends turns each into the Connection variables, the
// ConnectionFromSecrets reads, the ReadableSecrets and the SecretKeys it would otherwise take by hand.
type Backend interface {
	// ConnectionEnv are the environment variables that tell the app where the backend is, such as
	// DATABASE_HOST or CACHE_HOST, by name.
	ConnectionEnv() map[string]pulumi.StringInput
	// ConnectionSecret is the ARN of the Secrets Manager secret that holds the backend's connection
	// as a JSON object (the app's role may read it) and the KMS key that encrypts it.
	ConnectionSecret() (secretARN, kmsKeyARN pulumi.StringInput)
	// ConnectionSecretFields name, for variables of ConnectionEnv whose value comes late (the
	// cache's host, ten minutes after its secret), the secret's JSON key that holds the same value:
	// modes instance and autoscaling read them from the secret at start, so that the instances boot
	// while the backend is still being created. Mode eks takes them from ConnectionEnv.
	ConnectionSecretFields() map[string]string
}

// Prefixed returns b with prefix and an underscore before each of its variable names, so that two
// backends of one kind can serve one app: Prefixed("ORDERS", orders) sets ORDERS_DATABASE_HOST.
// prefix is upper-case letters, digits and underscores, starting with a letter; Args checks it.
func Prefixed(prefix string, b Backend) Backend {
	return prefixed{prefix: prefix, Backend: b}
}

// prefixed is a Backend whose variables carry a prefix.
type prefixed struct {
	prefix string
	Backend
}

// prefixPattern is what Prefixed takes.
var prefixPattern = regexp.MustCompile(`^[A-Z][A-Z0-9_]*$`)

// ConnectionEnv renames the variables.
func (p prefixed) ConnectionEnv() map[string]pulumi.StringInput {
	out := map[string]pulumi.StringInput{}
	for k, v := range p.Backend.ConnectionEnv() {
		out[p.prefix+"_"+k] = v
	}
	return out
}

// ConnectionSecretFields renames the variables.
func (p prefixed) ConnectionSecretFields() map[string]string {
	out := map[string]string{}
	for k, v := range p.Backend.ConnectionSecretFields() {
		out[p.prefix+"_"+k] = v
	}
	return out
}

// withBackends returns a with its Backends merged into Connection, ConnectionFromSecrets,
// ReadableSecrets and SecretKeys (copies: the caller's maps and slices are left alone), or an error
// naming the backend and the variable when two set one name.
func (a Args) withBackends() (Args, error) {
	if len(a.Backends) == 0 {
		return a, nil
	}
	a.Connection = maps.Clone(a.Connection)
	if a.Connection == nil {
		a.Connection = map[string]pulumi.StringInput{}
	}
	a.ConnectionFromSecrets = maps.Clone(a.ConnectionFromSecrets)
	if a.ConnectionFromSecrets == nil {
		a.ConnectionFromSecrets = map[string]SecretField{}
	}
	a.ReadableSecrets = slices.Clone(a.ReadableSecrets)
	a.SecretKeys = slices.Clone(a.SecretKeys)
	for i, b := range a.Backends {
		if b == nil {
			return a, fmt.Errorf("webtier: backends[%d] is nil (allowed: a DataTier, a CacheTier or another Backend)", i)
		}
		if p, ok := b.(prefixed); ok && !prefixPattern.MatchString(p.prefix) {
			return a, fmt.Errorf("webtier: backends[%d] prefix %q is not allowed (allowed: upper-case letters, digits and underscores, starting with a letter, such as ORDERS)", i, p.prefix)
		}
		arn, key := b.ConnectionSecret()
		fields := b.ConnectionSecretFields()
		env := b.ConnectionEnv()
		for _, k := range slices.Sorted(maps.Keys(env)) {
			_, inConnection := a.Connection[k]
			_, inSecrets := a.ConnectionFromSecrets[k]
			if inConnection || inSecrets {
				return a, fmt.Errorf("webtier: backends[%d] sets %s, which another backend or Connection sets too (allowed: each name once; webtier.Prefixed tells two backends of one kind apart)", i, k)
			}
			if field, late := fields[k]; late && a.Mode != ModeEKS && arn != nil {
				a.ConnectionFromSecrets[k] = SecretField{ARN: arn, Field: field}
				continue
			}
			a.Connection[k] = env[k]
		}
		if arn != nil {
			a.ReadableSecrets = append(a.ReadableSecrets, arn)
		}
		if key != nil {
			a.SecretKeys = append(a.SecretKeys, key)
		}
	}
	return a, nil
}
