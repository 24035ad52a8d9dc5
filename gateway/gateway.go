// Command homevisit-gateway serves homevisit's API to browsers and REST clients: gRPC-Web, the
// Connect protocol and REST/JSON, transcoded by connectrpc.com/vanguard to gRPC calls on
// homevisitd, plus the web console's static files. It holds no credentials of its own: each
// call's Authorization header goes through to homevisitd, which decides.
package main

import (
	_ "embed"
	"fmt"
	"net/http"

	"connectrpc.com/vanguard"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/reflect/protoregistry"

	// Register the homevisit.v1 descriptors vanguard transcodes with, and google.rpc's error
	// details (BadRequest, ErrorInfo), which it re-encodes in JSON errors.
	_ "github.com/izzi-drwifi/homevisit/sdk/go/homevisitv1"
	_ "google.golang.org/genproto/googleapis/rpc/errdetails"
)

// The REST surface's OpenAPI document, generated from the protos and http_rules.yaml by
// generate-openapi.sh.
//
//go:embed openapi/homevisit.swagger.json
var openAPIDocument []byte

// newGateway returns the handler: /openapi.json, then API paths to vanguard, everything else to
// static (the console), or 404 when static is nil.
func newGateway(backend http.Handler, static http.Handler) (http.Handler, error) {
	var schemas []protoreflect.ServiceDescriptor
	protoregistry.GlobalFiles.RangeFilesByPackage("homevisit.v1", func(f protoreflect.FileDescriptor) bool {
		for i := range f.Services().Len() {
			schemas = append(schemas, f.Services().Get(i))
		}
		return true
	})
	if len(schemas) == 0 {
		return nil, fmt.Errorf("no homevisit.v1 services registered")
	}
	rules, err := restRules()
	if err != nil {
		return nil, err
	}
	schemas, err = withRules(schemas, rules)
	if err != nil {
		return nil, err
	}
	services := make([]*vanguard.Service, 0, len(schemas))
	for _, schema := range schemas {
		services = append(services, vanguard.NewServiceWithSchema(schema, backend,
			vanguard.WithTargetProtocols(vanguard.ProtocolGRPC),
			vanguard.WithTargetCodecs(vanguard.CodecProto)))
	}
	var opts []vanguard.TranscoderOption
	if static != nil {
		opts = append(opts, vanguard.WithUnknownHandler(static))
	}
	transcoder, err := vanguard.NewTranscoder(services, opts...)
	if err != nil {
		return nil, err
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /openapi.json", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(openAPIDocument)
	})
	mux.Handle("/", transcoder)
	return mux, nil
}
