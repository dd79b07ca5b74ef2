package files

import (
	"strings"
	"testing"
)

func TestValidate(t *testing.T) {
	neg, big, zero := int64(-1), int64(MaxID)+1, int64(0)
	cases := []struct {
		name string
		args Args
		want string // "" when valid
	}{
		{"zero value", Args{}, ""},
		{"root user", Args{UID: &zero, GID: &zero}, ""},
		{"negative uid", Args{UID: &neg}, "uid -1 is out of range (allowed: 0 to 4294967295)"},
		{"gid too large", Args{GID: &big}, "gid 4294967296 is out of range"},
		{"relative root directory", Args{RootDirectory: "shared"}, `rootDirectory "shared" is not absolute`},
		{"root directory /", Args{RootDirectory: "/"}, "is the root directory"},
		{"root directory up", Args{RootDirectory: "/a/../b"}, "has an empty, . or .. part"},
		{"permissions", Args{Permissions: "0899"}, `permissions "0899" is not an octal mode`},
		{"transition", Args{TransitionToIA: "AFTER_2_DAYS"}, `transitionToIA "AFTER_2_DAYS" is not known`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := c.args.Validate()
			if c.want == "" && err != nil {
				t.Fatalf("got %v, want nil", err)
			}
			if c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), "allowed")) {
				t.Fatalf("got %v, want an error with %q and what is allowed", err, c.want)
			}
		})
	}
}

func TestFileSystemPolicyDeniesNonTLS(t *testing.T) {
	doc, err := FileSystemPolicy("arn:aws:elasticfilesystem:us-east-1:123456789012:file-system/fs-1", "arn:aws:elasticfilesystem:us-east-1:123456789012:access-point/fsap-2", "arn:aws:iam::123456789012:root")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"aws:SecureTransport":"false"`, `"Effect":"Deny"`, `"elasticfilesystem:AccessPointArn":"arn:aws:elasticfilesystem:us-east-1:123456789012:access-point/fsap-2"`} {
		if !strings.Contains(doc, want) {
			t.Errorf("policy lacks %s: %s", want, doc)
		}
	}
	if strings.Contains(doc, "ClientRootAccess") {
		t.Errorf("policy grants root access: %s", doc)
	}
}
