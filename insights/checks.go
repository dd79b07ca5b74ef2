package insights

import (
	"bufio"
	"encoding/base64"
	"encoding/json"
	"strings"

	"github.com/tierstack/tierstack/synth"
)

// internetCIDRs are the sources that mean anyone.
var internetCIDRs = map[string]bool{"0.0.0.0/0": true, "::/0": true}

// webPorts are the ports the internet may reach.
func webPort(from, to float64) bool { return from == to && (from == 80 || from == 443) }

// openToInternet reports whether a rule's sources include the whole internet.
func openToInternet(rule map[string]any) bool {
	for _, k := range []string{"cidrBlocks", "ipv6CidrBlocks"} {
		for _, c := range strs(rule, k) {
			if internetCIDRs[c] {
				return true
			}
		}
	}
	return internetCIDRs[str(rule, "cidrIpv4")] || internetCIDRs[str(rule, "cidrIpv6")]
}

// ingressFinding reports an ingress rule open to the internet beyond 80 and 443.
func ingressFinding(r *synth.Resource, rule map[string]any) []Finding {
	if !openToInternet(rule) {
		return nil
	}
	from, _ := num(rule, "fromPort")
	to, _ := num(rule, "toPort")
	if proto := str(rule, "protocol"); proto == "-1" || proto == "all" {
		return []Finding{finding(SeverityError, r, "admits every port and protocol from the internet (allowed: 80 and 443)")}
	}
	if webPort(from, to) {
		return nil
	}
	return []Finding{finding(SeverityError, r, "admits ports %g-%g from the internet (allowed: 80 and 443)", from, to)}
}

// checkRuleIngress: a rule resource that admits the internet beyond 80 and 443.
func checkRuleIngress(_ index, r *synth.Resource) []Finding {
	if r.Type == "aws:ec2/securityGroupRule:SecurityGroupRule" && str(r.Inputs, "type") != "ingress" {
		return nil
	}
	if r.Type == "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule" {
		rule := map[string]any{"cidrIpv4": r.Inputs["cidrIpv4"], "cidrIpv6": r.Inputs["cidrIpv6"],
			"fromPort": r.Inputs["fromPort"], "toPort": r.Inputs["toPort"], "protocol": r.Inputs["ipProtocol"]}
		return ingressFinding(r, rule)
	}
	return ingressFinding(r, r.Inputs)
}

// checkInlineIngress: a group's inline ingress that admits the internet beyond 80 and 443.
func checkInlineIngress(_ index, r *synth.Resource) []Finding {
	var out []Finding
	for _, raw := range list(r.Inputs, "ingress") {
		if rule, ok := raw.(map[string]any); ok {
			out = append(out, ingressFinding(r, rule)...)
		}
	}
	return out
}

// checkIMDS: instances must require IMDSv2 tokens.
func checkIMDS(_ index, r *synth.Resource) []Finding {
	if str(r.Inputs, "metadataOptions.httpTokens") == "required" || str(r.Inputs, "metadataOptions.httpEndpoint") == "disabled" {
		return nil
	}
	return []Finding{finding(SeverityError, r, "allows IMDSv1: set metadataOptions.httpTokens to required, so a request forged through the app cannot read the instance's credentials")}
}

// checkInstanceVolume: an instance's root volume must be encrypted.
func checkInstanceVolume(_ index, r *synth.Resource) []Finding {
	return requireOn(r, setting{"rootBlockDevice.encrypted", SeverityError, "root volume is not encrypted"})
}

// checkTemplateVolumes: a launch template's volumes must be encrypted.
func checkTemplateVolumes(_ index, r *synth.Resource) []Finding {
	for _, raw := range list(r.Inputs, "blockDeviceMappings") {
		bd, _ := raw.(map[string]any)
		if on, _ := boolean(bd, "ebs.encrypted"); !on {
			return []Finding{finding(SeverityError, r, "launches instances with an unencrypted volume %s (ebs.encrypted)", str(bd, "deviceName"))}
		}
	}
	return nil
}

// checkVolume: an EBS volume must be encrypted.
func checkVolume(_ index, r *synth.Resource) []Finding {
	return requireOn(r, setting{"encrypted", SeverityError, "volume is not encrypted"})
}

