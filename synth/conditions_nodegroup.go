package synth

import "fmt"

// nodeGroupConditions are the rules of an EKS managed node group's scaling. terraform-provider-aws
// (internal/service/eks/node_group.go, expandNodegroupScalingConfig) sends the desired size with
// every scalingConfig update, min and max beside it; with desiredSize in ignoreChanges that is the
// desired size the stack last recorded, not the autoscaler's count. EKS refuses a desired size
// outside min..max (UpdateNodegroupConfig: "InvalidParameterException: Minimum capacity 2 can't be
// greater than desired size 1"; terraform-aws-eks #2508, #3683).
var nodeGroupConditions = []condition{
	{input: "scalingConfig", refused: func(_, sent any, _ map[string]any) string {
		cfg, _ := sent.(map[string]any)
		desired, ok := cfg["desiredSize"].(float64)
		if !ok {
			return ""
		}
		lo, hasMin := cfg["minSize"].(float64)
		hi, hasMax := cfg["maxSize"].(float64)
		switch {
		case hasMin && lo > desired:
			return fmt.Sprintf("node group min %g above the desired size %g sent with it (the size recorded in the stack, which ignoreChanges keeps): EKS refuses a minimum above the desired size; set the group's desired size to %g or more by hand and pulumi refresh first", lo, desired, lo)
		case hasMax && hi < desired:
			return fmt.Sprintf("node group max %g below the desired size %g sent with it (the size recorded in the stack, which ignoreChanges keeps): EKS refuses a desired size above the maximum; set the group's desired size to %g or less by hand and pulumi refresh first", hi, desired, hi)
		}
		return ""
	}},
}
