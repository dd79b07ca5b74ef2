package tests

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tierstack/tierstack/components/files"
	"github.com/tierstack/tierstack/insights"
	"github.com/tierstack/tierstack/synth"
	"github.com/tierstack/tierstack/tiers"
)

// Resource types the shared-files tests ask about.
const (
	filesTypeComponent = files.TypeToken
	filesTypeFS        = "aws:efs/fileSystem:FileSystem"
	filesTypeMount     = "aws:efs/mountTarget:MountTarget"
	filesTypeAP        = "aws:efs/accessPoint:AccessPoint"
	filesTypeBackup    = "aws:efs/backupPolicy:BackupPolicy"
	filesTypePolicy    = "aws:efs/fileSystemPolicy:FileSystemPolicy"
)

// filesConfig is a tier's config with tierstack:files set to value and, when mode is not "",
// tierstack:web mode set to it.
func filesConfig(tier tiers.Tier, value, mode string) map[string]string {
	return partConfig(tier, "tierstack:files", value, mode)
}

// filesOn is the 10k tier with the shared files on at /mnt/shared.
func filesOn(t *testing.T) stack {
	t.Helper()
	return planTier(t, filesConfig(tiers.Tier10k, `{"enabled":true,"path":"/mnt/shared"}`, ""))
}

// No tier builds shared files unless tierstack:files enables them.
func TestFilesAbsentUnlessConfigured(t *testing.T) {
	for _, tier := range tiers.All() {
		t.Run(string(tier), func(t *testing.T) {
			s := planTier(t, tierConfig(tier))
			assert.Zero(t, s.Count(filesTypeComponent))
			assert.Zero(t, s.Count(filesTypeFS))
			for _, lt := range s.All(webTypeLT) {
				assert.NotContains(t, decoded(t, lt, "userData"), "amazon-efs-utils")
			}
		})
	}
	off := planTier(t, filesConfig(tiers.Tier10k, `{"enabled":false}`, ""))
	assert.Zero(t, off.Count(filesTypeFS))
}

// The file system is encrypted with a key of its own, which rotates; both are protected and
// retained on delete.
func TestFilesEncryptedWithItsKeyProtectedAndRetained(t *testing.T) {
	s := filesOn(t)
	fs := s.Named(filesTypeFS, "files-fs")
	key := s.Named(typeKey, "files-key")
	assert.Equal(t, true, input(fs, "encrypted"))
	assert.Equal(t, outStr(key, "arn"), str(fs, "kmsKeyId"))
	assert.Equal(t, true, input(key, "enableKeyRotation"))
	assert.Equal(t, "generalPurpose", str(fs, "performanceMode"))
	for _, r := range []synth.Resource{fs, key} {
		assert.True(t, r.Protect, "%s is protected", r.Name)
		assert.True(t, r.RetainOnDelete, "%s is retained on delete", r.Name)
	}
	stateful, ok := synth.Stateful(filesTypeFS)
	assert.True(t, ok, "the file system is stateful: %s", stateful)
}

// A mount target in every zone's private subnet, behind the Files' own security group.
func TestFilesMountTargetPerZoneInPrivateSubnets(t *testing.T) {
	s := filesOn(t)
	fs := s.Named(filesTypeFS, "files-fs")
	sg := s.Named(typeSecurityGroup, "files-sg")
	var got []string
	for i := 0; i < 3; i++ {
		mt := s.Named(filesTypeMount, "files-mount-"+string(rune('0'+i)))
		assert.Equal(t, fs.ID, str(mt, "fileSystemId"))
		assert.Equal(t, []string{sg.ID}, strs(mt, "securityGroups"))
		got = append(got, str(mt, "subnetId"))
	}
	assert.Equal(t, 3, s.Count(filesTypeMount))
	var private []string
	for i := 0; i < 3; i++ {
		private = append(private, s.Named(typeSubnet, "network-private-"+string(rune('0'+i))).ID)
	}
	assert.Equal(t, private, got)
}

