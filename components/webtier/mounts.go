package webtier

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Mount is an Amazon EFS file system the app mounts through one access point, over TLS with IAM
// authorization, in every mode. Modes instance and autoscaling: the boot script installs
// amazon-efs-utils, writes an fstab line (efs, _netdev,nofail,tls,iam,accesspoint=…) and mounts it
// before the app starts; the container sees it at the same Path; the instances' role gets
// MountPolicy on it. Mode eks: the aws-efs-csi-driver add-on (FilesAddon) mounts it through a
// PersistentVolume and claim of its own in the app's namespace (Workloads.Claims), its node
// DaemonSet's role by Pod Identity holding MountPolicy; the app's pods see it at Path.
// components/files builds one.
type Mount struct {
	// FileSystemID is the file system's ID (fs-…). Required.
	FileSystemID pulumi.StringInput
	// FileSystemARN is the file system's ARN, for the role's grant. Required.
	FileSystemARN pulumi.StringInput
	// AccessPointID is the access point's ID (fsap-…). Required.
	AccessPointID pulumi.StringInput
	// AccessPointARN is the access point's ARN, the condition of the role's grant. Required.
	AccessPointARN pulumi.StringInput
	// Path is where it is mounted, on the instance and in the container: absolute, not /, no
	// spaces, quotes or shell characters, no empty, . or .. parts; each path once; in mode eks
	// not above or under SecretsDir.
	Path string
}

// mountPathPattern is a path the boot script and fstab take as written: slash-separated parts of
// letters, digits, dots, underscores and hyphens.
var mountPathPattern = regexp.MustCompile(`^(/[A-Za-z0-9._-]+)+$`)

// checkedMounts refuses a path that is not one, a path twice and a mount without its IDs; in mode
// eks also a path over or under the pods' secrets directory (SecretsDir), which the mount would
// hide or be hidden by.
func checkedMounts(mounts []Mount, mode Mode) error {
	seen := map[string]bool{}
	for _, m := range mounts {
		if err := CheckMountPath(m.Path); err != nil {
			return err
		}
		if seen[m.Path] {
			return fmt.Errorf("webtier: mount path %q is given twice (allowed: each path once)", m.Path)
		}
		seen[m.Path] = true
		if err := CheckPodMountPath(m.Path, mode); err != nil {
			return err
		}
		if m.FileSystemID == nil || m.FileSystemARN == nil || m.AccessPointID == nil || m.AccessPointARN == nil {
			return fmt.Errorf("webtier: mount %s lacks its file system or access point (allowed: a Mount with FileSystemID, FileSystemARN, AccessPointID and AccessPointARN)", m.Path)
		}
	}
	return nil
}

// CheckPodMountPath refuses, in mode eks, a mount path over or under SecretsDir, where the pods
// read the app's secrets: the mount would hide them or be hidden by them. Other modes take any
// path CheckMountPath takes.
func CheckPodMountPath(path string, mode Mode) error {
	if mode == ModeEKS && (path == SecretsDir || strings.HasPrefix(SecretsDir, path+"/") || strings.HasPrefix(path, SecretsDir+"/")) {
		return fmt.Errorf("webtier: mount path %q overlaps %s, where the pods read the app's secrets (allowed: in mode eks, a path neither above nor under %s)", path, SecretsDir, SecretsDir)
	}
	return nil
}

// CheckMountPath refuses a mount path: it must be absolute, not / (nor a system directory the
// instance needs), and made of slash-separated parts of letters, digits, dots, underscores and
// hyphens, none of them . or .., at most 100 characters.
func CheckMountPath(path string) error {
	bad := func(why string) error {
		return fmt.Errorf("webtier: mount path %q %s (allowed: an absolute path other than / and the system directories, such as /mnt/shared: parts of letters, digits, ., _ and -, no spaces, no . or .. parts, at most 100 characters)", path, why)
	}
	switch {
	case path == "/":
		return bad("is the root directory")
	case !strings.HasPrefix(path, "/"):
		return bad("is not absolute")
	case len(path) > 100:
		return bad("is too long")
	case !mountPathPattern.MatchString(path):
		return bad("holds a space, a quote, an empty part or another character a mount path may not")
	}
	for _, part := range strings.Split(path[1:], "/") {
		if part == "." || part == ".." {
			return bad("has a . or .. part")
		}
	}
	if systemDirs[strings.Split(path[1:], "/")[0]] && strings.Count(path, "/") == 1 {
		return bad("is a system directory")
	}
	return nil
}

