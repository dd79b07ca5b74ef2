package synth

// Plan is what a program would create: the `plan --format json` document. Its JSON field names are a
// contract that other tools read: add fields, never rename or remove one.
type Plan struct {
	// Project is the Pulumi project name.
	Project string `json:"project"`
	// Stack is the stack name the program ran as.
	Stack string `json:"stack"`
	// Tier is the growth tier the program built.
	Tier string `json:"tier"`
	// Region is the AWS region of the default provider.
	Region string `json:"region"`
	// Resources are every registered resource, components included, sorted by URN.
	Resources []Resource `json:"resources"`
	// Outputs are the stack outputs, secrets shown as "[secret]", values a preview cannot know as
	// "[unknown]".
	Outputs map[string]any `json:"outputs"`
	// Preview is true for a plan made as `pulumi preview` would run the program: IDs and computed
	// outputs unknown.
	Preview bool `json:"preview"`
	// Warnings are what the program logged as warnings, in order: things to act on before pulumi up.
	Warnings []Warning `json:"warnings"`
	// SecretHashKey identifies, without revealing it, the key of the resources' SecretHashes: two
	// plans' hashes compare only when it is the same (same project, stack and team key).
	SecretHashKey string `json:"secretHashKey,omitempty"`
}

// Warning is one warning the program logged.
type Warning struct {
	// Severity is warning or error.
	Severity string `json:"severity"`
	// URN is the resource the warning is about; "" for the stack as a whole.
	URN string `json:"urn"`
	// Message is the warning's text.
	Message string `json:"message"`
}

// Resource is one registered resource.
type Resource struct {
	// URN is the resource's URN, as the engine would compute it.
	URN string `json:"urn"`
	// ID is the fake physical ID the mock engine gave it: derived from the inputs whose change
	// replaces the resource, so a replacement shows as a new ID. Empty for components, "[unknown]" in
	// a preview.
	ID string `json:"id"`
	// Type is the type token, such as aws:ec2/vpc:Vpc.
	Type string `json:"type"`
	// Name is the logical name.
	Name string `json:"name"`
	// Custom is true for a provider-managed resource, false for a component.
	Custom bool `json:"custom"`
	// Parent is the parent's URN; empty for a resource directly under the stack.
	Parent string `json:"parent"`
	// Provider is the URN of an explicit provider; empty for the default provider.
	Provider string `json:"provider"`
	// Inputs are the camelCase inputs as plain JSON; secrets are shown as "[secret]".
	Inputs map[string]any `json:"inputs"`
	// SecretHashes are, by input path (such as "secretString"), a keyed hash of each secret input
	// whose value is known ("hmac-sha256:" and 32 hex digits; see Plan.SecretHashKey): the secret
	// itself is never in a plan, but a change of it shows in a diff.
	SecretHashes map[string]string `json:"secretHashes,omitempty"`
	// Dependencies are the URNs the resource depends on.
	Dependencies []string `json:"dependencies"`
	// DependsOn are the dependencies no input carries: the explicit dependsOn option. A resource waits
	// for them without reading anything from them.
	DependsOn []string `json:"dependsOn,omitempty"`
	// Protect is the protect resource option.
	Protect bool `json:"protect"`
	// RetainOnDelete is the retainOnDelete resource option.
	RetainOnDelete bool `json:"retainOnDelete"`
	// IgnoreChanges is the ignoreChanges resource option.
	IgnoreChanges []string `json:"ignoreChanges"`
	// DeleteBeforeReplace is the deleteBeforeReplace resource option.
	DeleteBeforeReplace bool `json:"deleteBeforeReplace"`
	// ReplaceOnChanges is the replaceOnChanges resource option: input paths whose change replaces it.
	ReplaceOnChanges []string `json:"replaceOnChanges"`
	// Outputs are the values AWS computes that the mock engine made up for it (ARNs, generated names,
	// addresses), beside its ID; empty in a preview.
	Outputs map[string]any `json:"outputs"`
	// Aliases are the URNs the resource had before (from its aliases option and its parent's), under
	// which an earlier plan may list it.
	Aliases []string `json:"aliases"`
	// RegisteredBy names the packaged component provider that registers the resource inside a
	// remote component, in the release whose source the offline engine follows ("pulumi-eks
	// 2.8.1"): the program does not register it itself. Empty for the program's own resources.
	RegisteredBy string `json:"registeredBy,omitempty"`
	// CustomTimeouts is the customTimeouts resource option; nil when the provider's defaults apply.
	CustomTimeouts *CustomTimeouts `json:"customTimeouts,omitempty"`
}

// CustomTimeouts are how long the engine lets the provider create, update and delete a resource,
// as Go durations ("90m0s"); "" keeps the provider's default.
type CustomTimeouts struct {
	Create string `json:"create,omitempty"`
	Update string `json:"update,omitempty"`
	Delete string `json:"delete,omitempty"`
}

// SecretPlaceholder stands in for a secret value in inputs and outputs.
const SecretPlaceholder = "[secret]"

// UnknownPlaceholder stands in for a value that is not known until a real deployment.
const UnknownPlaceholder = "[unknown]"
