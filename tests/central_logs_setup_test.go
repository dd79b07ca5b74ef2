package tests

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/lambda"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tierstack/tierstack/components/observability"
	"github.com/tierstack/tierstack/synth"
	"github.com/tierstack/tierstack/tiers"
)

const typeInvocation = "aws:lambda/invocation:Invocation"

// setupInput decodes the central logs setup's invocation input.
func setupInput(t *testing.T, s stack) observability.SetupInput {
	t.Helper()
	var in observability.SetupInput
	require.NoError(t, json.Unmarshal([]byte(str(s.Named(typeInvocation, "observability-logs-setup-run"), "input")), &in))
	return in
}

// logsPolicyDoc is an IAM or resource policy, each statement's fields as JSON gives them.
type logsPolicyDoc struct {
	Statement []map[string]any
}

// logsPolicy decodes a policy document.
func logsPolicy(t *testing.T, doc string) logsPolicyDoc {
	t.Helper()
	var p logsPolicyDoc
	require.NoError(t, json.Unmarshal([]byte(doc), &p), doc)
	return p
}

// logsValues returns a statement field (a string or a list of strings) as a list.
func logsValues(v any) []string {
	switch x := v.(type) {
	case string:
		return []string{x}
	case []any:
		var out []string
		for _, e := range x {
			s, _ := e.(string)
			out = append(out, s)
		}
		return out
	}
	return nil
}

// From 100k a setup function, invoked by Pulumi, gives the domain a retention policy for the daily
// logs-* indices with the stack's logRetentionDays, an index template and the writer role mapped to
// the shipper's IAM role; it runs once the domain and the rule admitting it exist.
func TestCentralLogsSetupGivesTheIndicesARetention(t *testing.T) {
	for _, tier := range []tiers.Tier{tiers.Tier100k, tiers.Tier1M} {
		s := planTier(t, tierConfig(tier))
		in := setupInput(t, s)
		shipperLogs := s.Named(typeLogGroup, "observability-logs-shipper-logs")
		assert.Equal(t, num(shipperLogs, "retentionInDays"), in.RetentionDays, "tier %s: the logs in OpenSearch live as long as in CloudWatch", tier)
		assert.Equal(t, observability.RetentionPolicy, in.Policy)
		assert.Equal(t, observability.LogsTemplate, in.Template)
		assert.Equal(t, observability.WriterRole, in.Role)
		assert.Equal(t, []string{s.Named(typeRole, "observability-logs-shipper-role").Outputs["arn"].(string)}, in.Writers)
		assert.Equal(t, 1, in.Replicas)
		nodes := num(s.Named(typeDomain, "observability-logs"), "clusterConfig.instanceCount")
		assert.LessOrEqual(t, in.Shards*(in.Replicas+1), nodes, "tier %s: a day's shards fit one per data node", tier)
		assert.NotEmpty(t, in.Code)

		run := s.Named(typeInvocation, "observability-logs-setup-run")
		fn := s.Named(typeFunction, "observability-logs-setup")
		assert.Equal(t, fn.Outputs["name"], str(run, "functionName"))
		assert.Equal(t, observability.SetupLifecycleScope, str(run, "lifecycleScope"), "CRUD: a changed input runs it again, in place")
		assert.Contains(t, run.DependsOn, s.Named(typeDomain, "observability-logs").URN)
		rule := s.Named(typeSGRule, "observability-logs-allow-setup")
		assert.Contains(t, run.DependsOn, rule.URN, "the function reaches the domain before it runs")
		assert.Equal(t, 443, num(rule, "fromPort"))
		assert.Equal(t, s.Named(typeSecurityGroup, "observability-logs-setup-sg").ID, str(rule, "sourceSecurityGroupId"))
		assert.Equal(t, []string{s.Named(typeSecurityGroup, "observability-logs-setup-sg").ID}, strs(fn, "vpcConfig.securityGroupIds"))
		assert.Subset(t, s.Outputs["privateSubnetIds"], toAny(strs(fn, "vpcConfig.subnetIds")), "in the application subnets, as the shipper")
	}
	at10k := planTier(t, tierConfig(tiers.Tier10k))
	assert.False(t, at10k.Has(typeInvocation, "observability-logs-setup-run"), "no domain, no setup")
	assert.False(t, at10k.Has(typeFunction, "observability-logs-setup"), "no domain, no setup function")

	cfg := tierConfig(tiers.Tier100k)
	cfg["tierstack:alarms"] = `{"logRetentionDays":30}`
	assert.Equal(t, 30, setupInput(t, planTier(t, cfg)).RetentionDays, "the setting reaches the domain")
}