// The security group admits the web tier's security group on 2049 and nothing else.
func TestFilesSecurityGroupAdmitsOnlyTheWebTier(t *testing.T) {
	s := filesOn(t)
	sg := s.Named(typeSecurityGroup, "files-sg")
	assert.Nil(t, input(sg, "ingress"))
	assert.Nil(t, input(sg, "egress"))
	var rules []synth.Resource
	for _, r := range s.All(typeSGRule) {
		if str(r, "securityGroupId") == sg.ID {
			rules = append(rules, r)
		}
	}
	require.Len(t, rules, 1, "one rule: the web tier's")
	rule := rules[0]
	assert.Equal(t, "files-allow-web", rule.Name)
	assert.Equal(t, "ingress", str(rule, "type"))
	assert.Equal(t, 2049, num(rule, "fromPort"))
	assert.Equal(t, 2049, num(rule, "toPort"))
	assert.Equal(t, s.Outputs["webSecurityGroupId"], str(rule, "sourceSecurityGroupId"))
	assert.Nil(t, input(rule, "cidrBlocks"))
}

// The access point enforces a POSIX user and creates its root directory for it; the file system
// moves unread files to Infrequent Access and back on access, and AWS Backup backs it up.
func TestFilesAccessPointLifecycleAndBackups(t *testing.T) {
	s := planTier(t, filesConfig(tiers.Tier10k, `{"enabled":true,"uid":2000,"gid":3000,"rootDirectory":"/uploads","transitionToIA":"AFTER_7_DAYS"}`, ""))
	fs := s.Named(filesTypeFS, "files-fs")
	ap := s.Named(filesTypeAP, "files-ap")
	assert.Equal(t, fs.ID, str(ap, "fileSystemId"))
	assert.Equal(t, 2000, num(ap, "posixUser.uid"))
	assert.Equal(t, 3000, num(ap, "posixUser.gid"))
	assert.Equal(t, "/uploads", str(ap, "rootDirectory.path"))
	assert.Equal(t, 2000, num(ap, "rootDirectory.creationInfo.ownerUid"))
	assert.Equal(t, 3000, num(ap, "rootDirectory.creationInfo.ownerGid"))
	assert.Equal(t, "0750", str(ap, "rootDirectory.creationInfo.permissions"))

	assert.Equal(t, "AFTER_7_DAYS", str(fs, "lifecyclePolicies.0.transitionToIa"))
	assert.Equal(t, "AFTER_1_ACCESS", str(fs, "lifecyclePolicies.1.transitionToPrimaryStorageClass"))

	backup := s.Named(filesTypeBackup, "files-backup")
	assert.Equal(t, fs.ID, str(backup, "fileSystemId"))
	assert.Equal(t, "ENABLED", str(backup, "backupPolicy.status"))

	def := filesOn(t)
	assert.Equal(t, 1000, num(def.Named(filesTypeAP, "files-ap"), "posixUser.uid"))
	assert.Equal(t, "/shared", str(def.Named(filesTypeAP, "files-ap"), "rootDirectory.path"))
	assert.Equal(t, "AFTER_30_DAYS", str(def.Named(filesTypeFS, "files-fs"), "lifecyclePolicies.0.transitionToIa"))
}

// The file system policy denies every request without TLS and allows mounting and writing only to
// the account's IAM principals, through a mount target and the access point; no root access.
func TestFilesPolicyDeniesNonTLSAndRequiresIAM(t *testing.T) {
	s := filesOn(t)
	fs := s.Named(filesTypeFS, "files-fs")
	ap := s.Named(filesTypeAP, "files-ap")
	p := s.Named(filesTypePolicy, "files-policy")
	assert.Equal(t, fs.ID, str(p, "fileSystemId"))
	st := policyStatements(t, str(p, "policy"))
	require.Len(t, st, 2)
	deny := st[0]
	assert.Equal(t, "Deny", deny["Effect"])
	assert.Equal(t, "*", deny["Action"])
	assert.Equal(t, outStr(fs, "arn"), deny["Resource"])
	assert.Equal(t, map[string]any{"Bool": map[string]any{"aws:SecureTransport": "false"}}, deny["Condition"])
	allow := st[1]
	assert.Equal(t, "Allow", allow["Effect"])
	assert.Equal(t, map[string]any{"AWS": "arn:aws:iam::123456789012:root"}, allow["Principal"], "IAM principals of the account only: anonymous mounts get nothing")
	assert.ElementsMatch(t, []any{"elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite"}, allow["Action"])
	cond := allow["Condition"].(map[string]any)
	assert.Equal(t, outStr(ap, "arn"), cond["StringEquals"].(map[string]any)["elasticfilesystem:AccessPointArn"])
	assert.Equal(t, "true", cond["Bool"].(map[string]any)["elasticfilesystem:AccessedViaMountTarget"])
	assert.NotContains(t, str(p, "policy"), "ClientRootAccess")
}

