package tests

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"unicode"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tierstack/tierstack/synth"
)

// sdkInputs reads the inputs the pinned pulumi-aws SDK declares for resource types, from the
// `pulumi:"…"` tags of its generated Args structs. It reads the SDK's source from the module cache
// rather than linking every AWS service package into the test binary.
type sdkInputs struct {
	dirs  map[string]string          // package name -> directory of the pinned SDK that holds it
	files map[string][]*ast.File     // parsed files by package directory
	found map[string]*ast.StructType // "dir.Type" -> struct
}

func newSDKInputs(t *testing.T) *sdkInputs {
	t.Helper()
	moduleDir := func(module string) string {
		cmd := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", module)
		cmd.Dir = root
		out, err := cmd.Output()
		require.NoError(t, err, "locating the pinned %s", module)
		return strings.TrimSpace(string(out))
	}
	dirs := map[string]string{
		"aws":        filepath.Join(moduleDir("github.com/pulumi/pulumi-aws/sdk/v6"), "go", "aws"),
		"random":     filepath.Join(moduleDir("github.com/pulumi/pulumi-random/sdk/v4"), "go", "random"),
		"kubernetes": filepath.Join(moduleDir("github.com/pulumi/pulumi-kubernetes/sdk/v4"), "go", "kubernetes"),
	}
	for _, d := range dirs {
		_, err := os.Stat(d)
		require.NoError(t, err)
	}
	return &sdkInputs{dirs: dirs, files: map[string][]*ast.File{}, found: map[string]*ast.StructType{}}
}

// structOf finds the struct named typ in SDK package pkg ("ec2"; "" for pulumi-aws's root package,
// "random" for pulumi-random's).
func (s *sdkInputs) structOf(t *testing.T, pkg, typ string) *ast.StructType {
	t.Helper()
	key := pkg + "." + typ
	if st, ok := s.found[key]; ok {
		return st
	}
	dir := filepath.Join(s.dirs["aws"], pkg)
	if pkg == "random" {
		dir = s.dirs["random"]
	}
	if k8sPkg, ok := strings.CutPrefix(pkg, "kubernetes/"); ok {
		dir = filepath.Join(s.dirs["kubernetes"], k8sPkg)
		// A type of another Kubernetes package, as its Go alias names it: metav1.ObjectMeta.
		if alias, name, qualified := strings.Cut(typ, "."); qualified {
			dir = filepath.Join(s.dirs["kubernetes"], kubernetesAliases[alias])
			typ = name
		}
	}
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".go") {
			continue
		}
		src, err := os.ReadFile(filepath.Join(dir, e.Name()))
		require.NoError(t, err)
		if !strings.Contains(string(src), "type "+typ+" struct") {
			continue
		}
		f, err := parser.ParseFile(token.NewFileSet(), e.Name(), src, parser.SkipObjectResolution)
		require.NoError(t, err)
		for _, decl := range f.Decls {
			gen, ok := decl.(*ast.GenDecl)
			if !ok {
				continue
			}
			for _, spec := range gen.Specs {
				if ts, ok := spec.(*ast.TypeSpec); ok && ts.Name.Name == typ {
					if st, ok := ts.Type.(*ast.StructType); ok {
						s.found[key] = st
						return st
					}
				}
			}
		}
	}
	s.found[key] = nil
	return nil
}

// field returns the Go type name (without pointer, slice or map) of the field tagged name.
func field(st *ast.StructType, name string) (typ string, ok bool) {
	for _, f := range st.Fields.List {
		if f.Tag == nil {
			continue
		}
		tag, err := strconv.Unquote(f.Tag.Value)
		if err != nil {
			continue
		}
		pulumiTag := strings.Split(reflect.StructTag(tag).Get("pulumi"), ",")[0]
		if pulumiTag != name {
			continue
		}
		expr := f.Type
		for {
			switch e := expr.(type) {
			case *ast.StarExpr:
				expr = e.X
				continue
			case *ast.ArrayType:
				expr = e.Elt
				continue
			case *ast.MapType:
				expr = e.Value
				continue
			case *ast.Ident:
				return e.Name, true
			case *ast.SelectorExpr:
				if x, ok := e.X.(*ast.Ident); ok {
					return x.Name + "." + e.Sel.Name, true
				}
			}
			return "", true
		}
	}
	return "", false
}

