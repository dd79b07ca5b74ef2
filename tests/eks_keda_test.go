package tests

import (
	"encoding/json"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tierstack/tierstack/cli"
	"github.com/tierstack/tierstack/components/network"
	"github.com/tierstack/tierstack/components/webtier"
	"github.com/tierstack/tierstack/synth"
	"github.com/tierstack/tierstack/tiers"
)

const (
	eksTypeNamespace = "kubernetes:core/v1:Namespace"
	eksTypeHPA       = "kubernetes:autoscaling/v2:HorizontalPodAutoscaler"
)

// KEDA runs on every cluster of mode eks: its chart at the version pinned for the cluster's
// Kubernetes version, in a namespace of its own that enforces Pod Security "restricted", with
// restricted security contexts stated, after the nodes and add-ons; the operator's service account
// is given a role of its own by Pod Identity, trusted by it only and with no permissions, before
// its pods start. Nothing of KEDA below mode eks.
func TestEKSInstallsKEDAWithARoleOfItsOwn(t *testing.T) {
	assert.Zero(t, planTier(t, tierConfig(tiers.Tier10k)).Count(eksTypeRelease), "no KEDA at 10k")
	for _, version := range webtier.KubernetesVersions() {
		t.Run(version, func(t *testing.T) {
			s := planTier(t, webConfig(tiers.Tier100k, `{"eksVersion":"`+version+`"}`, ""))
			var pinned string
			for _, r := range []string{"1.34", "1.35", "1.36"} {
				if r == version {
					pinned = "2.21.1" // KEDA 2.21 is tested on Kubernetes 1.34 to 1.36
				}
			}
			require.NotEmpty(t, pinned, "a KEDA version is checked for %s", version)
			keda := s.Named(eksTypeRelease, "web-keda")
			assert.Equal(t, webtier.KEDAChart, str(keda, "chart"))
			assert.Equal(t, pinned, str(keda, "version"))
			assert.Equal(t, webtier.KEDARepo, str(keda, "repositoryOpts.repo"))
			assert.Equal(t, webtier.KEDANamespace, str(keda, "namespace"))
			assert.Equal(t, true, input(keda, "atomic"))
			assert.Equal(t, webtier.KEDAOperatorAccount, str(keda, "values.serviceAccount.operator.name"))
			for _, part := range []string{"operator", "metricServer", "webhooks"} {
				assert.Equal(t, true, input(keda, "values.podSecurityContext."+part+".runAsNonRoot"), part)
				assert.Equal(t, "RuntimeDefault", str(keda, "values.securityContext."+part+".seccompProfile.type"), part)
				assert.Equal(t, false, input(keda, "values.securityContext."+part+".allowPrivilegeEscalation"), part)
				assert.Equal(t, []string{"ALL"}, strs(keda, "values.securityContext."+part+".capabilities.drop"), part)
				assert.Equal(t, "100m", str(keda, "values.resources."+part+".requests.cpu"), part)
			}

			ns := s.Named(eksTypeNamespace, "web-keda-namespace")
			assert.Equal(t, webtier.KEDANamespace, str(ns, "metadata.name"))
			labels, _ := input(ns, "metadata.labels").(map[string]any)
			assert.Equal(t, webtier.PodSecurityLevel, labels["pod-security.kubernetes.io/enforce"])

			role := s.Named(typeRole, "web-keda-role")
			var trust struct {
				Statement []struct{ Condition map[string]map[string]string }
			}
			require.NoError(t, json.Unmarshal([]byte(str(role, "assumeRolePolicy")), &trust))
			tags := trust.Statement[0].Condition["StringEquals"]
			assert.Equal(t, webtier.KEDANamespace, tags["aws:RequestTag/kubernetes-namespace"])
			assert.Equal(t, webtier.KEDAOperatorAccount, tags["aws:RequestTag/kubernetes-service-account"])
			assert.False(t, s.Has(typeRolePolicy, "web-keda-role"), "no permissions of its own")
			for _, a := range s.All(typeRolePolicyAttach) {
				assert.NotEqual(t, role.Outputs["name"], input(a, "role"), "no managed policy on KEDA's role")
			}
			identity := s.Named(eksTypeIdentity, "web-keda-identity")
			assert.Equal(t, role.Outputs["arn"], input(identity, "roleArn"))
			assert.Equal(t, webtier.KEDANamespace, str(identity, "namespace"))
			assert.Equal(t, webtier.KEDAOperatorAccount, str(identity, "serviceAccount"))

			assert.Subset(t, keda.Dependencies, []string{identity.URN, ns.URN}, "the role is given before the operator starts")
			for _, g := range s.All(eksTypeNodeGroup) {
				assert.Contains(t, keda.Dependencies, g.URN, "KEDA starts on running nodes")
			}
		})
	}
}

