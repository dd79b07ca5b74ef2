package webtier

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/lb"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// MaxStickinessSeconds is the longest load-balancer cookie AWS allows: a week. Elastic Load
// Balancing, "Sticky sessions for your Application Load Balancer" (duration-based stickiness:
// "The range is 1 second to 1 week (604,800 seconds)"; the pulumi-aws SDK's TargetGroupStickiness
// cookieDuration says the same).
const MaxStickinessSeconds = 604800

// checkedStickiness checks Args.StickinessSeconds in mode m: off (0), or a cookie duration the load
// balancer accepts in a mode where the cookie pins a request to the copy of the app that serves it.
func checkedStickiness(seconds int, m Mode) error {
	if seconds == 0 {
		return nil
	}
	if seconds < 1 || seconds > MaxStickinessSeconds {
		return fmt.Errorf("webtier: stickiness duration %ds is out of range (allowed: 1 to %d seconds, a week; 0 turns stickiness off)", seconds, MaxStickinessSeconds)
	}
	switch m {
	case ModeInstance:
		return fmt.Errorf("webtier: stickiness is set in mode instance, which has no load balancer to hold the cookie (allowed: mode autoscaling)")
	case ModeEKS:
		// The target group's targets are the nodes, reached on the NodePort; kube-proxy spreads each
		// node's requests over every pod, so the cookie would pin a node, not a copy of the app.
		return fmt.Errorf("webtier: stickiness is set in mode eks, where the load balancer's targets are nodes and kube-proxy spreads each node's requests over all pods: the cookie would pin a node, not the app's copy (allowed: mode autoscaling; keep sessions in the cache)")
	}
	return nil
}

// targetGroupStickiness is the target group's stickiness block: load-balancer cookies for seconds,
// or off. Always written, also when off, so that turning it off disables it in AWS rather than
// leaving the block the provider last read. Stickiness is not ForceNew on aws_lb_target_group
// (terraform-provider-aws internal/service/elbv2/target_group.go; synth/replacements.json): the
// change is made in place, by ModifyTargetGroupAttributes.
func targetGroupStickiness(seconds int) *lb.TargetGroupStickinessArgs {
	if seconds == 0 {
		return &lb.TargetGroupStickinessArgs{Enabled: pulumi.Bool(false), Type: pulumi.String("lb_cookie")}
	}
	return &lb.TargetGroupStickinessArgs{Enabled: pulumi.Bool(true), Type: pulumi.String("lb_cookie"), CookieDuration: pulumi.Int(seconds)}
}
