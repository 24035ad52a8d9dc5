package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"
)

func main() {
	listen := flag.String("listen", "127.0.0.1:8080", "HOST:PORT to serve HTTP on (port 0: any free port, printed on stdout)")
	backend := flag.String("backend", "127.0.0.1:50051", "homevisitd's HOST:PORT")
	backendCA := flag.String("backend_tls_ca", "", "PEM CA that signed homevisitd's certificate (empty: plaintext h2c to the backend)")
	webDir := flag.String("web_dir", "", "folder of the console's built files (web/dist); empty: API only")
	tlsCert := flag.String("tls_cert", "", "PEM certificate to serve HTTPS with (with --tls_key)")
	tlsKey := flag.String("tls_key", "", "PEM private key of --tls_cert")
	flag.Parse()

	proxy, err := newBackendProxy(*backend, *backendCA)
	if err != nil {
		log.Fatalf("homevisit-gateway: %v", err)
	}
	var static http.Handler
	if *webDir != "" {
		if st, err := os.Stat(*webDir); err != nil || !st.IsDir() {
			log.Fatalf("homevisit-gateway: --web_dir %q is not a folder", *webDir)
		}
		static = http.FileServer(http.Dir(*webDir))
	}
	handler, err := newGateway(proxy, static)
	if err != nil {
		log.Fatalf("homevisit-gateway: %v", err)
	}

	ln, err := net.Listen("tcp", *listen)
	if err != nil {
		log.Fatalf("homevisit-gateway: %v", err)
	}
	server := &http.Server{Handler: handler, ReadHeaderTimeout: 10 * time.Second}
	fmt.Printf("homevisit-gateway listening on %s\n", ln.Addr())
	os.Stdout.Sync()

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	go func() {
		<-ctx.Done()
		// Watches never end by themselves: give short calls a moment, then close.
		shutdown, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		if server.Shutdown(shutdown) != nil {
			server.Close()
		}
	}()
	if *tlsCert != "" {
		err = server.ServeTLS(ln, *tlsCert, *tlsKey)
	} else {
		err = server.Serve(ln)
	}
	if err != nil && !errors.Is(err, http.ErrServerClosed) {
		log.Fatalf("homevisit-gateway: %v", err)
	}
}
