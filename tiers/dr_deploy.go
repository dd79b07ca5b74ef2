package tiers

import (
	"fmt"
	"sort"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/tierstack/tierstack/components/datatier"
	"github.com/tierstack/tierstack/components/drregion"
	"github.com/tierstack/tierstack/components/edge"
	"github.com/tierstack/tierstack/components/webtier"
)

// drProviderName is the logical name of the DR region's AWS provider.
const drProviderName = "dr-region"

// checkDR refuses, before anything is registered, a DR region the derived provider or the DR
// Network would refuse later: the primary region itself (when aws:region did not say it, the
// provider's), credentials the derived provider would not use, and, under pulumi up, unpinned zones.
func checkDR(ctx *pulumi.Context, spec Spec, region string, opts DeployOptions) error {
	if spec.DR == nil {
		return nil
	}
	if spec.DRRegion == region {
		return fmt.Errorf("tier %s: tierstack:drRegion %q is the primary region (allowed: any region but %s)", spec.Tier, spec.DRRegion, region)
	}
	for _, key := range unforwardedCredentials {
		if _, set := ctx.GetConfig(key); set {
			return fmt.Errorf("tier %s: %s is set, and the DR region's provider (%s) would not use it (allowed: credentials through aws:profile or the environment, or no tierstack:drRegion)", spec.Tier, key, spec.DRRegion)
		}
	}
	if spec.DR.Strategy.LiveData() {
		engine, version := spec.Data.Engine, spec.Data.EngineVersion
		if engine == "" {
			engine = datatier.EngineMySQL
		}
		if version == "" {
			version = datatier.DefaultEngineVersion(engine)
		}
		if err := drregion.CheckGlobalDatabaseRegions(string(engine), version, region, spec.DRRegion); err != nil {
			return fmt.Errorf("tier %s: tierstack:drRegion with strategy %s: %w", spec.Tier, spec.DR.Strategy, err)
		}
	}
	if len(spec.DR.Network.AvailabilityZones) > 0 {
		return nil
	}
	err := fmt.Errorf("tier %s: tierstack:dr availabilityZones is not set (a stack with a DR region pins the DR region's zones, as it pins its own, so that a change in the region's zone list never moves the AZ slots; list %d zones of %s, which `aws ec2 describe-availability-zones --region %s` shows and a plan's warning names)",
		spec.Tier, spec.DR.Network.AZCount, spec.DRRegion, spec.DRRegion)
	if !opts.AllowUnpinnedZones {
		return err
	}
	if logErr := ctx.Log.Warn(err.Error()+"; pulumi up refuses to run without them", nil); logErr != nil {
		return fmt.Errorf("tier %s: %w", spec.Tier, logErr)
	}
	return nil
}

// drInputs are what the DR region takes from the primary's components.
type drInputs struct {
	provider pulumi.ProviderResource // the DR region's, made before the DataTier (newDRProvider)
	data     *datatier.DataTier
	cdn      *edge.CDN // nil without a CDN: no asset bucket to replicate
	front    edgeFront // the certificate and the origin secret the DR load balancer repeats
	// fwd takes the replica bucket's name to the CDN, whose /static/* fails over to it.
	fwd *forward
}

// builtDR is the DR region and the provider of its region, which its alarms take too.
type builtDR struct {
	region   *drregion.DRRegion
	provider pulumi.ProviderResource
}

// newDRProvider makes the DR region's provider, derived from the stack's, nil without a DR region:
// before the DataTier, which replicates its secrets there with a key of that region.
func newDRProvider(ctx *pulumi.Context, spec Spec) (pulumi.ProviderResource, error) {
	if spec.DR == nil {
		return nil, nil
	}
	provider, err := aws.NewProvider(ctx, drProviderName, derivedProvider(ctx, spec.DRRegion))
	if err != nil {
		return nil, fmt.Errorf("tier %s: %w", spec.Tier, err)
	}
	return provider, nil
}