// Modes autoscaling and instance mount the files over TLS with IAM through the access point, with
// an fstab line that waits for the network, and the container sees them at the same path.
func TestFilesMountedByTheInstancesWithTLSAndIAM(t *testing.T) {
	check := func(t *testing.T, s stack, ud, path string) {
		fsID := s.Named(filesTypeFS, "files-fs").ID
		apID := s.Named(filesTypeAP, "files-ap").ID
		assert.Contains(t, ud, "dnf install -y amazon-efs-utils")
		assert.Contains(t, ud, "echo '"+fsID+":/ "+path+" efs _netdev,nofail,noresvport,tls,iam,accesspoint="+apID+" 0 0' >> /etc/fstab")
		assert.Contains(t, ud, "ExecStartPre=/bin/sh -c 'mountpoint -q "+path+" || mount "+path+"'")
		assert.Contains(t, ud, "-v "+path+":"+path+" ")
		assert.Less(t, strings.Index(ud, "mount "+path), strings.Index(ud, "systemctl enable --now app.service"), "mounted before the app starts")
		assert.Equal(t, path, s.Outputs["filesPath"])
	}
	t.Run("autoscaling", func(t *testing.T) {
		s := filesOn(t)
		check(t, s, decoded(t, s.Named(webTypeLT, "web-lt"), "userData"), "/mnt/shared")
	})
	t.Run("instance", func(t *testing.T) {
		s := planTier(t, filesConfig(tiers.Tier100, `{"enabled":true,"path":"/srv/uploads"}`, ""))
		check(t, s, decoded(t, s.Named(typeInstance, "web-server"), "userDataBase64"), "/srv/uploads")
		assert.Equal(t, 2, s.Count(filesTypeMount), "the 100 tier spans two zones")
	})
	t.Run("default path", func(t *testing.T) {
		s := planTier(t, filesConfig(tiers.Tier10k, `{"enabled":true}`, ""))
		assert.Equal(t, tiers.DefaultFilesPath, s.Outputs["filesPath"])
	})
}

// The instances' role may mount and write this file system through its access point, and nothing
// else of EFS; the instances wait for the grant.
func TestFilesRoleGrantLimited(t *testing.T) {
	s := filesOn(t)
	fs := s.Named(filesTypeFS, "files-fs")
	ap := s.Named(filesTypeAP, "files-ap")
	grant := s.Named(typeRolePolicy, "web-mount")
	st := policyStatements(t, str(grant, "policy"))
	require.Len(t, st, 1)
	assert.Equal(t, "Allow", st[0]["Effect"])
	assert.Equal(t, []any{"elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite"}, st[0]["Action"])
	assert.Equal(t, outStr(fs, "arn"), st[0]["Resource"])
	assert.Equal(t, map[string]any{"StringEquals": map[string]any{"elasticfilesystem:AccessPointArn": outStr(ap, "arn")}}, st[0]["Condition"])
	for _, p := range s.All(typeRolePolicy) {
		if p.Name != "web-mount" {
			assert.NotContains(t, str(p, "policy"), "elasticfilesystem", "%s grants no EFS action", p.Name)
		}
	}
	assert.Contains(t, s.Named(webTypeASG, "web-asg").Dependencies, grant.URN, "the group waits for the grant")
}

