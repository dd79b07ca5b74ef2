package webtier

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/tierstack/tierstack/components/network"
)

// Mode is how a WebTier runs the app.
type Mode string

// The modes.
const (
	// ModeInstance runs the app on one instance in a public subnet with an Elastic IP: the 100 tier.
	ModeInstance Mode = "instance"
	// ModeAutoScaling runs the app on an Auto Scaling group across the private subnets, behind an
	// internet-facing Application Load Balancer: the 10k tier.
	ModeAutoScaling Mode = "autoscaling"
	// ModeEKS runs the app as a Kubernetes Deployment on an EKS cluster's managed node groups
	// across the private subnets, behind the same load balancer: the 100k and 1m tiers.
	ModeEKS Mode = "eks"
)

// Modes returns the modes, as a new slice.
func Modes() []Mode { return []Mode{ModeInstance, ModeAutoScaling, ModeEKS} }

// Args are the inputs of a WebTier. Network is required; the zero value of every other field is a
// working default.
type Args struct {
	// Network is where the web tier runs. Required.
	Network *network.Network
	// Mode is how the app runs; "" means ModeInstance.
	Mode Mode
	// App is the application.
	App App
	// InstanceType is the instances' type, a Graviton (arm64) type; "" means t4g.small. In mode
	// instance a change stops and starts the instance with the new type: it is not replaced.
	InstanceType string
	// Image is a golden image for modes instance and autoscaling: an AMI ID, or resolve:ssm: and
	// the name of an SSM parameter that holds one. It must hold what the boot script would
	// otherwise install: Docker (enabled), the AWS CLI and python3, for arm64; the boot script then
	// only writes the app's settings and starts it. "" means AWS's newest Amazon Linux 2023 for
	// arm64 (AMIParameter). A change replaces the single instance (its Elastic IP stays and moves to
	// the new one) and, in the group, starts an instance refresh. Refused in mode eks.
	Image string
	// Schedules are known peaks (modes autoscaling and eks), each raised by one schedule and ended by
	// the next: scheduled actions on the group; on EKS a KEDA cron window on the app and scheduled
	// actions on the node groups (docs/web-tier.md, "Known peaks"). Refused in mode instance (no
	// group). Empty means none.
	Schedules []Schedule
	// Mounts are EFS file systems the app mounts, such as the Files': the instances (modes
	// instance and autoscaling) or the pods, through the aws-efs-csi-driver add-on (mode eks).
	// Empty means none.
	Mounts []Mount
	// Cluster are the settings of mode eks; ignored in the other modes.
	Cluster Cluster
	// Backends are what the app connects to, such as a DataTier and a CacheTier: each adds its
	// variables (DATABASE_HOST…, CACHE_HOST…) to Connection or ConnectionFromSecrets, its
	// connection secret to ReadableSecrets and that secret's key to SecretKeys. Empty means none.
	Backends []Backend
	// Connection are environment variables the composing program sets from other components:
	// DATABASE_HOST, CACHE_HOST and the like (Backends fills them in).
	Connection map[string]pulumi.StringInput
	// ConnectionFromSecrets are environment variables that modes instance and autoscaling read at
	// every start from a field of a JSON secret, such as CACHE_HOST from the cache's connection
	// secret: the instances' boot script then names only the secret, which exists at once, so they
	// launch while the cache is still being created instead of after it, and the app starts once the
	// secret holds the address. Each secret must be in ReadableSecrets. Mode eks takes the same
	// names from Connection.
	ConnectionFromSecrets map[string]SecretField
	// ReadableSecrets are Secrets Manager secret ARNs the app may read besides App.Secrets (the
	// database's and cache's connection secrets); the app's role can read exactly these and those.
	ReadableSecrets []pulumi.StringInput
	// SecretKeys are the KMS keys that encrypt ReadableSecrets: reading a secret encrypted with a
	// customer managed key needs kms:Decrypt on it, which the role gets through Secrets Manager only.
	SecretKeys []pulumi.StringInput
	// CertificateARN is an ACM certificate in the stack's region for the load balancer (mode
	// autoscaling): with one, the load balancer serves HTTPS on 443 (TLS 1.2 and 1.3) and redirects
	// HTTP to it; nil means HTTP on 80 only, with a warning. The Edge tier gives one for the domain.
	CertificateARN pulumi.StringInput
	// CloudFrontPrefixListID is the CloudFront origin-facing managed prefix list of the region: with
	// it, the load balancer admits CloudFront only (on 443 with CertificateARN, else on 80), so that
	// nobody reaches the app around the CDN and its WAF. "" admits the internet on 80 and 443.
	CloudFrontPrefixListID string
	// OriginSecret, with CloudFrontPrefixListID, is the value the CDN sends in OriginSecretHeader:
	// the listener CloudFront uses forwards only requests that carry it and answers 403 to the rest,
	// so that another account's distribution cannot reach the app around ours. Keep it secret.
	OriginSecret pulumi.StringInput
	// IdleTimeoutSeconds is the load balancer's idle timeout, 1 to 4000; 0 means 60.
	IdleTimeoutSeconds int
	// AccessLogDays is how long the load balancer's access logs are kept, 1 to 3650; 0 means 90.
	AccessLogDays int
	// StickinessSeconds turns on load-balancer cookie stickiness on the target group (mode
	// autoscaling): a client's requests go to the same instance for this long, 1 to
	// MaxStickinessSeconds. 0 means off, the default: the app keeps sessions in the cache.
	StickinessSeconds int
	// Parked defines the Auto Scaling group at zero (mode autoscaling): minimum, maximum and desired
	// capacity 0, so that nothing runs, while the load balancer, its listeners and target group are
	// in place and answer (503 from the target group, no healthy target) — a DR region's pilot light,
	// whose failover records can point at the load balancer already. Raising the bounds later is an
	// update in place of the same group. App.Replicas are not used while parked; schedules are
	// refused (they would raise the bounds). False, the default, runs App.Replicas.
	Parked bool
	// Tags are added to every resource the WebTier creates, beside a Name tag.
	Tags map[string]string
}

