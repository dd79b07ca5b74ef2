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
	// Outputs are the stack outputs, secrets shown as "[secret]".
	Outputs map[string]any `json:"outputs"`
}

// Resource is one registered resource.
type Resource struct {
	// URN is the resource's URN, as the engine would compute it.
	URN string `json:"urn"`
	// ID is the fake physical ID the mock engine gave it; empty for components.
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
	// Dependencies are the URNs the resource depends on.
	Dependencies []string `json:"dependencies"`
	// Protect is the protect resource option.
	Protect bool `json:"protect"`
	// RetainOnDelete is the retainOnDelete resource option.
	RetainOnDelete bool `json:"retainOnDelete"`
	// IgnoreChanges is the ignoreChanges resource option.
	IgnoreChanges []string `json:"ignoreChanges"`
	// DeleteBeforeReplace is the deleteBeforeReplace resource option.
	DeleteBeforeReplace bool `json:"deleteBeforeReplace"`
}

// SecretPlaceholder stands in for a secret value in inputs and outputs.
const SecretPlaceholder = "[secret]"

// UnknownPlaceholder stands in for a value that is not known until a real deployment.
const UnknownPlaceholder = "[unknown]"
