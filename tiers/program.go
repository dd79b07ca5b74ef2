package tiers

import (
	"encoding/json"
	"fmt"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/kms"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/tierstack/tierstack/components/cachetier"
	"github.com/tierstack/tierstack/components/datatier"
	"github.com/tierstack/tierstack/components/network"
	"github.com/tierstack/tierstack/components/webtier"
	"github.com/tierstack/tierstack/internal/awsenv"
)

// Program is the tierstack Pulumi program as `pulumi up` runs it: it reads the stack configuration,
// builds the tier and returns the stack outputs. Bad configuration fails before any resource is
// registered, and so do unpinned zones from 10k up (see DeployOptions).
func Program(ctx *pulumi.Context) (pulumi.Map, error) {
	return program(ctx, DeployOptions{})
}

// PlanProgram is Program for an offline plan: it lets any tier run on zones it was not told to use,
// so that `tierstack plan --tier 10k` works on a fresh clone; the Network's warning names the zones a
// real stack must pin.
func PlanProgram(ctx *pulumi.Context) (pulumi.Map, error) {
	return program(ctx, DeployOptions{AllowUnpinnedZones: true})
}

func program(ctx *pulumi.Context, opts DeployOptions) (pulumi.Map, error) {
	settings, err := LoadSettings(ctx)
	if err != nil {
		return nil, err
	}
	return Deploy(ctx, settings, opts)
}

// DeployOptions say how strictly Deploy treats what config leaves open.
type DeployOptions struct {
	// AllowUnpinnedZones lets tiers from 10k up take the first zones the region lists when
	// tierstack:network availabilityZones is not set. Without it they refuse, naming the zones to pin:
	// a zone list that changes between runs would move the AZ slots and replace subnets.
	AllowUnpinnedZones bool
}

