package tierstacktest

import (
	"strings"
	"testing"
)

// AssertCount fails t unless exactly want resources of a type were registered.
func (s *Stack) AssertCount(t testing.TB, typ string, want int) {
	t.Helper()
	if got := s.Count(typ); got != want {
		t.Errorf("%d resources of type %s were registered, want %d", got, typ, want)
	}
}

// AssertHas fails t unless at least one resource of a type has inputs matching props, and returns
// the first that does.
func (s *Stack) AssertHas(t testing.TB, typ string, props Props) Resource {
	t.Helper()
	all := s.All(typ)
	for _, r := range all {
		if Matches(r, props) == nil {
			return r
		}
	}
	if len(all) == 0 {
		t.Errorf("no resource of type %s was registered", typ)
		return Resource{}
	}
	var why []string
	for _, r := range all {
		why = append(why, Matches(r, props).Error())
	}
	t.Errorf("no resource of type %s matches %v:\n%s", typ, show(map[string]any(props)), strings.Join(why, "\n"))
	return Resource{}
}

// AssertEvery fails t unless every resource of a type has inputs matching props, and at least one
// was registered (an assertion over nothing proves nothing).
func (s *Stack) AssertEvery(t testing.TB, typ string, props Props) {
	t.Helper()
	all := s.All(typ)
	if len(all) == 0 {
		t.Errorf("no resource of type %s was registered", typ)
	}
	for _, r := range all {
		if err := Matches(r, props); err != nil {
			t.Errorf("%v", err)
		}
	}
}

// AssertNamed fails t unless a resource of a type with a logical name was registered, and returns it.
func (s *Stack) AssertNamed(t testing.TB, typ, name string) Resource {
	t.Helper()
	r, ok := s.Named(typ, name)
	if !ok {
		var names []string
		for _, x := range s.All(typ) {
			names = append(names, x.Name)
		}
		t.Errorf("no resource of type %s named %q; have %v", typ, name, names)
	}
	return r
}

// AssertAllOnProvider fails t unless every AWS resource was registered with the explicit provider
// of that logical name (none fell back to the default provider), and at least one was.
func (s *Stack) AssertAllOnProvider(t testing.TB, provider string) {
	t.Helper()
	n := 0
	for _, r := range s.Resources {
		if !r.Custom || !strings.HasPrefix(r.Type, "aws:") {
			continue
		}
		n++
		if got := providerName(r.Provider); got != provider {
			where := "the default provider"
			if got != "" {
				where = "provider " + got
			}
			t.Errorf("%s %s is on %s, want provider %s", r.Type, r.Name, where, provider)
		}
	}
	if n == 0 {
		t.Errorf("no AWS resource was registered")
	}
}

// AssertUnder fails t unless every resource of a type sits under (at any depth) the component of
// type parentType named parentName.
func (s *Stack) AssertUnder(t testing.TB, typ, parentType, parentName string) {
	t.Helper()
	parent, ok := s.Named(parentType, parentName)
	if !ok {
		t.Errorf("no %s named %q", parentType, parentName)
		return
	}
	all := s.All(typ)
	if len(all) == 0 {
		t.Errorf("no resource of type %s was registered", typ)
	}
	for _, r := range all {
		if !s.isUnder(r, parent.URN) {
			t.Errorf("%s %s is not under %s %s (its parent is %s)", typ, r.Name, parentType, parentName, r.Parent)
		}
	}
}
