package synth

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

// FakeAccountID is the AWS account the mock engine pretends to deploy to.
const FakeAccountID = "123456789012"

// Recorder records every registration the offline engine receives and answers the AWS invokes
// tierstack makes with fake data for a region (it is a pulumi.MockResourceMonitor too). It is safe for concurrent use, as the engine
// registers resources from many goroutines. An invoke it has no answer for fails loudly.
//
// In an update (the default) every output is known: a resource's fake ID is derived from its URN,
// its provider and the inputs whose change replaces it (replacementIdentity), and AWS's computed
// outputs get realistic fake values. In a preview, as in `pulumi preview` of a new stack, IDs and
// computed outputs are unknown.
type Recorder struct {
	project, stack string
	region         string // the default provider's region
	preview        bool
	rules          Rules
	secretKey      []byte // the HMAC key of secret inputs' hashes

	mu        sync.Mutex
	resources []Resource
	byURN     map[string]int
	states    map[string]resource.PropertyMap // by URN, what getResource reads back
	warnings  []Warning
	existing  []ExistingVPC // what the fake account holds already (fakes_existing.go)
	// componentProviders are the providers map each component registration has in effect, by URN:
	// its parent's, overridden by its own (see providersOf).
	componentProviders map[string]map[string]string
}

// NewRecorder returns a Recorder for a project and stack whose default provider deploys to region;
// preview makes it answer as a preview does. Pass the same project and stack to pulumi.WithMocks.
func NewRecorder(project, stack, region string, preview bool) (*Recorder, error) {
	if _, err := lookupRegion(region); err != nil {
		return nil, err
	}
	rules, err := ReplacementRules()
	if err != nil {
		return nil, err
	}
	return &Recorder{project: project, stack: stack, region: region, preview: preview, rules: rules, secretKey: secretKey(project, stack, ""),
		byURN: map[string]int{}, states: map[string]resource.PropertyMap{}, componentProviders: map[string]map[string]string{}}, nil
}

// Resources returns a copy of what was registered so far, sorted by URN. The copy is shallow: the
// resources' Inputs maps are shared with the recorder, so treat them as read-only.
func (r *Recorder) Resources() []Resource {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]Resource, len(r.resources))
	copy(out, r.resources)
	sort.Slice(out, func(i, j int) bool { return out[i].URN < out[j].URN })
	return out
}

// Warnings returns the warnings the program logged, in the order it logged them.
func (r *Recorder) Warnings() []Warning {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Warning{}, r.warnings...)
}

// NewResource records a registration and returns a fake ID and state: the inputs, plus (outside a
// preview) the outputs AWS would compute that tierstack reads (ARNs, names, addresses).
func (r *Recorder) NewResource(args pulumi.MockResourceArgs) (string, resource.PropertyMap, error) {
	rpc := args.RegisterRPC
	parent := rpc.GetParent()
	urn := r.urnFor(parent, args.TypeToken, args.Name)
	inputs := args.Inputs
	rec := Resource{
		URN:                 urn,
		Type:                args.TypeToken,
		Name:                args.Name,
		Custom:              args.Custom,
		Parent:              parent,
		Provider:            providerURN(args.Provider),
		Inputs:              plainMap(inputs),
		SecretHashes:        secretHashes(r.secretKey, inputs),
		Dependencies:        append([]string{}, rpc.GetDependencies()...),
		DependsOn:           explicitDependencies(rpc),
		Protect:             rpc.GetProtect(),
		RetainOnDelete:      rpc.GetRetainOnDelete(),
		IgnoreChanges:       append([]string{}, rpc.GetIgnoreChanges()...),
		DeleteBeforeReplace: rpc.GetDeleteBeforeReplace(),
		ReplaceOnChanges:    append([]string{}, rpc.GetReplaceOnChanges()...),
		Aliases:             r.aliasURNs(rpc, parent, args.TypeToken, args.Name),
	}
	if t := rpc.GetCustomTimeouts(); t != nil && (t.GetCreate() != "" || t.GetUpdate() != "" || t.GetDelete() != "") {
		rec.CustomTimeouts = &CustomTimeouts{Create: t.GetCreate(), Update: t.GetUpdate(), Delete: t.GetDelete()}
	}
	id := ""
	isProvider := strings.HasPrefix(args.TypeToken, "pulumi:providers:")
	if args.Custom {
		// A changed secret that forces a replacement gives a new ID, as any other such input does.
		seen := withSecretHashes(rec.Inputs, rec.SecretHashes)
		identity := replacementIdentity(urn, args.Provider, seen, r.rules.Resources[args.TypeToken], rec.ReplaceOnChanges, rec.IgnoreChanges) +
			conditionalIdentity(args.TypeToken, withoutPaths(rec.Inputs, rec.IgnoreChanges))
		id = fakeID(args.TypeToken, args.Name, identity)
		rec.ID = id
		if r.preview && !isProvider {
			// A preview knows a new resource's ID only once it exists. (Providers are configured
			// during a preview, so theirs is known.)
			id, rec.ID = "", UnknownPlaceholder
		}
	}
	state := args.Inputs.Copy()
	if args.Custom && !r.preview {
		reg, err := lookupRegion(r.regionOf(args.Provider, args.TypeToken, args.Inputs))
		if err != nil {
			return "", nil, err
		}
		computeOutputs(state, args.TypeToken, args.Name, id, reg)
	}
	rec.Outputs = outputsOf(state, args.Inputs)

	r.mu.Lock()
	if _, dup := r.byURN[urn]; dup {
		r.mu.Unlock()
		return "", nil, fmt.Errorf("duplicate resource URN %s", urn)
	}
	i := len(r.resources)
	r.byURN[urn] = i
	r.resources = append(r.resources, rec)
	r.states[urn] = state
	if !args.Custom {
		r.componentProviders[urn] = r.providersOfLocked(rpc)
	}
	r.mu.Unlock()
	if !args.Custom && rpc.GetRemote() {
		// A packaged component: its children are registered as its provider registers them, once
		// it is, and its outputs made from theirs.
		if err := r.constructRemote(state, args.TypeToken, args.Name, urn, args.Inputs, rpc); err != nil {
			return "", nil, err
		}
		r.mu.Lock()
		r.resources[i].Outputs = outputsOf(state, args.Inputs)
		r.mu.Unlock()
	}
	return id, state, nil
}

