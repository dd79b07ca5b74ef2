package synth

import "github.com/pulumi/pulumi/sdk/v3/go/common/resource"

// plainMap turns resource properties into plain JSON values, keeping the camelCase keys. Secrets
// become SecretPlaceholder, unknowns UnknownPlaceholder, resource references their URN.
func plainMap(m resource.PropertyMap) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[string(k)] = plainValue(v)
	}
	return out
}

// plainValue turns one property value into a plain JSON value.
func plainValue(v resource.PropertyValue) any {
	switch {
	case v.IsSecret():
		return SecretPlaceholder
	case v.IsComputed():
		return UnknownPlaceholder
	case v.IsOutput():
		o := v.OutputValue()
		if o.Secret {
			return SecretPlaceholder
		}
		if !o.Known {
			return UnknownPlaceholder
		}
		return plainValue(o.Element)
	case v.IsResourceReference():
		return string(v.ResourceReferenceValue().URN)
	case v.IsNull():
		return nil
	case v.IsBool():
		return v.BoolValue()
	case v.IsNumber():
		return v.NumberValue()
	case v.IsString():
		return v.StringValue()
	case v.IsArray():
		arr := v.ArrayValue()
		out := make([]any, len(arr))
		for i, e := range arr {
			out[i] = plainValue(e)
		}
		return out
	case v.IsObject():
		return plainMap(v.ObjectValue())
	default: // assets and archives: show what kind they are
		return v.TypeString()
	}
}
