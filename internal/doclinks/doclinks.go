// Package doclinks checks the relative links of the project's Markdown files: every link to a file
// names a file that exists, and every #anchor names a heading of the file it points into, spelled as
// GitHub spells heading anchors. It keeps the README and docs/ from rotting when sections move.
package doclinks

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"unicode"
)

// link matches a Markdown inline link or image target: ](target) or ](target "title").
var link = regexp.MustCompile(`\]\(([^)\s]+)(?:\s+"[^"]*")?\)`)

// fence matches the start or end of a fenced code block, whose text holds no links.
var fence = regexp.MustCompile("^\\s*(```|~~~)")

// Broken lists the broken relative links of the Markdown files given, each as "file:line: why".
// Links with a scheme (https:, mailto:) are not checked: they are not the project's to keep.
func Broken(files []string) ([]string, error) {
	anchors := map[string]map[string]bool{}
	anchorsOf := func(path string) (map[string]bool, error) {
		if a, ok := anchors[path]; ok {
			return a, nil
		}
		text, err := os.ReadFile(path)
		if err != nil {
			return nil, fmt.Errorf("doclinks: %w", err)
		}
		a := Anchors(string(text))
		anchors[path] = a
		return a, nil
	}
	var broken []string
	for _, file := range files {
		text, err := os.ReadFile(file)
		if err != nil {
			return nil, fmt.Errorf("doclinks: %w", err)
		}
		inFence := false
		for i, line := range strings.Split(string(text), "\n") {
			if fence.MatchString(line) {
				inFence = !inFence
				continue
			}
			if inFence {
				continue
			}
			for _, m := range link.FindAllStringSubmatch(withoutCodeSpans(line), -1) {
				target := m[1]
				if strings.Contains(target, "://") || strings.HasPrefix(target, "mailto:") {
					continue
				}
				where := fmt.Sprintf("%s:%d", file, i+1)
				path, anchor, _ := strings.Cut(target, "#")
				dest := file
				if path != "" {
					dest = filepath.Join(filepath.Dir(file), filepath.FromSlash(path))
					if _, err := os.Stat(dest); err != nil {
						broken = append(broken, fmt.Sprintf("%s: %s: no such file", where, target))
						continue
					}
				}
				if anchor == "" {
					continue
				}
				if !strings.HasSuffix(dest, ".md") {
					broken = append(broken, fmt.Sprintf("%s: %s: an anchor into a file that is not Markdown", where, target))
					continue
				}
				a, err := anchorsOf(dest)
				if err != nil {
					return nil, err
				}
				if !a[anchor] {
					broken = append(broken, fmt.Sprintf("%s: %s: no heading with that anchor in %s", where, target, dest))
				}
			}
		}
	}
	return broken, nil
}

// withoutCodeSpans blanks the `code spans` of a line, where a ](…) is text, not a link.
func withoutCodeSpans(line string) string {
	var b strings.Builder
	in := false
	for _, r := range line {
		if r == '`' {
			in = !in
			b.WriteRune(r)
			continue
		}
		if in {
			b.WriteRune(' ')
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// Anchors returns the anchors GitHub gives the headings of a Markdown text: lower case, spaces made
// hyphens, everything but letters, digits, hyphens and underscores dropped, and a repeated anchor
// numbered -1, -2… in order. Headings inside fenced code blocks are not headings.
func Anchors(text string) map[string]bool {
	out := map[string]bool{}
	seen := map[string]int{}
	inFence := false
	for _, line := range strings.Split(text, "\n") {
		if fence.MatchString(line) {
			inFence = !inFence
			continue
		}
		if inFence || !strings.HasPrefix(line, "#") {
			continue
		}
		title := strings.TrimSpace(strings.TrimLeft(line, "#"))
		if title == "" || !strings.HasPrefix(strings.TrimLeft(line, "#"), " ") {
			continue
		}
		slug := Slug(title)
		if n := seen[slug]; n > 0 {
			out[fmt.Sprintf("%s-%d", slug, n)] = true
		} else {
			out[slug] = true
		}
		seen[slug]++
	}
	return out
}

// Slug is GitHub's anchor for one heading's text.
func Slug(title string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(title) {
		switch {
		case r == ' ':
			b.WriteRune('-')
		case r == '-' || r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(r)
		}
	}
	return b.String()
}
