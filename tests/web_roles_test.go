package tests

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tierstack/tierstack/components/webtier"
	"github.com/tierstack/tierstack/synth"
	"github.com/tierstack/tierstack/tiers"
)

// During 10k → 100k the Auto Scaling group keeps launching instances with web-role for as long as
// it exists: the role's trust never changes (it goes, untouched, with the group at the end of the
// move), and the pods get a role of their own, web-pod-role, which their Pod Identity association
// names.
func TestWebRoleKeepsItsTrustDuringTheMoveToEKS(t *testing.T) {
	before := planTier(t, tierConfig(tiers.Tier10k))
	after := planTier(t, tierConfig(tiers.Tier100k))
	changes := diffOf(t, before.Plan, after.Plan)

	role := before.Named(typeRole, "web-role")
	c, changed := changes[role.URN]
	require.True(t, changed, "web-role goes with the group at the end of the move")
	assert.Equal(t, synth.Delete, c.Action, "web-role is deleted, never updated")
	assert.NotContains(t, c.Keys, "assumeRolePolicy")
	assert.False(t, after.Has(typeRole, "web-role"))

	pods := after.Named(typeRole, "web-pod-role")
	assert.Equal(t, synth.Create, changes[pods.URN].Action)
	assert.Contains(t, str(pods, "assumeRolePolicy"), `"pods.eks.amazonaws.com"`)
	assert.NotContains(t, str(pods, "assumeRolePolicy"), `"ec2.amazonaws.com"`)
	var app synth.Resource
	for _, a := range after.All(eksTypeIdentity) {
		if str(a, "serviceAccount") == webtier.AppServiceAccount && str(a, "namespace") == webtier.AppNamespace {
			app = a
		}
	}
	require.NotEmpty(t, app.URN, "the app's service account has a Pod Identity association")
	assert.Equal(t, pods.Outputs["arn"], input(app, "roleArn"), "the pods run with web-pod-role")

	// The grants the instances use stay as they were until the group is gone.
	for _, name := range []string{"web-secrets", "web-ssm"} {
		grant := before.Named(typeRolePolicy, name)
		assert.Equal(t, synth.Delete, changes[grant.URN].Action, "%s goes with the group", name)
	}
	assert.Equal(t, str(before.Named(typeRolePolicy, "web-secrets"), "policy"), str(after.Named(typeRolePolicy, "web-pod-secrets"), "policy"),
		"the pods read the same secrets as the instances did")
	assert.Equal(t, after.Named(typeRole, "web-pod-role").ID, str(after.Named(typeRolePolicy, "web-pod-secrets"), "role"))
}

// The instances' IMDS hop limit is 2: the app's container gets the instances' role knowingly. The
// role therefore holds nothing the app may not do: Session Manager's documented minimum instead
// of AmazonSSMManagedInstanceCore (no ssm:GetParameter* on *), the app's own secrets, and its
// image. EKS nodes keep a hop limit of 1.
func TestInstanceRoleHoldsNothingTheAppMayNotDo(t *testing.T) {
	allowed := []string{
		"ssm:UpdateInstanceInformation", "ssmmessages:CreateControlChannel", "ssmmessages:CreateDataChannel",
		"ssmmessages:OpenControlChannel", "ssmmessages:OpenDataChannel",
		"secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret", "kms:Decrypt",
		"ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:BatchCheckLayerAvailability", "ecr:GetAuthorizationToken",
	}
	private := `{"image":"123456789012.dkr.ecr.us-east-1.amazonaws.com/shop:1.4"}`
	for _, tier := range []tiers.Tier{tiers.Tier100, tiers.Tier10k} {
		t.Run(string(tier), func(t *testing.T) {
			s := planTier(t, webConfig(tier, "", private))
			role := s.Named(typeRole, "web-role")
			for _, a := range s.All(typeRolePolicyAttach) {
				assert.NotEqual(t, role.Outputs["name"], input(a, "role"), "%s: no managed policy on the instances' role", a.Name)
			}
			var actions []string
			for _, p := range s.All(typeRolePolicy) {
				if input(p, "role") != role.ID {
					continue
				}
				var doc struct {
					Statement []struct{ Action any }
				}
				require.NoError(t, json.Unmarshal([]byte(str(p, "policy")), &doc), p.Name)
				for _, st := range doc.Statement {
					actions = append(actions, listOf(st.Action)...)
				}
			}
			assert.Subset(t, allowed, actions, "every action of the instances' role is one the app may take")
			assert.Contains(t, actions, "ssmmessages:OpenDataChannel", "Session Manager still works")
			for _, a := range actions {
				assert.False(t, strings.HasPrefix(a, "ssm:GetParameter"), "%s is not the app's", a)
			}
			var ssm struct {
				Statement []struct {
					Action   []string
					Resource string
				}
			}
			require.NoError(t, json.Unmarshal([]byte(str(s.Named(typeRolePolicy, "web-ssm"), "policy")), &ssm))
			require.Len(t, ssm.Statement, 1)
			assert.ElementsMatch(t, allowed[:5], ssm.Statement[0].Action, "Session Manager's documented minimum")

			if tier == tiers.Tier100 {
				assert.Equal(t, webtier.InstanceHopLimit, num(s.Named(typeInstance, "web-server"), "metadataOptions.httpPutResponseHopLimit"))
			} else {
				assert.Equal(t, webtier.InstanceHopLimit, num(s.Named(webTypeLT, "web-lt"), "metadataOptions.httpPutResponseHopLimit"))
			}
		})
	}
	assert.Equal(t, 2, webtier.InstanceHopLimit, "the app's container, one hop behind Docker's bridge, reaches IMDS")

	eks := planTier(t, tierConfig(tiers.Tier100k))
	nodes := 0
	for _, lt := range eks.All(webTypeLT) {
		nodes++
		assert.Equal(t, 1, num(lt, "metadataOptions.httpPutResponseHopLimit"), "%s: pods never reach the node's role", lt.Name)
	}
	assert.NotZero(t, nodes)
}
