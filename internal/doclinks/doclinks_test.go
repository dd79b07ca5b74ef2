package doclinks

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestEveryRelativeLinkResolves checks README.md and every Markdown file under docs/: each relative
// link names a file that exists, and each #anchor a heading of its file.
func TestEveryRelativeLinkResolves(t *testing.T) {
	root := filepath.Join("..", "..")
	files := []string{filepath.Join(root, "README.md")}
	docs, err := filepath.Glob(filepath.Join(root, "docs", "*.md"))
	if err != nil {
		t.Fatal(err)
	}
	files = append(files, docs...)
	broken, err := Broken(files)
	if err != nil {
		t.Fatal(err)
	}
	if len(broken) > 0 {
		t.Errorf("broken links:\n%s", strings.Join(broken, "\n"))
	}
}

func TestSlugIsGitHubs(t *testing.T) {
	for _, c := range []struct{ title, want string }{
		{"Checking a change before `pulumi up`", "checking-a-change-before-pulumi-up"},
		{"Cost, deploy time and safety", "cost-deploy-time-and-safety"},
		{"What AWS refuses that a mock accepts", "what-aws-refuses-that-a-mock-accepts"},
		{"Issue 7: WebTier — instance (100)", "issue-7-webtier--instance-100"},
		{"tierstack_test helpers", "tierstack_test-helpers"},
	} {
		if got := Slug(c.title); got != c.want {
			t.Errorf("Slug(%q) = %q, want %q", c.title, got, c.want)
		}
	}
}

func TestBrokenFindsWhatIsBroken(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	write("docs/cost.md", "# Cost\n\n## Per tier\n\n## Per tier\n")
	readme := write("README.md", strings.Join([]string{
		"# Top",
		"[ok](docs/cost.md#per-tier) [ok twice](docs/cost.md#per-tier-1) [self](#top)",
		"[no file](docs/gone.md) [no anchor](docs/cost.md#per-user) [no self](#bottom)",
		"`[code](docs/gone.md)` [web](https://example.com/x#y)",
		"```",
		"[fenced](docs/gone.md)",
		"```",
	}, "\n"))
	broken, err := Broken([]string{readme})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"docs/gone.md: no such file", "docs/cost.md#per-user: no heading", "#bottom: no heading"}
	if len(broken) != len(want) {
		t.Fatalf("broken = %q, want %d entries like %q", broken, len(want), want)
	}
	for i, w := range want {
		if !strings.Contains(broken[i], w) {
			t.Errorf("broken[%d] = %q, want it to say %q", i, broken[i], w)
		}
	}
}
