package synth

import (
	"context"
	"fmt"
	"net"
	"slices"
	"sync"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/plugin"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc"
	"google.golang.org/protobuf/types/known/emptypb"
)

// The offline engine serves the resource monitor and engine protocols a Pulumi program speaks to
// the Pulumi CLI, on a loopback port, and hands every registration and invoke to a Recorder. Unlike
// the SDK's in-process mock monitor, it keeps unknown values, secrets that wrap unknowns (a
// preview's generated JSON documents) and the warnings a program logs with their resources, as the
// real engine does.

// features are the resource monitor features the offline engine supports.
var features = map[string]pulumirpc.ResourceMonitorFeature{
	"secrets":            pulumirpc.ResourceMonitorFeature_RESOURCE_MONITOR_FEATURE_SECRETS,
	"resourceReferences": pulumirpc.ResourceMonitorFeature_RESOURCE_MONITOR_FEATURE_RESOURCE_REFERENCES,
	"aliasSpecs":         pulumirpc.ResourceMonitorFeature_RESOURCE_MONITOR_FEATURE_ALIAS_SPECS,
	"deletedWith":        pulumirpc.ResourceMonitorFeature_RESOURCE_MONITOR_FEATURE_DELETED_WITH,
}

// marshalOptions keep everything the protocol can carry.
var marshalOptions = plugin.MarshalOptions{KeepUnknowns: true, KeepSecrets: true, KeepResources: true}

// monitorServer is the resource monitor.
type monitorServer struct {
	pulumirpc.UnimplementedResourceMonitorServer
	rec *Recorder
}

// GetDeploymentInfo tells the SDK which features the engine has.
func (m *monitorServer) GetDeploymentInfo(context.Context, *emptypb.Empty) (*pulumirpc.DeploymentInfo, error) {
	list := make([]pulumirpc.ResourceMonitorFeature, 0, len(features))
	for _, f := range features {
		list = append(list, f)
	}
	slices.Sort(list)
	return &pulumirpc.DeploymentInfo{Project: m.rec.project, Stack: m.rec.stack, SupportedFeatures: list}, nil
}

// SupportsFeature answers the SDK's older, one-feature-at-a-time question.
func (m *monitorServer) SupportsFeature(_ context.Context, in *pulumirpc.SupportsFeatureRequest) (*pulumirpc.SupportsFeatureResponse, error) {
	_, ok := features[in.GetId()]
	return &pulumirpc.SupportsFeatureResponse{HasSupport: ok}, nil
}

// RegisterResource records a registration and answers with the resource's ID and state.
func (m *monitorServer) RegisterResource(_ context.Context, in *pulumirpc.RegisterResourceRequest) (*pulumirpc.RegisterResourceResponse, error) {
	if in.GetType() == string(resource.RootStackType) && in.GetParent() == "" {
		return &pulumirpc.RegisterResourceResponse{Urn: m.rec.urnFor("", in.GetType(), in.GetName())}, nil
	}
	inputs, err := plugin.UnmarshalProperties(in.GetObject(), marshalOptions)
	if err != nil {
		return nil, fmt.Errorf("synth: reading the inputs of %s: %w", in.GetName(), err)
	}
	id, state, err := m.rec.NewResource(pulumi.MockResourceArgs{
		TypeToken:   in.GetType(),
		Name:        in.GetName(),
		Inputs:      inputs,
		Provider:    in.GetProvider(),
		ID:          in.GetImportId(),
		Custom:      in.GetCustom(),
		RegisterRPC: in,
	})
	if err != nil {
		return nil, err
	}
	obj, err := plugin.MarshalProperties(state, marshalOptions)
	if err != nil {
		return nil, fmt.Errorf("synth: writing the state of %s: %w", in.GetName(), err)
	}
	return &pulumirpc.RegisterResourceResponse{Urn: m.rec.urnFor(in.GetParent(), in.GetType(), in.GetName()), Id: id, Object: obj}, nil
}

// Invoke answers a function call with the Recorder's fake data.
func (m *monitorServer) Invoke(_ context.Context, in *pulumirpc.ResourceInvokeRequest) (*pulumirpc.ResourceInvokeResponse, error) {
	args, err := plugin.UnmarshalProperties(in.GetArgs(), marshalOptions)
	if err != nil {
		return nil, fmt.Errorf("synth: reading the arguments of %s: %w", in.GetTok(), err)
	}
	result, err := m.rec.Call(pulumi.MockCallArgs{Token: in.GetTok(), Args: args, Provider: in.GetProvider()})
	if err != nil {
		return nil, err
	}
	ret, err := plugin.MarshalProperties(result, plugin.MarshalOptions{KeepSecrets: true, KeepResources: in.GetAcceptResources()})
	if err != nil {
		return nil, fmt.Errorf("synth: writing the result of %s: %w", in.GetTok(), err)
	}
	return &pulumirpc.ResourceInvokeResponse{Return: ret}, nil
}

// RegisterResourceOutputs accepts a component's outputs; the plan reads outputs from the program.
func (m *monitorServer) RegisterResourceOutputs(context.Context, *pulumirpc.RegisterResourceOutputsRequest) (*emptypb.Empty, error) {
	return &emptypb.Empty{}, nil
}

// SignalAndWaitForShutdown ends the program's side of the conversation.
func (m *monitorServer) SignalAndWaitForShutdown(context.Context, *emptypb.Empty) (*emptypb.Empty, error) {
	return &emptypb.Empty{}, nil
}

// engineServer is the engine: it takes the program's log and keeps its root resource.
type engineServer struct {
	pulumirpc.UnimplementedEngineServer
	rec  *Recorder
	mu   sync.Mutex
	root string
}

// Log records warnings and errors, with the resource they are about.
func (e *engineServer) Log(_ context.Context, in *pulumirpc.LogRequest) (*emptypb.Empty, error) {
	switch in.GetSeverity() {
	case pulumirpc.LogSeverity_WARNING:
		e.rec.warn("warning", in.GetUrn(), in.GetMessage())
	case pulumirpc.LogSeverity_ERROR:
		e.rec.warn("error", in.GetUrn(), in.GetMessage())
	}
	return &emptypb.Empty{}, nil
}

// GetRootResource returns the stack resource's URN.
func (e *engineServer) GetRootResource(context.Context, *pulumirpc.GetRootResourceRequest) (*pulumirpc.GetRootResourceResponse, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	return &pulumirpc.GetRootResourceResponse{Urn: e.root}, nil
}

// SetRootResource keeps the stack resource's URN.
func (e *engineServer) SetRootResource(_ context.Context, in *pulumirpc.SetRootResourceRequest) (*pulumirpc.SetRootResourceResponse, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.root = in.GetUrn()
	return &pulumirpc.SetRootResourceResponse{}, nil
}

// serve starts the offline engine for rec on a loopback port and returns its address and a stop
// function.
func serve(rec *Recorder) (addr string, stop func(), err error) {
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, fmt.Errorf("synth: starting the offline engine: %w", err)
	}
	srv := grpc.NewServer()
	pulumirpc.RegisterResourceMonitorServer(srv, &monitorServer{rec: rec})
	pulumirpc.RegisterEngineServer(srv, &engineServer{rec: rec})
	go func() { _ = srv.Serve(lis) }() // Serve returns when stop is called
	return lis.Addr().String(), srv.Stop, nil
}