// buildDR builds the DR region, before the observability that watches it: its provider, derived
// from the stack's, and the DRRegion with what it backs up and replicates; it adds the dr* stack
// outputs. It returns nil without a DR region.
func buildDR(ctx *pulumi.Context, spec Spec, in drInputs, tags map[string]string, outputs pulumi.Map) (*builtDR, error) {
	if spec.DR == nil {
		return nil, nil
	}
	fail := func(err error) (*builtDR, error) { return nil, fmt.Errorf("tier %s: %w", spec.Tier, err) }
	provider := in.provider
	args := *spec.DR
	args.Provider, args.Tags = provider, tags
	var clusters []any
	for _, c := range in.data.Clusters {
		clusters = append(clusters, c.Arn)
	}
	args.Backup = &drregion.Backup{
		ResourceARNs: pulumi.All(append(clusters, in.data.TableARNs)...).ApplyT(func(v []any) []string {
			var arns []string
			for _, x := range v[:len(v)-1] {
				arns = append(arns, x.(string))
			}
			tables, _ := v[len(v)-1].(map[string]string)
			names := make([]string, 0, len(tables))
			for n := range tables {
				names = append(names, n)
			}
			sort.Strings(names)
			for _, n := range names {
				arns = append(arns, tables[n])
			}
			return arns
		}).(pulumi.StringArrayOutput),
		KeyARNs: pulumi.StringArray{in.data.KMSKeyARN},
	}
	if args.Strategy.LiveData() {
		if err := liveData(&args, spec, in.data); err != nil {
			return fail(err)
		}
	}
	if in.cdn != nil {
		args.Assets = &drregion.Assets{BucketName: in.cdn.AssetBucket, BucketARN: in.cdn.AssetBucketARN, Versioning: in.cdn.AssetVersioning,
			DistributionARN: in.cdn.DistributionARN}
	}
	if args.Web != nil {
		if err := drWeb(ctx, &args, in, provider, spec.DRRegion, tags); err != nil {
			return fail(err)
		}
	}
	dr, err := drregion.New(ctx, "dr", &args)
	if err != nil {
		return fail(err)
	}
	if in.fwd != nil && in.cdn != nil {
		in.fwd.resolveReplica(dr)
	}
	outputs["drRegion"] = dr.RegionName
	outputs["drStrategy"] = dr.StrategyName
	outputs["drRpo"] = dr.RPO
	outputs["drRto"] = dr.RTO
	outputs["drVpcId"] = dr.VPCID
	outputs["drCidr"] = pulumi.String(dr.CIDR)
	outputs["drAvailabilityZones"] = dr.Network.AvailabilityZones
	outputs["drBackupVaultArn"] = dr.BackupVaultARN
	if in.cdn != nil {
		outputs["drReplicaBucket"] = dr.ReplicaBucket
	}
	if dr.Web != nil {
		outputs["drLoadBalancerDnsName"] = dr.LoadBalancerDNSName
		outputs["drLoadBalancerZoneId"] = dr.LoadBalancerZoneID
	}
	if dr.Cache != nil {
		outputs["drCacheEndpoint"] = dr.CacheEndpoint
	}
	return &builtDR{region: dr, provider: provider}, nil
}

// drWeb gives the DR web tier what the primary's edge gives the primary's: behind CloudFront, the
// same origin secret (the DRRegion looks up CloudFront's prefix list in its own region); with a
// domain, a certificate of the DR region for the same names, validated by the primary's records
// (edge.NewRegionalCertificate); and its backends.
func drWeb(ctx *pulumi.Context, args *drregion.Args, in drInputs, provider pulumi.ProviderResource, region string, tags map[string]string) error {
	web := *args.Web
	if in.cdn != nil {
		web.Args.OriginSecret = in.front.originSecret
	}
	if in.front.cert != nil {
		cert, err := edge.NewRegionalCertificate(ctx, "dr-cert", &edge.RegionalCertificateArgs{Primary: in.front.cert, Tags: tags}, pulumi.Provider(provider))
		if err != nil {
			return err
		}
		web.CertificateARN = cert.ARN
	}
	// The database as the DR region holds it: the secret's replica there, read through the DR key,
	// DATABASE_HOST the global writer endpoint (the DRRegion adds its secondary's reader endpoint).
	replica, err := in.data.ReplicaBackend(region)
	if err != nil {
		return err
	}
	web.Backends = []webtier.Backend{replica}
	args.Web = &web
	return nil
}

// liveData gives the DR region the primary's clusters, one global database per shard, and its
// tables, one replica each.
func liveData(args *drregion.Args, spec Spec, data *datatier.DataTier) error {
	src, err := data.GlobalSource()
	if err != nil {
		return err
	}
	db := &drregion.Database{
		Engine: string(src.Engine), EngineVersion: src.EngineVersion, ParameterFamily: src.ParameterFamily,
		Parameters: src.Parameters, InstanceParameters: src.InstanceParameters, InstanceClass: src.InstanceClass,
		MinACU: src.MinACU, MaxACU: src.MaxACU, Readers: src.Readers, PerformanceInsights: src.PerformanceInsights,
		WriteForwarding: datatier.GlobalWriteForwarding(src.Engine, src.EngineVersion),
	}
	for i, g := range data.GlobalClusters {
		db.Shards = append(db.Shards, drregion.Shard{Name: fmt.Sprintf("shard-%d", i), GlobalClusterID: g.GlobalClusterIdentifier})
	}
	args.Database = db
	for _, t := range spec.Data.Tables {
		args.Tables = append(args.Tables, drregion.Table{Name: t.Name, ARN: data.TableARNs.MapIndex(pulumi.String(t.Name))})
	}
	return nil
}