// A new retention updates the invocation in plan --from, which runs the setup again in pulumi up
// (lifecycle scope CRUD); nothing else of the domain changes.
func TestCentralLogsRetentionChangeRunsTheSetupAgain(t *testing.T) {
	before := planTier(t, tierConfig(tiers.Tier100k))
	cfg := tierConfig(tiers.Tier100k)
	cfg["tierstack:alarms"] = `{"logRetentionDays":30}`
	after := planTier(t, cfg)
	changes := diffOf(t, before.Plan, after.Plan)
	run := after.Named(typeInvocation, "observability-logs-setup-run")
	c, changed := changes[run.URN]
	require.True(t, changed)
	assert.Equal(t, synth.Update, c.Action)
	assert.Equal(t, []string{"input"}, c.Keys)
	_, domainChanged := changes[after.Named(typeDomain, "observability-logs").URN]
	assert.False(t, domainChanged)
}

// An invocation with the provider's default lifecycle scope (CREATE_ONLY) is replaced when its
// input changes (terraform-provider-aws, customizeDiffInputChangeWithCreateOnlyScope): plan --from
// says so; with CRUD it is updated in place.
func TestInvocationInputChangeReplacesOnlyCreateOnly(t *testing.T) {
	program := func(input, scope string) func(ctx *pulumi.Context) error {
		return func(ctx *pulumi.Context) error {
			args := &lambda.InvocationArgs{FunctionName: pulumi.String("setup"), Input: pulumi.String(input)}
			if scope != "" {
				args.LifecycleScope = pulumi.String(scope)
			}
			_, err := lambda.NewInvocation(ctx, "run", args)
			return err
		}
	}
	for scope, want := range map[string]synth.Action{"": synth.Replace, "CREATE_ONLY": synth.Replace, "CRUD": synth.Update} {
		before := mustRun(t, "us-east-1", program(`{"days":30}`, scope))
		after := mustRun(t, "us-east-1", program(`{"days":90}`, scope))
		c, changed := diffOf(t, before.Plan, after.Plan)[after.Named(typeInvocation, "run").URN]
		require.True(t, changed, "scope %q", scope)
		assert.Equal(t, want, c.Action, "scope %q", scope)
	}
}

// The shipper no longer logs in as the master user: it has no secret to read, signs its bulk
// requests with its own role (which the domain's access policy admits and the setup maps to the
// write-only role), and only the setup function may read the master user's secret.
func TestLogShipperWritesWithItsOwnRole(t *testing.T) {
	s := planTier(t, tierConfig(tiers.Tier100k))
	shipper := s.Named(typeFunction, "observability-logs-shipper")
	env, _ := input(shipper, "environment.variables").(map[string]any)
	assert.NotContains(t, env, "SECRET_ARN")
	assert.Contains(t, env, "ENDPOINT")

	domain := s.Named(typeDomain, "observability-logs")
	domainARN, _ := domain.Outputs["arn"].(string)
	require.NotEmpty(t, domainARN)
	secretARN, _ := s.Named(typeSecret, "observability-logs-master").Outputs["arn"].(string)
	require.NotEmpty(t, secretARN)

	ship := logsPolicy(t, str(s.Named(typeRolePolicy, "observability-logs-shipper-policy"), "policy"))
	var bulk bool
	for _, st := range ship.Statement {
		for _, action := range logsValues(st["Action"]) {
			assert.False(t, strings.HasPrefix(action, "secretsmanager:") || strings.HasPrefix(action, "kms:"), "the shipper may %s", action)
			if action == "es:ESHttpPost" {
				bulk = true
				assert.Equal(t, []string{domainARN + "/_bulk"}, logsValues(st["Resource"]), "bulk requests to this domain only")
			}
		}
		assert.NotContains(t, logsValues(st["Resource"]), secretARN)
	}
	assert.True(t, bulk, "the shipper may post bulk requests to the domain")

	// The domain's access policy admits the shipper's signed requests.
	roleARN, _ := s.Named(typeRole, "observability-logs-shipper-role").Outputs["arn"].(string)
	admitted := false
	for _, st := range logsPolicy(t, str(domain, "accessPolicies")).Statement {
		principal, _ := st["Principal"].(map[string]any)
		who := logsValues(principal["AWS"])
		what := logsValues(st["Action"])
		where := logsValues(st["Resource"])
		if st["Effect"] == "Allow" && (logsHas(who, "*") || logsHas(who, roleARN)) &&
			(logsHas(what, "es:ESHttp*") || logsHas(what, "es:ESHttpPost") || logsHas(what, "es:*")) &&
			(logsHas(where, domainARN+"/*") || logsHas(where, domainARN+"/_bulk")) {
			admitted = true
		}
	}
	assert.True(t, admitted, "the domain's access policy admits the shipper's role")

	// One reader of the master user's secret: the setup function.
	var readers []string
	for _, p := range s.All(typeRolePolicy) {
		if strings.Contains(str(p, "policy"), secretARN) {
			readers = append(readers, p.Name)
		}
	}
	assert.Equal(t, []string{"observability-logs-setup-policy"}, readers)
	setupEnv, _ := input(s.Named(typeFunction, "observability-logs-setup"), "environment.variables").(map[string]any)
	assert.Equal(t, secretARN, setupEnv["SECRET_ARN"])
}

// logsHas reports whether list holds s.
func logsHas(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
