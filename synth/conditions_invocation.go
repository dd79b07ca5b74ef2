package synth

// init adds the Lambda invocation's conditional rule to conditions (a file of its own, so that
// rules of other types are added beside it without touching one map literal).
func init() {
	// terraform-provider-aws internal/service/lambda/invocation.go,
	// customizeDiffInputChangeWithCreateOnlyScope: with lifecycleScope CREATE_ONLY (the default),
	// a changed input replaces the invocation, so that the function runs again.
	conditions["aws:lambda/invocation:Invocation"] = append(conditions["aws:lambda/invocation:Invocation"], condition{
		input: "input",
		replaces: func(old, new any, after map[string]any) bool {
			scope := str(after["lifecycleScope"])
			return old != nil && (scope == "" || scope == "CREATE_ONLY")
		},
	})
}
