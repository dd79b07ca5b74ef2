package cli

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"
)

// StackFile is a Pulumi stack settings file (Pulumi.<stack>.yaml), read for a plan.
type StackFile struct {
	// Stack is the stack name from the file name: Pulumi.prod.yaml gives prod.
	Stack string
	// Config holds every value by full key ("tierstack:tier"); objects and arrays as JSON, the way
	// Pulumi hands structured config to a program.
	Config map[string]string
	// SecretKeys are the keys whose values are encrypted in the file. A plan cannot decrypt them and
	// passes a placeholder instead.
	SecretKeys []string
}

// secretStandIn replaces a secure value a plan cannot decrypt.
const secretStandIn = "plan-secret-placeholder"

// ReadStackFile reads a stack settings file. Keys without a namespace belong to the project, as
// Pulumi reads them.
func ReadStackFile(path, project string) (StackFile, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return StackFile{}, fmt.Errorf("reading stack settings: %w", err)
	}
	var doc struct {
		Config map[string]yaml.Node `yaml:"config"`
	}
	if err := yaml.Unmarshal(raw, &doc); err != nil {
		return StackFile{}, fmt.Errorf("stack settings %s: %w", path, err)
	}
	sf := StackFile{Stack: stackName(path), Config: map[string]string{}}
	for key, node := range doc.Config {
		if !strings.Contains(key, ":") {
			key = project + ":" + key
		}
		var v any
		if err := node.Decode(&v); err != nil {
			return StackFile{}, fmt.Errorf("stack settings %s: %s: %w", path, key, err)
		}
		if m, ok := v.(map[string]any); ok && len(m) == 1 && m["secure"] != nil {
			sf.Config[key] = secretStandIn
			sf.SecretKeys = append(sf.SecretKeys, key)
			continue
		}
		s, err := configString(v)
		if err != nil {
			return StackFile{}, fmt.Errorf("stack settings %s: %s: %w", path, key, err)
		}
		sf.Config[key] = s
	}
	sort.Strings(sf.SecretKeys)
	return sf, nil
}

// configString renders a config value the way Pulumi passes it to a program: scalars as text,
// objects and arrays as JSON.
func configString(v any) (string, error) {
	switch x := v.(type) {
	case nil:
		return "", nil
	case string:
		return x, nil
	case map[string]any, []any:
		b, err := json.Marshal(x)
		if err != nil {
			return "", err
		}
		return string(b), nil
	default:
		return fmt.Sprint(x), nil
	}
}

// stackName reads the stack from a file name: Pulumi.prod.yaml gives prod; any other name, plan.
func stackName(path string) string {
	base := filepath.Base(path)
	for _, ext := range []string{".yaml", ".yml"} {
		if strings.HasPrefix(base, "Pulumi.") && strings.HasSuffix(base, ext) {
			if s := strings.TrimSuffix(strings.TrimPrefix(base, "Pulumi."), ext); s != "" {
				return s
			}
		}
	}
	return "plan"
}