// argsStruct names the SDK package and Args struct of a type token: aws:ec2/vpc:Vpc is ec2.vpcArgs,
// pulumi:providers:aws is the root package's providerArgs.
func argsStruct(token string) (pkg, typ string) {
	switch token {
	case "pulumi:providers:aws":
		return "", "providerArgs"
	case "pulumi:providers:kubernetes":
		return "kubernetes/", "providerArgs"
	}
	if group, ok := strings.CutPrefix(token, "kubernetes:"); ok {
		parts := strings.Split(group, ":")
		name := []rune(parts[1])
		name[0] = unicode.ToLower(name[0])
		dir, known := kubernetesGroups[parts[0]]
		if !known {
			// A custom resource's kind: the SDK's CustomResource.
			return "kubernetes/apiextensions", "customResourceArgs"
		}
		return "kubernetes/" + dir, string(name) + "Args"
	}
	parts := strings.Split(token, ":")
	pkg = strings.SplitN(parts[1], "/", 2)[0]
	if parts[0] == "random" {
		pkg = "random"
	}
	name := []rune(parts[2])
	name[0] = unicode.ToLower(name[0])
	return pkg, string(name) + "Args"
}

// kubernetesGroups are the pulumi-kubernetes SDK's package directories by API group and version.
var kubernetesGroups = map[string]string{
	"core/v1": "core/v1", "apps/v1": "apps/v1", "autoscaling/v2": "autoscaling/v2",
	"policy/v1": "policy/v1", "helm.sh/v3": "helm/v3",
}

// kubernetesAliases are the Go aliases the pulumi-kubernetes SDK imports its packages by.
var kubernetesAliases = map[string]string{"metav1": "meta/v1", "corev1": "core/v1", "appsv1": "apps/v1"}

// Every input a replacement rule names exists in the pinned SDK: a rule on a misspelt or removed
// input would never fire, and the tier-change check would call a replacement an update.
func TestReplacementRulesNameRealInputs(t *testing.T) {
	rules, err := synth.ReplacementRules()
	require.NoError(t, err)
	sdk := newSDKInputs(t)
	for _, token := range rules.Types() {
		t.Run(token, func(t *testing.T) {
			pkg, typ := argsStruct(token)
			args := sdk.structOf(t, pkg, typ)
			require.NotNil(t, args, "the SDK has no %s.%s for %s", pkg, typ, token)
			for _, input := range rules.Inputs(token) {
				st := args
				steps := strings.Split(strings.ReplaceAll(input, "[]", ""), ".")
				for i, step := range steps {
					inner, ok := field(st, step)
					if !assert.True(t, ok, "%s: rule %q names %q, which %s.%s does not declare", token, input, step, pkg, typ) {
						break
					}
					if i == len(steps)-1 {
						break
					}
					st = sdk.structOf(t, pkg, inner)
					if !assert.NotNil(t, st, "%s: rule %q steps into %s, which is no struct", token, input, inner) {
						break
					}
				}
			}
		})
	}
}

// The check itself catches a name that is not an input: regionalNatGatewayId is not one of
// ec2.FlowLog's in the pinned SDK.
func TestSDKInputsKnowsWhatIsNotAnInput(t *testing.T) {
	sdk := newSDKInputs(t)
	flowLog := sdk.structOf(t, "ec2", "flowLogArgs")
	require.NotNil(t, flowLog)
	_, ok := field(flowLog, "regionalNatGatewayId")
	assert.False(t, ok)
	_, ok = field(flowLog, "vpcId")
	assert.True(t, ok)
	typ, ok := field(sdk.structOf(t, "ec2", "instanceArgs"), "rootBlockDevice")
	assert.True(t, ok)
	assert.Equal(t, "InstanceRootBlockDevice", typ)
}
