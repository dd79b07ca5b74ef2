package webtier

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

func TestCheckMountPath(t *testing.T) {
	cases := []struct {
		path string
		want string // "" when allowed
	}{
		{"/mnt/shared", ""},
		{"/srv/uploads/wp-content", ""},
		{"/data", ""},
		{"mnt/shared", "is not absolute"},
		{"/", "is the root directory"},
		{"/mnt/my files", "holds a space"},
		{"/mnt//shared", "holds a space"},
		{"/mnt/shared/", "holds a space"},
		{"/mnt/'x'", "holds a space"},
		{"/mnt/../etc", "has a . or .. part"},
		{"/etc", "is a system directory"},
		{"/mnt", "is a system directory"},
		{"/" + strings.Repeat("a", 100), "is too long"},
	}
	for _, c := range cases {
		err := CheckMountPath(c.path)
		if c.want == "" {
			if err != nil {
				t.Errorf("CheckMountPath(%q) = %v, want nil", c.path, err)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), "allowed:") {
			t.Errorf("CheckMountPath(%q) = %v, want an error with %q and what is allowed", c.path, err, c.want)
		}
	}
}

func TestCheckedMounts(t *testing.T) {
	id := pulumi.String("x")
	ok := Mount{FileSystemID: id, FileSystemARN: id, AccessPointID: id, AccessPointARN: id, Path: "/mnt/shared"}
	cases := []struct {
		name   string
		mounts []Mount
		mode   Mode
		want   string
	}{
		{"one in autoscaling", []Mount{ok}, ModeAutoScaling, ""},
		{"one in instance", []Mount{ok}, ModeInstance, ""},
		{"none in eks", nil, ModeEKS, ""},
		{"eks", []Mount{ok}, ModeEKS, ""},
		{"eks over the secrets", []Mount{{FileSystemID: id, FileSystemARN: id, AccessPointID: id, AccessPointARN: id, Path: "/run/secrets"}}, ModeEKS, "overlaps /run/secrets/app"},
		{"eks the secrets", []Mount{{FileSystemID: id, FileSystemARN: id, AccessPointID: id, AccessPointARN: id, Path: SecretsDir}}, ModeEKS, "overlaps /run/secrets/app"},
		{"eks under the secrets", []Mount{{FileSystemID: id, FileSystemARN: id, AccessPointID: id, AccessPointARN: id, Path: SecretsDir + "/x"}}, ModeEKS, "neither above nor under"},
		{"eks beside the secrets", []Mount{{FileSystemID: id, FileSystemARN: id, AccessPointID: id, AccessPointARN: id, Path: "/run/secrets/application"}}, ModeEKS, ""},
		{"secrets path in autoscaling", []Mount{{FileSystemID: id, FileSystemARN: id, AccessPointID: id, AccessPointARN: id, Path: SecretsDir}}, ModeAutoScaling, ""},
		{"twice", []Mount{ok, ok}, ModeAutoScaling, "is given twice"},
		{"no access point", []Mount{{FileSystemID: id, FileSystemARN: id, Path: "/mnt/shared"}}, ModeAutoScaling, "lacks its file system or access point"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := checkedMounts(c.mounts, c.mode)
			if c.want == "" && err != nil {
				t.Fatalf("got %v, want nil", err)
			}
			if c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)) {
				t.Fatalf("got %v, want an error with %q", err, c.want)
			}
		})
	}
}

func TestUserDataMountsBeforeTheApp(t *testing.T) {
	app, err := App{Image: "nginx:1.27"}.checked()
	if err != nil {
		t.Fatal(err)
	}
	ud := userData(app, "us-east-1", nil, nil, []mountValue{{fileSystemID: "fs-1", accessPointID: "fsap-2", path: "/mnt/shared"}}, false)
	for _, want := range []string{
		"dnf install -y amazon-efs-utils",
		"echo 'fs-1:/ /mnt/shared efs _netdev,nofail,noresvport,tls,iam,accesspoint=fsap-2 0 0' >> /etc/fstab",
		"ExecStartPre=/bin/sh -c 'mountpoint -q /mnt/shared || mount /mnt/shared'",
		"--env-file /run/app.env -v /mnt/shared:/mnt/shared -p 80:",
	} {
		if !strings.Contains(ud, want) {
			t.Errorf("user data lacks %q:\n%s", want, ud)
		}
	}
	if plain := userData(app, "us-east-1", nil, nil, nil, false); strings.Contains(plain, "efs") || strings.Contains(plain, " -v ") {
		t.Errorf("user data without mounts mentions EFS or a volume:\n%s", plain)
	}
}

func TestCheckFilesAddonVersion(t *testing.T) {
	for v, ok := range map[string]bool{
		"v2.1.9-eksbuild.1": true, "v2.1.10-eksbuild.1": true, "v2.3.1-eksbuild.1": true, "v3.0.0-eksbuild.2": true,
		"v2.1.8-eksbuild.1": false, "v1.7.7-eksbuild.1": false, "v2.1-eksbuild.1": false, "latest": false,
	} {
		err := checkFilesAddonVersion(v)
		if ok && err != nil {
			t.Errorf("checkFilesAddonVersion(%q) = %v, want nil", v, err)
		}
		if !ok && (err == nil || !strings.Contains(err.Error(), "allowed: v2.1.9 or later")) {
			t.Errorf("checkFilesAddonVersion(%q) = %v, want an error with what is allowed", v, err)
		}
	}
}

func TestMountsPolicyOneStatementPerFileSystem(t *testing.T) {
	one, err := MountPolicy("arn:fs-1", "arn:fsap-1")
	if err != nil {
		t.Fatal(err)
	}
	two, err := mountsPolicy([][2]string{{"arn:fs-1", "arn:fsap-1"}, {"arn:fs-2", "arn:fsap-2"}})
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Statement []struct {
			Sid       string
			Resource  string
			Condition map[string]map[string]string
		}
	}
	if err := json.Unmarshal([]byte(two), &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Statement) != 2 || doc.Statement[0].Sid != "MountTheSharedFiles" || doc.Statement[1].Sid != "MountTheSharedFiles1" ||
		doc.Statement[1].Resource != "arn:fs-2" || doc.Statement[1].Condition["StringEquals"]["elasticfilesystem:AccessPointArn"] != "arn:fsap-2" {
		t.Errorf("mountsPolicy of two = %s, want a statement per file system, each on its access point", two)
	}
	if first := one[:strings.Index(one, "}]")+1]; !strings.HasPrefix(two, first) {
		t.Errorf("the first statement of two differs from MountPolicy's:\n%s\n%s", one, two)
	}
}
