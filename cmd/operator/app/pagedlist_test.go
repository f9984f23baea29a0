package app

import (
	"context"
	"testing"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/watch"
	toolscache "k8s.io/client-go/tools/cache"

	"github.com/elasticyarn/elastic-yarn-operator/test/scale"
)

// TestTrimmedPagesPaginateAndTrimEachPage: the first list of Nodes is asked as a paginated
// consistent list (a watch-cache list would ignore the limit), every page comes back
// trimmed, and continuations and lists at a given resourceVersion are left as asked.
func TestTrimmedPagesPaginateAndTrimEachPage(t *testing.T) {
	var asked []metav1.ListOptions
	lw := &toolscache.ListWatch{
		ListWithContextFunc: func(_ context.Context, opts metav1.ListOptions) (runtime.Object, error) {
			asked = append(asked, opts)
			return &corev1.NodeList{Items: []corev1.Node{*scale.RealisticNode(1), *scale.RealisticNode(2)}}, nil
		},
		WatchFuncWithContext: func(context.Context, metav1.ListOptions) (watch.Interface, error) { return watch.NewFake(), nil },
	}
	inf := newInformer(lw, &corev1.Node{}, 0, toolscache.Indexers{})
	if inf == nil {
		t.Fatal("no informer")
	}
	wrapped := trimmedPages(lw)
	for _, opts := range []metav1.ListOptions{{ResourceVersion: "0", Limit: 500}, {ResourceVersion: "0"}, {Continue: "abc", Limit: 500}, {ResourceVersion: "42"}} {
		page, err := wrapped.ListWithContextFunc(context.Background(), opts)
		if err != nil {
			t.Fatal(err)
		}
		for _, n := range page.(*corev1.NodeList).Items {
			if n.Status.Images != nil || len(n.Annotations) != 0 {
				t.Errorf("page item %s not trimmed", n.Name)
			}
		}
	}
	want := []metav1.ListOptions{{Limit: 500}, {Limit: initialListPageSize}, {Continue: "abc", Limit: 500}, {ResourceVersion: "42"}}
	for i := range want {
		if asked[i] != want[i] {
			t.Errorf("list %d asked with %+v, want %+v", i, asked[i], want[i])
		}
	}
}
