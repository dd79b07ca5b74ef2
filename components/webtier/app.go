package webtier

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"
)

// DefaultImage is the app a WebTier runs when App.Image is empty: a small public nginx that answers
// 200 on "/", so that a new stack serves something and passes its health checks. It is NGINX's
// unprivileged build: it runs as any non-root user (on EKS, AppUser, as Pod Security "restricted"
// requires), listens on DefaultPort, and writes only to /tmp (the pods' root file system is
// read-only). The plain nginx image runs as root and listens on 80, which a non-root user cannot.
const DefaultImage = "public.ecr.aws/nginx/nginx-unprivileged:1.27-alpine"

// DefaultPort is the port the app listens on when App.Port is 0: DefaultImage's, and above 1024,
// which a non-root process may listen on without a capability.
const DefaultPort = 8080

// App is the application, described once and run by every mode: as a container on an instance or
// on every instance of an Auto Scaling group.
type App struct {
	// Image is the container image; "" means DefaultImage.
	Image string
	// Port is the port the container listens on, 1 to 65535; 0 means DefaultPort (8080). On
	// instances it is published on HostPort (80) whatever it is.
	Port int
	// HealthPath is the path that answers 200 when the app is healthy; "" means "/".
	HealthPath string
	// Env are environment variables, beside the ones the tier sets (DATABASE_HOST, CACHE_HOST…).
	Env map[string]string
	// Secrets are environment variables whose values are read from Secrets Manager when the app
	// starts, by variable name: each value is a secret's ARN. The values never reach Pulumi state.
	Secrets map[string]string
	// CPU is the app's share of an instance in millicores; 0 means 1000.
	CPU int
	// MemoryMiB is the app's memory limit in MiB; 0 means 1024.
	MemoryMiB int
	// Replicas are the running copies: min, desired and max instances in mode autoscaling.
	Replicas Replicas
}

// Replicas bound how many copies of the app run.
type Replicas struct {
	// Min is the fewest; 0 means 2 (one per zone of two).
	Min int
	// Desired is how many start; 0 means Min.
	Desired int
	// Max is the most; 0 means 6.
	Max int
}

var (
	// imagePattern is an image reference: [registry/]repository[:tag][@digest].
	imagePattern = regexp.MustCompile(`^([a-z0-9.-]+(:[0-9]+)?/)?[a-z0-9]+([._/-][a-z0-9]+)*(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(@sha256:[a-f0-9]{64})?$`)
	// envNamePattern is an environment variable name.
	envNamePattern = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)
	// secretARNPattern is a Secrets Manager secret's complete ARN in any partition, with the six
	// characters AWS appends to the name: the form an IAM policy's Resource matches.
	secretARNPattern = regexp.MustCompile(`^arn:aws(-us-gov|-cn)?:secretsmanager:[a-z0-9-]+:[0-9]{12}:secret:[A-Za-z0-9/_+=.@-]+-[A-Za-z0-9]{6}$`)
)

// checked applies the App's defaults to a copy and validates it.
func (app App) checked() (App, error) {
	a := app
	a.Env, a.Secrets = maps.Clone(a.Env), maps.Clone(a.Secrets)
	if a.Image == "" {
		a.Image = DefaultImage
	}
	if a.Port == 0 {
		a.Port = DefaultPort
	}
	if a.HealthPath == "" {
		a.HealthPath = "/"
	}
	if a.CPU == 0 {
		a.CPU = 1000
	}
	if a.MemoryMiB == 0 {
		a.MemoryMiB = 1024
	}
	r := &a.Replicas
	if r.Min == 0 {
		r.Min = 2
	}
	if r.Desired == 0 {
		r.Desired = r.Min
	}
	if r.Max == 0 {
		r.Max = max(6, r.Min)
	}
	switch {
	case !imagePattern.MatchString(a.Image):
		return a, fmt.Errorf("webtier: app image %q is not an image reference (allowed: such as %s or 123456789012.dkr.ecr.us-east-1.amazonaws.com/shop:1.4)", a.Image, DefaultImage)
	case a.Port < 1 || a.Port > 65535:
		return a, fmt.Errorf("webtier: app port %d is out of range (allowed: 1 to 65535)", a.Port)
	case !strings.HasPrefix(a.HealthPath, "/") || strings.ContainsAny(a.HealthPath, " \t\n?#"):
		return a, fmt.Errorf("webtier: app healthPath %q is not a path (allowed: a path starting with /, such as /healthz)", a.HealthPath)
	case a.CPU < 128 || a.MemoryMiB < 128:
		return a, fmt.Errorf("webtier: app cpu %d / memory %d MiB are too small (allowed: at least 128 millicores and 128 MiB)", a.CPU, a.MemoryMiB)
	case r.Min < 1 || r.Max > 100:
		return a, fmt.Errorf("webtier: app replicas min %d / max %d are out of range (allowed: min at least 1, max at most 100)", r.Min, r.Max)
	case r.Min > r.Max:
		return a, fmt.Errorf("webtier: app replicas min %d is above max %d (allowed: min at most max)", r.Min, r.Max)
	case r.Desired < r.Min || r.Desired > r.Max:
		return a, fmt.Errorf("webtier: app replicas desired %d is outside min..max %d..%d", r.Desired, r.Min, r.Max)
	}
	for _, k := range slices.Sorted(maps.Keys(a.Env)) {
		if !envNamePattern.MatchString(k) {
			return a, fmt.Errorf("webtier: app env name %q is not a variable name (allowed: letters, digits and _, not starting with a digit)", k)
		}
		if strings.ContainsAny(a.Env[k], "\r\n") {
			return a, fmt.Errorf("webtier: app env %s has a line break (allowed: one line, as Docker's env files hold; put a multi-line value in a secret)", k)
		}
	}
	for _, k := range slices.Sorted(maps.Keys(a.Secrets)) {
		if !envNamePattern.MatchString(k) {
			return a, fmt.Errorf("webtier: app secrets name %q is not a variable name (allowed: letters, digits and _, not starting with a digit)", k)
		}
		if !secretARNPattern.MatchString(a.Secrets[k]) {
			return a, fmt.Errorf("webtier: app secrets %s: %q is not a Secrets Manager ARN (allowed: a complete ARN, arn:aws:secretsmanager:<region>:<account>:secret:<name>-<6 characters>, as the console shows it)", k, a.Secrets[k])
		}
		if _, clash := a.Env[k]; clash {
			return a, fmt.Errorf("webtier: app %s is both an env variable and a secret (allowed: one or the other)", k)
		}
	}
	return a, nil
}