// checkDatabase: encrypted, protected from deletion, a final snapshot on delete.
func checkDatabase(_ index, r *synth.Resource) []Finding {
	if str(r.Inputs, "globalClusterIdentifier") != "" && str(r.Inputs, "masterUsername") == "" && str(r.Inputs, "snapshotIdentifier") == "" {
		// A global database's secondary: its data is the primary's while it is one, so deleting it
		// (a strategy turned down) loses nothing; after a failover it is the only copy.
		out := requireOn(r, setting{"storageEncrypted", SeverityError, "database storage is not encrypted"})
		if on, _ := boolean(r.Inputs, "deletionProtection"); !on {
			out = append(out, finding(SeverityWarning, r, "a global database secondary without deletion protection: its data is the primary's until a failover promotes it, then it is the only copy (turn deletionProtection on as the runbook's first step)"))
		}
		return out
	}
	out := requireOn(r,
		setting{"storageEncrypted", SeverityError, "database storage is not encrypted"},
		setting{"deletionProtection", SeverityWarning, "no deletion protection: a mistaken delete drops the database"})
	if skip, _ := boolean(r.Inputs, "skipFinalSnapshot"); skip || str(r.Inputs, "finalSnapshotIdentifier") == "" {
		out = append(out, finding(SeverityError, r, "no final snapshot on delete: deleting the database loses its data"))
	}
	return out
}

// setting is a boolean input that must be on, and what it means when it is not.
type setting struct {
	path, severity, message string
}

// requireOn reports each setting of r that is not on.
func requireOn(r *synth.Resource, settings ...setting) []Finding {
	var out []Finding
	for _, st := range settings {
		if on, _ := boolean(r.Inputs, st.path); !on {
			out = append(out, finding(st.severity, r, "%s (%s)", st.message, st.path))
		}
	}
	return out
}

// checkCache: encrypted at rest and in transit, a final snapshot on delete.
func checkCache(_ index, r *synth.Resource) []Finding {
	out := requireOn(r,
		setting{"atRestEncryptionEnabled", SeverityError, "cache is not encrypted at rest"},
		setting{"transitEncryptionEnabled", SeverityError, "cache traffic is not encrypted"})
	if str(r.Inputs, "finalSnapshotIdentifier") == "" {
		out = append(out, finding(SeverityWarning, r, "no final snapshot on delete: deleting the cache loses its data"))
	}
	return out
}

// checkTable: deletion protection and point-in-time recovery.
func checkTable(_ index, r *synth.Resource) []Finding {
	return requireOn(r,
		setting{"deletionProtectionEnabled", SeverityWarning, "no deletion protection: a mistaken delete drops the table"},
		setting{"pointInTimeRecovery.enabled", SeverityWarning, "no point-in-time recovery: a bad write cannot be rolled back"})
}

// checkOpenSearch: encrypted at rest and between nodes.
func checkOpenSearch(_ index, r *synth.Resource) []Finding {
	return requireOn(r,
		setting{"encryptAtRest.enabled", SeverityError, "domain is not encrypted at rest"},
		setting{"nodeToNodeEncryption.enabled", SeverityError, "traffic between nodes is not encrypted"})
}

// checkBucket: every bucket needs a public access block with all four settings on.
func checkBucket(ix index, r *synth.Resource) []Finding {
	names := map[string]bool{r.ID: true}
	if b, ok := r.Outputs["bucket"].(string); ok {
		names[b] = true
	}
	for _, other := range ix.byURN {
		if other.Type != "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock" || !names[str(other.Inputs, "bucket")] {
			continue
		}
		all := true
		for _, k := range []string{"blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"} {
			on, _ := boolean(other.Inputs, k)
			all = all && on
		}
		if all {
			return nil
		}
		return []Finding{finding(SeverityError, r, "bucket's public access block leaves a setting off: it can be made public")}
	}
	return []Finding{finding(SeverityError, r, "bucket has no public access block: an ACL or policy can make it public")}
}

