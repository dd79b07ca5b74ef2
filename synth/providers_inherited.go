package synth

import (
	"maps"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

// providersOf is the providers map a component registration has in effect, as the engine computes
// it: its parent component's map, with the providers the registration names itself on top. The Go
// SDK sends a component only the providers it was given (pulumi.Provider and pulumi.Providers both
// fill the map); the engine's resource monitor merges the parent's map in before it constructs a
// packaged component, so that the children a component provider (pulumi-eks) registers inherit a
// provider given to an enclosing component (pulumi/pulumi#24125, "providers map inheritance into
// remote components").
func (r *Recorder) providersOf(rpc *pulumirpc.RegisterResourceRequest) map[string]string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.providersOfLocked(rpc)
}

// providersOfLocked is providersOf with r.mu held.
func (r *Recorder) providersOfLocked(rpc *pulumirpc.RegisterResourceRequest) map[string]string {
	out := maps.Clone(r.componentProviders[rpc.GetParent()])
	if out == nil {
		out = map[string]string{}
	}
	maps.Copy(out, rpc.GetProviders())
	return out
}