// Bad tierstack:files settings are refused with the setting, the value and what is allowed, before
// anything is registered: in mode eks also a path over the pods' secrets and an EFS CSI driver
// too old for Pod Identity.
func TestFilesConfigRefused(t *testing.T) {
	cases := []struct {
		name string
		cfg  map[string]string
		want []string
	}{
		{"eks path over the secrets", filesConfig(tiers.Tier100k, `{"enabled":true,"path":"/run/secrets"}`, ""), []string{`tier 100k: tierstack:files path: "/run/secrets" overlaps /run/secrets/app`, "allowed: in mode eks, a path neither above nor under /run/secrets/app"}},
		{"eks path under the secrets", filesConfig(tiers.Tier100k, `{"enabled":true,"path":"/run/secrets/app/x"}`, ""), []string{`"/run/secrets/app/x" overlaps /run/secrets/app`}},
		{"eks driver too old", func() map[string]string {
			cfg := filesConfig(tiers.Tier100k, `{"enabled":true}`, "")
			cfg["tierstack:web"] = `{"addonVersions":{"aws-efs-csi-driver":"v2.1.8-eksbuild.1"}}`
			return cfg
		}(), []string{`addonVersions aws-efs-csi-driver "v2.1.8-eksbuild.1" is older than v2.1.9`, "allowed: v2.1.9 or later"}},
		{"fields without enabled", filesConfig(tiers.Tier10k, `{"path":"/mnt/x"}`, ""), []string{"tierstack:files sets fields without \"enabled\": true"}},
		{"unknown field", filesConfig(tiers.Tier10k, `{"enabled":true,"throughput":"elastic"}`, ""), []string{"tierstack:files", `unknown field "throughput"`, "enabled, path, uid"}},
		{"relative path", filesConfig(tiers.Tier10k, `{"enabled":true,"path":"mnt/shared"}`, ""), []string{`tierstack:files path: "mnt/shared" is not absolute`, "allowed: an absolute path other than /"}},
		{"root path", filesConfig(tiers.Tier10k, `{"enabled":true,"path":"/"}`, ""), []string{`tierstack:files path: "/" is the root directory`}},
		{"path with a space", filesConfig(tiers.Tier10k, `{"enabled":true,"path":"/mnt/my files"}`, ""), []string{`tierstack:files path: "/mnt/my files" holds a space`}},
		{"path up", filesConfig(tiers.Tier10k, `{"enabled":true,"path":"/mnt/../etc"}`, ""), []string{`"/mnt/../etc" has a . or .. part`}},
		{"system directory", filesConfig(tiers.Tier10k, `{"enabled":true,"path":"/etc"}`, ""), []string{`"/etc" is a system directory`}},
		{"negative uid", filesConfig(tiers.Tier10k, `{"enabled":true,"uid":-1}`, ""), []string{"tierstack:files uid -1 is out of range (allowed: 0 to 4294967295)"}},
		{"gid too large", filesConfig(tiers.Tier10k, `{"enabled":true,"gid":4294967296}`, ""), []string{"tierstack:files gid 4294967296 is out of range"}},
		{"root directory", filesConfig(tiers.Tier10k, `{"enabled":true,"rootDirectory":"shared"}`, ""), []string{`tierstack:files rootDirectory "shared" is not absolute`}},
		{"transition", filesConfig(tiers.Tier10k, `{"enabled":true,"transitionToIA":"AFTER_2_DAYS"}`, ""), []string{`tierstack:files transitionToIA "AFTER_2_DAYS" is not known`, "AFTER_1_DAY", "AFTER_365_DAYS"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s, err := runProgram(t, "", c.cfg, tiers.Program)
			require.Error(t, err)
			for _, w := range c.want {
				assert.Contains(t, err.Error(), w)
			}
			assert.Empty(t, s.Resources, "nothing is registered")
		})
	}
	// The same path is fine in the modes that have no secrets directory in a pod.
	_, err := runProgram(t, "", filesConfig(tiers.Tier10k, `{"enabled":true,"path":"/run/secrets"}`, ""), tiers.Program)
	assert.NoError(t, err)
}

