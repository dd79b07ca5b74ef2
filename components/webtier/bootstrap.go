package webtier

import (
	"fmt"
	"maps"
	"slices"
	"strings"
)

// HostPort is the port the app's container is published on, on every instance: the port the
// security groups and the target group use, whatever port the app listens on inside.
const HostPort = 80

// UserData is the boot script of an instance that runs the app: it installs Docker and a systemd
// unit that, at every start, reads the app's secrets from Secrets Manager into a file in memory
// (/run, mode 600), then runs the container with them and env, restarting it when it fails. env
// holds the plain variables (the app's and the tier's connection settings); only secret ARNs are in
// the script, never secret values. An image in a private ECR registry is pulled after a login with
// the instance role.
func UserData(app App, region string, env map[string]string, fields map[string]SecretFieldValue) string {
	return userData(app, region, env, fields, nil, false)
}

// userData is UserData, with mounts mounted before the app starts (mountScript); baked, for a golden image that holds Docker, the AWS CLI and python3
// already, it installs nothing and only starts Docker and the app (the write-up's hybrid: the
// image carries the runtime, the boot script the settings).
func userData(app App, region string, env map[string]string, fields map[string]SecretFieldValue, mounts []mountValue, baked bool) string {
	return bootScript(app, region, env, fields, mounts, baked, runSpec{publish: true})
}

// runSpec says how the boot script runs the container: publish puts the app's port on HostPort (a
// server); args replace the image's CMD (a worker's command); stopSeconds, when above 0, is how long
// docker stop waits for the container to finish its work after SIGTERM before it kills it (a
// worker's job timeout), and systemd waits as long for docker stop.
type runSpec struct {
	publish     bool
	args        []string
	stopSeconds int
}

// bootScript is userData with the container run as run says.
func bootScript(app App, region string, env map[string]string, fields map[string]SecretFieldValue, mounts []mountValue, baked bool, run runSpec) string {
	var b strings.Builder
	b.WriteString("#!/bin/bash\nset -euo pipefail\n")
	if !baked {
		b.WriteString("dnf install -y docker\n")
	}
	b.WriteString("systemctl enable --now docker\n")
	b.WriteString(mountScript(mounts))
	mountUnit, volumes := mountUnitLines(mounts)
	b.WriteString("install -d -m 700 /etc/app\n")
	b.WriteString("cat > /etc/app/plain.env <<'TIERSTACK_ENV'\n")
	for _, k := range slices.Sorted(maps.Keys(env)) {
		fmt.Fprintf(&b, "%s=%s\n", k, env[k])
	}
	b.WriteString("TIERSTACK_ENV\nchmod 600 /etc/app/plain.env\n")
	b.WriteString("cat > /usr/local/bin/app-env <<'TIERSTACK_SCRIPT'\n#!/bin/bash\nset -euo pipefail\n")
	b.WriteString("umask 077\ncp /etc/app/plain.env /run/app.env\n")
	for _, k := range slices.Sorted(maps.Keys(app.Secrets)) {
		// An assignment, so that a failed read stops the unit (set -e) and systemd tries again,
		// rather than starting the app with an empty value.
		arn := app.Secrets[k]
		fmt.Fprintf(&b, "value=$(aws --region %s secretsmanager get-secret-value --secret-id '%s' --query SecretString --output text)\n", secretRegion(arn, region), arn)
		fmt.Fprintf(&b, "printf '%s=%%s\\n' \"$value\" >> /run/app.env\n", k)
	}
	for _, k := range slices.Sorted(maps.Keys(fields)) {
		// A field of a JSON secret (the cache's host): until the secret holds it, the read fails,
		// the unit stops and systemd tries again.
		f := fields[k]
		fmt.Fprintf(&b, "value=$(aws --region %s secretsmanager get-secret-value --secret-id '%s' --query SecretString --output text | python3 -c 'import json,sys; print(json.load(sys.stdin)[\"%s\"])')\n", secretRegion(f.ARN, region), f.ARN, f.Field)
		fmt.Fprintf(&b, "printf '%s=%%s\\n' \"$value\" >> /run/app.env\n", k)
	}
	b.WriteString("TIERSTACK_SCRIPT\nchmod 700 /usr/local/bin/app-env\n")
	fmt.Fprintf(&b, `cat > /etc/systemd/system/app.service <<'TIERSTACK_UNIT'
[Unit]
Description=The app, as tierstack runs it
After=docker.service network-online.target
Requires=docker.service
[Service]
ExecStartPre=/usr/local/bin/app-env
ExecStartPre=-/usr/bin/docker rm -f app
%s%sExecStart=/usr/bin/docker run --name app --env-file /run/app.env %s%s--cpus %s --memory %dm %s%s
ExecStop=/usr/bin/docker stop %sapp
%sRestart=always
RestartSec=5
[Install]
WantedBy=multi-user.target
TIERSTACK_UNIT
`, mountUnit, registryLogin(app.Image), volumes, run.portFlag(app.Port), cpus(app.CPU), app.MemoryMiB, app.Image, run.argsLine(), run.stopFlag(), run.stopTimeout())
	b.WriteString("systemctl daemon-reload\nsystemctl enable --now app.service\n")
	return b.String()
}

// registryLogin is the unit line that logs Docker in to the image's private ECR registry with the
// instance role's credentials before every start (an ECR token lasts 12 hours); nothing for a
// public image.
func registryLogin(image string) string {
	r, ok := registryOf(image)
	if !ok {
		return ""
	}
	return fmt.Sprintf("ExecStartPre=/bin/sh -c 'aws ecr get-login-password --region %s | docker login --username AWS --password-stdin %s'\n", r.Region, r.Host)
}

// secretRegion is the region of a secret's ARN (arn:partition:secretsmanager:region:…), or
// fallback.
func secretRegion(arn, fallback string) string {
	if parts := strings.Split(arn, ":"); len(parts) > 3 && parts[3] != "" {
		return parts[3]
	}
	return fallback
}

// SecretFieldValue is a SecretField whose ARN is known.
type SecretFieldValue struct {
	// ARN is the secret's ARN.
	ARN string
	// Field is the JSON object's key.
	Field string
}

// cpus renders millicores as Docker's --cpus.
func cpus(milli int) string {
	return strings.TrimRight(strings.TrimRight(fmt.Sprintf("%.3f", float64(milli)/1000), "0"), ".")
}

// portFlag publishes port on HostPort for a server; nothing for a worker.
func (r runSpec) portFlag(port int) string {
	if !r.publish {
		return ""
	}
	return fmt.Sprintf("-p %d:%d ", HostPort, port)
}

// argsLine is the command after the image, each argument as written (CheckCommand allows only
// characters that neither systemd nor the shell reads specially).
func (r runSpec) argsLine() string {
	if len(r.args) == 0 {
		return ""
	}
	return " " + strings.Join(r.args, " ")
}

// stopFlag is docker stop's wait for a worker; Docker's default 10 seconds otherwise.
func (r runSpec) stopFlag() string {
	if r.stopSeconds <= 0 {
		return ""
	}
	return fmt.Sprintf("-t %d ", r.stopSeconds)
}

// stopTimeout lets systemd wait for docker stop's wait, and a margin.
func (r runSpec) stopTimeout() string {
	if r.stopSeconds <= 0 {
		return ""
	}
	return fmt.Sprintf("TimeoutStopSec=%d\n", r.stopSeconds+30)
}
