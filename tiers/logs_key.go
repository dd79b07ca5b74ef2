package tiers

import (
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/kms"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/tierstack/tierstack/internal/awsenv"
	"github.com/tierstack/tierstack/internal/kmskey"
)

// newLogsKey makes the key that encrypts the stack's log groups that no component key covers (the
// VPC flow logs, the WAF's log) in env's region, through opts' provider. It is kept when it leaves
// the stack (retainOnDelete), as the log groups it encrypts are: a deleted key would make their
// events unreadable.
func newLogsKey(ctx *pulumi.Context, name string, env awsenv.Env, tags map[string]string, opts ...pulumi.ResourceOption) (*kms.Key, error) {
	return kmskey.NewWith(ctx, name, "tierstack: the stack's log groups in "+env.Region, env, tags,
		[]kmskey.Statement{kmskey.Logs(env)}, append(opts, pulumi.RetainOnDelete(true))...)
}

// cloudFrontRegion is where CloudFront's web ACLs, certificates and their logs live.
const cloudFrontRegion = "us-east-1"

// stackLogs is the stack's logs key in its region (nil where nothing needs it) and where that is.
type stackLogs struct {
	key *kms.Key
	env awsenv.Env
}

// keyFor returns the key for a WAF log: the stack's, or for a CloudFront web ACL (whose log lives
// in us-east-1) a key made there through usEast1 when the stack is elsewhere.
func (l stackLogs) keyFor(ctx *pulumi.Context, cloudFront bool, usEast1 pulumi.ProviderResource, tags map[string]string) (*kms.Key, error) {
	if !cloudFront || (l.env.Region == cloudFrontRegion && l.key != nil) {
		return l.key, nil
	}
	env := l.env
	env.Region = cloudFrontRegion
	return newLogsKey(ctx, "logs-key-"+cloudFrontRegion, env, tags, pulumi.Provider(usEast1))
}