// checkBucketPolicy: a statement that allows anyone without a condition makes the bucket public.
func checkBucketPolicy(_ index, r *synth.Resource) []Finding {
	var doc struct {
		Statement []struct {
			Effect    string          `json:"Effect"`
			Principal json.RawMessage `json:"Principal"`
			Condition map[string]any  `json:"Condition"`
		} `json:"Statement"`
	}
	if err := json.Unmarshal([]byte(str(r.Inputs, "policy")), &doc); err != nil {
		return nil
	}
	for _, st := range doc.Statement {
		p := strings.ReplaceAll(string(st.Principal), " ", "")
		if st.Effect == "Allow" && (p == `"*"` || p == `{"AWS":"*"}`) && len(st.Condition) == 0 {
			return []Finding{finding(SeverityError, r, "bucket policy allows anyone, with no condition: the bucket is public")}
		}
	}
	return nil
}

// checkLogRetention: a log group without retention keeps (and bills) its logs forever.
func checkLogRetention(_ index, r *synth.Resource) []Finding {
	if days, ok := num(r.Inputs, "retentionInDays"); ok && days > 0 {
		return nil
	}
	return []Finding{finding(SeverityWarning, r, "log group keeps its logs forever (no retentionInDays): storage grows without end")}
}

// secretWords are the input names that hold a credential.
var secretWords = []string{"password", "secretstring", "authtoken", "apikey", "privatekey", "secretkey", "accesskey"}

// checkPlaintextSecrets: an input named like a credential must be a secret, not plain text.
func checkPlaintextSecrets(_ index, r *synth.Resource) []Finding {
	var out []Finding
	var walk func(path string, v any)
	walk = func(path string, v any) {
		switch x := v.(type) {
		case map[string]any:
			// An environment variable {name, value} named like a credential (a Kubernetes container's
			// env) holds one in value.
			if name, ok := x["name"].(string); ok {
				if v, ok := x["value"].(string); ok && v != "" && v != synth.SecretPlaceholder && looksSecret(strings.ToLower(name)) {
					out = append(out, finding(SeverityError, r, "environment variable %s holds a credential in plain text: read it from a secret instead", name))
				}
			}
			for k, c := range x {
				walk(path+"."+k, c)
			}
		case []any:
			for _, c := range x {
				walk(path, c)
			}
		case string:
			if x == "" || x == synth.SecretPlaceholder || x == synth.UnknownPlaceholder {
				return
			}
			if key := strings.ToLower(path[strings.LastIndex(path, ".")+1:]); looksSecret(key) {
				out = append(out, finding(SeverityError, r, "input %s holds a credential in plain text: it lands in the state file unencrypted (make it a secret)", strings.TrimPrefix(path, ".")))
			}
		}
	}
	walk("", r.Inputs)
	return out
}

// looksSecret reports whether a lower-case name names a credential (not its ARN or ID).
func looksSecret(name string) bool {
	name = strings.ReplaceAll(name, "_", "")
	if strings.HasSuffix(name, "arn") || strings.HasSuffix(name, "id") {
		return false
	}
	for _, w := range secretWords {
		if strings.Contains(name, w) {
			return true
		}
	}
	return false
}

// checkUserData: a boot script that sets a credential as a plain variable (NAME=value) puts it in
// the state file and in the instance's metadata, readable by anything on the instance.
func checkUserData(_ index, r *synth.Resource) []Finding {
	for _, key := range []string{"userData", "userDataBase64"} {
		raw := str(r.Inputs, key)
		if raw == "" || raw == synth.SecretPlaceholder || raw == synth.UnknownPlaceholder {
			continue
		}
		script := raw
		if decoded, err := base64.StdEncoding.DecodeString(raw); err == nil {
			script = string(decoded)
		}
		sc := bufio.NewScanner(strings.NewReader(script))
		for sc.Scan() {
			line := strings.TrimPrefix(strings.TrimSpace(sc.Text()), "export ")
			name, value, ok := strings.Cut(line, "=")
			if ok && value != "" && !strings.ContainsAny(name, " \t$") && looksSecret(strings.ToLower(name)) {
				return []Finding{finding(SeverityError, r, "%s sets %s in plain text: read it from a secret at boot instead", key, name)}
			}
		}
	}
	return nil
}
