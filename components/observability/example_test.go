package observability_test

import (
	"fmt"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/tierstack/tierstack/components/observability"
)

// Alarms and a dashboard over a load balancer in another Go Pulumi program, mailed to the on-call
// address: the load balancer's signals, with its p99 threshold lowered to two seconds.
func ExampleNew() {
	pulumi.Run(func(ctx *pulumi.Context) error {
		lb := pulumi.String("app/shop-alb/50dc6c495c0c9188") // the load balancer's ARN suffix
		two := 2.0
		obs, err := observability.New(ctx, "observability", &observability.Args{
			Signals:   observability.WebSignals(observability.WebInputs{LoadBalancerARNSuffix: lb}),
			Overrides: map[string]observability.Override{"web-latency-p99": {Threshold: &two}},
			Email:     "oncall@example.com",
		})
		if err != nil {
			return err
		}
		ctx.Export("alarmTopicArn", obs.TopicARN)
		ctx.Export("dashboardName", obs.DashboardName)
		return nil
	})
}

// The dashboard is pure JSON from resolved signals: one row per golden signal.
func ExampleDashboardBody() {
	list := observability.WebSignals(observability.WebInputs{InstanceID: pulumi.String("i-0abc")})
	resolved := make([]observability.Resolved, len(list))
	for i, s := range list {
		resolved[i] = observability.Resolved{Signal: s.WithDefaults(), Dimensions: []map[string]string{{"InstanceId": "i-0abc"}}}
	}
	body, err := observability.DashboardBody("eu-west-1", resolved)
	fmt.Println(err == nil, len(body) > 0)
	// Output: true true
}
