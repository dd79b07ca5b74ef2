package tiers

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/s3"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/tierstack/tierstack/components/drregion"
	"github.com/tierstack/tierstack/components/edge"
	"github.com/tierstack/tierstack/synth"
)

// A deploy that fails after the CDN took a deferred value (the DR replica's name, origin.<domain>)
// ends with the error instead of waiting forever for a value no step will give: close rejects
// what was not resolved, and the resource that waited fails with it.
func TestForwardCloseRejectsWhatWasNotBuilt(t *testing.T) {
	done := make(chan error, 1)
	go func() {
		_, err := synth.Run(func(ctx *pulumi.Context) (pulumi.Map, error) {
			f := newForward(ctx, Settings{Domain: "app.example.com"}, Spec{CDN: &edge.CDNArgs{}, DR: &drregion.Args{}}, edgeFront{cert: &edge.Certificate{}})
			if f.replica == nil || f.origin == nil {
				return nil, errors.New("newForward made no deferred values")
			}
			if _, err := s3.NewBucketV2(ctx, "waits", &s3.BucketV2Args{Bucket: f.originInput.ToStringOutput()}); err != nil {
				return nil, err
			}
			err := errors.New("a later step failed")
			f.close(ctx, err)
			return nil, err
		}, synth.Options{Region: "us-east-1"})
		done <- err
	}()
	select {
	case err := <-done:
		if err == nil || !strings.Contains(err.Error(), "a later step failed") {
			t.Fatalf("got %v, want the step's error", err)
		}
	case <-time.After(2 * time.Minute):
		t.Fatal("the program waited for a deferred value nobody resolved")
	}
}
