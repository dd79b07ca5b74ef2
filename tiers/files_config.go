package tiers

import (
	"fmt"
	"strings"

	"github.com/tierstack/tierstack/components/files"
	"github.com/tierstack/tierstack/components/webtier"
)

// FilesOverrides are the tierstack:files settings: shared files on Amazon EFS, off unless Enabled.
type FilesOverrides struct {
	// Enabled true builds the Files and mounts them on the web tier's instances; every other field
	// needs it.
	Enabled *bool `json:"enabled,omitempty"`
	// Path is where the instances and the app's container see the files; "" means DefaultFilesPath.
	Path string `json:"path,omitempty"`
	// UID and GID are the POSIX user and group every client writes as (the access point's); unset
	// means 1000.
	UID *int64 `json:"uid,omitempty"`
	GID *int64 `json:"gid,omitempty"`
	// RootDirectory is the directory of the file system the access point exposes; "" means /shared.
	RootDirectory string `json:"rootDirectory,omitempty"`
	// TransitionToIA is when an unread file moves to Infrequent Access; "" means AFTER_30_DAYS.
	TransitionToIA string `json:"transitionToIA,omitempty"`
}

// filesFields lists tierstack:files's fields for error messages.
const filesFields = "enabled, path, uid, gid, rootDirectory, transitionToIA"

// DefaultFilesPath is where the shared files are mounted when tierstack:files names no path.
const DefaultFilesPath = "/mnt/shared"

// FilesSpec are the tier's shared files: the Files' arguments and where the web tier mounts them.
type FilesSpec struct {
	// Args are the Files'; Deploy fills in the Network and the tags.
	Args files.Args
	// Path is where the web tier's instances mount them.
	Path string
}

// applyFiles applies the tierstack:files settings: nothing unless enabled. Mode eks is refused for
// now: the aws-efs-csi-driver add-on that would mount the files in pods is not built.
func (s *Spec) applyFiles(o FilesOverrides, mode webtier.Mode) error {
	if o.Enabled == nil || !*o.Enabled {
		if o != (FilesOverrides{Enabled: o.Enabled}) {
			return fmt.Errorf("tierstack:files sets fields without \"enabled\": true (allowed: \"enabled\": true with them, or no fields)")
		}
		s.Files = nil
		return nil
	}
	if mode == webtier.ModeEKS {
		return fmt.Errorf("tier %s: tierstack:files enabled is refused with tierstack:web mode eks: the aws-efs-csi-driver add-on that mounts the files in pods is not built yet (allowed: mode instance or autoscaling, or files enabled false)", s.Tier)
	}
	f := FilesSpec{Path: o.Path, Args: files.Args{UID: o.UID, GID: o.GID, RootDirectory: o.RootDirectory, TransitionToIA: o.TransitionToIA}}
	if f.Path == "" {
		f.Path = DefaultFilesPath
	}
	if err := webtier.CheckMountPath(f.Path); err != nil {
		return fmt.Errorf("tier %s: tierstack:files path: %s", s.Tier, strings.TrimPrefix(err.Error(), "webtier: mount path "))
	}
	if err := f.Args.Validate(); err != nil {
		return fmt.Errorf("tier %s: tierstack:files %s", s.Tier, strings.TrimPrefix(err.Error(), "files: "))
	}
	s.Files = &f
	return nil
}
