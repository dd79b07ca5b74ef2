package webtier

import "github.com/tierstack/tierstack/internal/awsenv"

// Env is where a component's AWS resources go: region, account, partition and its DNS names. The
// policy functions (EC2Trust, AccessLogPolicy, PodIdentityTrust, ClusterAutoscalerPolicy) take one.
type Env = awsenv.Env