// SecretField is one field of a Secrets Manager secret holding a JSON object.
type SecretField struct {
	// ARN is the secret's ARN.
	ARN pulumi.StringInput
	// Field is the JSON object's key, such as host.
	Field string
}

// fieldPattern is a JSON key the boot script reads.
var fieldPattern = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// instanceTypePattern is an EC2 instance type name: family, generation, attributes, a size.
var instanceTypePattern = regexp.MustCompile(`^[a-z]+[0-9]+[a-z-]*\.(nano|micro|small|medium|large|[0-9]*xlarge|metal(-[0-9]+xl)?)$`)

// familyAttributes captures the attribute letters after an instance type's generation: "gd" in m7gd.large.
var familyAttributes = regexp.MustCompile(`^[a-z]+[0-9]+([a-z-]*)\.`)

// checkedArgs are Args with defaults applied.
type checkedArgs struct {
	Args
}

// checked applies the defaults to a copy of args and validates it.
func (args *Args) checked() (checkedArgs, error) {
	var a Args
	if args != nil {
		a = *args
	}
	if a.Mode == "" {
		a.Mode = ModeInstance
	}
	if !slices.Contains(Modes(), a.Mode) {
		return checkedArgs{}, fmt.Errorf("webtier: mode %q is not known (allowed: instance, autoscaling, eks)", a.Mode)
	}
	app, err := a.App.checked()
	if err != nil {
		return checkedArgs{}, err
	}
	a.App = app
	if a.InstanceType == "" {
		a.InstanceType = "t4g.small"
	}
	if !instanceTypePattern.MatchString(a.InstanceType) {
		return checkedArgs{}, fmt.Errorf("webtier: instanceType %q is not an instance type (allowed: a type name such as t4g.small or m7g.large)", a.InstanceType)
	}
	if !graviton(a.InstanceType) {
		return checkedArgs{}, fmt.Errorf("webtier: instanceType %q is not a Graviton type (allowed: an arm64 type such as t4g.small, m7g.large or c8g.xlarge; the image is Amazon Linux 2023 for arm64)", a.InstanceType)
	}
	if n, known := vCPUs(a.InstanceType); known && a.App.CPU > n*1000 {
		return checkedArgs{}, fmt.Errorf("webtier: app cpu %d is more than instanceType %s has (allowed: at most %d, its %d vCPUs; Docker refuses more)", a.App.CPU, a.InstanceType, n*1000, n)
	}
	if a.Mode == ModeEKS {
		if a.Cluster, err = a.Cluster.checked(a.App.CPU); err != nil {
			return checkedArgs{}, err
		}
	} else if a.Cluster.LogRetentionDays, err = checkedLogRetention(a.Cluster.LogRetentionDays); err != nil {
		// Mode autoscaling keeps the control plane's log group (eks_logs.go).
		return checkedArgs{}, err
	}
	if a.CertificateARN != nil && a.Mode == ModeInstance {
		return checkedArgs{}, fmt.Errorf("webtier: certificateArn is set in mode instance, which has no load balancer to hold it (allowed: mode autoscaling)")
	}
	if a.IdleTimeoutSeconds == 0 {
		a.IdleTimeoutSeconds = 60
	}
	if a.IdleTimeoutSeconds < 1 || a.IdleTimeoutSeconds > 4000 {
		return checkedArgs{}, fmt.Errorf("webtier: idleTimeoutSeconds %d is out of range (allowed: 1 to 4000)", a.IdleTimeoutSeconds)
	}
	if a.AccessLogDays == 0 {
		a.AccessLogDays = 90
	}
	if a.AccessLogDays < 1 || a.AccessLogDays > 3650 {
		return checkedArgs{}, fmt.Errorf("webtier: accessLogDays %d is out of range (allowed: 1 to 3650)", a.AccessLogDays)
	}
	if err := checkedImage(a.Image, a.Mode); err != nil {
		return checkedArgs{}, err
	}
	if a.Schedules, err = checkedSchedules(a.Schedules, a.Mode, a.App.Replicas); err != nil {
		return checkedArgs{}, err
	}
	if err := checkedStickiness(a.StickinessSeconds, a.Mode); err != nil {
		return checkedArgs{}, err
	}
	if err := checkedParked(a); err != nil {
		return checkedArgs{}, err
	}
	if err := checkedMounts(a.Mounts, a.Mode); err != nil {
		return checkedArgs{}, err
	}
	if a, err = a.withBackends(); err != nil {
		return checkedArgs{}, err
	}
	for k, f := range a.ConnectionFromSecrets {
		if !envNamePattern.MatchString(k) || !fieldPattern.MatchString(f.Field) || f.ARN == nil {
			return checkedArgs{}, fmt.Errorf("webtier: connectionFromSecrets %s: a variable name, a secret ARN and a JSON key are required (got field %q)", k, f.Field)
		}
		if _, clash := a.App.Env[k]; clash {
			return checkedArgs{}, fmt.Errorf("webtier: app env %s is set by the tier (allowed: another name)", k)
		}
	}
	for k := range a.Connection {
		if !envNamePattern.MatchString(k) {
			return checkedArgs{}, fmt.Errorf("webtier: connection name %q is not a variable name", k)
		}
		if _, clash := a.App.Env[k]; clash {
			return checkedArgs{}, fmt.Errorf("webtier: app env %s is set by the tier (allowed: another name)", k)
		}
	}
	return checkedArgs{Args: a}, nil
}

