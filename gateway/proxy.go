package main

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"log"
	"net/http"
	"net/http/httputil"
	"net/url"
	"os"
)

// newBackendProxy forwards gRPC requests (as vanguard has transcoded them) to homevisitd over
// HTTP/2: h2c on a plaintext backend, TLS (ALPN h2) when caFile is set. Headers, the bearer
// token among them, pass through unchanged; responses are flushed at once so that server
// streams (WatchEvents) reach the browser as they arrive.
func newBackendProxy(backend, caFile string) (http.Handler, error) {
	transport := &http.Transport{ForceAttemptHTTP2: true}
	scheme := "http"
	if caFile == "" {
		transport.Protocols = new(http.Protocols)
		transport.Protocols.SetUnencryptedHTTP2(true)
	} else {
		pem, err := os.ReadFile(caFile)
		if err != nil {
			return nil, fmt.Errorf("backend CA: %w", err)
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("backend CA: no certificate in %s", caFile)
		}
		transport.TLSClientConfig = &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}
		transport.Protocols = new(http.Protocols)
		transport.Protocols.SetHTTP2(true)
		scheme = "https"
	}
	target := &url.URL{Scheme: scheme, Host: backend}
	return &httputil.ReverseProxy{
		Rewrite: func(r *httputil.ProxyRequest) {
			r.SetURL(target)
			r.Out.Host = backend
		},
		Transport:     transport,
		FlushInterval: -1,
		ErrorHandler:  unreachable(backend),
	}, nil
}

// unreachable answers a call homevisitd never got (refused connection, failed TLS handshake) as
// gRPC's UNAVAILABLE, a trailers-only response vanguard passes on in each client's protocol
// (HTTP 503 for REST); the cause goes to the log, not to the caller.
func unreachable(backend string) func(http.ResponseWriter, *http.Request, error) {
	return func(w http.ResponseWriter, r *http.Request, err error) {
		log.Printf("homevisit-gateway: %s to %s: %v", r.URL.Path, backend, err)
		w.Header().Set("Content-Type", "application/grpc")
		w.Header().Set("Grpc-Status", "14")
		w.Header().Set("Grpc-Message", url.PathEscape("homevisitd is unreachable from the gateway"))
		w.WriteHeader(http.StatusOK)
	}
}
