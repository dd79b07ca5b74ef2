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
)

// FakeAccountID is the AWS account the mock engine pretends to deploy to.
const FakeAccountID = "123456789012"

// Recorder is a pulumi.MockResourceMonitor that records every registration and answers the AWS
// invokes tierstack makes with fake data for a region. It is safe for concurrent use, as the engine
// registers resources from many goroutines. An invoke it has no answer for fails loudly.
type Recorder struct {
	project, stack string
	region         string // the default provider's region

	mu        sync.Mutex
	resources []Resource
	byURN     map[string]int
}

// NewRecorder returns a Recorder for a project and stack whose default provider deploys to region.
// Pass the same project and stack to pulumi.WithMocks.
func NewRecorder(project, stack, region string) (*Recorder, error) {
	if _, err := lookupRegion(region); err != nil {
		return nil, err
	}
	return &Recorder{project: project, stack: stack, region: region, byURN: map[string]int{}}, nil
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

// NewResource records a registration and returns a fake ID and state: the inputs, plus the outputs
// AWS would compute that tierstack reads (ARNs, names, addresses).
func (r *Recorder) NewResource(args pulumi.MockResourceArgs) (string, resource.PropertyMap, error) {
	rpc := args.RegisterRPC
	parent := ""
	if rpc != nil {
		parent = rpc.GetParent()
	}
	urn := r.newURN(parent, args.TypeToken, args.Name)
	id := ""
	if args.Custom {
		id = fakeID(args.TypeToken, args.Name, urn)
	}
	rec := Resource{
		URN:           urn,
		ID:            id,
		Type:          args.TypeToken,
		Name:          args.Name,
		Custom:        args.Custom,
		Parent:        parent,
		Provider:      providerURN(args.Provider),
		Inputs:        plainMap(args.Inputs),
		Dependencies:  []string{},
		IgnoreChanges: []string{},
	}
	if rpc != nil {
		rec.Dependencies = append(rec.Dependencies, rpc.GetDependencies()...)
		rec.Protect = rpc.GetProtect()
		rec.RetainOnDelete = rpc.GetRetainOnDelete()
		rec.IgnoreChanges = append(rec.IgnoreChanges, rpc.GetIgnoreChanges()...)
		rec.DeleteBeforeReplace = rpc.GetDeleteBeforeReplace()
	}
	state := args.Inputs.Copy()
	if args.Custom {
		computeOutputs(state, args.TypeToken, args.Name, id, r.regionOf(args.Provider, args.TypeToken, args.Inputs))
	}

	r.mu.Lock()
	defer r.mu.Unlock()
	if _, dup := r.byURN[urn]; dup {
		return "", nil, fmt.Errorf("duplicate resource URN %s", urn)
	}
	r.byURN[urn] = len(r.resources)
	r.resources = append(r.resources, rec)
	return id, state, nil
}

// Call answers an invoke with fake data for the region of the provider it goes through.
func (r *Recorder) Call(args pulumi.MockCallArgs) (resource.PropertyMap, error) {
	answer, ok := invokeAnswers[args.Token]
	if !ok {
		return nil, fmt.Errorf("synth: no fake answer for invoke %s: add one to invokeAnswers", args.Token)
	}
	reg, err := lookupRegion(r.regionOf(args.Provider, "", nil))
	if err != nil {
		return nil, err
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

// newURN computes a URN the way the engine does: the parent's type chain (unless the parent is the
// stack), then this type and name.
func (r *Recorder) newURN(parent, typ, name string) string {
	chain := ""
	if parts := strings.SplitN(parent, "::", 4); len(parts) == 4 && parts[2] != "pulumi:pulumi:Stack" {
		chain = parts[2] + "$"
	}
	return fmt.Sprintf("urn:pulumi:%s::%s::%s%s::%s", r.stack, r.project, chain, typ, name)
}

// providerURN strips the ID from a provider reference ("urn::id").
func providerURN(ref string) string {
	if i := strings.LastIndex(ref, "::"); i > 0 && strings.HasPrefix(ref, "urn:") {
		return ref[:i]
	}
	return ref
}

// fakeID makes a stable, realistic-looking physical ID from the URN.
func fakeID(typ, name, urn string) string {
	sum := sha256.Sum256([]byte(urn))
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
