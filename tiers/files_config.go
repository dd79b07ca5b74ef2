package tiers

import (
	"fmt"
	"strings"

	"github.com/tierstack/tierstack/components/files"
	"github.com/tierstack/tierstack/components/webtier"
)

// FilesOverrides are the tierstack:files settings: shared files on Amazon EFS, off unless Enabled.
type FilesOverrides struct {
	// Enabled true builds the Files and mounts them where the web tier runs the app (its
	// instances, or its pods in mode eks); every other field needs it.
	Enabled *bool `json:"enabled,omitempty"`
	// Path is where the instances and the app's container (or the app's pods) see the files; ""
	// means DefaultFilesPath.
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
	// Path is where the web tier's instances or pods mount them.
	Path string
}

// applyFiles applies the tierstack:files settings: nothing unless enabled. Every mode mounts them
// (mode eks through the aws-efs-csi-driver add-on); mode eks refuses a path over or under the
// pods' secrets directory.
func (s *Spec) applyFiles(o FilesOverrides, mode webtier.Mode) error {
	if o.Enabled == nil || !*o.Enabled {
		if o != (FilesOverrides{Enabled: o.Enabled}) {
			return fmt.Errorf("tierstack:files sets fields without \"enabled\": true (allowed: \"enabled\": true with them, or no fields)")
		}
		s.Files = nil
		return nil
	}
	f := FilesSpec{Path: o.Path, Args: files.Args{UID: o.UID, GID: o.GID, RootDirectory: o.RootDirectory, TransitionToIA: o.TransitionToIA}}
	if f.Path == "" {
		f.Path = DefaultFilesPath
	}
	for _, check := range []func() error{
		func() error { return webtier.CheckMountPath(f.Path) },
		func() error { return webtier.CheckPodMountPath(f.Path, mode) },
	} {
		if err := check(); err != nil {
			return fmt.Errorf("tier %s: tierstack:files path: %s", s.Tier, strings.TrimPrefix(err.Error(), "webtier: mount path "))
		}
	}
	if err := f.Args.Validate(); err != nil {
		return fmt.Errorf("tier %s: tierstack:files %s", s.Tier, strings.TrimPrefix(err.Error(), "files: "))
	}
	s.Files = &f
	return nil
}