// Validate checks the arguments as New does, before anything is looked up or registered.
func (args *Args) Validate() error {
	_, err := args.checked()
	return err
}

// graviton reports whether an instance type runs on AWS Graviton (arm64): a "g" after the generation.
func graviton(typ string) bool {
	family := familyAttributes.FindStringSubmatch(typ)
	return family != nil && len(family[1]) > 0 && family[1][0] == 'g'
}

// sizePattern captures an instance type's family letters and size: "t" and "large" in t4g.large.
var sizePattern = regexp.MustCompile(`^([a-z]+)[0-9]+[a-z-]*\.([0-9]*)(nano|micro|small|medium|large|xlarge)$`)

// vCPUs is how many vCPUs an instance type has, by its size, as EC2 sizes Graviton types: burstable
// (t) types have 2 up to large; other families 1 at medium, 2 at large, 4 per xlarge. false for
// sizes it cannot tell (metal).
func vCPUs(typ string) (int, bool) {
	m := sizePattern.FindStringSubmatch(typ)
	if m == nil {
		return 0, false
	}
	family, times, size := m[1], m[2], m[3]
	switch {
	case size == "xlarge":
		if times == "" {
			return 4, true
		}
		n, err := strconv.Atoi(times)
		return 4 * n, err == nil
	case family == "t":
		return 2, true
	case size == "large":
		return 2, true
	case size == "medium":
		return 1, true
	}
	return 0, false
}
