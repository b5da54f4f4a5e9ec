package api

import (
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
)

// Metrics are the service's Prometheus metrics, on a registry of their own.
type Metrics struct {
	Registry        *prometheus.Registry
	requests        *prometheus.CounterVec
	duration        *prometheus.HistogramVec
	inFlight        prometheus.Gauge
	requestSize     *prometheus.HistogramVec
	responseSize    *prometheus.HistogramVec
	probability     prometheus.Histogram
	scored          *prometheus.CounterVec
	indicatorHits   *prometheus.CounterVec
	modelInfo       *prometheus.GaugeVec
	reloads         *prometheus.CounterVec
	lastReloadOK    prometheus.Gauge
	batchPostings   prometheus.Histogram
	panicsRecovered prometheus.Counter

	// The children of the labelled metrics that requests touch, looked up
	// once per label values: WithLabelValues checks, hashes and looks up
	// the values under a lock on every call.
	httpChildren     childCache[httpLabels, *httpMetrics]
	scoredChildren   childCache[string, prometheus.Counter]
	categoryChildren childCache[string, prometheus.Counter]
}

// httpLabels are the labels of one request's HTTP metrics.
type httpLabels struct {
	route, method string
	status        int
}

// httpMetrics are the children of the HTTP metrics for one httpLabels.
type httpMetrics struct {
	requests     prometheus.Counter
	duration     prometheus.Observer
	requestSize  prometheus.Observer
	responseSize prometheus.Observer
}

// http returns the HTTP metrics of a request.
func (m *Metrics) http(route, method string, status int) *httpMetrics {
	return m.httpChildren.get(httpLabels{route, method, status}, func(l httpLabels) *httpMetrics {
		code := strconv.Itoa(l.status)
		return &httpMetrics{
			requests:     m.requests.WithLabelValues(l.route, l.method, code),
			duration:     m.duration.WithLabelValues(l.route, l.method, code),
			requestSize:  m.requestSize.WithLabelValues(l.route),
			responseSize: m.responseSize.WithLabelValues(l.route),
		}
	})
}

// methodLabel maps a request method to its metric label: the standard
// methods a client of this service uses, and "other" for every other token
// (a method is any token the client likes; as a label it would make a new
// series each).
func methodLabel(method string) string {
	switch method {
	case http.MethodGet, http.MethodPost, http.MethodHead, http.MethodPut, http.MethodDelete, http.MethodPatch, http.MethodOptions:
		return method
	}
	return "other"
}

// scoredIn returns the postings-scored counter of a band.
func (m *Metrics) scoredIn(band string) prometheus.Counter {
	return m.scoredChildren.get(band, func(band string) prometheus.Counter { return m.scored.WithLabelValues(band) })
}

// hitsIn returns the indicator-hits counter of a category.
func (m *Metrics) hitsIn(category string) prometheus.Counter {
	return m.categoryChildren.get(category, func(c string) prometheus.Counter { return m.indicatorHits.WithLabelValues(c) })
}

// maxCachedChildren bounds a childCache: should label values ever come to
// depend on the client (methods do not: methodLabel maps them to a fixed
// set), they must not grow it without end.
// Beyond it, children are looked up by the slow path every time.
const maxCachedChildren = 512

// childCache maps label values to the children of a metric vector. Reads
// are lock-free: the map is never changed once published, and a miss
// publishes a copy with the new entry (misses stop once every route,
// method, status, band and category in use has been seen). Entries are
// never removed, so this must not be used for a vector whose children are
// deleted (modelInfo).
type childCache[K comparable, V any] struct {
	mu sync.Mutex
	m  atomic.Pointer[map[K]V]
}

func (c *childCache[K, V]) get(k K, resolve func(K) V) V {
	if m := c.m.Load(); m != nil {
		if v, ok := (*m)[k]; ok {
			return v
		}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	old := c.m.Load()
	if old != nil {
		if v, ok := (*old)[k]; ok {
			return v
		}
	}
	v := resolve(k)
	if old != nil && len(*old) >= maxCachedChildren {
		return v
	}
	m := make(map[K]V, 1+len(ptrMap(old)))
	for k, v := range ptrMap(old) {
		m[k] = v
	}
	m[k] = v
	c.m.Store(&m)
	return v
}

// ptrMap dereferences a possibly nil map pointer.
func ptrMap[K comparable, V any](m *map[K]V) map[K]V {
	if m == nil {
		return nil
	}
	return *m
}

// NewMetrics registers the metrics (and Go and process collectors) on a new
// registry.
func NewMetrics() *Metrics {
	r := prometheus.NewRegistry()
	sizeBuckets := prometheus.ExponentialBuckets(256, 4, 8) // 256 B .. 4 MiB
	m := &Metrics{
		Registry: r,
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "lurescan_http_requests_total", Help: "HTTP requests by route template, method and status code.",
		}, []string{"route", "method", "code"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "lurescan_http_request_duration_seconds", Help: "HTTP request duration by route template, method and status code.",
			Buckets: []float64{0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5},
		}, []string{"route", "method", "code"}),
		inFlight: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "lurescan_http_requests_in_flight", Help: "HTTP requests being served.",
		}),
		requestSize: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "lurescan_http_request_size_bytes", Help: "HTTP request body sizes by route template.", Buckets: sizeBuckets,
		}, []string{"route"}),
		responseSize: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "lurescan_http_response_size_bytes", Help: "HTTP response body sizes by route template.", Buckets: sizeBuckets,
		}, []string{"route"}),
		probability: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "lurescan_score_probability", Help: "Lure probabilities of scored postings.",
			Buckets: prometheus.LinearBuckets(0.05, 0.05, 19),
		}),
		scored: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "lurescan_postings_scored_total", Help: "Postings scored (each batch item counts one), by band; insufficient_text when no band was given.",
		}, []string{"band"}),
		indicatorHits: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "lurescan_indicator_hits_total", Help: "Lure-indicator hits in scored postings, by category.",
		}, []string{"category"}),
		modelInfo: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "lurescan_model_info", Help: "The model being served (value 1), by model id.",
		}, []string{"model_id"}),
		reloads: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "lurescan_model_reloads_total", Help: "Model reload attempts by result (success or failure).",
		}, []string{"result"}),
		lastReloadOK: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "lurescan_model_last_reload_success_timestamp_seconds", Help: "Unix time of the last successful model load.",
		}),
		batchPostings: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "lurescan_batch_postings", Help: "Postings per batch request.", Buckets: prometheus.ExponentialBuckets(1, 4, 7),
		}),
		panicsRecovered: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "lurescan_http_panics_recovered_total", Help: "Panics recovered: a handler's (a 500 answer) or a batch item's (that item's internal error).",
		}),
	}
	r.MustRegister(m.requests, m.duration, m.inFlight, m.requestSize, m.responseSize, m.probability, m.scored,
		m.indicatorHits, m.modelInfo, m.reloads, m.lastReloadOK, m.batchPostings, m.panicsRecovered,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	for _, res := range []string{"success", "failure"} {
		m.reloads.WithLabelValues(res)
	}
	return m
}
