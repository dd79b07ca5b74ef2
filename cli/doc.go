// Package cli is tierstack's command line beside the Pulumi program: `tierstack plan` renders what a
// tier creates, offline, on the Pulumi SDK's mock engine.
package cli
