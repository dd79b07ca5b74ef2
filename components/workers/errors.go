package workers

import "errors"

// Errors of Run.
var (
	errNoCluster       = errors.New("the web tier in mode eks has no cluster to run the workers on (webtier.WebTier.Workloads is nil)")
	errNoKEDA          = errors.New("the web tier's cluster has no KEDA, which scales the workers on the queue (webtier.Workloads.KEDA is nil)")
	errMountsOnCluster = errors.New("a mount in mode eks is not one the web tier mounts, whose claim the workers' pods would share (allowed: the web tier's Mounts, by path: webtier.Workloads.Claims)")
)