// Deploy builds the tier the settings name, with their overrides, and returns the stack outputs.
func Deploy(ctx *pulumi.Context, s Settings, opts DeployOptions) (_ pulumi.Map, err error) {
	spec, err := Resolve(s)
	if err != nil {
		return nil, err
	}
	if err := checkZonesPinned(ctx, spec, opts); err != nil {
		return nil, err
	}
	// The region decides what Aurora, CloudFront and Chatbot offer and where alarms live; asked of
	// the provider once when config does not say it.
	env, err := awsenv.Lookup(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("tier %s: %w", spec.Tier, err)
	}
	region := env.Region
	if err := requireDR(ctx, s, &spec, region, opts); err != nil {
		return nil, err
	}
	if spec.Data.BacktrackHours > 0 {
		// The tier's backtrack window applies where Aurora has backtracking at all; one asked for
		// elsewhere is refused here, before anything is registered.
		if !datatier.BacktrackAvailable(region) {
			if s.Data.BacktrackHours != nil {
				return nil, fmt.Errorf("tier %s: tierstack:data backtrackHours %d is set in %s, where Aurora has no backtracking (allowed: 0 there)",
					spec.Tier, spec.Data.BacktrackHours, region)
			}
			spec.Data.BacktrackHours = 0
		}
	}
	if err := lookUpEdge(ctx, s, &spec, region); err != nil {
		return nil, err
	}
	if err := checkChatbotProvider(ctx, spec, region); err != nil {
		return nil, err
	}
	if err := checkEKSCredentials(ctx, spec); err != nil {
		return nil, err
	}
	if err := checkDR(ctx, spec, region, opts); err != nil {
		return nil, err
	}
	if err := checkOrigin(s, spec); err != nil {
		return nil, err
	}
	if spec.Cache != nil && spec.Cache.Mode == cachetier.ModeEnabled && s.Cache.ClusterMode == "" {
		err := clusterModeUnstated(spec.Tier)
		if !opts.AllowUnpinnedZones {
			return nil, err
		}
		if logErr := ctx.Log.Warn(err.Error()+" (a plan assumes enabled; pulumi up refuses to guess)", nil); logErr != nil {
			return nil, fmt.Errorf("tier %s: %w", spec.Tier, logErr)
		}
	}
	tags := map[string]string{"tierstack:stack": ctx.Stack()}
	netArgs := spec.Network
	netArgs.Tags = tags
	// The flow logs and a regional WAF's log are encrypted with a key of the stack's.
	var logsKey *kms.Key
	if !netArgs.DisableFlowLogs || (spec.Firewall != nil && spec.CDN == nil) {
		if logsKey, err = newLogsKey(ctx, "logs-key", env, tags); err != nil {
			return nil, fmt.Errorf("tier %s: %w", spec.Tier, err)
		}
	}
	if logsKey != nil && !netArgs.DisableFlowLogs {
		netArgs.FlowLogKeyARN = logsKey.Arn
	}
	net, err := network.New(ctx, "network", &netArgs)
	if err != nil {
		return nil, fmt.Errorf("tier %s: %w", spec.Tier, err)
	}
	// The DR region's provider comes before the DataTier, which replicates its secrets there.
	drProvider, err := newDRProvider(ctx, spec)
	if err != nil {
		return nil, err
	}
	dataArgs := spec.Data
	dataArgs.Network, dataArgs.Tags = net, tags
	if dataArgs.Global != nil {
		global := *dataArgs.Global
		global.Provider = drProvider
		dataArgs.Global = &global
	}
	if dataArgs.LogRetentionDays == 0 {
		dataArgs.LogRetentionDays = spec.Observability.LogRetentionDays // the stack's log retention
	}
	data, err := datatier.New(ctx, "data", &dataArgs)
	if err != nil {
		return nil, fmt.Errorf("tier %s: %w", spec.Tier, err)
	}
	outputs := pulumi.Map{
		"tier":                    pulumi.String(spec.Tier),
		"vpcId":                   net.VPCID,
		"availabilityZones":       net.AvailabilityZones,
		"publicSubnetIds":         net.PublicSubnetIDs,
		"privateSubnetIds":        net.PrivateSubnetIDs,
		"dataSubnetIds":           net.DataSubnetIDs,
		"natGatewayIds":           net.NATGatewayIDs,
		"natPublicIps":            net.NATPublicIPs,
		"databaseEngine":          pulumi.String(string(data.Engine)),
		"databaseEndpoint":        data.WriterEndpoint,
		"databaseReaderEndpoint":  data.ReaderEndpoint,
		"databasePort":            data.Port,
		"databaseName":            data.DatabaseName,
		"databaseSecretArn":       data.SecretARN,
		"databaseMasterSecretArn": data.MasterSecretARN,
		"tableNames":              data.TableNames,
	}
	webArgs := spec.Web
	webArgs.Network, webArgs.Tags = net, tags
	// The app learns where the database and the cache are from them (webtier.Backend).
	webArgs.Backends = []webtier.Backend{data}
	var cache *cachetier.CacheTier
	if spec.Cache != nil {
		cacheArgs := *spec.Cache
		cacheArgs.Network, cacheArgs.Tags = net, tags
		if cache, err = cachetier.New(ctx, "cache", &cacheArgs); err != nil {
			return nil, fmt.Errorf("tier %s: %w", spec.Tier, err)
		}
		outputs["cacheEngine"] = pulumi.String(string(cache.Engine))
		outputs["cacheClusterMode"] = pulumi.String(string(cache.Mode))
		outputs["cacheEndpoint"] = cache.Endpoint
		outputs["cachePort"] = cache.Port
		outputs["cacheSecretArn"] = cache.SecretARN
		webArgs.Backends = append(webArgs.Backends, cache)
	}
	stream, err := buildStreaming(ctx, spec, net, tags, outputs)
	if err != nil {
		return nil, err
	}
	if stream != nil {
		webArgs.Backends = append(webArgs.Backends, stream)
	}
	shared, err := buildFiles(ctx, spec, net, tags, outputs, &webArgs)
	if err != nil {
		return nil, err
	}
	// The queue before the web tier, which learns QUEUE_URL from it; the workers connect to what
	// the app connects to.
	jobs, err := newWorkers(ctx, spec, net, tags, webArgs, outputs)
	if err != nil {
		return nil, err
	}
	if jobs != nil {
		webArgs.Backends = append(webArgs.Backends, jobs)
	}
	// The certificate comes before the web tier (its load balancer serves HTTPS with it), the WAF,
	// the CDN and the records after it.
	front, err := buildEdgeFront(ctx, s, spec, &webArgs)
	if err != nil {
		return nil, err
	}
	web, err := webtier.New(ctx, "web", &webArgs)
	if err != nil {
		return nil, fmt.Errorf("tier %s: %w", spec.Tier, err)
	}
	// The app's compute is the one client of the database and the cache.
	if _, err := data.AllowFrom(ctx, "web", web.SecurityGroupID); err != nil {
		return nil, fmt.Errorf("tier %s: %w", spec.Tier, err)
	}
	if cache != nil {
		if _, err := cache.AllowFrom(ctx, "web", web.SecurityGroupID); err != nil {
			return nil, fmt.Errorf("tier %s: %w", spec.Tier, err)
		}
	}
	if err := admitStreamingClients(ctx, spec, stream, web); err != nil {
		return nil, err
	}
	if err := admitFilesClients(ctx, spec, shared, web); err != nil {
		return nil, err
	}
	if err := runWorkers(ctx, spec, jobs, web, built{data: data, cache: cache, stream: stream}, shared); err != nil {
		return nil, err
	}
	outputs["webMode"] = pulumi.String(string(web.Mode))
	outputs["url"] = web.URL
	// What the CDN takes from later steps (the DR replica, origin.<domain>) comes through fwd;
	// whatever a failure leaves unresolved is rejected, so that nothing waits for it forever.
	fwd := newForward(ctx, s, spec, front)
	defer func() { fwd.close(ctx, err) }()
	cdn, err := buildEdgeBack(ctx, spec, front, web, fwd, stackLogs{key: logsKey, env: env}, tags, outputs)
	if err != nil {
		return nil, err
	}
	outputs["webSecurityGroupId"] = web.SecurityGroupID
	if web.LoadBalancer != nil {
		outputs["loadBalancerArn"] = web.LoadBalancerARN
		outputs["loadBalancerDnsName"] = web.LoadBalancerDNSName
	}
	if web.Mode == webtier.ModeEKS {
		outputs["clusterName"] = web.ClusterName
		outputs["kubeconfig"] = web.Kubeconfig
	}
	// The DR region before the observability, which watches it too.
	dr, err := buildDR(ctx, spec, drInputs{provider: drProvider, data: data, cdn: cdn, front: front, fwd: fwd}, tags, outputs)
	if err != nil {
		return nil, err
	}
	// origin.<domain> once the DR region (and its load balancer) exists, the domain's records last.
	origin, err := buildOrigin(ctx, s, spec, region, web, dr, fwd, tags)
	if err != nil {
		return nil, err
	}
	if origin != nil {
		outputs["originName"] = pulumi.String(origin.Name)
		if origin.Switch != nil {
			outputs["originSwitchHealthCheckId"] = origin.SwitchID
		}
	}
	if err = buildEdgeRecords(ctx, s, spec, front, web, cdn, origin, outputs); err != nil {
		return nil, err
	}
	watched := built{net: net, data: data, cache: cache, stream: stream, web: web, jobs: jobs, usEast1: front.usEast1, dr: dr}
	if err := buildObservability(ctx, s, spec, region, watched, tags, outputs); err != nil {
		return nil, err
	}
	return outputs, nil
}

