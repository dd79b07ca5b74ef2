package tests

import (
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tierstack/tierstack/components/cachetier"
	"github.com/tierstack/tierstack/components/datatier"
	"github.com/tierstack/tierstack/components/network"
	"github.com/tierstack/tierstack/components/webtier"
	"github.com/tierstack/tierstack/tierstacktest"
)

// backendsProgram builds a Network, a DataTier, a CacheTier and a WebTier in mode, the WebTier wired
// to the other two by wire.
func backendsProgram(mode webtier.Mode, wire func(a *webtier.Args, data *datatier.DataTier, cache *cachetier.CacheTier)) func(ctx *pulumi.Context) error {
	return func(ctx *pulumi.Context) error {
		net, err := network.New(ctx, "net", &network.Args{AvailabilityZones: []string{"us-east-1a", "us-east-1b"}})
		if err != nil {
			return err
		}
		data, err := datatier.New(ctx, "data", &datatier.Args{Network: net})
		if err != nil {
			return err
		}
		cache, err := cachetier.New(ctx, "cache", &cachetier.Args{Network: net})
		if err != nil {
			return err
		}
		a := webtier.Args{Network: net, Mode: mode}
		wire(&a, data, cache)
		_, err = webtier.New(ctx, "web", &a)
		return err
	}
}

// handWired is the wiring Backends replaces: four fields filled by hand, as tiers did.
func handWired(a *webtier.Args, data *datatier.DataTier, cache *cachetier.CacheTier) {
	a.Connection = map[string]pulumi.StringInput{
		"DATABASE_ENGINE":      pulumi.String(string(data.Engine)),
		"DATABASE_HOST":        data.WriterEndpoint,
		"DATABASE_READER_HOST": data.ReaderEndpoint,
		"DATABASE_PORT":        pulumi.Sprintf("%d", data.Port),
		"DATABASE_NAME":        data.DatabaseName,
		"DATABASE_SECRET_ARN":  data.SecretARN,
		"CACHE_PORT":           pulumi.Sprintf("%d", cachetier.Port),
		"CACHE_CLUSTER_MODE":   pulumi.String(string(cache.Mode)),
		"CACHE_SECRET_ARN":     cache.SecretARN,
	}
	if a.Mode == webtier.ModeEKS {
		a.Connection["CACHE_HOST"] = cache.Endpoint
	} else {
		a.ConnectionFromSecrets = map[string]webtier.SecretField{"CACHE_HOST": {ARN: cache.SecretARN, Field: "host"}}
	}
	a.ReadableSecrets = []pulumi.StringInput{data.SecretARN, cache.SecretARN}
	a.SecretKeys = []pulumi.StringInput{data.KMSKeyARN, cache.KMSKeyARN}
}

// One field wires the WebTier to a DataTier and a CacheTier, in every mode exactly as the four
// hand-filled fields did: the same resources with the same inputs (the cache's host read from its
// secret at start in the instance modes, from the group in mode eks).
func TestWebTierBackendsWireInOneStep(t *testing.T) {
	for _, mode := range webtier.Modes() {
		t.Run(string(mode), func(t *testing.T) {
			byHand, err := tierstacktest.Run(backendsProgram(mode, handWired), tierstacktest.Options{})
			require.NoError(t, err)
			oneStep, err := tierstacktest.Run(backendsProgram(mode, func(a *webtier.Args, data *datatier.DataTier, cache *cachetier.CacheTier) {
				a.Backends = []webtier.Backend{data, cache}
			}), tierstacktest.Options{})
			require.NoError(t, err)
			require.Equal(t, len(byHand.Resources), len(oneStep.Resources))
			for i := range byHand.Resources {
				assert.Equal(t, byHand.Resources[i], oneStep.Resources[i])
			}
			grant := "web-secrets"
			if mode == webtier.ModeEKS {
				grant = "web-pod-secrets" // the pods' own role
			}
			secrets := oneStep.AssertNamed(t, typeRolePolicy, grant)
			assert.Contains(t, tierstacktest.Input(secrets, "policy"), "secretsmanager:GetSecretValue")
		})
	}
}

