// Package components holds tierstack's Pulumi component resources: Network first, then the web, data,
// cache, edge, observability and disaster-recovery pieces that each growth tier composes.
//
// Every component has the same shape:
//
//	func NewX(ctx *pulumi.Context, name string, args *XArgs, opts ...pulumi.ResourceOption) (*X, error)
//
// The zero value of each XArgs field is a working default and its comment says what zero means. Counts,
// CIDRs and strategies that decide how many resources exist are plain Go values, so that a component
// validates them and fails before it registers anything. Child resources are named by ChildName and
// AZChildName; those names, and the type tokens below, are a public contract: renaming either replaces
// resources unless the caller adds pulumi.Aliases.
package components
