package tiers

import (
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Namespace is the config namespace of tierstack's settings: the Pulumi project name.
const Namespace = "tierstack"

// ConfigKey describes one setting the program reads: what Pulumi.yaml declares and the README lists.
type ConfigKey struct {
	// Name is the key inside Namespace, such as "tier".
	Name string
	// Type is the Pulumi.yaml config type: string, integer, boolean, array or object.
	Type string
	// Default is what an unset key means, in words.
	Default string
	// Description says what the key does.
	Description string
}

// ConfigKeys are every tierstack setting the program reads.
var ConfigKeys = []ConfigKey{
	{"tier", "string", "from expectedUsers, else 100",
		"Growth tier to build: 100, 10k, 100k or 1m (case does not matter; 10000 works too)."},
	{"expectedUsers", "integer", "unset",
		"Users to serve; when tier is unset, picks the smallest tier built for that many (1m above a million)."},
	{"network", "object", "the tier's network",
		"Overrides of the tier's network: cidr, azCount, availabilityZones, natStrategy (none|single|perAz), flowLogs, flowLogRetentionDays, bastionAllowedCidrs."},
	{"drRegion", "string", "unset",
		"Disaster-recovery region; must differ from aws:region."},
	{"domain", "string", "unset",
		"DNS name of the service, such as app.example.com; needs hostedZoneId."},
	{"hostedZoneId", "string", "unset",
		"Route 53 hosted zone that holds domain, such as Z0123456789ABCDEFGHIJ."},
	{"alarmEmail", "string", "unset",
		"Email address that alarm notifications go to."},
}

// LoadSettings reads the stack's configuration and parses it with ParseSettings. Under the Pulumi
// engine it also refuses tierstack keys the program does not read: the engine hands the program every
// key in PULUMI_CONFIG, which the context cannot list.
func LoadSettings(ctx *pulumi.Context) (Settings, error) {
	if all := os.Getenv(pulumi.EnvConfig); all != "" {
		var keys map[string]any
		if err := json.Unmarshal([]byte(all), &keys); err == nil {
			present := map[string]string{}
			for k := range keys {
				present[k] = ""
			}
			if err := checkKnownKeys(present); err != nil {
				return Settings{}, err
			}
		}
	}
	cfg := map[string]string{}
	for _, k := range append(fullKeys(), "aws:region") {
		if v, ok := ctx.GetConfig(k); ok {
			cfg[k] = v
		}
	}
	return ParseSettings(cfg)
}

// fullKeys returns every tierstack key with its namespace.
func fullKeys() []string {
	keys := make([]string, len(ConfigKeys))
	for i, k := range ConfigKeys {
		keys[i] = Namespace + ":" + k.Name
	}
	return keys
}

// checkKnownKeys refuses a tierstack key the program does not read: most often a typo that would
// otherwise be ignored without a word.
func checkKnownKeys(cfg map[string]string) error {
	known := map[string]bool{}
	for _, k := range fullKeys() {
		known[k] = true
	}
	var unknown []string
	for k := range cfg {
		if strings.HasPrefix(k, Namespace+":") && !known[k] {
			unknown = append(unknown, k)
		}
	}
	if len(unknown) == 0 {
		return nil
	}
	sort.Strings(unknown)
	return fmt.Errorf("config %s is not a tierstack setting (allowed: %s)", strings.Join(unknown, ", "), strings.Join(fullKeys(), ", "))
}
