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
	dir   string                     // the SDK's go/aws directory
	files map[string][]*ast.File     // parsed files by package directory
	found map[string]*ast.StructType // "dir.Type" -> struct
}

func newSDKInputs(t *testing.T) *sdkInputs {
	t.Helper()
	return newSDKInputsOf(t, "github.com/pulumi/pulumi-aws/sdk/v6", "aws")
}

// newSDKInputsOf reads the inputs of another pinned Pulumi SDK module, whose Go packages sit under
// go/<root> (pulumi-random's under go/random).
func newSDKInputsOf(t *testing.T, module, root string) *sdkInputs {
	t.Helper()
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", module).Output()
	require.NoError(t, err, "locating the pinned %s", module)
	dir := filepath.Join(strings.TrimSpace(string(out)), "go", root)
	_, err = os.Stat(dir)
	require.NoError(t, err)
	return &sdkInputs{dir: dir, files: map[string][]*ast.File{}, found: map[string]*ast.StructType{}}
}

// structOf finds the struct named typ in SDK package pkg ("ec2"; "" for the root package).
func (s *sdkInputs) structOf(t *testing.T, pkg, typ string) *ast.StructType {
	t.Helper()
	key := pkg + "." + typ
	if st, ok := s.found[key]; ok {
		return st
	}
	dir := filepath.Join(s.dir, pkg)
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
			}
			return "", true
		}
	}
	return "", false
}

// argsStruct names the SDK package and Args struct of a type token: aws:ec2/vpc:Vpc is ec2.vpcArgs,
// pulumi:providers:aws is the root package's providerArgs, random:index/randomPassword:RandomPassword
// is the random SDK's root package's randomPasswordArgs.
func argsStruct(token string) (pkg, typ string) {
	if token == "pulumi:providers:aws" {
		return "", "providerArgs"
	}
	if strings.HasPrefix(token, "random:index/") {
		name := []rune(strings.Split(token, ":")[2])
		name[0] = unicode.ToLower(name[0])
		return "", string(name) + "Args"
	}
	parts := strings.Split(token, ":")
	pkg = strings.SplitN(parts[1], "/", 2)[0]
	name := []rune(parts[2])
	name[0] = unicode.ToLower(name[0])
	return pkg, string(name) + "Args"
}

// Every input a replacement rule names exists in the pinned SDK: a rule on a misspelt or removed
// input would never fire, and the tier-change check would call a replacement an update.
func TestReplacementRulesNameRealInputs(t *testing.T) {
	rules, err := synth.ReplacementRules()
	require.NoError(t, err)
	sdk, randomSDK := newSDKInputs(t), newSDKInputsOf(t, "github.com/pulumi/pulumi-random/sdk/v4", "random")
	for _, token := range rules.Types() {
		t.Run(token, func(t *testing.T) {
			sdk := sdk
			if strings.HasPrefix(token, "random:") {
				sdk = randomSDK
			}
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