// Two backends of one kind need a prefix each, else the second's variables clash with the first's;
// a bad prefix or a nil backend is refused before anything of the WebTier is registered; the
// caller's maps are left as they were.
func TestWebTierBackendsRefuseClashes(t *testing.T) {
	var secretARNs []string
	two := func(wire func(a *webtier.Args, data, orders *datatier.DataTier)) (*tierstacktest.Stack, *webtier.Args, error) {
		var args webtier.Args
		secretARNs = nil
		s, err := tierstacktest.Run(func(ctx *pulumi.Context) error {
			net, err := network.New(ctx, "net", &network.Args{AvailabilityZones: []string{"us-east-1a", "us-east-1b"}})
			if err != nil {
				return err
			}
			data, err := datatier.New(ctx, "data", &datatier.Args{Network: net})
			if err != nil {
				return err
			}
			orders, err := datatier.New(ctx, "orders", &datatier.Args{Network: net})
			if err != nil {
				return err
			}
			pulumi.All(data.SecretARN, orders.SecretARN).ApplyT(func(v []any) int {
				secretARNs = []string{v[0].(string), v[1].(string)}
				return 0
			})
			args = webtier.Args{Network: net, Mode: webtier.ModeAutoScaling, Connection: map[string]pulumi.StringInput{"FEATURE": pulumi.String("x")}}
			wire(&args, data, orders)
			_, err = webtier.New(ctx, "web", &args)
			return err
		}, tierstacktest.Options{})
		return s, &args, err
	}
	cases := []struct {
		name string
		wire func(a *webtier.Args, data, orders *datatier.DataTier)
		want string
	}{
		{"two of a kind", func(a *webtier.Args, data, orders *datatier.DataTier) { a.Backends = []webtier.Backend{data, orders} },
			"webtier: backends[1] sets DATABASE_ENGINE, which another backend or Connection sets too"},
		{"a bad prefix", func(a *webtier.Args, data, orders *datatier.DataTier) {
			a.Backends = []webtier.Backend{data, webtier.Prefixed("orders", orders)}
		}, `webtier: backends[1] prefix "orders" is not allowed`},
		{"a nil backend", func(a *webtier.Args, data, orders *datatier.DataTier) { a.Backends = []webtier.Backend{data, nil} },
			"webtier: backends[1] is nil"},
		{"a clash with Connection", func(a *webtier.Args, data, orders *datatier.DataTier) {
			a.Connection["DATABASE_HOST"] = pulumi.String("db.internal")
			a.Backends = []webtier.Backend{data}
		}, "webtier: backends[0] sets DATABASE_HOST"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s, _, err := two(c.wire)
			require.Error(t, err)
			assert.Contains(t, err.Error(), c.want)
			s.AssertCount(t, "tierstack:index:WebTier", 0)
		})
	}
	s, args, err := two(func(a *webtier.Args, data, orders *datatier.DataTier) {
		a.Backends = []webtier.Backend{data, webtier.Prefixed("ORDERS", orders)}
	})
	require.NoError(t, err)
	assert.Len(t, args.Connection, 1, "the caller's Connection is left alone")
	assert.Empty(t, args.ReadableSecrets, "and its ReadableSecrets")
	policy, _ := tierstacktest.Input(s.AssertNamed(t, typeRolePolicy, "web-secrets"), "policy").(string)
	require.Len(t, secretARNs, 2)
	for _, arn := range secretARNs {
		assert.Contains(t, policy, arn, "the app may read each DataTier's connection secret")
	}
}

// The WebTier exports its load balancer's ARN suffix, the LoadBalancer dimension of its metrics.
func TestWebTierExportsLoadBalancerARNSuffix(t *testing.T) {
	s, err := runProgram(t, "us-east-1", nil, func(ctx *pulumi.Context) (pulumi.Map, error) {
		net, err := network.New(ctx, "net", &network.Args{AvailabilityZones: []string{"us-east-1a", "us-east-1b"}})
		if err != nil {
			return nil, err
		}
		w, err := webtier.New(ctx, "web", &webtier.Args{Network: net, Mode: webtier.ModeAutoScaling})
		if err != nil {
			return nil, err
		}
		return pulumi.Map{"suffix": w.LoadBalancerARNSuffix}, nil
	})
	require.NoError(t, err)
	lb := s.Named("aws:lb/loadBalancer:LoadBalancer", "web-alb")
	require.NotEmpty(t, lb.Outputs["arnSuffix"])
	assert.Equal(t, lb.Outputs["arnSuffix"], s.Outputs["suffix"])
}
