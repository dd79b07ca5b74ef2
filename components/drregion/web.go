package drregion

import (
	"fmt"
	"maps"
	"regexp"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/tierstack/tierstack/components/webtier"
)

// Web is the DR region's web tier: the primary's App, run by an Auto Scaling group behind a load
// balancer of its own in the DR Network, whatever mode the primary runs it in (a group scales out
// in minutes; an EKS cluster idles at a cost), sized by the strategy (Strategy.WebReplicas).
type Web struct {
	// Args are the primary's web tier arguments: its App (image, port, health path, env, secrets,
	// CPU, memory and replicas, from which the strategy sizes the DR group), instance type, golden
	// image, idle timeout, access-log retention, stickiness and, behind CloudFront, OriginSecret.
	// The DRRegion sets Network (its own), Mode (autoscaling), Tags, the CloudFront prefix list of
	// the DR region (when OriginSecret is set: a prefix list's ID differs by region) and Parked
	// under pilotLight, and drops the primary's Schedules, Cluster and CloudFrontPrefixListID.
	// CertificateARN and Backends must be empty here: the primary's are of the primary region (use
	// Web.CertificateARN and Web.Backends). A golden image given as an AMI ID is dropped (an AMI
	// belongs to its region): the DR group boots AWS's Amazon Linux 2023 and installs Docker at
	// boot; a resolve:ssm: parameter is kept and must exist in the DR region.
	Args webtier.Args
	// Size overrides the strategy's size of the group (warmStandby, activeActive); zero fields
	// keep the strategy's. Refused with pilotLight, whose group is defined at zero.
	Size WebSize
	// Image is the app's image in the DR region; "" means Args.App.Image with the region of a
	// private Amazon ECR registry moved to the DR region (RegionalImage): an image the primary
	// region's registry holds cannot be pulled once that region is lost. Replicate the repository
	// with ECR's own replication (see docs/dr-region.md).
	Image string
	// CertificateARN is an ACM certificate of the DR region for the load balancer, for the
	// primary's names (edge.NewRegionalCertificate); nil serves HTTP on 80, as the primary does
	// without one.
	CertificateARN pulumi.StringInput
	// Backends are what the DR app connects to besides the DR cache, which the DRRegion adds
	// itself: the database's replica in the DR region (its secret replica, the DR key). Their
	// secrets and keys should be of the DR region: the DR app's role may read exactly them.
	Backends []webtier.Backend
}

// WebSize bounds the DR web tier's Auto Scaling group.
type WebSize struct {
	// Min is the fewest instances, 2 to Max; 0 keeps the strategy's.
	Min int
	// Max is the most, Min to 100; 0 keeps the strategy's.
	Max int
}

// WarmStandbyMinInstances is the warm standby's group minimum: two, the fewest the WebTier runs
// (one per zone of two, and the load balancer spans two zones at least), so that the standby
// survives the loss of a zone of the DR region and answers health checks while it waits. More
// would only cost: traffic reaches it after a failover, when target tracking scales it out (up
// to the primary's maximum) — the minutes warmStandby's RTO counts.
const WarmStandbyMinInstances = 2

// maxWebInstances is the most instances the WebTier's group takes (webtier: replicas max 100).
const maxWebInstances = 100

// WebReplicas is the DR web tier's group under strategy s, from the primary's replicas (zero
// fields are the WebTier's defaults: min 2, max 6, desired min) and size: pilotLight defines it at
// zero (parked); warmStandby runs WarmStandbyMinInstances, up to the primary's max; activeActive
// runs the primary's size. Size overrides min and max; refused with pilotLight and backupRestore.
func (s Strategy) WebReplicas(primary webtier.Replicas, size WebSize) (r webtier.Replicas, parked bool, err error) {
	p := primary
	if p.Min == 0 {
		p.Min = 2
	}
	if p.Max == 0 {
		p.Max = max(6, p.Min)
	}
	if p.Desired == 0 {
		p.Desired = p.Min
	}
	switch s {
	case StrategyPilotLight:
		if size != (WebSize{}) {
			return p, true, fmt.Errorf("web min %d / max %d are set with strategy %s, whose web tier is defined at zero (allowed: none, or strategy %s or %s)",
				size.Min, size.Max, s, StrategyWarmStandby, StrategyActiveActive)
		}
		return p, true, nil
	case StrategyWarmStandby:
		r = webtier.Replicas{Min: WarmStandbyMinInstances, Max: p.Max}
	case StrategyActiveActive:
		r = p
		r.Min = max(r.Min, 2) // the WebTier's group runs two at least
	default:
		return p, false, fmt.Errorf("web is set with strategy %s, which runs no web tier in the DR region (allowed: strategy %s, %s or %s)",
			s, StrategyPilotLight, StrategyWarmStandby, StrategyActiveActive)
	}
	r.Max = max(r.Max, r.Min) // a one-server primary (max 1) still gets a group of two
	if size.Min != 0 {
		r.Min = size.Min
	}
	if size.Max != 0 {
		r.Max = size.Max
	}
	switch {
	case r.Min < 2:
		return r, false, fmt.Errorf("web min %d is below 2 (allowed: 2 to max; the group spans two zones at least)", r.Min)
	case r.Max > maxWebInstances:
		return r, false, fmt.Errorf("web max %d is above %d (allowed: min to %d)", r.Max, maxWebInstances, maxWebInstances)
	case r.Min > r.Max:
		return r, false, fmt.Errorf("web min %d is above max %d (allowed: min at most max)", r.Min, r.Max)
	}
	r.Desired = min(max(r.Desired, r.Min), r.Max)
	return r, false, nil
}

