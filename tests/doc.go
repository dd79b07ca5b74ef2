// Package tests holds tierstack's tests: pure planners, components and tiers on the Pulumi mock
// engine, and the plan command's JSON contract. They live in one package so that the AWS SDK is
// linked into one test binary, not one per package.
package tests
