package cachetier

import "github.com/pulumi/pulumi/sdk/v3/go/pulumi"

// ConnectionEnv are the environment variables that tell an app where the cache is: CACHE_HOST
// (Endpoint), CACHE_PORT, CACHE_CLUSTER_MODE and CACHE_SECRET_ARN (the AUTH token). With
// ConnectionSecret and ConnectionSecretFields it makes the CacheTier a webtier.Backend.
//
// Outside mode disabled, CACHE_CLUSTER_MODE is ClientMode: it names the mode only once the
// connection secret holds that mode's endpoint, so that instances an instance refresh starts while
// the group and its secret are still changing (they read the host from the secret) never see the
// new mode with the old host. In mode disabled it is a constant: nothing waits for the group.
func (c *CacheTier) ConnectionEnv() map[string]pulumi.StringInput {
	var mode pulumi.StringInput = pulumi.String(string(c.Mode))
	if c.Mode != ModeDisabled {
		mode = c.ClientMode
	}
	return map[string]pulumi.StringInput{
		"CACHE_HOST":         c.Endpoint,
		"CACHE_PORT":         pulumi.Sprintf("%d", Port), // a constant: no wait for the group
		"CACHE_CLUSTER_MODE": mode,
		"CACHE_SECRET_ARN":   c.SecretARN,
	}
}

// ConnectionSecret is the connection secret (SecretARN) and the key that encrypts it (KMSKeyARN).
func (c *CacheTier) ConnectionSecret() (secretARN, kmsKeyARN pulumi.StringInput) {
	return c.SecretARN, c.KMSKeyARN
}

// ConnectionSecretFields says that CACHE_HOST is also the connection secret's host: the instance
// modes read it from there at start, so that they boot while the cache is being created (ten
// minutes) instead of after it.
func (c *CacheTier) ConnectionSecretFields() map[string]string {
	return map[string]string{"CACHE_HOST": "host"}
}
