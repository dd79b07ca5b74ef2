package tiers

import (
	"fmt"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/tierstack/tierstack/components/files"
	"github.com/tierstack/tierstack/components/network"
	"github.com/tierstack/tierstack/components/webtier"
	"github.com/tierstack/tierstack/components/workers"
)

// newWorkers creates the tier's Workers' queues, when tierstack:workers enables them, before the web
// tier, which learns QUEUE_URL from them (a webtier.Backend), and adds their stack outputs; nil
// without them. The workers connect to what the app connects to.
func newWorkers(ctx *pulumi.Context, spec Spec, net *network.Network, tags map[string]string, web webtier.Args, outputs pulumi.Map) (*workers.Workers, error) {
	if spec.Workers == nil {
		return nil, nil
	}
	args := *spec.Workers
	args.Network, args.Tags = net, tags
	args.Backends = append([]webtier.Backend{}, web.Backends...)
	// The shared files, where the web tier mounts them.
	args.Mounts = append([]webtier.Mount{}, web.Mounts...)
	w, err := workers.New(ctx, "workers", &args)
	if err != nil {
		return nil, fmt.Errorf("tier %s: %w", spec.Tier, err)
	}
	outputs["workersMode"] = pulumi.String(string(w.Mode))
	outputs["workersQueueUrl"] = w.QueueURL
	outputs["workersDeadLetterQueueUrl"] = w.DeadLetterQueueURL
	return w, nil
}

// runWorkers starts the workers beside the web tier and lets the app send to the queue; the
// workers may use Kafka as the app does (their role); in mode autoscaling the backends admit the
// workers' own security group (in mode eks the workers run on the nodes, which carry the web tier's
// group, admitted already).
func runWorkers(ctx *pulumi.Context, spec Spec, w *workers.Workers, web *webtier.WebTier, b built, shared *files.Files) error {
	if w == nil {
		return nil
	}
	fail := func(err error) error { return fmt.Errorf("tier %s: %w", spec.Tier, err) }
	if err := w.Run(ctx, web); err != nil {
		return fail(err)
	}
	if _, err := w.GrantSend(ctx, "web", web.RoleARN); err != nil {
		return fail(err)
	}
	if b.stream != nil {
		if _, err := b.stream.GrantTo(ctx, "workers", w.RoleARN); err != nil {
			return fail(err)
		}
	}
	if w.Mode != webtier.ModeAutoScaling {
		return nil
	}
	if _, err := b.data.AllowFrom(ctx, "workers", w.SecurityGroupID); err != nil {
		return fail(err)
	}
	if b.cache != nil {
		if _, err := b.cache.AllowFrom(ctx, "workers", w.SecurityGroupID); err != nil {
			return fail(err)
		}
	}
	if b.stream != nil {
		if _, err := b.stream.AllowFrom(ctx, "workers", w.SecurityGroupID); err != nil {
			return fail(err)
		}
	}
	if shared != nil {
		if _, err := shared.AllowFrom(ctx, "workers", w.SecurityGroupID); err != nil {
			return fail(err)
		}
	}
	return nil
}
