package drregion

import (
	"strings"
	"testing"

	"github.com/tierstack/tierstack/components/cachetier"
	"github.com/tierstack/tierstack/components/webtier"
)

// Each strategy sizes the DR group as it promises: pilotLight at zero, warmStandby two up to the
// primary's max, activeActive the primary's size; overrides move min and max within the WebTier's
// rules, and bad ones are refused naming the value and what is allowed.
func TestWebReplicasByStrategy(t *testing.T) {
	primary := webtier.Replicas{Min: 6, Max: 30}
	cases := []struct {
		strategy   Strategy
		size       WebSize
		want       webtier.Replicas
		wantParked bool
		wantErr    string
	}{
		{StrategyPilotLight, WebSize{}, webtier.Replicas{}, true, ""},
		{StrategyWarmStandby, WebSize{}, webtier.Replicas{Min: 2, Desired: 2, Max: 30}, false, ""},
		{StrategyActiveActive, WebSize{}, webtier.Replicas{Min: 6, Desired: 6, Max: 30}, false, ""},
		{StrategyWarmStandby, WebSize{Min: 3, Max: 10}, webtier.Replicas{Min: 3, Desired: 3, Max: 10}, false, ""},
		{StrategyPilotLight, WebSize{Min: 2}, webtier.Replicas{}, true, "web min 2 / max 0 are set with strategy pilotLight"},
		{StrategyWarmStandby, WebSize{Min: 1}, webtier.Replicas{}, false, "web min 1 is below 2 (allowed: 2 to max"},
		{StrategyWarmStandby, WebSize{Min: 12, Max: 10}, webtier.Replicas{}, false, "web min 12 is above max 10"},
		{StrategyActiveActive, WebSize{Max: 101}, webtier.Replicas{}, false, "web max 101 is above 100"},
		{StrategyBackupRestore, WebSize{}, webtier.Replicas{}, false, "runs no web tier in the DR region"},
	}
	for _, c := range cases {
		t.Run(string(c.strategy), func(t *testing.T) {
			got, parked, err := c.strategy.WebReplicas(primary, c.size)
			if c.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), c.wantErr) {
					t.Fatalf("err = %v, want %q", err, c.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if parked != c.wantParked {
				t.Errorf("parked = %v, want %v", parked, c.wantParked)
			}
			if !c.wantParked && got != c.want {
				t.Errorf("replicas = %+v, want %+v", got, c.want)
			}
		})
	}
	// A one-server primary (the 100 tier: min 1, max 1) still gets a group of two.
	got, _, err := StrategyActiveActive.WebReplicas(webtier.Replicas{Min: 1, Max: 1}, WebSize{})
	if err != nil || got.Min != 2 || got.Max != 2 {
		t.Errorf("one-server primary: %+v, %v; want a group of 2", got, err)
	}
}

// A private ECR image moves to the DR region's registry of the same account and repository; a
// public one stays; an image of another region's registry is refused.
func TestRegionalImage(t *testing.T) {
	cases := map[string]string{
		"123456789012.dkr.ecr.us-east-1.amazonaws.com/shop:1.4":          "123456789012.dkr.ecr.us-west-2.amazonaws.com/shop:1.4",
		"123456789012.dkr.ecr.us-east-1.amazonaws.com/team/shop@sha256:": "123456789012.dkr.ecr.us-west-2.amazonaws.com/team/shop@sha256:",
		"public.ecr.aws/nginx/nginx-unprivileged:1.27-alpine":            "public.ecr.aws/nginx/nginx-unprivileged:1.27-alpine",
		"ghcr.io/acme/shop:2": "ghcr.io/acme/shop:2",
	}
	for in, want := range cases {
		if got := RegionalImage(in, "us-west-2"); got != want {
			t.Errorf("RegionalImage(%q) = %q, want %q", in, got, want)
		}
	}
	if err := CheckRegionalImage("123456789012.dkr.ecr.us-east-1.amazonaws.com/shop:1", "us-west-2"); err == nil ||
		!strings.Contains(err.Error(), "registry of us-east-1") || !strings.Contains(err.Error(), "us-west-2's registry") {
		t.Errorf("an image of the primary's registry: %v", err)
	}
	for _, ok := range []string{"123456789012.dkr.ecr.us-west-2.amazonaws.com/shop:1", "public.ecr.aws/nginx/nginx:1"} {
		if err := CheckRegionalImage(ok, "us-west-2"); err != nil {
			t.Errorf("%s: %v", ok, err)
		}
	}
}

// A secret's replica has the primary's ARN with the region changed (Secrets Manager User Guide).
func TestRegionalSecretARN(t *testing.T) {
	in := "arn:aws:secretsmanager:us-east-1:123456789012:secret:shop/api-key-a1b2c3"
	want := "arn:aws:secretsmanager:us-west-2:123456789012:secret:shop/api-key-a1b2c3"
	if got := RegionalSecretARN(in, "us-west-2"); got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if got := RegionalSecretARN("not-an-arn", "us-west-2"); got != "not-an-arn" {
		t.Errorf("a non-ARN changed: %q", got)
	}
}

// The DR cache: none without running compute; warmStandby keeps the primary's shards and node
// type with one replica each; activeActive is the primary's; both unprotected; overrides checked.
func TestCacheArgsByStrategy(t *testing.T) {
	primary := &cachetier.Args{Mode: cachetier.ModeEnabled, Shards: 4, ReplicasPerShard: 2, NodeType: "cache.r7g.large"}
	for _, s := range []Strategy{StrategyBackupRestore, StrategyPilotLight} {
		if c, err := s.CacheArgs(primary, CacheSize{}); c != nil || err != nil {
			t.Errorf("%s: a cache %+v, %v", s, c, err)
		}
	}
	warm, err := StrategyWarmStandby.CacheArgs(primary, CacheSize{})
	if err != nil || warm.Shards != 4 || warm.ReplicasPerShard != 1 || warm.NodeType != "cache.r7g.large" || !warm.Unprotected {
		t.Errorf("warmStandby: %+v, %v", warm, err)
	}
	active, err := StrategyActiveActive.CacheArgs(primary, CacheSize{})
	if err != nil || active.Shards != 4 || active.ReplicasPerShard != 2 || !active.Unprotected {
		t.Errorf("activeActive: %+v, %v", active, err)
	}
	sized, err := StrategyWarmStandby.CacheArgs(primary, CacheSize{Shards: 2, Replicas: 2})
	if err != nil || sized.Shards != 2 || sized.ReplicasPerShard != 2 {
		t.Errorf("sized: %+v, %v", sized, err)
	}
	if primary.ReplicasPerShard != 2 {
		t.Error("the primary's arguments changed")
	}
	if _, err := StrategyWarmStandby.CacheArgs(primary, CacheSize{Replicas: 6}); err == nil || !strings.Contains(err.Error(), "cache replicas 6 is out of range (allowed: 1 to 5)") {
		t.Errorf("replicas 6: %v", err)
	}
	disabled := &cachetier.Args{Replicas: 1}
	if _, err := StrategyWarmStandby.CacheArgs(disabled, CacheSize{Shards: 2}); err == nil || !strings.Contains(err.Error(), "cache shards 2 is set and the cache's mode is") {
		t.Errorf("shards on a one-shard cache: %v", err)
	}
	if _, err := StrategyPilotLight.CacheArgs(primary, CacheSize{Shards: 2}); err == nil || !strings.Contains(err.Error(), "runs no cache in the DR region") {
		t.Errorf("a size with pilotLight: %v", err)
	}
}
