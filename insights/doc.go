// Package insights answers, from a recorded plan, what users ask before pulumi up: what the stack
// costs a month, how long pulumi up takes and which dependency makes it wait, and whether the stack
// is safe (security findings, what survives the loss of a zone, what a tier change destroys).
//
// Everything here is a pure function of a plan's resources and of tables embedded in the package
// (prices.json, durations.json), each figure with its source, date and confidence. The package
// imports neither the AWS SDK nor any component, so it builds in seconds and its tests need no
// mock engine.
package insights
