package webtier

import "strings"

// AdminAccessEntryKey is the key, in pulumi-eks's accessEntries, of the access entry that makes the
// IAM role arn cluster-admin: "admin-<account>-<role name>", such as admin-123456789012-ops for
// arn:aws:iam::123456789012:role/teams/ops. pulumi-eks names the entry <cluster>-<key>, so the key
// is part of a resource name: it is derived from the role alone, never from its place in
// adminRoleArns, and holds no "::" (a URN's separator). IAM role names are unique in an account
// whatever their path, so account and name identify the principal.
func AdminAccessEntryKey(arn string) string {
	// arn:<partition>:iam::<account>:role/<path/><name>; checked() has matched roleARNPattern.
	fields := strings.SplitN(arn, ":", 6)
	if len(fields) < 6 {
		return "admin-" + strings.NewReplacer(":", "-", "/", "-").Replace(arn)
	}
	resource := fields[5]
	return "admin-" + fields[4] + "-" + resource[strings.LastIndex(resource, "/")+1:]
}