// privateECR matches a private Amazon ECR image's registry: account, region, partition suffix.
var privateECR = regexp.MustCompile(`^([0-9]{12})\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com(\.cn)?/`)

// RegionalImage is image as region pulls it: a private Amazon ECR image
// (<account>.dkr.ecr.<region>.amazonaws.com/<repository>…) moved to region's registry of the same
// account, the name ECR's cross-region replication gives the copy (Amazon ECR User Guide, "Private
// image replication": a replicated image keeps its repository name and tag in the destination
// registry); any other image (public ECR, Docker Hub) unchanged.
func RegionalImage(image, region string) string {
	m := privateECR.FindStringSubmatchIndex(image)
	if m == nil {
		return image
	}
	return image[:m[4]] + region + image[m[5]:]
}

// CheckRegionalImage refuses an image the DR region cannot count on: a private ECR image of
// another region's registry (it goes with that region). Public images and region's own are fine.
func CheckRegionalImage(image, region string) error {
	if r := imageRegion(image); r != "" && r != region {
		return fmt.Errorf("image %q is in the registry of %s, which the DR region cannot count on (allowed: an image of %s's registry, such as ECR replication's copy, or a public image)",
			image, r, region)
	}
	return nil
}

// imageRegion is the region of a private ECR image's registry; "" for any other image.
func imageRegion(image string) string {
	m := privateECR.FindStringSubmatch(image)
	if m == nil {
		return ""
	}
	return m[2]
}

// secretARN matches a Secrets Manager secret's ARN up to its region.
var secretARN = regexp.MustCompile(`^(arn:aws[a-z-]*:secretsmanager:)([a-z0-9-]+)(:)`)

// RegionalSecretARN is a Secrets Manager secret's ARN in region: the ARN of its replica there,
// which is the primary secret's ARN with the region changed (Secrets Manager User Guide,
// "Replicate AWS Secrets Manager secrets across Regions"). Anything else is returned unchanged.
func RegionalSecretARN(arn, region string) string {
	return secretARN.ReplaceAllString(arn, "${1}"+region+"${3}")
}

// webArgs are the DR web tier's WebTier arguments under the checked Args: the primary's App with
// its image and secrets of drRegion, sized by the strategy, in autoscaling mode. With drRegion ""
// (before the region is looked up) the image and secrets are left as they are.
func (a Args) webArgs(drRegion string) (webtier.Args, error) {
	w := a.Web
	args := w.Args
	args.Mode = webtier.ModeAutoScaling
	args.Schedules, args.Cluster, args.CloudFrontPrefixListID = nil, webtier.Cluster{}, ""
	args.CertificateARN = w.CertificateARN
	args.Backends = append([]webtier.Backend(nil), w.Backends...)
	if strings.HasPrefix(args.Image, "ami-") {
		// An AMI belongs to its region: the DR group boots AWS's Amazon Linux 2023, and the boot
		// script installs what a golden image would hold. A resolve:ssm: name is kept (the
		// parameter must exist in the DR region too).
		args.Image = ""
	}
	if w.Image != "" {
		args.App.Image = w.Image
	}
	if drRegion != "" {
		if w.Image == "" {
			args.App.Image = RegionalImage(args.App.Image, drRegion)
		}
		if err := CheckRegionalImage(args.App.Image, drRegion); err != nil {
			return args, fmt.Errorf("web %w", err)
		}
		if len(args.App.Secrets) > 0 {
			args.App.Secrets = maps.Clone(args.App.Secrets)
			for k, v := range args.App.Secrets {
				args.App.Secrets[k] = RegionalSecretARN(v, drRegion)
			}
		}
	}
	replicas, parked, err := a.Strategy.WebReplicas(args.App.Replicas, w.Size)
	if err != nil {
		return args, err
	}
	args.App.Replicas, args.Parked = replicas, parked
	return args, nil
}

// checkWeb checks Web against the strategy and the WebTier's rules, before the DR region is
// known; New checks the image's region once it is.
func (a Args) checkWeb() error {
	w := a.Web
	if w == nil {
		return nil
	}
	if !a.Strategy.LiveData() {
		return fmt.Errorf("drregion: web is set with strategy %s, which runs no web tier in the DR region (allowed: none, or strategy %s, %s or %s)",
			a.Strategy, StrategyPilotLight, StrategyWarmStandby, StrategyActiveActive)
	}
	if w.Args.CertificateARN != nil {
		return fmt.Errorf("drregion: web args certificateArn is set, and it would be the primary region's (allowed: none there, and web certificateArn: a certificate of the DR region, such as edge.NewRegionalCertificate's)")
	}
	if len(w.Args.Backends) > 0 {
		return fmt.Errorf("drregion: web args backends are set, and they would be the primary region's (allowed: none there, and web backends of the DR region)")
	}
	args, err := a.webArgs("")
	if err != nil {
		return fmt.Errorf("drregion: %w", err)
	}
	if err := args.Validate(); err != nil {
		return fmt.Errorf("drregion: web %s", strings.TrimPrefix(err.Error(), "webtier: "))
	}
	return nil
}