// outputsOf are the plain values of what state holds beyond the inputs.
func outputsOf(state, inputs resource.PropertyMap) map[string]any {
	out := map[string]any{}
	for k, v := range state {
		if _, in := inputs[k]; !in {
			out[string(k)] = plainValue(v)
		}
	}
	return out
}

// aliasURNs resolves a registration's aliases to the URNs they stand for, as the engine does: each
// alias spec's blanks filled from the resource itself, plus the aliases a child inherits from its
// parent's (the same type and name under each of the parent's old URNs).
func (r *Recorder) aliasURNs(rpc *pulumirpc.RegisterResourceRequest, parent, typ, name string) []string {
	seen := map[string]bool{}
	var out []string
	add := func(u string) {
		if u != "" && !seen[u] {
			seen[u] = true
			out = append(out, u)
		}
	}
	for _, a := range rpc.GetAliases() {
		if u := a.GetUrn(); u != "" {
			add(u)
			continue
		}
		spec := a.GetSpec()
		if spec == nil {
			continue
		}
		n, t, st, pr, p := spec.GetName(), spec.GetType(), spec.GetStack(), spec.GetProject(), parent
		if n == "" {
			n = name
		}
		if t == "" {
			t = typ
		}
		if st == "" {
			st = r.stack
		}
		if pr == "" {
			pr = r.project
		}
		if spec.GetNoParent() {
			p = ""
		} else if pu := spec.GetParentUrn(); pu != "" {
			p = pu
		}
		add(newURN(st, pr, p, t, n))
	}
	for _, u := range rpc.GetAliasURNs() {
		add(u)
	}
	r.mu.Lock()
	var parentAliases []string
	parentName := ""
	if i, ok := r.byURN[parent]; ok {
		parentAliases, parentName = r.resources[i].Aliases, r.resources[i].Name
	}
	r.mu.Unlock()
	for _, pa := range parentAliases {
		// As the engine does: a child named after its parent ("net-vpc" under "net") had the
		// parent's old name in its own ("network-vpc" under "network").
		childName := name
		if rest, ok := strings.CutPrefix(name, parentName); ok && parentName != "" {
			childName = urnName(pa) + rest
		}
		add(newURN(r.stack, r.project, pa, typ, childName))
	}
	sort.Strings(out)
	if out == nil {
		out = []string{}
	}
	return out
}

// warn records a warning the program logged, with the URN of the resource it is about ("" for none).
func (r *Recorder) warn(severity, urn, message string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.warnings = append(r.warnings, Warning{Severity: severity, URN: urn, Message: message})
}

// Call answers an invoke with fake data for the region of the provider it goes through.
func (r *Recorder) Call(args pulumi.MockCallArgs) (resource.PropertyMap, error) {
	if args.Token == "pulumi:pulumi:getResource" {
		return r.getResource(args.Args)
	}
	reg, err := lookupRegion(r.regionOf(args.Provider, "", nil))
	if err != nil {
		return nil, err
	}
	if found, handled, err := r.existingAnswer(args.Token, args.Args, reg); handled {
		if err != nil {
			return nil, err
		}
		return resource.NewPropertyMapFromMap(found), nil
	}
	answer, ok := invokeAnswers[args.Token]
	if !ok {
		return nil, fmt.Errorf("synth: no fake answer for invoke %s: add one to invokeAnswers", args.Token)
	}
	return resource.NewPropertyMapFromMap(answer(reg, args.Args)), nil
}