// checkZonesPinned refuses, from 10k up, a network whose zones are not pinned; where opts allow it,
// it only warns. The message names the zones to pin: the ones the stack would use now.
func checkZonesPinned(ctx *pulumi.Context, spec Spec, opts DeployOptions) error {
	if spec.Tier == Tier100 || len(spec.Network.AvailabilityZones) > 0 {
		return nil
	}
	zones, err := network.PlannedZones(ctx, &spec.Network)
	if err != nil {
		return fmt.Errorf("tier %s: %w", spec.Tier, err)
	}
	pin, err := json.Marshal(zones)
	if err != nil {
		return fmt.Errorf("tier %s: %w", spec.Tier, err)
	}
	err = fmt.Errorf("tier %s: tierstack:network availabilityZones is not set (from 10k up a stack must pin its zones, so that a change in the region's zone list never moves the AZ slots and replaces subnets; set \"availabilityZones\": %s, the zones a new stack would use now; a stack that exists already pins the ones pulumi stack output availabilityZones shows)",
		spec.Tier, pin)
	if !opts.AllowUnpinnedZones {
		return err
	}
	if logErr := ctx.Log.Warn(err.Error()+"; pulumi up refuses to run without them", nil); logErr != nil {
		return fmt.Errorf("tier %s: %w", spec.Tier, logErr)
	}
	return nil
}
