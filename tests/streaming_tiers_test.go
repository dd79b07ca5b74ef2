package tests

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tierstack/tierstack/components/streaming"
	"github.com/tierstack/tierstack/synth"
	"github.com/tierstack/tierstack/tiers"
)

// streamingConfig is a tier's config with tierstack:streaming set to value.
func streamingConfig(tier tiers.Tier, value string) map[string]string {
	cfg := tierConfig(tier)
	cfg["tierstack:streaming"] = value
	return cfg
}

// No tier builds Kafka unless tierstack:streaming enables it.
func TestStreamingAbsentUnlessConfigured(t *testing.T) {
	for _, tier := range tiers.All() {
		t.Run(string(tier), func(t *testing.T) {
			s := planTier(t, tierConfig(tier))
			assert.Zero(t, s.Count(streamTypeComponent))
			assert.Zero(t, s.Count(streamTypeCluster)+s.Count(streamTypeServerless))
			spec, err := tiers.SpecFor(tier)
			require.NoError(t, err)
			assert.Nil(t, spec.Streaming)
		})
	}
	off := planTier(t, streamingConfig(tiers.Tier1M, `{"enabled":false}`))
	assert.Zero(t, off.Count(streamTypeComponent))
}

// Below 100k, tierstack:streaming is refused with the tier and what is allowed, and so are fields
// without enabled, unknown fields and bad values, before anything is registered.
func TestStreamingConfigRefused(t *testing.T) {
	cases := []struct {
		name string
		cfg  map[string]string
		want []string
	}{
		{"at 100", streamingConfig(tiers.Tier100, `{"enabled":true}`), []string{"tier 100: tierstack:streaming enabled is refused below 100k", "allowed: tier 100k or 1m"}},
		{"at 10k", streamingConfig(tiers.Tier10k, `{"enabled":true}`), []string{"tier 10k: tierstack:streaming", "allowed: tier 100k or 1m"}},
		{"fields without enabled", streamingConfig(tiers.Tier100k, `{"mode":"provisioned"}`), []string{"tierstack:streaming sets fields without \"enabled\": true"}},
		{"unknown field", streamingConfig(tiers.Tier100k, `{"enabled":true,"shards":3}`), []string{"tierstack:streaming", `unknown field "shards"`, "allowed fields: enabled, mode"}},
		{"unknown mode", streamingConfig(tiers.Tier100k, `{"enabled":true,"mode":"express"}`), []string{`tierstack:streaming mode "express" is not known`, "serverless, provisioned"}},
		{"brokers off the zones", streamingConfig(tiers.Tier100k, `{"enabled":true,"mode":"provisioned","brokers":4}`), []string{"tier 100k: tierstack:streaming brokers 4 is not a multiple of the 3 zones"}},
		{"scram on serverless", streamingConfig(tiers.Tier1M, `{"enabled":true,"scram":true}`), []string{"tier 1m: tierstack:streaming scram is set with mode serverless"}},
		{"min ISR too high", streamingConfig(tiers.Tier100k, `{"enabled":true,"mode":"provisioned","minInSyncReplicas":3}`), []string{"minInSyncReplicas 3 is not below the replication factor 3"}},
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
}

// Enabled at 100k, the Streaming sits in the data subnets; the app's pods learn the brokers and the
// IAM mechanism, their role may use the cluster, their security group reaches the IAM port, and the
// stack outputs say where it is.
func TestStreamingWiredToTheApp(t *testing.T) {
	s := planTier(t, streamingConfig(tiers.Tier100k, `{"enabled":true}`))
	c := s.Named(streamTypeServerless, "streaming-cluster")
	assert.ElementsMatch(t, dataSubnetIDs(s, 3), strs(c, "vpcConfigs.0.subnetIds"))
	assert.Equal(t, "serverless", s.Outputs["kafkaMode"])
	assert.Equal(t, outStr(c, "bootstrapBrokersSaslIam"), s.Outputs["kafkaBootstrapBrokers"])

	d := s.Named(eksTypeDeployment, "web-deployment")
	env := map[string]any{}
	for _, e := range input(d, "spec.template.spec.containers.0.env").([]any) {
		m := e.(map[string]any)
		env[m["name"].(string)] = m["value"]
	}
	assert.Equal(t, outStr(c, "bootstrapBrokersSaslIam"), env[streaming.EnvBootstrapBrokers])
	assert.Equal(t, streaming.AuthMechanism, env[streaming.EnvAuth])

	rule := s.Named(typeSGRule, "streaming-allow-web")
	assert.Equal(t, s.Outputs["webSecurityGroupId"], str(rule, "sourceSecurityGroupId"))
	assert.Equal(t, streaming.PortIAM, num(rule, "fromPort"))
	grant := s.Named(streamTypeRolePolicy, "streaming-grant-web")
	podRole := s.Named("aws:iam/role:Role", "web-pod-role")
	assert.Equal(t, outStr(podRole, "name"), str(grant, "role"), "the pods' role (Pod Identity) is granted")
	var doc map[string]any
	require.NoError(t, json.Unmarshal([]byte(str(grant, "policy")), &doc))
	assert.Contains(t, str(grant, "policy"), outStr(c, "arn"))
}

// The tier walk with Kafka on: 100k → 1m replaces nothing and deletes nothing stateful in either
// mode (the provisioned cluster only gains brokers, in place), every MSK type has replacement rules,
// and a change of mode on a running stack is caught as the loss it is.
func TestStreamingTierWalk(t *testing.T) {
	rules := mustRules(t)
	for _, mode := range []string{"serverless", "provisioned"} {
		t.Run(mode, func(t *testing.T) {
			value := `{"enabled":true,"mode":"` + mode + `"}`
			before := planTier(t, streamingConfig(tiers.Tier100k, value))
			after := planTier(t, streamingConfig(tiers.Tier1M, value))
			for _, r := range after.Resources {
				if r.Custom {
					assert.True(t, rules.Knows(r.Type), "no replacement rules for %s", r.Type)
				}
			}
			changes := synth.Diff(before.Plan, after.Plan, rules)
			assert.Empty(t, synth.Unsafe(changes), "nothing stateful is replaced or deleted")
			for _, ch := range changes {
				if ch.Type == streamTypeCluster || ch.Type == streamTypeServerless {
					assert.Equal(t, synth.Update, ch.Action, "%s %s", ch.Type, ch.Name)
					assert.Equal(t, []string{"numberOfBrokerNodes"}, ch.Keys)
				}
				if ch.Type == typeSecretVersion {
					continue // a new version of the same secret, naming the global writer at 1m
				}
				assert.NotEqual(t, synth.Replace, ch.Action, "%s %s is replaced by %v", ch.Type, ch.Name, ch.ReplacedBy)
			}
		})
	}
	serverless := planTier(t, streamingConfig(tiers.Tier1M, `{"enabled":true}`))
	provisioned := planTier(t, streamingConfig(tiers.Tier1M, `{"enabled":true,"mode":"provisioned"}`))
	var lost []string
	for _, ch := range synth.Unsafe(synth.Diff(serverless.Plan, provisioned.Plan, rules)) {
		lost = append(lost, ch.Type)
	}
	assert.Contains(t, lost, streamTypeServerless, "switching mode deletes the serverless cluster and its data: plan --from says so")
}

// A provisioned cluster's Kafka version can go up in place, but a downgrade replaces the cluster and
// a move between ZooKeeper and KRaft is refused, and so is removing brokers.
func TestStreamingClusterChangesTheCheckCatches(t *testing.T) {
	rules := mustRules(t)
	base := planTier(t, streamingConfig(tiers.Tier1M, `{"enabled":true,"mode":"provisioned","kafkaVersion":"3.8.x.kraft"}`))
	cluster := func(before, after stack) synth.Change {
		for _, ch := range synth.Diff(before.Plan, after.Plan, rules) {
			if ch.Type == streamTypeCluster {
				return ch
			}
		}
		t.Fatal("the cluster does not change")
		return synth.Change{}
	}
	up := cluster(base, planTier(t, streamingConfig(tiers.Tier1M, `{"enabled":true,"mode":"provisioned","kafkaVersion":"3.9.x.kraft"}`)))
	assert.Equal(t, synth.Update, up.Action)
	assert.False(t, up.Unsafe)
	down := cluster(base, planTier(t, streamingConfig(tiers.Tier1M, `{"enabled":true,"mode":"provisioned","kafkaVersion":"3.7.x.kraft"}`)))
	assert.Equal(t, synth.Replace, down.Action)
	assert.True(t, down.Unsafe)
	zk := cluster(base, planTier(t, streamingConfig(tiers.Tier1M, `{"enabled":true,"mode":"provisioned","kafkaVersion":"3.9.x"}`)))
	assert.NotEmpty(t, zk.Refused)
	assert.Contains(t, zk.Refused[0], "between ZooKeeper and KRaft")
	fewer := cluster(base, planTier(t, streamingConfig(tiers.Tier1M, `{"enabled":true,"mode":"provisioned","kafkaVersion":"3.8.x.kraft","brokers":3}`)))
	require.NotEmpty(t, fewer.Refused)
	assert.Contains(t, fewer.Refused[0], "brokers 6 → 3")
}

// brokersPerZone sets the brokers in each zone, over the tier's own count; with brokers it is refused.
func TestStreamingBrokersPerZone(t *testing.T) {
	s := planTier(t, streamingConfig(tiers.Tier100k, `{"enabled":true,"mode":"provisioned","brokersPerZone":3}`))
	assert.Equal(t, 9, num(s.Named(streamTypeCluster, "streaming-cluster"), "numberOfBrokerNodes"))
	_, err := runProgram(t, "", streamingConfig(tiers.Tier100k, `{"enabled":true,"mode":"provisioned","brokers":6,"brokersPerZone":2}`), tiers.Program)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "tierstack:streaming brokersPerZone 2 is not allowed with brokers 6")
}
