package files

import (
	"fmt"
	"strings"

	"github.com/tierstack/tierstack/components/network"
)

// Defaults and bounds of Args.
const (
	// DefaultUID and DefaultGID are the POSIX user and group the access point gives every client
	// and owns its root directory with: 1000, the first ordinary user of Amazon Linux.
	DefaultUID, DefaultGID = 1000, 1000
	// MaxID is the largest POSIX user or group ID EFS takes (aws_efs_access_point posix_user uid
	// and gid: 0 to 4294967295).
	MaxID = 4294967295
	// DefaultRootDirectory is the directory of the file system the access point exposes.
	DefaultRootDirectory = "/shared"
	// DefaultPermissions is the mode the access point creates its root directory with.
	DefaultPermissions = "0750"
	// DefaultTransitionToIA is when an unread file moves to Infrequent Access.
	DefaultTransitionToIA = "AFTER_30_DAYS"
	// Port is the NFS port clients mount on; TLS (stunnel, amazon-efs-utils) is tunnelled over it.
	Port = 2049
)

// TransitionsToIA are the values EFS takes for transition_to_ia (aws_efs_file_system
// lifecycle_policy: AFTER_1_DAY … AFTER_365_DAYS).
func TransitionsToIA() []string {
	return []string{"AFTER_1_DAY", "AFTER_7_DAYS", "AFTER_14_DAYS", "AFTER_30_DAYS", "AFTER_60_DAYS", "AFTER_90_DAYS", "AFTER_180_DAYS", "AFTER_270_DAYS", "AFTER_365_DAYS"}
}

// checkedArgs are Args with defaults applied.
type checkedArgs struct {
	Args
	uid, gid int64
}

// checked applies the defaults to a copy of args and validates it, the Network too when
// withNetwork. Errors name the field, the bad value and what is allowed.
func (args *Args) checked(withNetwork bool) (checkedArgs, error) {
	var a Args
	if args != nil {
		a = *args
	}
	out := checkedArgs{Args: a, uid: DefaultUID, gid: DefaultGID}
	if a.UID != nil {
		out.uid = *a.UID
	}
	if a.GID != nil {
		out.gid = *a.GID
	}
	for _, id := range []struct {
		field string
		v     int64
	}{{"uid", out.uid}, {"gid", out.gid}} {
		if id.v < 0 || id.v > MaxID {
			return checkedArgs{}, fmt.Errorf("files: %s %d is out of range (allowed: 0 to %d)", id.field, id.v, int64(MaxID))
		}
	}
	if out.RootDirectory == "" {
		out.RootDirectory = DefaultRootDirectory
	}
	if err := CheckPath("rootDirectory", out.RootDirectory); err != nil {
		return checkedArgs{}, err
	}
	if out.Permissions == "" {
		out.Permissions = DefaultPermissions
	}
	if !octalMode(out.Permissions) {
		return checkedArgs{}, fmt.Errorf("files: permissions %q is not an octal mode (allowed: 3 or 4 octal digits, such as 0750)", out.Permissions)
	}
	if out.TransitionToIA == "" {
		out.TransitionToIA = DefaultTransitionToIA
	}
	if !contains(TransitionsToIA(), out.TransitionToIA) {
		return checkedArgs{}, fmt.Errorf("files: transitionToIA %q is not known (allowed: %s)", out.TransitionToIA, strings.Join(TransitionsToIA(), ", "))
	}
	if !withNetwork {
		return out, nil
	}
	if a.Network == nil {
		return checkedArgs{}, fmt.Errorf("files: network is required (allowed: a *network.Network)")
	}
	if err := a.Network.CheckFor("files", 1, network.SubnetPrivate); err != nil {
		return checkedArgs{}, err
	}
	return out, nil
}

// Validate checks the arguments as New does, but the Network, before anything is registered.
func (args *Args) Validate() error {
	_, err := args.checked(false)
	return err
}

// CheckPath refuses a directory path a mount or an access point cannot take: it must be absolute,
// not "/" itself, with no spaces, no "." or ".." parts and no empty parts, at most 100 characters
// (aws_efs_access_point root_directory path: 1 to 100 characters). setting names it in the error.
func CheckPath(setting, path string) error {
	bad := func(why string) error {
		return fmt.Errorf("files: %s %q %s (allowed: an absolute directory path other than /, such as /mnt/shared, without spaces, empty, . or .. parts, at most 100 characters)", setting, path, why)
	}
	switch {
	case !strings.HasPrefix(path, "/"):
		return bad("is not absolute")
	case path == "/":
		return bad("is the root directory")
	case len(path) > 100:
		return bad("is too long")
	case strings.ContainsAny(path, " \t\n\r'\"\\$`"):
		return bad("holds a space, a quote or a shell character")
	}
	for _, part := range strings.Split(strings.TrimSuffix(path[1:], "/"), "/") {
		if part == "" || part == "." || part == ".." {
			return bad("has an empty, . or .. part")
		}
	}
	return nil
}

// octalMode reports whether s is 3 or 4 octal digits.
func octalMode(s string) bool {
	if len(s) < 3 || len(s) > 4 {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '7' {
			return false
		}
	}
	return true
}

// contains reports whether list holds s.
func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
