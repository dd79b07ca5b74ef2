package tests

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// modulePath is the module's import path.
const modulePath = "github.com/tierstack/tierstack"

// apiRef is a type an exported API names: its package's import path and its name.
type apiRef struct{ pkg, name string }

// Every type that an exported API of a public package takes or returns must be importable by a
// program outside the module: a type of an internal package may appear only where a public package
// declares an alias for it (observability.Signal = signals.Signal), and then the exported fields and
// methods of that type must follow the same rule. A program that copies a documented example must
// never meet "use of internal package … not allowed".
func TestExportedAPIsUseOnlyImportableTypes(t *testing.T) {
	public, internal := parseModule(t)
	aliased := map[apiRef]bool{}
	for _, files := range public {
		for _, f := range files {
			imports := importNames(f)
			for _, d := range f.Decls {
				g, ok := d.(*ast.GenDecl)
				if !ok || g.Tok != token.TYPE {
					continue
				}
				for _, spec := range g.Specs {
					ts := spec.(*ast.TypeSpec)
					if !ts.Assign.IsValid() || !ts.Name.IsExported() {
						continue
					}
					if sel, ok := ts.Type.(*ast.SelectorExpr); ok {
						if x, ok := sel.X.(*ast.Ident); ok && isInternal(imports[x.Name]) {
							aliased[apiRef{imports[x.Name], sel.Sel.Name}] = true
						}
					}
				}
			}
		}
	}
	var problems []string
	for dir, files := range public {
		for _, f := range files {
			problems = append(problems, exportedRefs(f, dir, "", nil, aliased)...)
		}
	}
	// The aliased internal types: their own exported fields and methods.
	for ref := range aliased {
		files := internal[ref.pkg]
		require.NotEmpty(t, files, "internal package %s is parsed", ref.pkg)
		declared := map[string]bool{}
		for _, f := range files {
			for name, obj := range f.Scope.Objects {
				if obj.Kind == ast.Typ {
					declared[name] = true
				}
			}
		}
		for _, f := range files {
			problems = append(problems, exportedRefs(f, ref.pkg, ref.name, declared, aliased)...)
		}
	}
	sort.Strings(problems)
	assert.Empty(t, problems, "exported APIs name types a program outside the module cannot import; add an exported alias in a public package")
	assert.NotEmpty(t, aliased, "the check sees the aliases of internal types")
}

// parseModule parses the non-test Go files of the module's packages: public ones by directory,
// internal ones by import path. Nested modules (examples) and the tests are left out.
func parseModule(t *testing.T) (public, internal map[string][]*ast.File) {
	public, internal = map[string][]*ast.File{}, map[string][]*ast.File{}
	fset := token.NewFileSet()
	err := filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			rel, _ := filepath.Rel(root, path)
			if rel != "." && (strings.HasPrefix(d.Name(), ".") || d.Name() == "tests" || d.Name() == "testdata") {
				return filepath.SkipDir
			}
			if _, err := os.Stat(filepath.Join(path, "go.mod")); err == nil && rel != "." {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, filepath.Dir(path))
		pkg := modulePath
		if rel != "." {
			pkg += "/" + filepath.ToSlash(rel)
		}
		if f.Name.Name == "main" {
			return nil
		}
		if isInternal(pkg) {
			// Parsed again with objects, to tell the package's own type names.
			f, err = parser.ParseFile(fset, path, nil, 0)
			if err != nil {
				return err
			}
			internal[pkg] = append(internal[pkg], f)
		} else {
			public[pkg] = append(public[pkg], f)
		}
		return nil
	})
	require.NoError(t, err)
	require.NotEmpty(t, public)
	return public, internal
}

// isInternal reports whether an import path is one of the module's internal packages.
func isInternal(path string) bool {
	return strings.HasPrefix(path, modulePath+"/internal/") || path == modulePath+"/internal"
}

// importNames maps each import's name in a file to its path.
func importNames(f *ast.File) map[string]string {
	out := map[string]string{}
	for _, imp := range f.Imports {
		path, _ := strconv.Unquote(imp.Path.Value)
		name := path[strings.LastIndex(path, "/")+1:]
		if imp.Name != nil {
			name = imp.Name.Name
		}
		out[name] = path
	}
	return out
}

// exportedRefs lists the exported declarations of f that name a type outside users cannot import.
// With only set, it looks at that type (its fields, and its methods) alone; declared are the type
// names of f's own package when it is internal (unqualified references to them count too).
func exportedRefs(f *ast.File, pkg, only string, declared map[string]bool, aliased map[apiRef]bool) []string {
	imports := importNames(f)
	var problems []string
	check := func(where string, node ast.Expr) {
		if node != nil {
			problems = append(problems, exportedRefsOf(node, where, imports, pkg, declared, aliased)...)
		}
	}
	for _, d := range f.Decls {
		switch d := d.(type) {
		case *ast.FuncDecl:
			if !d.Name.IsExported() {
				continue
			}
			recv := ""
			if d.Recv != nil && len(d.Recv.List) > 0 {
				recv = receiverName(d.Recv.List[0].Type)
				if !ast.IsExported(recv) {
					continue
				}
			}
			if only != "" && recv != only {
				continue
			}
			if only == "" && recv != "" && declared != nil {
				continue
			}
			check(pkg+" "+recv+"."+d.Name.Name, d.Type)
		case *ast.GenDecl:
			for _, spec := range d.Specs {
				switch s := spec.(type) {
				case *ast.TypeSpec:
					if !s.Name.IsExported() || s.Assign.IsValid() || (only != "" && s.Name.Name != only) {
						continue
					}
					check(pkg+" type "+s.Name.Name, s.Type)
				case *ast.ValueSpec:
					if only != "" {
						continue
					}
					for _, n := range s.Names {
						if n.IsExported() {
							check(pkg+" "+n.Name, s.Type)
						}
					}
				}
			}
		}
	}
	return problems
}

// exportedRefsOf lists the names in a type expression that outside users cannot import: where says
// whose expression it is. Only the exported fields of a struct count.
func exportedRefsOf(expr ast.Expr, where string, imports map[string]string, pkg string, declared map[string]bool, aliased map[apiRef]bool) []string {
	var problems []string
	ast.Inspect(expr, func(n ast.Node) bool {
		switch e := n.(type) {
		case *ast.SelectorExpr:
			if x, ok := e.X.(*ast.Ident); ok && isInternal(imports[x.Name]) && !aliased[apiRef{imports[x.Name], e.Sel.Name}] {
				problems = append(problems, where+" names "+imports[x.Name]+"."+e.Sel.Name)
			}
			return false
		case *ast.Ident:
			if declared != nil && declared[e.Name] && e.IsExported() && !aliased[apiRef{pkg, e.Name}] {
				problems = append(problems, where+" names "+pkg+"."+e.Name)
			}
		case *ast.StructType:
			for _, field := range e.Fields.List {
				exported := len(field.Names) == 0
				for _, n := range field.Names {
					exported = exported || n.IsExported()
				}
				if exported {
					problems = append(problems, exportedRefsOf(field.Type, where, imports, pkg, declared, aliased)...)
				}
			}
			return false
		}
		return true
	})
	return problems
}

// receiverName is the type name of a method's receiver.
func receiverName(e ast.Expr) string {
	switch r := e.(type) {
	case *ast.StarExpr:
		return receiverName(r.X)
	case *ast.IndexExpr:
		return receiverName(r.X)
	case *ast.Ident:
		return r.Name
	}
	return ""
}