// The tier walk with the files on, in each tier's own mode (the instance at 100, the Auto Scaling
// group at 10k, EKS from 100k): 100 → 10k → 10k with the cache at the compatible step (the walk to
// cluster mode takes it) → 100k → 1m keeps the file system and its key (same URN, never
// replaced), replaces and deletes nothing stateful, and every EFS type and every Kubernetes type
// the mounts add has replacement rules.
func TestFilesTierWalkKeepsTheFileSystem(t *testing.T) {
	rules := mustRules(t)
	walk := []struct {
		tier        tiers.Tier
		mode, cache string
	}{{tiers.Tier100, "", ""}, {tiers.Tier10k, "", ""}, {tiers.Tier10k, "", `{"clusterMode":"compatible"}`},
		{tiers.Tier100k, "", ""}, {tiers.Tier1M, "", ""}}
	var before stack
	for i, step := range walk {
		cfg := filesConfig(step.tier, `{"enabled":true}`, step.mode)
		if step.cache != "" {
			cfg["tierstack:cache"] = step.cache
		}
		after := planTier(t, cfg)
		if step.tier == tiers.Tier100k || step.tier == tiers.Tier1M {
			assert.True(t, after.Has(filesTypePVC, "web-files-claim"), "%s: the pods mount the files (mode eks)", step.tier)
		}
		for _, r := range after.Resources {
			if r.Custom && (strings.HasPrefix(r.Type, "aws:efs/") || r.Type == filesTypePV || r.Type == filesTypePVC) {
				assert.True(t, rules.Knows(r.Type), "no replacement rules for %s", r.Type)
			}
		}
		if i > 0 {
			from := walk[i-1].tier
			assert.Equal(t, before.Named(filesTypeFS, "files-fs").URN, after.Named(filesTypeFS, "files-fs").URN, "%s → %s", from, step.tier)
			if step.tier == tiers.Tier1M {
				// 100k → 1m: the pods' volume and claim stay.
				for _, typ := range []string{filesTypePV, filesTypePVC} {
					for _, ch := range synth.Diff(before.Plan, after.Plan, rules) {
						if ch.Type == typ {
							assert.NotEqual(t, synth.Replace, ch.Action, "%s %s is replaced by %v", typ, ch.Name, ch.ReplacedBy)
						}
					}
				}
			}
			changes := synth.Diff(before.Plan, after.Plan, rules)
			assert.Empty(t, synth.Unsafe(changes), "%s → %s: nothing stateful is replaced or deleted", from, step.tier)
			for _, ch := range changes {
				if ch.Type == filesTypeFS || ch.Type == filesTypeAP || (ch.Type == typeKey && ch.Name == "files-key") {
					assert.NotEqual(t, synth.Replace, ch.Action, "%s → %s: %s %s is replaced by %v", from, step.tier, ch.Type, ch.Name, ch.ReplacedBy)
					assert.NotEqual(t, synth.Delete, ch.Action, "%s → %s: %s %s is deleted", from, step.tier, ch.Type, ch.Name)
				}
			}
		}
		before = after
	}
}

// plan prices the file system (Standard and Infrequent Access for the model's filesGB), counts its
// other types as free, and says the stack keeps its files when a zone is lost (Regional EFS) — but
// not a file system with mount targets in the lost zone only.
func TestFilesInsights(t *testing.T) {
	s := filesOn(t)
	prices, err := insights.Prices()
	require.NoError(t, err)
	model := insights.DefaultCostModel(10_000)
	cost, err := insights.EstimateCost(s.Resources, model, prices)
	require.NoError(t, err)
	for _, typ := range cost.Unknown {
		assert.False(t, strings.HasPrefix(typ, "aws:efs/"), "%s is not priced", typ)
	}
	fsURN := s.Named(filesTypeFS, "files-fs").URN
	var ids []string
	var usd float64
	for _, r := range cost.Resources {
		if r.URN == fsURN {
			for _, l := range r.Lines {
				ids = append(ids, l.PriceID)
			}
			usd = r.MonthlyUSD
		}
	}
	assert.Equal(t, []string{"efs.standard.gb_month", "efs.ia.gb_month"}, ids)
	assert.InDelta(t, model.FilesGB*0.5*0.30+model.FilesGB*0.5*0.016, usd, 1e-9)

	for zone, zl := range insights.AZLoss(s.Resources) {
		v, ok := zl.Checks["files"]
		require.True(t, ok, "%s: a files verdict", zone)
		assert.True(t, v.Survives, "%s: %s", zone, v.Why)
	}
	// The same file system with one mount target left, in us-east-1a: losing that zone loses it.
	var one []synth.Resource
	for _, r := range s.Resources {
		if r.Type == filesTypeMount && r.Name != "files-mount-0" {
			continue
		}
		one = append(one, r)
	}
	v := insights.AZLoss(one)["us-east-1a"].Checks["files"]
	assert.False(t, v.Survives, "mount targets in the lost zone only: %s", v.Why)
	assert.True(t, insights.AZLoss(one)["us-east-1b"].Checks["files"].Survives)
}
