package synth

import (
	"fmt"
	"sort"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

// How the offline engine registers a packaged component's children as its provider would: with
// their parent, provider, inputs and the dependencies those inputs carry.

// in is one of the component's inputs (null when it is not set).
func (c *eksCluster) in(key string) resource.PropertyValue {
	return c.inputs[resource.PropertyKey(key)]
}

// deps are the URNs the component's inputs keys depend on, as pulumi-eks's children inherit them:
// their property dependencies, and the resources they pass by reference (the Go SDK leaves those
// out of a remote component's dependencies; pulumi-eks reads their outputs, which depend on them).
func (c *eksCluster) deps(keys ...string) []string {
	var out []string
	for _, k := range keys {
		if d := c.rpc.GetPropertyDependencies()[k]; d != nil {
			out = append(out, d.GetUrns()...)
		}
		out = append(out, references(c.in(k))...)
	}
	return out
}

// references are the URNs of the resources a value refers to.
func references(v resource.PropertyValue) []string {
	switch {
	case v.IsResourceReference():
		return []string{string(v.ResourceReferenceValue().URN)}
	case v.IsArray():
		var out []string
		for _, e := range v.ArrayValue() {
			out = append(out, references(e)...)
		}
		return out
	case v.IsObject():
		var out []string
		m := v.ObjectValue()
		for _, k := range m.StableKeys() {
			out = append(out, references(m[k])...)
		}
		return out
	}
	return nil
}

// register registers one custom resource under parent (the component, or an access entry) with
// its inputs, the dependencies of each input, explicit dependsOn URNs and ignoreChanges, as the
// component's provider would, and returns its state. Children inherit the component's AWS
// provider; the Kubernetes providers take none.
func (c *eksCluster) register(typ, name, parent string, inputs resource.PropertyMap, propDeps map[string][]string, dependsOn, ignore []string) (resource.PropertyMap, error) {
	provider := c.provider
	if isProvider(typ) {
		provider = ""
	}
	req := &pulumirpc.RegisterResourceRequest{
		Type: typ, Name: name, Parent: parent, Custom: true, Provider: provider,
		PropertyDependencies: map[string]*pulumirpc.RegisterResourceRequest_PropertyDependencies{},
		IgnoreChanges:        ignore,
	}
	seen := map[string]bool{}
	addDep := func(u string) {
		if u != "" && !seen[u] {
			seen[u] = true
			req.Dependencies = append(req.Dependencies, u)
		}
	}
	keys := make([]string, 0, len(propDeps))
	for k := range propDeps {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if len(propDeps[k]) == 0 {
			continue
		}
		req.PropertyDependencies[k] = &pulumirpc.RegisterResourceRequest_PropertyDependencies{Urns: propDeps[k]}
		for _, u := range propDeps[k] {
			addDep(u)
		}
	}
	for _, u := range dependsOn {
		addDep(u)
	}
	for k, v := range inputs {
		if v.IsNull() {
			delete(inputs, k)
		}
	}
	_, state, err := c.r.NewResource(pulumi.MockResourceArgs{TypeToken: typ, Name: name, Inputs: inputs, Provider: provider, Custom: true, RegisterRPC: req})
	if err != nil {
		return nil, fmt.Errorf("synth: expanding eks:index:Cluster %s: %w", c.name, err)
	}
	c.r.markRegisteredBy(c.r.urnFor(parent, typ, name), EKSPackage)
	return state, nil
}

// registerURN registers a custom child under parent and returns its URN.
func (c *eksCluster) registerURN(typ, name, parent string, inputs resource.PropertyMap, propDeps map[string][]string, dependsOn []string) (string, error) {
	if _, err := c.register(typ, name, parent, inputs, propDeps, dependsOn, nil); err != nil {
		return "", err
	}
	return c.r.urnFor(parent, typ, name), nil
}

// markRegisteredBy records which package's component provider registered the resource urn.
func (r *Recorder) markRegisteredBy(urn, pkg string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if i, ok := r.byURN[urn]; ok {
		r.resources[i].RegisteredBy = pkg
	}
}

// refID is the ID of the resource a reference names (unknown when it is not known yet).
func refID(v resource.PropertyValue) resource.PropertyValue {
	if v.IsResourceReference() {
		if id := v.ResourceReferenceValue().ID; id.IsString() && id.StringValue() != "" {
			return id
		}
	}
	return resource.MakeComputed(resource.NewProperty(""))
}

// refOutput is an output of the resource a reference names, as the engine holds it (unknown when
// it is not known yet, as in a preview).
func (r *Recorder) refOutput(v resource.PropertyValue, key string) resource.PropertyValue {
	if v.IsResourceReference() {
		r.mu.Lock()
		state := r.states[string(v.ResourceReferenceValue().URN)]
		r.mu.Unlock()
		if out, ok := state[resource.PropertyKey(key)]; ok && !out.IsNull() {
			return out
		}
	}
	return resource.MakeComputed(resource.NewProperty(""))
}

// idOf is a registered resource's ID as its dependents read it (unknown in a preview).
func (r *Recorder) idOf(urn string) resource.PropertyValue {
	r.mu.Lock()
	defer r.mu.Unlock()
	if i, ok := r.byURN[urn]; ok && r.resources[i].ID != "" && r.resources[i].ID != UnknownPlaceholder {
		return resource.NewProperty(r.resources[i].ID)
	}
	return resource.MakeComputed(resource.NewProperty(""))
}

// mergeTags merges tag maps as pulumi-eks's object spreads do: later maps win. A map that is not
// known yet makes the whole unknown.
func mergeTags(maps ...any) resource.PropertyValue {
	out := resource.PropertyMap{}
	for _, m := range maps {
		switch v := m.(type) {
		case resource.PropertyMap:
			for k, x := range v {
				out[k] = x
			}
		case resource.PropertyValue:
			switch {
			case v.IsNull():
			case v.IsObject():
				for k, x := range v.ObjectValue() {
					out[k] = x
				}
			default:
				return resource.MakeComputed(resource.NewProperty(""))
			}
		}
	}
	return resource.NewProperty(out)
}

// oidcIssuer is the cluster's OIDC issuer URL (identities[0].oidcs[0].issuer), unknown until the
// cluster exists.
func oidcIssuer(cluster resource.PropertyMap) resource.PropertyValue {
	unknown := resource.MakeComputed(resource.NewProperty(""))
	ids := cluster["identities"]
	if !ids.IsArray() || len(ids.ArrayValue()) == 0 || !ids.ArrayValue()[0].IsObject() {
		return unknown
	}
	oidcs := ids.ArrayValue()[0].ObjectValue()["oidcs"]
	if !oidcs.IsArray() || len(oidcs.ArrayValue()) == 0 || !oidcs.ArrayValue()[0].IsObject() {
		return unknown
	}
	if issuer := oidcs.ArrayValue()[0].ObjectValue()["issuer"]; issuer.IsString() {
		return issuer
	}
	return unknown
}
