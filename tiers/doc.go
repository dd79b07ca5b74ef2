// Package tiers holds each growth tier of tierstack as plain data (a Spec) and composes the
// components into a stack: Program reads the stack configuration, picks the tier's Spec, applies the
// overrides, validates everything and only then registers the components.
package tiers