// systemDirs are the top-level directories a mount would hide what the instance runs on.
var systemDirs = map[string]bool{"bin": true, "boot": true, "dev": true, "etc": true, "lib": true, "lib64": true, "proc": true,
	"root": true, "run": true, "sbin": true, "sys": true, "tmp": true, "usr": true, "var": true, "home": true, "mnt": true, "opt": true, "srv": true}

// mountValue is a Mount whose IDs are known.
type mountValue struct {
	fileSystemID, accessPointID, path string
}

// mountScript installs amazon-efs-utils (unless the image holds it), and for each mount writes its
// fstab line and mounts it: TLS in transit (stunnel), IAM authorization with the instance role, the
// access point's POSIX user; _netdev waits for the network at boot, nofail keeps a boot going when
// the file system is not reachable yet (the app's unit mounts it again before every start).
func mountScript(mounts []mountValue) string {
	if len(mounts) == 0 {
		return ""
	}
	var b strings.Builder
	b.WriteString("rpm -q amazon-efs-utils >/dev/null || dnf install -y amazon-efs-utils\n")
	for _, m := range mounts {
		fmt.Fprintf(&b, "install -d -m 755 %s\n", m.path)
		fmt.Fprintf(&b, "echo '%s:/ %s efs %s 0 0' >> /etc/fstab\n", m.fileSystemID, m.path, mountOptions(m.accessPointID))
		fmt.Fprintf(&b, "mount %s || true\n", m.path)
	}
	return b.String()
}

// mountOptions are the fstab options of a mount through accessPointID.
func mountOptions(accessPointID string) string {
	return "_netdev,nofail,noresvport,tls,iam,accesspoint=" + accessPointID
}

// mountUnitLines are the app unit's lines for the mounts: it starts after them, mounts each again
// if it is not (systemd tries again until the mount targets and the role's grant exist), and the
// container sees each at the same path.
func mountUnitLines(mounts []mountValue) (unit, docker string) {
	var u, d strings.Builder
	for _, m := range mounts {
		fmt.Fprintf(&u, "ExecStartPre=/bin/sh -c 'mountpoint -q %s || mount %s'\n", m.path, m.path)
		fmt.Fprintf(&d, "-v %s:%s ", m.path, m.path)
	}
	return u.String(), d.String()
}

// MountPolicy lets a role mount the file system fileSystemARN through the access point
// accessPointARN and write to it, and nothing else: elasticfilesystem:ClientMount and ClientWrite
// on that file system with the condition elasticfilesystem:AccessPointArn (Amazon EFS User Guide,
// "Using IAM to control file system data access"); no ClientRootAccess.
func MountPolicy(fileSystemARN, accessPointARN string) (string, error) {
	return mountsPolicy([][2]string{{fileSystemARN, accessPointARN}})
}

// mountsPolicy is MountPolicy for several file systems: one statement per {file system ARN,
// access point ARN}, the first named MountTheSharedFiles, the next MountTheSharedFiles1 and on.
func mountsPolicy(grants [][2]string) (string, error) {
	statements := make([]map[string]any, 0, len(grants))
	for i, g := range grants {
		sid := "MountTheSharedFiles"
		if i > 0 {
			sid += strconv.Itoa(i)
		}
		statements = append(statements, map[string]any{
			"Sid": sid, "Effect": "Allow",
			"Action":    []string{"elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite"},
			"Resource":  g[0],
			"Condition": map[string]any{"StringEquals": map[string]any{"elasticfilesystem:AccessPointArn": g[1]}},
		})
	}
	doc, err := json.Marshal(map[string]any{"Version": "2012-10-17", "Statement": statements})
	if err != nil {
		return "", fmt.Errorf("mount policy: %w", err)
	}
	return string(doc), nil
}
