package network

import "github.com/tierstack/tierstack/internal/awsenv"

// Env is where a component's AWS resources go: region, account, partition and its DNS names.
// S3EndpointPolicy takes one; a program outside tierstack fills it in itself.
type Env = awsenv.Env
