package synth

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// A condition is a rule about one input of a type that depends on its old and new values: a
// replacement the provider decides in its CustomizeDiff (not in the schema the rules file holds), or
// a change AWS refuses to make in place, so that pulumi up would fail half way.
type condition struct {
	input string
	// replaces reports whether the change replaces the resource.
	replaces func(old, new any, after map[string]any) bool
	// refused says why AWS refuses the change, "" when it does not.
	refused func(old, new any, after map[string]any) string
	// afterUpdate says what must happen after pulumi up for the change to take effect, "" when
	// nothing.
	afterUpdate func(old, new any, after map[string]any) string
}

// conditions are the conditional rules, by type, with their sources.
var conditions = map[string][]condition{
	"aws:eks/nodeGroup:NodeGroup": nodeGroupConditions,
	// terraform-provider-aws internal/service/elasticache/replication_group.go:
	// customizeDiffEngineForceNewOnDowngrade and customizeDiffEngineVersionForceNewOnDowngrade.
	"aws:elasticache/replicationGroup:ReplicationGroup": {
		{input: "engine", replaces: func(old, new any, _ map[string]any) bool {
			return old != nil && new != old && !(old == "redis" && new == "valkey")
		}},
		{input: "engineVersion", replaces: func(old, new any, _ map[string]any) bool {
			return versionLess(str(new), str(old))
		}},
		// AWS, "Modifying cluster mode": disabled → compatible → enabled, one step at a time, never back.
		{input: "clusterMode", refused: func(old, new any, _ map[string]any) string {
			steps := map[string]int{"": 0, "disabled": 0, "compatible": 1, "enabled": 2}
			o, n := steps[str(old)], steps[str(new)]
			switch {
			case n < o:
				return fmt.Sprintf("cluster mode %s → %s: AWS cannot revert a move towards cluster mode", str(old), str(new))
			case n-o > 1:
				return fmt.Sprintf("cluster mode %s → %s: AWS goes through compatible, one pulumi up per step", or(str(old), "disabled"), str(new))
			}
			return ""
		}},
	},
	// terraform-provider-aws internal/service/ec2/ec2_instance.go: with user_data_replace_on_change
	// set, a change of the user data replaces the instance (otherwise it stops and starts it).
	"aws:ec2/instance:Instance": {
		{input: "userData", replaces: userDataReplaces},
		{input: "userDataBase64", replaces: userDataReplaces},
	},
	// A launch template's new image is a new version, in place; the web tier's group follows its
	// latest version, and terraform-provider-aws internal/service/autoscaling/group.go starts an
	// instance refresh when a group with instance_refresh gets a new launch template version. The
	// refresh runs after pulumi up returns (it does not wait for it).
	"aws:ec2/launchTemplate:LaunchTemplate": {
		{input: "imageId", afterUpdate: func(old, new any, _ map[string]any) string {
			return fmt.Sprintf("image %s → %s: the Auto Scaling group's instance refresh replaces its instances a few at a time, half of them serving; the new image serves once it completes", or(str(old), "(none)"), str(new))
		}},
	},
	// What EKS refuses in place; a cluster's move to another VPC or zones is refuseClusterMove's.
	eksClusterType: {
		// Amazon EKS User Guide, "Update existing cluster to new Kubernetes version": a cluster is
		// updated one minor version at a time. (EKS's rollback goes back one minor version, within 7
		// days of an upgrade: "Rollback cluster to previous Kubernetes version"; whether pulumi up's
		// UpdateClusterVersion call may do it is for AWS to settle, so one step down passes.)
		{input: "version", refused: func(old, new any, _ map[string]any) string {
			o, n := versionNumbers(str(old)), versionNumbers(str(new))
			if len(o) < 2 || len(n) < 2 || o[0] != n[0] {
				return ""
			}
			if d := n[1] - o[1]; d > 1 || d < -1 {
				return fmt.Sprintf("Kubernetes version %s → %s: EKS updates a cluster one minor version at a time, one pulumi up per step", str(old), str(new))
			}
			return ""
		}},
		// Amazon EKS User Guide, "Change authentication mode to use access entries": "you can't
		// change the authentication mode back to a mode that removes the EKS API and access
		// entries", and the ConfigMap cannot be enabled after the cluster is created.
		{input: "accessConfig", refused: func(old, new any, _ map[string]any) string {
			steps := map[string]int{"CONFIG_MAP": 0, "API_AND_CONFIG_MAP": 1, "API": 2}
			mode := func(v any) string { m, _ := v.(map[string]any); return str(m["authenticationMode"]) }
			o, okO := steps[mode(old)]
			n, okN := steps[mode(new)]
			if okO && okN && n < o {
				return fmt.Sprintf("authentication mode %s → %s: EKS never gives up access entries, nor turns the aws-auth ConfigMap on after creation", mode(old), mode(new))
			}
			return ""
		}},
	},
	// AWS, "Working with parameter groups": a static parameter, or one applied with
	// pending-reboot, takes effect when each instance using the group reboots. max_connections is
	// static on Aurora Serverless v2 (Aurora User Guide, "Performance and scaling for Aurora
	// Serverless v2", "Maximum connections for Aurora Serverless v2").
	"aws:rds/parameterGroup:ParameterGroup":               {{input: "parameters", afterUpdate: parametersPendingReboot}},
	"aws:rds/clusterParameterGroup:ClusterParameterGroup": {{input: "parameters", afterUpdate: parametersPendingReboot}},
	"aws:rds/cluster:Cluster": {
		// AWS, "Configuring backtracking": a cluster gets backtracking only when it is created, and
		// once turned off it can never be turned on again.
		{input: "backtrackWindow", refused: func(old, new any, _ map[string]any) string {
			if num(old) == 0 && num(new) > 0 {
				return "backtracking can be turned on only when a cluster is created"
			}
			return ""
		}},
		// AWS, "Upgrading the major version": a major version moves only with
		// allowMajorVersionUpgrade; no engine version moves back.
		{input: "engineVersion", refused: func(old, new any, after map[string]any) string {
			o, n := str(old), str(new)
			switch {
			case o == "" || n == "":
				return ""
			case versionLess(n, o):
				return fmt.Sprintf("engine version %s → %s: AWS does not downgrade a cluster", o, n)
			case majorVersion(o) != majorVersion(n) && after["allowMajorVersionUpgrade"] != true:
				return fmt.Sprintf("engine version %s → %s is a major upgrade, which needs allowMajorVersionUpgrade", o, n)
			}
			return ""
		}},
	},
}