// The Workloads hand a composing program KEDA's release (to wait for) and the operator role's name
// (to attach a scaler's reads to), and KEDAOperatorAuth is the TriggerAuthentication that makes a
// scaler use that role: podIdentity provider aws, no roleArn.
func TestEKSWorkloadsNameKEDA(t *testing.T) {
	var w *webtier.WebTier
	s, err := runProgram(t, "us-east-1", nil, func(ctx *pulumi.Context) (pulumi.Map, error) {
		net, err := network.New(ctx, "net", &network.Args{AvailabilityZones: cacheZones})
		if err != nil {
			return nil, err
		}
		if w, err = webtier.New(ctx, "web", &webtier.Args{Network: net, Mode: webtier.ModeEKS}); err != nil {
			return nil, err
		}
		return pulumi.Map{"kedaRole": w.Workloads.KEDARoleName}, nil
	})
	require.NoError(t, err)
	require.NotNil(t, w.Workloads)
	require.NotNil(t, w.Workloads.KEDA)
	assert.Equal(t, s.Named(typeRole, "web-keda-role").Outputs["name"], s.Plan.Outputs["kedaRole"])
	assert.Equal(t, map[string]any{"podIdentity": map[string]any{"provider": "aws"}}, webtier.KEDAOperatorAuth())
}

// The app is scaled by a KEDA ScaledObject in place of the HorizontalPodAutoscaler: the Deployment
// it names, the app's bounds, the cpu trigger; it waits for KEDA, and the Deployment still leaves
// its replica count to the autoscaler.
func TestEKSScaledObjectReplacesTheHPA(t *testing.T) {
	s := planTier(t, tierConfig(tiers.Tier100k))
	assert.Zero(t, s.Count(eksTypeHPA), "KEDA makes and owns the HPA")
	so := s.Named(eksTypeScaler, "web-scaler")
	assert.Equal(t, "app", str(so, "metadata.namespace"))
	assert.Equal(t, "Deployment", str(so, "spec.scaleTargetRef.kind"))
	assert.Equal(t, "app", str(so, "spec.scaleTargetRef.name"))
	assert.Equal(t, 3, num(so, "spec.minReplicaCount"))
	assert.Equal(t, 12, num(so, "spec.maxReplicaCount"))
	triggers := input(so, "spec.triggers").([]any)
	require.Len(t, triggers, 1, "no peak, no cron trigger")
	assert.Equal(t, map[string]any{"type": "cpu", "metricType": "Utilization", "metadata": map[string]any{"value": "50"}}, triggers[0])
	assert.Contains(t, so.Dependencies, s.Named(eksTypeRelease, "web-keda").URN)
	assert.Contains(t, so.Dependencies, s.Named(eksTypeDeployment, "web-deployment").URN)
	assert.Equal(t, []string{"spec.replicas"}, s.Named(eksTypeDeployment, "web-deployment").IgnoreChanges)
}

// eksPeak is a flash sale at 2 pm in Paris on EKS: 9 pods from 13:30, the app's own bounds from 16:00.
const eksPeak = `{"schedules":[` +
	`{"name":"sale-up","cron":"30 13 * * MON-FRI","timeZone":"Europe/Paris","min":6,"desired":9},` +
	`{"name":"sale-down","cron":"0 16 * * MON-FRI","timeZone":"Europe/Paris"}]}`

// On EKS a peak is a KEDA cron window from the schedule that raises it to the next, at the raised
// count, in its zone; and on each zone's node group's Auto Scaling group, a scheduled action per
// schedule raises the minimum to the nodes the peak's pods need (9 pods over 3 zones, one 1-vCPU pod
// per m7g.large node: 3) and puts the node group's own back, leaving desired and max alone.
func TestEKSSchedulesAreCronWindowsAndNodeGroupActions(t *testing.T) {
	s := planTier(t, webConfig(tiers.Tier100k, eksPeak, ""))
	assert.Equal(t, 6, s.Count(webTypeSchedule), "two schedules on each of three node groups")
	triggers := input(s.Named(eksTypeScaler, "web-scaler"), "spec.triggers").([]any)
	require.Len(t, triggers, 2)
	assert.Equal(t, map[string]any{"type": "cron", "name": "sale-up", "metadata": map[string]any{
		"timezone": "Europe/Paris", "start": "30 13 * * MON-FRI", "end": "0 16 * * MON-FRI", "desiredReplicas": "9",
	}}, triggers[1])

	groups := s.All(eksTypeNodeGroup)
	require.Len(t, groups, 3)
	for i := range groups {
		up := s.Named(webTypeSchedule, sprintf("web-nodes-schedule-sale-up-%d", i))
		down := s.Named(webTypeSchedule, sprintf("web-nodes-schedule-sale-down-%d", i))
		group := s.Named(eksTypeNodeGroup, sprintf("web-nodes-%d", i))
		asg := group.Outputs["resources"].([]any)[0].(map[string]any)["autoscalingGroups"].([]any)[0].(map[string]any)["name"]
		for _, a := range []synth.Resource{up, down} {
			assert.Equal(t, asg, input(a, "autoscalingGroupName"), "%s: on the node group's own Auto Scaling group", a.Name)
			assert.Equal(t, "Europe/Paris", str(a, "timeZone"))
			assert.Equal(t, -1, num(a, "maxSize"), "the node group's max stays")
			assert.Equal(t, -1, num(a, "desiredCapacity"), "the Cluster Autoscaler's count stays")
		}
		assert.Equal(t, "sale-up", str(up, "scheduledActionName"))
		assert.Equal(t, "30 13 * * MON-FRI", str(up, "recurrence"))
		assert.Equal(t, 3, num(up, "minSize"), "9 pods, 3 a zone, 1 a node")
		assert.Equal(t, "0 16 * * MON-FRI", str(down, "recurrence"))
		assert.Equal(t, 1, num(down, "minSize"), "the node group's own min")
	}
}

