// Command homevisit-gateway serves homevisit's API to browsers and REST clients: gRPC-Web, the
// Connect protocol and REST/JSON, transcoded by connectrpc.com/vanguard to gRPC calls on
// homevisitd, plus the web console's static files. It holds no credentials of its own: each
// call's Authorization header goes through to homevisitd, which decides.
package main

import (
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

// newGateway returns the handler: API paths go to vanguard, everything else to static (the
// console), or 404 when static is nil.
func newGateway(backend http.Handler, static http.Handler) (http.Handler, error) {
	var services []*vanguard.Service
	protoregistry.GlobalFiles.RangeFilesByPackage("homevisit.v1", func(f protoreflect.FileDescriptor) bool {
		for i := range f.Services().Len() {
			services = append(services, vanguard.NewServiceWithSchema(f.Services().Get(i), backend,
				vanguard.WithTargetProtocols(vanguard.ProtocolGRPC),
				vanguard.WithTargetCodecs(vanguard.CodecProto)))
		}
		return true
	})
	if len(services) == 0 {
		return nil, fmt.Errorf("no homevisit.v1 services registered")
	}
	opts := []vanguard.TranscoderOption{vanguard.WithRules(restRules()...)}
	if static != nil {
		opts = append(opts, vanguard.WithUnknownHandler(static))
	}
	return vanguard.NewTranscoder(services, opts...)
}
