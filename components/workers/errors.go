package workers

import "errors"

// Errors of Run.
var (
	errNoCluster       = errors.New("the web tier in mode eks has no cluster to run the workers on (webtier.WebTier.Workloads is nil)")
	errNoKEDA          = errors.New("the web tier's cluster has no KEDA, which scales the workers on the queue (webtier.Workloads.KEDA is nil)")
	errMountsOnCluster = errors.New("mounts are set in mode eks, where the workers cannot mount them yet (allowed: mode autoscaling, or no mounts)")
)
