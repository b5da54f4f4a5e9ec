package web_test

import (
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// doc is a parsed page.
type doc struct{ root *html.Node }

func parse(t *testing.T, body string) doc {
	t.Helper()
	n, err := html.Parse(strings.NewReader(body))
	if err != nil {
		t.Fatalf("page does not parse: %v", err)
	}
	return doc{n}
}

// all returns the elements matching tag (any when "") and the attribute
// conditions given as key, value pairs ("" value: present). The inert
// content of <template> elements is not part of the page and is skipped.
func (d doc) all(tag string, attrs ...string) []*html.Node {
	var out []*html.Node
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && (tag == "" || n.Data == tag) && hasAttrs(n, attrs) {
			out = append(out, n)
		}
		if n.Type == html.ElementNode && n.Data == "template" {
			return
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(d.root)
	return out
}

func (d doc) first(t *testing.T, tag string, attrs ...string) *html.Node {
	t.Helper()
	ns := d.all(tag, attrs...)
	if len(ns) == 0 {
		t.Fatalf("no <%s %v> in the page", tag, attrs)
	}
	return ns[0]
}

func hasAttrs(n *html.Node, attrs []string) bool {
	for i := 0; i+1 < len(attrs); i += 2 {
		v, ok := attr(n, attrs[i])
		if !ok || (attrs[i+1] != "" && v != attrs[i+1]) {
			return false
		}
	}
	return true
}

func attr(n *html.Node, key string) (string, bool) {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val, true
		}
	}
	return "", false
}

// text is the text content of n, without the screen-reader-only labels
// and reason numbers of marks when visible is set.
func text(n *html.Node, visible bool) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		if visible && n.Type == html.ElementNode {
			if c, _ := attr(n, "class"); c == "vh" || n.Data == "sup" {
				return
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return b.String()
}
