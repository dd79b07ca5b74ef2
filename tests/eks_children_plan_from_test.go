package tests

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tierstack/tierstack/cli"
	"github.com/tierstack/tierstack/insights"
	"github.com/tierstack/tierstack/synth"
	"github.com/tierstack/tierstack/tiers"
)

// 10k → 100k creates pulumi-eks's children, says they are pulumi-eks's, prices the control plane
// once (on the EKS cluster, not the component) and times them; 100k → 1m keeps them all.
func TestPlanFromListsPulumiEKSChildren(t *testing.T) {
	fromDoc := func(args ...string) (int, fromDocument) {
		code, out, stderr := runPlan(append(args, "--format", "json")...)
		var doc fromDocument
		require.NoError(t, json.Unmarshal([]byte(out), &doc), stderr)
		return code, doc
	}
	_, up := fromDoc("--tier", "100k", "--from", "10k")
	changes := map[string]synth.Change{}
	for _, c := range up.Changes {
		changes[c.Type+" "+c.Name] = c
	}
	for _, c := range eksChildren {
		ch, ok := changes[c.typ+" "+c.name]
		if assert.True(t, ok, "10k → 100k lists %s", c.name) {
			assert.Equal(t, synth.Create, ch.Action, c.name)
			assert.Equal(t, synth.EKSPackage, ch.RegisteredBy, c.name)
		}
	}
	assertControlPlanePricedOnce(t, up.Cost)
	touched := 0
	for _, c := range up.Changes {
		if c.Action != synth.Delete && !strings.HasPrefix(c.Type, "tierstack:") && !strings.HasPrefix(c.Type, "pulumi:providers:") {
			touched++
		}
	}
	assert.Equal(t, touched, up.Deploy.Resources, "the estimate times what the change creates, pulumi-eks's children included")

	code, grow := fromDoc("--tier", "1m", "--from", "100k")
	require.Equal(t, cli.ExitOK, code)
	for _, c := range grow.Changes {
		assert.Empty(t, c.RegisteredBy, "100k → 1m touches %s %s of pulumi-eks's", c.Action, c.Name)
	}
	assertControlPlanePricedOnce(t, grow.Cost)
}

// fromDocument is the part of `plan --from --format json` these tests read.
type fromDocument struct {
	Changes []synth.Change  `json:"changes"`
	Cost    insights.Cost   `json:"cost"`
	Deploy  insights.Deploy `json:"deploy"`
}

// assertControlPlanePricedOnce checks that the EKS cluster carries the control plane's hour and
// the component nothing.
func assertControlPlanePricedOnce(t *testing.T, c insights.Cost) {
	t.Helper()
	planes := 0
	for _, rc := range c.Resources {
		for _, l := range rc.Lines {
			if l.PriceID == "eks.cluster.hour" {
				planes++
				assert.Equal(t, eksTypeAWSCluster, rc.Type, "the control plane is priced on the EKS cluster")
			}
		}
		if rc.Type == eksTypeCluster {
			assert.NotEmpty(t, rc.Free, "the component carries no cost of its own")
		}
	}
	assert.Equal(t, 1, planes, "one control plane")
}

// The web tier's own deploy chain at 100k runs through the EKS cluster's creation (about ten
// minutes): the nodes, add-ons and app wait for it.
func TestEKSClusterCreationIsOnTheWebTiersChain(t *testing.T) {
	s := planTier(t, tierConfig(tiers.Tier100k))
	web := s.Named("tierstack:index:WebTier", "web")
	byURN := map[string]synth.Resource{}
	for _, r := range s.Resources {
		byURN[r.URN] = r
	}
	only := map[string]bool{}
	for _, r := range s.Resources {
		for p := r.Parent; p != ""; p = byURN[p].Parent {
			if p == web.URN {
				only[r.URN] = true
				break
			}
		}
	}
	durations, err := insights.Durations()
	require.NoError(t, err)
	d, err := insights.EstimateDeploy(s.Resources, durations, only)
	require.NoError(t, err)
	cluster := s.Named(eksTypeAWSCluster, "web-eks-eksCluster")
	assert.Contains(t, d.Chain, cluster.URN, "the web tier's chain: %v", d.Chain)
	assert.GreaterOrEqual(t, d.CriticalPathSeconds, durations.Types[eksTypeAWSCluster].Seconds+durations.Types[eksTypeNodeGroup].Seconds)
}

const eksStack = `config:
  aws:region: us-east-1
  tierstack:tier: 100k
  tierstack:cache: {clusterMode: enabled}
  tierstack:network:
    cidr: %s
    availabilityZones: [%s]
`

// A new VPC range at 100k: pulumi-eks's node group and rules are replaced and the EKS cluster's
// vpcConfig is updated in place, which EKS refuses (a cluster cannot move to another VPC), so the
// check exits 3 naming the cluster. So does a subnet in a zone the cluster was not created in.
func TestVPCRangeChangeAt100kIsRefusedAtTheEKSCluster(t *testing.T) {
	dir := t.TempDir()
	stackFile := writeStackFile(t, dir, "prod", sprintf(eksStack, "10.30.0.0/16", "us-east-1a, us-east-1b, us-east-1c"))
	last := savePlan(t, dir, "--config", stackFile)

	code, out, stderr := runPlan("--config", stackFile, "--from", last)
	require.Equal(t, cli.ExitOK, code, stderr+out)

	writeStackFile(t, dir, "prod", sprintf(eksStack, "10.31.0.0/16", "us-east-1a, us-east-1b, us-east-1c"))
	code, out, stderr = runPlan("--config", stackFile, "--from", last)
	assert.Equal(t, cli.ExitUnsafe, code, stderr)
	assert.Regexp(t, `\+- replace\s+ec2\.SecurityGroup\s+web-eks-nodeSecurityGroup\s+replaced by a change to vpcId; registered by pulumi-eks 2\.8\.1`, out)
	assert.Regexp(t, `\+- replace\s+ec2\.SecurityGroupRule\s+web-eks-eksClusterIngressRule\s+replaced by a change to securityGroupId, sourceSecurityGroupId`, out)
	assert.Contains(t, out, "  update eks.Cluster web-eks-eksCluster (refused by AWS: vpcConfig: the cluster's subnets and security groups move to another VPC (network-vpc is a new VPC)")

	writeStackFile(t, dir, "prod", sprintf(eksStack, "10.30.0.0/16", "us-east-1a, us-east-1b, us-east-1d"))
	code, out, _ = runPlan("--config", stackFile, "--from", last)
	assert.Equal(t, cli.ExitUnsafe, code)
	assert.Regexp(t, regexp.QuoteMeta("update eks.Cluster web-eks-eksCluster (refused by AWS: vpcConfig.subnetIds: subnets in us-east-1d, outside the zones the cluster was created with"), out)
	assert.NotContains(t, out, "another VPC")
}
