package app

import (
	"context"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	toolscache "k8s.io/client-go/tools/cache"
)

// initialListPageSize is how many objects one page of an informer's initial list of Nodes or
// pods holds (client-go's own pager default).
const initialListPageSize = 500

// newInformer builds the cache's informers. For Nodes and pods, the kinds that grow with the
// cluster, each page of a list is trimmed (trimForCache) as it arrives, and the initial list
// is paginated, so a list never holds thousands of whole objects at once.
//
// Without this, the list that fills the cache is one response: client-go asks with
// resourceVersion "0", which the apiserver serves from its watch cache in full whatever the
// limit, and the reflector keeps every decoded object until it has stored them all; the
// cache's transform runs only then. With realistic Nodes (16 KiB each, images and agents'
// annotations included) that transient list was most of the operator's peak memory: 390 MiB
// at 5,000 nodes. A streaming watch-list (client-go's WatchListClient, used when the
// apiserver supports it) transforms each object as it arrives and never calls List.
func newInformer(lw toolscache.ListerWatcher, obj runtime.Object, resync time.Duration, indexers toolscache.Indexers) toolscache.SharedIndexInformer {
	switch obj.(type) {
	case *corev1.Node, *corev1.Pod:
		if plain, ok := lw.(*toolscache.ListWatch); ok && plain.ListWithContextFunc != nil {
			lw = trimmedPages(plain)
		}
	}
	return toolscache.NewSharedIndexInformer(lw, obj, resync, indexers)
}

// trimmedPages wraps lw's List: a first list from the watch cache ("0") becomes a paginated
// consistent list, and every page's items are trimmed before the next page is read.
func trimmedPages(lw *toolscache.ListWatch) *toolscache.ListWatch {
	list := lw.ListWithContextFunc
	return &toolscache.ListWatch{
		ListWithContextFunc: func(ctx context.Context, opts metav1.ListOptions) (runtime.Object, error) {
			if opts.Continue == "" && (opts.ResourceVersion == "" || opts.ResourceVersion == "0") {
				// A consistent list honours the limit (from the watch cache's snapshot or
				// etcd); "0" would ignore it. It is also at least as recent.
				opts.ResourceVersion = ""
				if opts.Limit == 0 {
					opts.Limit = initialListPageSize
				}
			}
			page, err := list(ctx, opts)
			if err != nil {
				return page, err
			}
			err = meta.EachListItem(page, func(item runtime.Object) error {
				_, err := trimForCache(item)
				return err
			})
			return page, err
		},
		WatchFuncWithContext: lw.WatchFuncWithContext,
	}
}