// userDataReplaces reports whether a user data change replaces an instance: when the instance asks
// for it with userDataReplaceOnChange.
func userDataReplaces(_, _ any, after map[string]any) bool {
	return after["userDataReplaceOnChange"] == true
}

// conditionalIdentity is what a resource's identity rests on beyond the rules file, where a
// condition's replacement depends on the new inputs alone: an instance that asks for
// userDataReplaceOnChange is a new instance with new user data, so its dependents (the Elastic IP)
// see a new ID. "" for every other resource.
func conditionalIdentity(typ string, inputs map[string]any) string {
	if typ != "aws:ec2/instance:Instance" || !userDataReplaces(nil, nil, inputs) {
		return ""
	}
	h := sha256.New()
	for _, k := range []string{"userData", "userDataBase64"} {
		b, _ := json.Marshal(inputs[k]) // plain JSON values always marshal
		h.Write(b)
	}
	return "+userdata:" + hex.EncodeToString(h.Sum(nil))
}

// deleteRefused says why AWS refuses to delete a resource as its plan records it, "" when it does not.
func deleteRefused(r Resource) string {
	switch r.Type {
	case "aws:lb/loadBalancer:LoadBalancer":
		if r.Inputs["enableDeletionProtection"] == true {
			return "a load balancer with deletion protection on is not deleted (turn enableDeletionProtection off first)"
		}
	case "aws:dynamodb/tableReplica:TableReplica":
		if r.Inputs["deletionProtectionEnabled"] == true {
			return "a table replica with deletion protection on is not deleted (turn deletionProtectionEnabled off first, in its own pulumi up)"
		}
	}
	return ""
}