// How many nodes a zone needs for a peak: its share of the pods over the pods a node holds, within
// the node group's bounds.
func TestPeakNodesPerZone(t *testing.T) {
	nodes := webtier.NodeCount{Min: 1, Desired: 1, Max: 12}
	cases := []struct {
		name             string
		pods, zones, cpu int
		instanceType     string
		bounds           webtier.NodeCount
		want             int
	}{
		{"one pod a large node", 9, 3, 1000, "m7g.large", nodes, 3},
		{"an uneven share rounds up", 10, 3, 1000, "m7g.large", nodes, 4},
		{"three small pods a xlarge node", 12, 2, 1000, "m7g.xlarge", nodes, 2},
		{"never below the group's min", 1, 3, 250, "m7g.large", webtier.NodeCount{Min: 2, Max: 12}, 2},
		{"never above its max", 90, 3, 1000, "m7g.large", nodes, 12},
		{"an unknown size counts a pod a node", 6, 3, 250, "m7g.metal", nodes, 2},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := webtier.PeakNodesPerZone(c.pods, c.zones, c.cpu, c.instanceType, c.bounds); got != c.want {
				t.Errorf("PeakNodesPerZone(%d, %d, %d, %s, %+v) = %d, want %d", c.pods, c.zones, c.cpu, c.instanceType, c.bounds, got, c.want)
			}
		})
	}
}

// A list the two modes cannot both carry out is refused in both, before anything is registered: a
// peak raised and never ended, one ended in another time zone or at its own start, an end that
// sets a count.
func TestSchedulesThatAreNoPeakAreRefusedInBothModes(t *testing.T) {
	cases := []struct{ name, web string }{
		{"raised, not ended", `{"schedules":[{"name":"up","cron":"0 13 * * *","min":6}]}`},
		{"two raises in a row", `{"schedules":[{"name":"up","cron":"0 13 * * *","min":6},{"name":"up2","cron":"0 14 * * *","min":5},{"name":"down","cron":"0 16 * * *"}]}`},
		{"ended in another zone", `{"schedules":[{"name":"up","cron":"0 13 * * *","timeZone":"Europe/Paris","min":6},{"name":"down","cron":"0 16 * * *","timeZone":"Europe/London"}]}`},
		{"ended at its start", `{"schedules":[{"name":"up","cron":"0 13 * * *","min":6},{"name":"down","cron":"0  13 * * *"}]}`},
		{"an end with a count", `{"schedules":[{"name":"up","cron":"0 13 * * *","min":6},{"name":"down","cron":"0 16 * * *","desired":4}]}`},
	}
	want := map[string][]string{
		"raised, not ended":     {`schedule "up" raises min to 6`, "not followed by the schedule that ends its peak"},
		"two raises in a row":   {`schedule "up" raises min to 6`, "next schedule in the list"},
		"ended in another zone": {`schedule "down" timeZone "Europe/London"`, `"Europe/Paris"`, "same time zone"},
		"ended at its start":    {`schedule "down" cron "0  13 * * *"`, "another time"},
		"an end with a count":   {`schedule "down" desired 4`, "ends a peak", "allowed: 0"},
	}
	for _, c := range cases {
		for _, tier := range []tiers.Tier{tiers.Tier10k, tiers.Tier100k} {
			t.Run(c.name+" at "+string(tier), func(t *testing.T) {
				s, err := runProgram(t, "", webConfig(tier, c.web, ""), tiers.Program)
				require.Error(t, err)
				assert.Contains(t, err.Error(), "tierstack:web")
				for _, w := range want[c.name] {
					assert.Contains(t, err.Error(), w)
				}
				assert.Empty(t, s.Resources, "nothing may be registered before the config is checked")
			})
		}
	}
}