// regionOf is the region a resource or invoke deploys to: its explicit provider's region, the
// region a provider being registered is given, or the default provider's.
func (r *Recorder) regionOf(providerRef, typ string, inputs resource.PropertyMap) string {
	if strings.HasPrefix(typ, "pulumi:providers:") {
		if v, ok := inputs["region"]; ok && v.IsString() {
			return v.StringValue()
		}
		return r.region
	}
	urn := providerURN(providerRef)
	if urn == "" {
		return r.region
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if i, ok := r.byURN[urn]; ok {
		if reg, ok := r.resources[i].Inputs["region"].(string); ok && reg != "" {
			return reg
		}
	}
	return r.region
}

// urnName is the name part of a URN, after its last "::".
func urnName(urn string) string {
	if i := strings.LastIndex(urn, "::"); i >= 0 {
		return urn[i+2:]
	}
	return urn
}

// urnFor computes the URN of a resource of this recorder's stack and project.
func (r *Recorder) urnFor(parent, typ, name string) string {
	return newURN(r.stack, r.project, parent, typ, name)
}

// newURN computes a URN the way the engine does: the parent's type chain (unless the parent is the
// stack), then this type and name.
func newURN(stack, project, parent, typ, name string) string {
	chain := ""
	if parts := strings.SplitN(parent, "::", 4); len(parts) == 4 && parts[2] != "pulumi:pulumi:Stack" {
		chain = parts[2] + "$"
	}
	return fmt.Sprintf("urn:pulumi:%s::%s::%s%s::%s", stack, project, chain, typ, name)
}

// providerURN strips the ID from a provider reference ("urn::id").
func providerURN(ref string) string {
	if i := strings.LastIndex(ref, "::"); i > 0 && strings.HasPrefix(ref, "urn:") {
		return ref[:i]
	}
	return ref
}

// fakeID makes a stable, realistic-looking physical ID from a resource's replacement identity.
func fakeID(typ, name, identity string) string {
	sum := sha256.Sum256([]byte(identity))
	hex17 := hex.EncodeToString(sum[:])[:17]
	if prefix, ok := idPrefixes[typ]; ok {
		return prefix + hex17
	}
	return name + "-" + hex17[:7]
}

// idPrefixes are the prefixes AWS gives the IDs of these types.
var idPrefixes = map[string]string{
	"aws:ec2/vpc:Vpc":                                                           "vpc-",
	"aws:ec2/subnet:Subnet":                                                     "subnet-",
	"aws:ec2/routeTable:RouteTable":                                             "rtb-",
	"aws:ec2/routeTableAssociation:RouteTableAssociation":                       "rtbassoc-",
	"aws:ec2/route:Route":                                                       "r-rtb-",
	"aws:ec2/internetGateway:InternetGateway":                                   "igw-",
	"aws:ec2/natGateway:NatGateway":                                             "nat-",
	"aws:ec2/eip:Eip":                                                           "eipalloc-",
	"aws:ec2/securityGroup:SecurityGroup":                                       "sg-",
	"aws:ec2/defaultSecurityGroup:DefaultSecurityGroup":                         "sg-",
	"aws:ec2/vpcEndpoint:VpcEndpoint":                                           "vpce-",
	"aws:ec2/vpcEndpointRouteTableAssociation:VpcEndpointRouteTableAssociation": "a-vpce-",
	"aws:ec2/flowLog:FlowLog":                                                   "fl-",
	"aws:ec2/instance:Instance":                                                 "i-",
	"aws:ec2/launchTemplate:LaunchTemplate":                                     "lt-",
}

// getResource answers the engine's own invoke that reads a registered resource back by URN: what
// the SDK does when an output holds a reference to a resource (a packaged component's security
// group, say).
func (r *Recorder) getResource(args resource.PropertyMap) (resource.PropertyMap, error) {
	urn := plainString(args["urn"], "")
	r.mu.Lock()
	defer r.mu.Unlock()
	i, ok := r.byURN[urn]
	if !ok {
		return nil, fmt.Errorf("synth: getResource: no resource %s", urn)
	}
	id := r.resources[i].ID
	if id == UnknownPlaceholder {
		id = ""
	}
	return resource.PropertyMap{
		"urn":   resource.NewProperty(urn),
		"id":    resource.NewProperty(id),
		"state": resource.NewProperty(r.states[urn]),
	}, nil
}

// explicitDependencies are the dependencies of a registration that no input carries: its dependsOn
// option.
func explicitDependencies(rpc *pulumirpc.RegisterResourceRequest) []string {
	viaInputs := map[string]bool{}
	for _, deps := range rpc.GetPropertyDependencies() {
		for _, urn := range deps.GetUrns() {
			viaInputs[urn] = true
		}
	}
	var explicit []string
	for _, urn := range rpc.GetDependencies() {
		if !viaInputs[urn] {
			explicit = append(explicit, urn)
		}
	}
	return explicit
}