// applyConditions adds to c what the conditional rules of its type say about its changed keys.
func applyConditions(c *Change, before, after map[string]any) {
	for _, cond := range conditions[c.Type] {
		if !contains(c.Keys, cond.input) {
			continue
		}
		old, new := before[cond.input], after[cond.input]
		if cond.replaces != nil && cond.replaces(old, new, after) && !contains(c.ReplacedBy, cond.input) {
			c.ReplacedBy = append(c.ReplacedBy, cond.input)
		}
		if cond.afterUpdate != nil {
			if step := cond.afterUpdate(old, new, after); step != "" {
				c.AfterUpdate = append(c.AfterUpdate, step)
			}
		}
		if cond.refused != nil {
			if why := cond.refused(old, new, after); why != "" {
				c.Refused = append(c.Refused, why)
			}
		}
	}
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

func str(v any) string {
	s, _ := v.(string)
	return s
}

func num(v any) float64 {
	f, _ := v.(float64)
	return f
}

func or(s, fallback string) string {
	if s == "" {
		return fallback
	}
	return s
}

// versionNumbers reads the numbers of a dotted version, skipping words: 8.0.mysql_aurora.3.08.2
// gives 8 0 3 8 2.
func versionNumbers(v string) []int {
	var out []int
	for _, part := range strings.FieldsFunc(v, func(r rune) bool { return r == '.' || r == '_' || r == '-' }) {
		if n, err := strconv.Atoi(part); err == nil {
			out = append(out, n)
		}
	}
	return out
}

// versionLess reports whether version a is older than version b; "" is never older.
func versionLess(a, b string) bool {
	if a == "" || b == "" {
		return false
	}
	x, y := versionNumbers(a), versionNumbers(b)
	for i := 0; i < len(x) && i < len(y); i++ {
		if x[i] != y[i] {
			return x[i] < y[i]
		}
	}
	return len(x) < len(y)
}

// majorVersion is the part of an engine version a major upgrade changes: "8.0" of
// 8.0.mysql_aurora.3.08.2, "16" of 16.6.
func majorVersion(v string) string {
	if i := strings.Index(v, ".mysql_aurora"); i >= 0 {
		return v[:i]
	}
	if strings.Count(v, ".") >= 2 && strings.HasPrefix(v, "8.") {
		return v[:3] // Aurora MySQL 8.4.x
	}
	major, _, _ := strings.Cut(v, ".")
	return major
}

// parametersPendingReboot names the parameters of an RDS parameter group whose value changes (or
// that are added or removed) with applyMethod pending-reboot: they hold their old value until each
// instance using the group reboots.
func parametersPendingReboot(old, new any, _ map[string]any) string {
	values := func(v any) map[string]string {
		out := map[string]string{}
		list, _ := v.([]any)
		for _, p := range list {
			m, _ := p.(map[string]any)
			if m == nil || (m["applyMethod"] != nil && str(m["applyMethod"]) != "pending-reboot") {
				continue
			}
			out[str(m["name"])] = str(m["value"])
		}
		return out
	}
	before, after := values(old), values(new)
	var moved []string
	for _, name := range sortedUnion(toAny(before), toAny(after)) {
		if before[name] != after[name] {
			moved = append(moved, fmt.Sprintf("%s %s → %s", name, or(before[name], "default"), or(after[name], "default")))
		}
	}
	if len(moved) == 0 {
		return ""
	}
	return "reboot each instance that uses the group (aws rds reboot-db-instance, readers first, or wait for the maintenance window): " +
		strings.Join(moved, ", ") + " take effect only then"
}

// toAny turns a map of strings into a map of any, for sortedUnion.
func toAny(m map[string]string) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}
