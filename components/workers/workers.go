package workers

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/tierstack/tierstack/components/network"
	"github.com/tierstack/tierstack/components/webtier"
	"github.com/tierstack/tierstack/internal/awsenv"
	"github.com/tierstack/tierstack/internal/naming"
)

// longestRole is the longest suffix of a role the Workers create: the pods' role.
const longestRole = "-pod-role"

// New creates the Workers' queues: the key, the queue and its dead-letter queue, their policies and
// (mode autoscaling) the workers' security group. It checks args and its name and looks up the
// account and partition before it registers anything. Run starts the workers.
func New(ctx *pulumi.Context, name string, args *Args, opts ...pulumi.ResourceOption) (*Workers, error) {
	if err := naming.CheckComponent("workers", name, longestRole); err != nil {
		return nil, err
	}
	a, err := args.checked()
	if err != nil {
		return nil, err
	}
	if err := a.Network.CheckFor("workers "+name, 2, network.SubnetPrivate); err != nil {
		return nil, err
	}
	env, _, err := awsenv.Resolve(ctx, opts)
	if err != nil {
		return nil, fmt.Errorf("workers %s: %w", name, err)
	}
	w := &Workers{Mode: a.Mode, name: name, args: a, env: env, granted: map[string]bool{}}
	if err := ctx.RegisterComponentResource(TypeToken, name, w, opts...); err != nil {
		return nil, fmt.Errorf("workers %s: %w", name, err)
	}
	if err := w.buildQueues(ctx, name); err != nil {
		return nil, fmt.Errorf("workers %s: %w", name, err)
	}
	empty := pulumi.String("").ToStringOutput()
	w.SecurityGroupID, w.RoleARN, w.AutoScalingGroupName = empty, empty, empty
	if a.Mode == webtier.ModeAutoScaling {
		sgName := naming.Child(name, "sg")
		w.sg, err = ec2.NewSecurityGroup(ctx, sgName, &ec2.SecurityGroupArgs{
			VpcId:       a.Network.VPCID,
			Description: pulumi.String("tierstack workers: what runs the workers; admits nothing, the backends admit it"),
			Egress: ec2.SecurityGroupEgressArray{ec2.SecurityGroupEgressArgs{
				Description: pulumi.String("SQS, the image registry, Session Manager, the database and cache"),
				Protocol:    pulumi.String("-1"), FromPort: pulumi.Int(0), ToPort: pulumi.Int(0),
				CidrBlocks: pulumi.StringArray{pulumi.String("0.0.0.0/0")},
			}},
			Tags: naming.Tags(a.Tags, sgName),
		}, pulumi.Parent(w))
		if err != nil {
			return nil, fmt.Errorf("workers %s: %w", name, err)
		}
		w.SecurityGroupID = w.sg.ID().ToStringOutput()
	}
	if err := ctx.RegisterResourceOutputs(w, pulumi.Map{
		"queueUrl":            w.QueueURL,
		"queueArn":            w.QueueARN,
		"queueName":           w.QueueName,
		"deadLetterQueueUrl":  w.DeadLetterQueueURL,
		"deadLetterQueueArn":  w.DeadLetterQueueARN,
		"deadLetterQueueName": w.DeadLetterQueueName,
		"kmsKeyArn":           w.KMSKeyARN,
	}); err != nil {
		return nil, fmt.Errorf("workers %s: registering outputs: %w", name, err)
	}
	return w, nil
}

// Run starts the workers beside web, in its mode (the one New was given): an Auto Scaling group of
// their own, or a Deployment on web's cluster scaled by KEDA. Once only.
func (w *Workers) Run(ctx *pulumi.Context, web *webtier.WebTier) error {
	if w.ran {
		return fmt.Errorf("workers %s: Run is called twice (allowed: once)", w.name)
	}
	if web == nil || web.Mode != w.Mode {
		got := "none"
		if web != nil {
			got = string(web.Mode)
		}
		return fmt.Errorf("workers %s: the web tier runs in mode %s, the workers were made for mode %s (allowed: the same mode)", w.name, got, w.Mode)
	}
	w.ran = true
	var err error
	if w.Mode == webtier.ModeEKS {
		err = w.runOnCluster(ctx, web)
	} else {
		err = w.runGroup(ctx)
	}
	if err != nil {
		return fmt.Errorf("workers %s: %w", w.name, err)
	}
	return nil
}
