package tests

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tierstack/tierstack/components/webtier"
)

// A parked WebTier defines its Auto Scaling group at zero (min, max, desired and the capacity
// Pulumi waits for all 0) behind a load balancer that is up, and unparking it is an update in
// place of the same group.
func TestWebTierParkedDefinesTheGroupAtZero(t *testing.T) {
	parked, err := runProgram(t, "us-east-1", nil, webProgram(webtier.Args{Mode: webtier.ModeAutoScaling, Parked: true}))
	require.NoError(t, err)
	asg := parked.Named(typeASG, "web-asg")
	for _, k := range []string{"minSize", "maxSize", "desiredCapacity", "waitForElbCapacity"} {
		assert.EqualValues(t, 0, input(asg, k), k)
	}
	assert.True(t, parked.Has("aws:lb/loadBalancer:LoadBalancer", "web-alb"), "the load balancer is up")
	running, err := runProgram(t, "us-east-1", nil, webProgram(webtier.Args{Mode: webtier.ModeAutoScaling}))
	require.NoError(t, err)
	assert.EqualValues(t, 2, input(running.Named(typeASG, "web-asg"), "minSize"), "not parked: the group runs")
	assert.Equal(t, asg.URN, running.Named(typeASG, "web-asg").URN, "the same group, parked or not")
}

// Parked is refused where there is no group to park, and with schedules, before anything is
// registered.
func TestWebTierParkedRefusals(t *testing.T) {
	cases := map[string]struct {
		args webtier.Args
		want string
	}{
		"mode instance": {webtier.Args{Mode: webtier.ModeInstance, Parked: true}, "webtier: parked is set in mode instance (allowed: mode autoscaling"},
		"mode eks":      {webtier.Args{Mode: webtier.ModeEKS, Parked: true}, "webtier: parked is set in mode eks"},
		"schedules": {webtier.Args{Mode: webtier.ModeAutoScaling, Parked: true, Schedules: []webtier.Schedule{{Name: "up", Cron: "0 1 * * *", Min: 2, Max: 6}}},
			"schedules are set with parked"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			require.ErrorContains(t, c.args.Validate(), c.want)
		})
	}
}