// PeakWindows pairs each raise with the schedule after it, at the larger of its min and desired.
func TestPeakWindows(t *testing.T) {
	got := webtier.PeakWindows([]webtier.Schedule{
		{Name: "reset", Cron: "0 0 * * *", TimeZone: "Etc/UTC", Min: 2},
		{Name: "up", Cron: "30  13 * * *", TimeZone: "Europe/Paris", Min: 6},
		{Name: "down", Cron: "0 16 * * *", TimeZone: "Europe/Paris", Min: 2},
		{Name: "night", Cron: "0 20 * * SAT", TimeZone: "Etc/UTC", Min: 4, Desired: 5},
		{Name: "night-end", Cron: "0 23 * * SAT", TimeZone: "Etc/UTC", Min: 2},
	}, 2)
	assert.Equal(t, []webtier.PeakWindow{
		{Name: "up", Start: "30 13 * * *", End: "0 16 * * *", TimeZone: "Europe/Paris", Replicas: 6},
		{Name: "night", Start: "0 20 * * SAT", End: "0 23 * * SAT", TimeZone: "Etc/UTC", Replicas: 5},
	}, got)
}

// peakStack is a stack whose schedules hold at every tier: min 6 fits 10k (2 to 6) and 100k (3 to
// 12), the end and max take the group's own.
const peakStack = `config:
  aws:region: us-east-1
  tierstack:tier: %s
  tierstack:domain: app.example.com
  tierstack:hostedZoneId: Z0123456789EXAMPLE01
  tierstack:network:
    availabilityZones: [us-east-1a, us-east-1b, us-east-1c]
  tierstack:cache: {clusterMode: enabled}
  tierstack:web:
    schedules:
      - {name: sale-up, cron: "30 13 * * MON-FRI", timeZone: Europe/Paris, min: 6}
      - {name: sale-down, cron: "0 16 * * MON-FRI", timeZone: Europe/Paris}
%s`

// 10k → 100k → 1m with schedules: the config stays valid, the check passes (nothing stateful
// replaced or deleted), and the group's scheduled actions give way to the node groups' and the
// cron window.
func TestSchedulesKeepWorkingFrom10kTo1m(t *testing.T) {
	dir := t.TempDir()
	stackFile := writeStackFile(t, dir, "ci", sprintf(peakStack, "10k", ""))
	last := savePlan(t, dir, "--config", stackFile)
	dr := "  tierstack:drRegion: us-west-2\n  tierstack:dr: {availabilityZones: [us-west-2a, us-west-2b, us-west-2c]}\n"
	for _, step := range [][2]string{{"100k", ""}, {"1m", dr}} {
		tier := step[0]
		writeStackFile(t, dir, "ci", sprintf(peakStack, tier, step[1]))
		code, out, stderr := runPlan("--config", stackFile, "--from", last)
		require.Equal(t, cli.ExitOK, code, "to %s: %s%s", tier, out, stderr)
		last = savePlan(t, dir, "--config", stackFile)
	}
	s := planTier(t, webConfig(tiers.Tier1M, `{"schedules":[{"name":"sale-up","cron":"30 13 * * MON-FRI","timeZone":"Europe/Paris","min":6},{"name":"sale-down","cron":"0 16 * * MON-FRI","timeZone":"Europe/Paris"}]}`, ""))
	assert.False(t, s.Has(webTypeSchedule, "web-schedule-sale-up"), "no group at 1m")
	assert.True(t, s.Has(webTypeSchedule, "web-nodes-schedule-sale-up-0"))
}

// Workers on the cluster scale with the KEDA the web tier installs: their scaler's grant lands on
// KEDA's operator role (its only permission), and their TriggerAuthentication and ScaledObject wait
// for KEDA's release.
func TestWorkersOnEKSUseKEDAsOperatorRole(t *testing.T) {
	cfg := tierConfig(tiers.Tier100k)
	cfg["tierstack:workers"] = `{"enabled":true,"image":"public.ecr.aws/docker/library/busybox:1.36","min":0}`
	s := planTier(t, cfg)
	role := s.Named(typeRole, "web-keda-role")
	var grants []string
	for _, p := range s.All(typeRolePolicy) {
		if input(p, "role") == role.Outputs["name"] {
			grants = append(grants, p.Name)
			assert.Contains(t, str(p, "policy"), `"sqs:GetQueueAttributes"`)
		}
	}
	assert.Equal(t, []string{"workers-scaler"}, grants, "the queue's read, attached by the Workers, is KEDA's only grant")
	keda := s.Named(eksTypeRelease, "web-keda").URN
	for _, typ := range []string{eksTypeScaler, "kubernetes:keda.sh/v1alpha1:TriggerAuthentication"} {
		for _, r := range s.All(typ) {
			assert.Contains(t, r.Dependencies, keda, "%s waits for KEDA", r.Name)
		}
	}
}
